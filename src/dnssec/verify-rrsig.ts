// The core DNSSEC check (RFC 4035 §5.3): is this RRset signed by one of
// these trusted keys of this zone? The answer is a verdict, never an
// exception, except the caller's own budget error from chargeVerification,
// which ends the query (KeyTrap, CVE-2023-50387: colliding key tags and
// piles of RRSIGs must not buy an attacker unbounded public-key work).

import type { ResourceRecord } from '../dns/message.js';
import { isSubdomain, labels as nameLabels, ROOT } from '../dns/name.js';
import { isSupportedAlgorithm, verifySignature } from './algorithms.js';
import { canonicalOwner, signedData } from './canonical.js';
import { DnskeyFlag, DNSKEY_PROTOCOL, parseDnskey, parseRrsig, type DnskeyData, type RrsigData } from './dnssec-rdata.js';
import { keyTag } from './key-tag.js';
import { secondsUntil, signatureWindow } from './signature-window.js';

export interface SignatureContext {
  /** Validation time, seconds since the epoch (from the resolver's Clock, never Date.now()). */
  now: number;
  /** Called once before every public-key verification; throws (the caller's budget error) when the per-query limit is reached (KeyTrap, CVE-2023-50387). */
  chargeVerification(): void;
}

export type BogusReason = 'signature-expired' | 'signature-not-yet-valid' | 'dnskey-missing' | 'rrsigs-missing' | 'bad-signature' | 'invalid';

export type RrsetVerdict =
  | {
    ok: true;
    signer: string;
    /** RFC 4035 §5.3.3: min(RRset TTL, RRSIG TTL, original TTL, expiration - now). */
    ttl: number;
    /** Set when RRSIG labels < owner labels: the name the wildcard sits under, RFC 4035 §5.3.4. */
    wildcardEncloser?: string;
  }
  | { ok: false; reason: BogusReason; text: string /* short, for an EDE extra-text and logs */ };

/** Keys sharing one RRSIG's tag and algorithm that are tried (tags collide by accident, or on purpose). */
export const MAX_KEYS_PER_RRSIG = 4;
/** RRSIGs over one RRset whose signature is checked; real zones carry one or two per algorithm. */
export const MAX_RRSIGS_PER_RRSET = 8;

/** When every RRSIG fails, the reason reported is the first of these that occurred: the most telling. */
const REASON_RANK: BogusReason[] = ['bad-signature', 'signature-expired', 'signature-not-yet-valid', 'dnskey-missing', 'invalid', 'rrsigs-missing'];

interface Key {
  data: DnskeyData;
  tag: number;
}

export function verifyRrset(rrset: ResourceRecord[], rrsigs: ResourceRecord[], zone: string,
  keys: ResourceRecord[], ctx: SignatureContext): RrsetVerdict {
  const first = rrset[0];
  if (!first) return { ok: false, reason: 'invalid', text: 'empty RRset' };
  const owner = first.name.toLowerCase();
  const signer = zone.toLowerCase();
  const failures = new Map<BogusReason, string>();
  const fail = (reason: BogusReason, text: string): void => {
    if (!failures.has(reason)) failures.set(reason, text);
  };
  const zoneKeys = usableKeys(keys, signer, first.type === 'DNSKEY');

  let tried = 0;
  for (const rr of rrsigs) {
    if (rr.type !== 'RRSIG' || rr.class !== first.class || rr.name.toLowerCase() !== owner) continue;
    const sig = parseRrsig(rr.data);
    if (!sig) {
      fail('invalid', `malformed RRSIG at ${owner}`);
      continue;
    }
    if (sig.typeCovered !== first.type) continue;
    const label = `RRSIG ${sig.typeCovered} ${sig.algorithm} ${sig.keyTag} ${sig.signerName}`;
    const problem = checkFields(sig, owner, signer, ctx.now);
    if (problem) {
      fail(problem[0], `${label}: ${problem[1]}`);
      continue;
    }
    if (!isSupportedAlgorithm(sig.algorithm)) {
      // RFC 6840 §5.11: signatures of algorithms we cannot check are as if absent.
      fail('rrsigs-missing', `${label}: algorithm ${sig.algorithm} not supported`);
      continue;
    }
    const candidates = zoneKeys.filter((k) => k.tag === sig.keyTag && k.data.algorithm === sig.algorithm);
    if (candidates.length === 0) {
      fail('dnskey-missing', `${label}: no such zone key in the DNSKEY RRset of ${signer}`);
      continue;
    }
    if (tried === MAX_RRSIGS_PER_RRSET) break;
    tried++;
    const data = signedData(rrset, sig);
    if (!data) {
      fail('invalid', `${label}: RRset cannot be put in canonical form`);
      continue;
    }
    for (const key of candidates.slice(0, MAX_KEYS_PER_RRSIG)) {
      ctx.chargeVerification();
      if (verifySignature(sig.algorithm, key.data.publicKey, data, sig.signature)) {
        return success(rrset, rr, sig, owner, signer, ctx.now);
      }
    }
    fail('bad-signature', `${label}: signature does not verify`);
  }
  if (failures.size === 0) return { ok: false, reason: 'rrsigs-missing', text: `no RRSIG covers ${owner} ${first.type}` };
  const reason = REASON_RANK.find((r) => failures.has(r))!;
  return { ok: false, reason, text: failures.get(reason)! };
}

