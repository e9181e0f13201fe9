// Base 32 with the extended hex alphabet (RFC 4648 §7), unpadded and lower
// case: the form of NSEC3 hashed owner names (RFC 5155 §3.3). Unlike plain
// base32 it keeps the sort order of the bytes it encodes.

const ALPHABET = '0123456789abcdefghijklmnopqrstuv';

export function base32hexEncode(bytes: Uint8Array): string {
  let out = '';
  let buffer = 0;
  let bits = 0;
  for (const byte of bytes) {
    buffer = (buffer << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += ALPHABET[(buffer >> (bits - 5)) & 31];
      bits -= 5;
    }
    buffer &= (1 << bits) - 1;
  }
  if (bits > 0) out += ALPHABET[(buffer << (5 - bits)) & 31];
  return out;
}

/**
 * Decodes case-insensitively; undefined for a character outside the
 * alphabet, padding, a length no byte string encodes to, or non-zero
 * leftover bits (so each byte string has exactly one accepted spelling).
 */
export function base32hexDecode(text: string): Buffer | undefined {
  const leftover = (text.length * 5) % 8;
  if (leftover >= 5) return undefined; // 1, 3 or 6 characters past a whole byte: impossible lengths
  const out = Buffer.alloc(Math.floor((text.length * 5) / 8));
  let buffer = 0;
  let bits = 0;
  let at = 0;
  for (let i = 0; i < text.length; i++) {
    const value = digit(text.charCodeAt(i));
    if (value < 0) return undefined;
    buffer = ((buffer << 5) | value) & 0xfff;
    bits += 5;
    if (bits >= 8) {
      out[at++] = (buffer >> (bits - 8)) & 0xff;
      bits -= 8;
    }
  }
  if ((buffer & ((1 << bits) - 1)) !== 0) return undefined;
  return out;
}

function digit(c: number): number {
  if (c >= 48 && c <= 57) return c - 48; // 0-9
  if (c >= 97 && c <= 118) return c - 87; // a-v
  if (c >= 65 && c <= 86) return c - 55; // A-V
  return -1;
}
