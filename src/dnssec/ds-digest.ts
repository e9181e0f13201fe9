// DS digests (RFC 4034 §5.1.4): digest = hash(owner name | DNSKEY RDATA),
// the owner in canonical wire form. SHA-1 is RFC 4034's, SHA-256 RFC 4509's,
// SHA-384 RFC 6605's. GOST (3, RFC 5933) is not supported: RFC 8624 §3.3
// lets validators drop it, and no current OpenSSL ships it by default.

import { createHash } from 'node:crypto';
import type { ResourceRecord } from '../dns/message.js';
import { parseDnskey, parseDs, DnskeyFlag, DNSKEY_PROTOCOL, type DsData } from './dnssec-rdata.js';
import { keyTag } from './key-tag.js';
import { nameToWire } from './wire-name.js';

export const DigestType = { SHA1: 1, SHA256: 2, GOST: 3, SHA384: 4 } as const;

const HASHES: Record<number, { hash: string; length: number }> = {
  [DigestType.SHA1]: { hash: 'sha1', length: 20 },
  [DigestType.SHA256]: { hash: 'sha256', length: 32 },
  [DigestType.SHA384]: { hash: 'sha384', length: 48 },
};

export function isSupportedDigest(digestType: number): boolean {
  return HASHES[digestType] !== undefined;
}

/** The digest a DS of this type would carry for a DNSKEY; undefined for an unsupported type. */
export function dsDigest(owner: string, dnskeyRdata: Buffer, digestType: number): Buffer | undefined {
  const h = HASHES[digestType];
  if (!h) return undefined;
  return createHash(h.hash).update(nameToWire(owner.toLowerCase())).update(dnskeyRdata).digest();
}

/**
 * True when the DS record points at this DNSKEY (RFC 4035 §5.2): same
 * owner, key tag and algorithm, a zone key of protocol 3, and a digest of a
 * supported type that matches.
 */
export function dsMatchesKey(ds: ResourceRecord | DsData, dnskey: ResourceRecord): boolean {
  const d = 'keyTag' in ds ? ds : parseDs(ds.data);
  const key = parseDnskey(dnskey.data);
  if (!d || !key || !Buffer.isBuffer(dnskey.data)) return false;
  if ('name' in ds && ds.name.toLowerCase() !== dnskey.name.toLowerCase()) return false;
  if (d.algorithm !== key.algorithm || (key.flags & DnskeyFlag.Zone) === 0 || key.protocol !== DNSKEY_PROTOCOL) return false;
  if (d.keyTag !== keyTag(dnskey.data)) return false;
  const h = HASHES[d.digestType];
  if (!h || d.digest.length !== h.length) return false;
  const digest = dsDigest(dnskey.name, dnskey.data, d.digestType)!;
  return digest.equals(d.digest);
}
