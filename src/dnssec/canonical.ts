// The bytes an RRSIG signs (RFC 4034 §3.1.8.1): RRSIG_RDATA followed by each
// record of the RRset in canonical form (§6.2) and canonical order (§6.3).
// The signer and the validator must build them byte for byte alike, so this
// one function serves both.

import { classNumber, encodeRdata, typeNumber } from '../dns/codec.js';
import type { ResourceRecord } from '../dns/message.js';
import { labels as nameLabels } from '../dns/name.js';
import type { RrsigData } from './dnssec-rdata.js';
import { canonicalRdataNames } from './rdata-names.js';
import { nameToWire } from './wire-name.js';

/**
 * The owner name as signed (RFC 4034 §3.1.8.1, RFC 4035 §5.3.2): lower case,
 * and when the RRSIG counts fewer labels than the owner has, the wildcard
 * `*.` plus the owner's rightmost `rrsigLabels` labels that the RRset was
 * expanded from. Undefined when the RRSIG counts more labels than there are.
 */
export function canonicalOwner(owner: string, rrsigLabels: number): string | undefined {
  const parts = nameLabels(owner.toLowerCase());
  // RFC 4034 §3.1.3: a leading "*" label is not counted.
  const counted = parts[0] === '*' ? parts.length - 1 : parts.length;
  if (rrsigLabels > counted) return undefined;
  if (rrsigLabels === counted) return parts.length === 0 ? '.' : parts.join('.');
  return ['*', ...parts.slice(parts.length - rrsigLabels)].join('.');
}

/** The RDATA of a record in canonical form: uncompressed, names lower-cased where §6.2 says so. */
export function canonicalRdata(rr: ResourceRecord): Buffer {
  return canonicalRdataNames(rr.type, encodeRdata(rr));
}

/**
 * The RDATA of an RRset in canonical order (RFC 4034 §6.3): sorted as
 * left-justified octet strings, duplicates (equal in canonical form) removed.
 */
export function canonicalRdataSet(rrset: ResourceRecord[]): Buffer[] {
  const sorted = rrset.map(canonicalRdata).sort(Buffer.compare);
  return sorted.filter((rdata, i) => i === 0 || !rdata.equals(sorted[i - 1]!));
}

/**
 * The data an RRSIG's signature covers (RFC 4034 §3.1.8.1): its RDATA up to
 * the signature, then every RR as `owner | type | class | original TTL |
 * RDLENGTH | RDATA`, in canonical form and order. Undefined when the RRSIG
 * does not fit the RRset (labels too many) or a type or class has no number.
 */
export function signedData(rrset: ResourceRecord[],
  rrsig: Pick<RrsigData, 'labels' | 'originalTtl' | 'signedPrefix'>): Buffer | undefined {
  const first = rrset[0];
  if (!first) return undefined;
  const owner = canonicalOwner(first.name, rrsig.labels);
  const type = typeNumber(first.type);
  const klass = classNumber(first.class);
  if (owner === undefined || type === undefined || klass === undefined) return undefined;
  let rdatas: Buffer[];
  try {
    rdatas = canonicalRdataSet(rrset);
  } catch {
    return undefined; // structured data dns-packet cannot encode
  }
  const ownerWire = nameToWire(owner);
  const head = Buffer.alloc(8);
  head.writeUInt16BE(type, 0);
  head.writeUInt16BE(klass, 2);
  head.writeUInt32BE(rrsig.originalTtl >>> 0, 4);
  const parts: Buffer[] = [rrsig.signedPrefix];
  for (const rdata of rdatas) {
    const rdlength = Buffer.alloc(2);
    rdlength.writeUInt16BE(rdata.length, 0);
    parts.push(ownerWire, head, rdlength, rdata);
  }
  return Buffer.concat(parts);
}
