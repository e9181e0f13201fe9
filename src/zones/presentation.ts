// Field syntax of RFC 1035 §5.1 presentation format: domain names (absolute,
// relative, `@`), character strings with `\X` / `\DDD` escapes, numbers and
// TTLs with units, plus the checks and canonical forms shared by the
// presentation and RFC 3597 generic parsers (IPv6, CAA). Each parser returns
// the value or throws a FieldError, which zone-file.ts turns into a ZoneError
// at the line of the record.

import { SocketAddress } from 'node:net';
import { ROOT, joinName } from '../dns/name.js';
import type { Token } from './lexer.js';

/** A malformed field. Caught per record by the zone-file parser. */
export class FieldError extends Error {
  override readonly name = 'FieldError';
}

/** RFC 2181 §8: a TTL is an unsigned number below 2^31. */
export const MAX_TTL = 0x7fffffff;
const MAX_UINT32 = 0xffffffff;
const MAX_LABEL_OCTETS = 63; // RFC 1035 §2.3.4
const MAX_NAME_OCTETS = 255; // RFC 1035 §2.3.4, in wire form

const TTL_UNITS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400, w: 604800 };

/**
 * Resolves `\X` (the character X) and `\DDD` (the octet with decimal value
 * DDD) escapes, RFC 1035 §5.1. Unescaped text is taken as UTF-8.
 */
export function unescapeText(raw: string): Buffer {
  const parts: Buffer[] = [];
  let i = 0;
  while (i < raw.length) {
    const backslash = raw.indexOf('\\', i);
    const end = backslash < 0 ? raw.length : backslash;
    if (end > i) parts.push(Buffer.from(raw.slice(i, end), 'utf8'));
    if (backslash < 0) break;
    const next = raw.codePointAt(backslash + 1);
    if (next === undefined) throw new FieldError(`"\\" at the end of "${raw}"`);
    if (next >= 0x30 && next <= 0x39) {
      const digits = raw.slice(backslash + 1, backslash + 4);
      if (!/^\d{3}$/.test(digits) || Number(digits) > 255) {
        throw new FieldError(`bad escape "\\${digits}" in "${raw}": \\DDD takes three digits, 000 to 255`);
      }
      parts.push(Buffer.of(Number(digits)));
      i = backslash + 4;
    } else {
      const char = String.fromCodePoint(next);
      parts.push(Buffer.from(char, 'utf8'));
      i = backslash + 1 + char.length;
    }
  }
  return Buffer.concat(parts);
}

/**
 * A domain name in canonical form (dns/name.ts). `@` is the origin; a name
 * without a trailing dot is relative to the origin (RFC 1035 §5.1).
 *
 * Hops keeps names as dotted strings (as dns-packet does), so a label cannot
 * hold a dot, and we accept only printable ASCII: anything else is rejected
 * here rather than silently mangled on the wire.
 */
export function parseName(token: Token, origin: string): string {
  const text = token.text;
  if (token.quoted) throw new FieldError(`domain name "${text}" must not be quoted`);
  if (text === '@') return origin;
  if (text === '.') return ROOT;

  const rawLabels: string[] = [];
  let label = '';
  let absolute = false;
  for (let i = 0; i < text.length; i++) {
    absolute = false;
    if (text[i] === '\\') {
      label += text.slice(i, i + 2);
      i++;
    } else if (text[i] === '.') {
      rawLabels.push(label);
      label = '';
      absolute = true;
    } else {
      label += text[i];
    }
  }
  if (!absolute) rawLabels.push(label);

  const labels = rawLabels.map((raw) => checkLabel(unescapeText(raw), text));
  const name = absolute ? labels.join('.') : joinName(labels.join('.'), origin);
  // Wire length: one length octet per label plus the root octet; labels are
  // ASCII without dots, so that is the string length plus two.
  if (name.length + 2 > MAX_NAME_OCTETS) {
    throw new FieldError(`name "${text}" is longer than ${MAX_NAME_OCTETS} octets`);
  }
  return name;
}

function checkLabel(octets: Buffer, name: string): string {
  if (octets.length === 0) throw new FieldError(`empty label in name "${name}"`);
  if (octets.length > MAX_LABEL_OCTETS) {
    throw new FieldError(`label of ${octets.length} octets in name "${name}" (at most ${MAX_LABEL_OCTETS})`);
  }
  for (const b of octets) {
    if (b < 0x21 || b > 0x7e || b === 0x2e) {
      throw new FieldError(`name "${name}" has a character Hops cannot serve in a label (only printable ASCII, no dot)`);
    }
  }
  return octets.toString('latin1').toLowerCase();
}

/** A TTL or SOA timer: plain seconds, or units `1w2d3h4m5s` (case-insensitive). */
export function parseTtl(token: Token, what = 'TTL', max = MAX_TTL): number {
  const text = token.text;
  let seconds: number;
  if (!token.quoted && /^\d+$/.test(text)) {
    seconds = Number(text);
  } else if (!token.quoted && /^(\d+[smhdw])+$/i.test(text)) {
    seconds = 0;
    for (const m of text.matchAll(/(\d+)([smhdw])/gi)) seconds += Number(m[1]) * TTL_UNITS[m[2].toLowerCase()];
  } else {
    throw new FieldError(`bad ${what} "${text}": use seconds or units like 1h30m (s, m, h, d, w)`);
  }
  if (seconds > max) throw new FieldError(`${what} "${text}" is ${seconds} seconds, more than ${max}`);
  return seconds;
}

/** An unsigned decimal integer of `bits` bits. */
export function parseUint(token: Token, bits: 8 | 16 | 32, what: string): number {
  const max = bits === 32 ? MAX_UINT32 : 2 ** bits - 1;
  if (token.quoted || !/^\d+$/.test(token.text) || Number(token.text) > max) {
    throw new FieldError(`bad ${what} "${token.text}": expected a number from 0 to ${max}`);
  }
  return Number(token.text);
}

/** SOA REFRESH, RETRY, EXPIRE and MINIMUM are 32-bit and accept TTL units. */
export function parseTimer(token: Token, what: string): number {
  return parseTtl(token, what, MAX_UINT32);
}

/** IPv6 in RFC 5952 form, so equal addresses compare equal as strings. */
export function canonicalIPv6(address: string): string {
  return new SocketAddress({ address, family: 'ipv6' }).address;
}

export function checkCaaTag(tag: string): void {
  if (!/^[a-z0-9]{1,255}$/i.test(tag)) throw new FieldError(`bad CAA tag "${tag}": letters and digits only (RFC 8659 §4.1.1)`);
}

/** Hops carries CAA values as text (dns-packet's shape), so they must be UTF-8. */
export function caaValue(octets: Buffer): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(octets);
  } catch {
    throw new FieldError('CAA value is not valid UTF-8');
  }
}