/** RFC 4035 §5.3.1's checks on the RRSIG's own fields; undefined when they pass. */
function checkFields(sig: RrsigData, owner: string, zone: string, now: number): [BogusReason, string] | undefined {
  if (sig.signerName !== zone) return ['invalid', `signer is not the zone ${zone}`];
  if (!isSubdomain(owner, zone)) return ['invalid', `owner ${owner} is outside the signer's zone`];
  if (canonicalOwner(owner, sig.labels) === undefined) return ['invalid', `labels ${sig.labels} exceed those of ${owner}`];
  switch (signatureWindow(sig.inception, sig.expiration, now)) {
    case 'expired':
      return ['signature-expired', `expired ${timestamp(sig.expiration)}`];
    case 'not-yet-valid':
      return ['signature-not-yet-valid', `not valid before ${timestamp(sig.inception)}`];
    case 'valid':
      return undefined;
  }
}

/**
 * The zone's keys that may verify its signatures: owned by the zone, Zone
 * Key bit set, protocol 3 (RFC 4035 §5.3.1). A revoked key (RFC 5011 §2.1)
 * may only still sign the DNSKEY RRset that announces its revocation.
 */
function usableKeys(keys: ResourceRecord[], zone: string, forDnskeyRrset: boolean): Key[] {
  const out: Key[] = [];
  for (const rr of keys) {
    if (rr.type !== 'DNSKEY' || rr.name.toLowerCase() !== zone || !Buffer.isBuffer(rr.data)) continue;
    const data = parseDnskey(rr.data);
    if (!data || (data.flags & DnskeyFlag.Zone) === 0 || data.protocol !== DNSKEY_PROTOCOL) continue;
    if ((data.flags & DnskeyFlag.Revoke) !== 0 && !forDnskeyRrset) continue;
    out.push({ data, tag: keyTag(rr.data) });
  }
  return out;
}

function success(rrset: ResourceRecord[], rrsig: ResourceRecord, sig: RrsigData, owner: string, signer: string,
  now: number): RrsetVerdict {
  let ttl = Math.min(rrsig.ttl, sig.originalTtl, secondsUntil(sig.expiration, now));
  for (const rr of rrset) ttl = Math.min(ttl, rr.ttl);
  const parts = nameLabels(owner);
  const counted = parts[0] === '*' ? parts.length - 1 : parts.length;
  if (sig.labels >= counted) return { ok: true, signer, ttl };
  const encloser = sig.labels === 0 ? ROOT : parts.slice(parts.length - sig.labels).join('.');
  return { ok: true, signer, ttl, wildcardEncloser: encloser };
}

function timestamp(serial: number): string {
  return new Date(serial * 1000).toISOString().replace('.000Z', 'Z');
}
