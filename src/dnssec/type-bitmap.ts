// The type bit maps of NSEC and NSEC3 RDATA (RFC 4034 §4.1.2, RFC 5155
// §3.2.1): window blocks of (window number, bitmap length 1-32, bitmap),
// windows in increasing order, bit 0 of octet 0 (the high bit) being type
// window*256 + 0.

/** The types an NSEC/NSEC3 record says exist at its (original) owner. */
export type TypeSet = ReadonlySet<number>;

/**
 * Decodes the bit maps from `offset` to `end`; undefined when malformed
 * (truncated, a length outside 1-32, windows not strictly increasing). An
 * empty field is valid: an NSEC3 for an empty non-terminal has no types.
 */
export function decodeTypeBitmap(buf: Buffer, offset = 0, end = buf.length): Set<number> | undefined {
  const types = new Set<number>();
  let at = offset;
  let lastWindow = -1;
  while (at < end) {
    if (at + 2 > end) return undefined;
    const window = buf[at]!;
    const length = buf[at + 1]!;
    // Repeated or out-of-order windows would let two encoders disagree on
    // the set, so they are an error rather than something to merge.
    if (window <= lastWindow || length < 1 || length > 32 || at + 2 + length > end) return undefined;
    for (let i = 0; i < length; i++) {
      const octet = buf[at + 2 + i]!;
      for (let bit = 0; bit < 8; bit++) {
        if (octet & (0x80 >> bit)) types.add(window * 256 + i * 8 + bit);
      }
    }
    lastWindow = window;
    at += 2 + length;
  }
  return types;
}

/** Encodes a set of type numbers (0-65535) as canonical bit maps: no empty windows, no trailing zero octets. */
export function encodeTypeBitmap(types: Iterable<number>): Buffer {
  const windows = new Map<number, number[]>();
  for (const type of types) {
    if (!Number.isInteger(type) || type < 0 || type > 0xffff) throw new RangeError(`not a type number: ${type}`);
    const window = type >> 8;
    const bits = windows.get(window) ?? [];
    bits.push(type & 0xff);
    windows.set(window, bits);
  }
  const parts: Buffer[] = [];
  for (const window of [...windows.keys()].sort((a, b) => a - b)) {
    const bits = windows.get(window)!;
    const length = (Math.max(...bits) >> 3) + 1;
    const block = Buffer.alloc(2 + length);
    block[0] = window;
    block[1] = length;
    for (const bit of bits) block[2 + (bit >> 3)]! |= 0x80 >> (bit & 7);
    parts.push(block);
  }
  return Buffer.concat(parts);
}
