// Which DNSSEC records of a reply go with which data, for the cache and for
// the validator: the RRSIGs over an RRset, the proof beside a negative answer
// or a wildcard expansion. Pure bookkeeping; nothing is verified here.

import type { ResourceRecord } from '../dns/message.js';
import { labelCount } from '../dns/name.js';
import { typeCovered, type DnssecRecords } from '../dns/scrub.js';

export const NO_RECORDS: readonly ResourceRecord[] = Object.freeze([]) as readonly ResourceRecord[];

/** The RRSIGs in `sigs` over any RRset in `records` (same owner, type covered). */
export function sigsOver(records: readonly ResourceRecord[], sigs: readonly ResourceRecord[]): ResourceRecord[] {
  if (sigs.length === 0 || records.length === 0) return [];
  const wanted = new Set(records.map((rr) => `${rr.name}|${rr.type}`));
  return sigs.filter((sig) => wanted.has(`${sig.name}|${typeCovered(sig)}`));
}

/**
 * What denies a name or type (RFC 4035 §3.1.3): the SOA's RRSIGs, the NSEC
 * and NSEC3 records and their RRSIGs.
 */
export function denialProof(soa: ResourceRecord | undefined, dnssec: DnssecRecords): ResourceRecord[] {
  if (dnssec.denial.length === 0 && dnssec.sigs.length === 0) return [];
  return [...sigsOver(soa ? [soa] : [], dnssec.sigs), ...dnssec.denial, ...sigsOver(dnssec.denial, dnssec.sigs)];
}

/**
 * RFC 4035 §5.3.4: an RRSIG whose labels field is smaller than its owner's
 * label count signs a wildcard expansion; the answer then needs the NSEC
 * proof that the name itself does not exist.
 */
export function isWildcardExpansion(sig: ResourceRecord): boolean {
  const data = sig.data;
  if (!Buffer.isBuffer(data) || data.length < 4) return false;
  const owner = sig.name.startsWith('*.') ? labelCount(sig.name) - 1 : labelCount(sig.name);
  return data[3] < owner;
}
