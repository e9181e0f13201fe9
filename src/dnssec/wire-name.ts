// Domain names in uncompressed wire form (RFC 1035 §3.1), as DNSSEC needs
// them: RRSIG signer names, NSEC next names and the canonical form of RFC
// 4034 §6.2 are always uncompressed, so these never follow pointers.

import { ROOT, labels } from '../dns/name.js';

/** The wire form of a normalized name (lower case, so already canonical: RFC 4034 §6.2). */
export function nameToWire(name: string): Buffer {
  const parts = labels(name);
  let size = 1;
  for (const label of parts) size += 1 + Buffer.byteLength(label, 'latin1');
  const out = Buffer.allocUnsafe(size);
  let offset = 0;
  for (const label of parts) {
    out[offset++] = label.length;
    offset += out.write(label, offset, 'latin1');
  }
  out[offset] = 0;
  return out;
}

export interface WireName {
  /** Normalized: lower case, no trailing dot, "." for the root. */
  name: string;
  /** Offset just past the name. */
  end: number;
}

/**
 * Reads an uncompressed name at `offset`; undefined when it runs past the
 * buffer, uses a compression pointer or is longer than 255 octets.
 */
export function readWireName(buf: Buffer, offset: number): WireName | undefined {
  const parts: string[] = [];
  let at = offset;
  for (;;) {
    if (at >= buf.length) return undefined;
    const len = buf[at]!;
    if (len === 0) break;
    if (len > 63) return undefined; // a pointer (0xC0) or a reserved label type
    if (at + 1 + len > buf.length) return undefined;
    parts.push(buf.toString('latin1', at + 1, at + 1 + len).toLowerCase());
    at += 1 + len;
  }
  if (at + 1 - offset > 255) return undefined;
  return { name: parts.length === 0 ? ROOT : parts.join('.'), end: at + 1 };
}
