// The resolver's cache: positive RRsets, negative answers (RFC 2308) and
// recent resolution failures, all in ONE lru-cache so that one number
// (`size`, counted in entries: an RRset, a NODATA or NXDOMAIN answer or a
// failure each take one) bounds memory however the traffic mixes them.
//
// A positive RRset and a NODATA for the same (name, type, class) share a key:
// whichever arrived last and ranks high enough is the truth, with no second
// lookup on the hit path. Nothing here reads the time but `clock.now()`.

import { LRUCache } from 'lru-cache';
import type { Clock } from '../util/clock.js';
import type { ExtendedError } from '../dns/ede.js';
import type { RData, ResourceRecord } from '../dns/message.js';
import { Trust } from './trust.js';
import { Security } from './security.js';
import { negativeTtl, remainingTtl, rrsetTtl, withTtl, type TtlPolicy } from './ttl-policy.js';

export interface CachePolicy extends TtlPolicy {
  /** Maximum number of entries (RRsets, negative answers, failures); least recently used go first. */
  size: number;
  /** Seconds a failed resolution is remembered per question (RFC 2308 §7.1 allows up to 5 minutes). */
  servfailTtl: number;
}

/**
 * Only the record data is kept: owner, type and class are the key's, and the
 * TTL is computed from expiresAt on the way out. Most RRsets hold one record,
 * whose data sits in `one` with no array around it. At a million entries,
 * every object left out is tens of megabytes (the memory target is 500 B of
 * RSS per cached one-record RRset).
 */
interface RRsetEntry {
  kind: 'rrset'; one: RData | undefined; many: RData[] | undefined; expiresAt: number; trust: Trust;
  /** DNSSEC material, only for signed RRsets: unsigned data pays one empty slot. */
  dnssec: SignedData | undefined;
  security: Security;
}
/** The RRSIGs (their RDATA) over an RRset, and for a wildcard expansion the NSEC/NSEC3 proof that the name itself does not exist (RFC 4035 §5.3.4). */
interface SignedData { sigs: RData[]; proof: ResourceRecord[] | undefined }
/** `proof`: the SOA's RRSIGs and the NSEC/NSEC3 records (with theirs) that deny the name or type (RFC 4035 §3.1.3). */
interface NegativeEntry {
  kind: 'nxdomain' | 'nodata'; soa: ResourceRecord; expiresAt: number; trust: Trust;
  proof: ResourceRecord[] | undefined;
  security: Security;
}
/** `ede` says why it failed, so a repeat answered from here tells the client the same (RFC 8914). */
interface FailureEntry { kind: 'servfail'; expiresAt: number; ede: ExtendedError }
/** The NSEC/NSEC3 records (and RRSIGs) a referral carried instead of a DS: the child is unsigned, if they verify (RFC 4035 §5.2). */
interface DelegationProofEntry { kind: 'proof'; expiresAt: number; records: ResourceRecord[] }
type Entry = RRsetEntry | NegativeEntry | FailureEntry | DelegationProofEntry;

/**
 * What the cache knows about a (name, type) for a client. TTLs are the time
 * left. `sigs` and `proof` only when asked for (lookup's `withDnssec`).
 */
export type CachedAnswer =
  | { kind: 'rrset'; records: ResourceRecord[]; security: Security; sigs?: ResourceRecord[]; proof?: ResourceRecord[] }
  | { kind: 'nxdomain' | 'nodata'; soa: ResourceRecord; security: Security; proof?: ResourceRecord[] };

/** What a resolution learnt about the DNSSEC status of an RRset: its RRSIGs, and a wildcard expansion's proof. */
export interface RRsetSignatures { sigs: readonly ResourceRecord[]; proof?: readonly ResourceRecord[] }

/** Which entry a validation verdict is for (DnsCache.setSecurity). */
export interface EntryRef { kind: 'rrset' | 'nodata' | 'nxdomain'; name: string; type: string; class: string }

// Types never contain '|', so splitting from the right keeps keys unambiguous
// whatever bytes a name holds. The empty type marks "every type" (NXDOMAIN).
const key = (name: string, type: string, klass: string): string => `${name}|${type}|${klass}`;
const nxdomainKey = (name: string, klass: string): string => `${name}||${klass}`;
const failureKey = (name: string, type: string, klass: string): string => `${name}|${type}|${klass}|!`;
const parentSideKey = (name: string, type: string, klass: string): string => `${name}|${type}|${klass}|P`;
const delegationProofKey = (name: string, klass: string): string => `${name}|DS|${klass}|N`;

export class DnsCache {
  private readonly store: LRUCache<string, Entry>;

  constructor(private readonly policy: CachePolicy, private readonly clock: Clock) {
    this.store = new LRUCache<string, Entry>({ max: policy.size });
  }

  get size(): number {
    return this.store.size;
  }

  /**
   * Stores one RRset (records sharing name, type and class; names
   * normalized). RFC 2181 §5.4.1: data never replaces unexpired data of a
   * higher rank. Returns false when nothing was stored (lower rank, or a TTL
   * of zero: such records serve the current resolution only).
   */
  putRRset(records: readonly ResourceRecord[], trust: Trust, signed?: RRsetSignatures): boolean {
    const ttl = rrsetTtl(records, this.policy);
    if (ttl === 0) return false;
    const { name, type, class: klass } = records[0];
    const k = key(name, type, klass);
    if (this.outranked(k, trust)) return false;
    const now = this.clock.now();
    // Unbound's need_to_update_rrset: validated data is not replaced by
    // unvalidated data of no higher rank while it lasts (else a spoofed
    // reply could knock a secure RRset out of the cache).
    const existing = this.store.peek(k);
    if (existing?.kind === 'rrset' && existing.security === Security.Secure && existing.expiresAt > now && existing.trust >= trust) return false;
    let expiresAt = now + ttl * 1000;
    // The "domain sale" rule (Unbound's need_to_update_rrset): the servers a
    // zone was moved away from keep sending their NS set with every answer;
    // if that refreshed its TTL, the parent's new delegation would never be
    // asked for again. The same NS set at no higher rank keeps its expiry.
    if (type === 'NS') {
      const existing = this.store.peek(k);
      if (existing?.kind === 'rrset' && existing.expiresAt > now && existing.trust >= trust && sameData(existing, records)) {
        expiresAt = Math.min(expiresAt, existing.expiresAt);
      }
    }
    this.store.set(k, rrsetEntry(records, expiresAt, trust, signed));
    // Authoritative data for the name proves it exists now.
    if (trust !== Trust.Glue) this.store.delete(nxdomainKey(name, klass));
    return true;
  }

  /**
   * Keeps a referral's NS set or glue as the parent side gave it, apart from
   * what the child says about the same names (which replaces the ordinary
   * entry): when the child's own data leads nowhere (its NS addresses are
   * wrong, its servers fail), the parent's delegation is the last resort
   * (Unbound's parent-side fallback, iterator/iter_utils.c).
   */
  putParentSide(records: readonly ResourceRecord[]): void {
    const ttl = rrsetTtl(records, this.policy);
    if (ttl === 0) return;
    const { name, type, class: klass } = records[0];
    this.store.set(parentSideKey(name, type, klass), rrsetEntry(records, this.clock.now() + ttl * 1000, Trust.Glue));
  }

  /** The parent side's copy of an NS set or glue RRset, see putParentSide. */
  getParentSide(name: string, type: string, klass: string): ResourceRecord[] | undefined {
    return this.rrsetUnder(parentSideKey(name, type, klass), name, type, klass);
  }

  /**
   * Keeps what a referral to `name` said instead of a DS RRset: the
   * NSEC/NSEC3 records denying it, unverified (the validator checks them
   * with the parent's keys before believing them). Saves a DS query per
   * insecure delegation, and some servers answer none.
   */
  putDelegationProof(name: string, klass: string, records: readonly ResourceRecord[]): void {
    const ttl = rrsetTtl(records, this.policy);
    if (ttl === 0 || records.length === 0) return;
    this.store.set(delegationProofKey(name, klass), { kind: 'proof', expiresAt: this.clock.now() + ttl * 1000, records: [...records] });
  }

  /** The referral's proof that `name` has no DS (putDelegationProof), while it lasts. */
  getDelegationProof(name: string, klass: string): ResourceRecord[] | undefined {
    const now = this.clock.now();
    const entry = this.live(delegationProofKey(name, klass), now);
    return entry?.kind === 'proof' ? withTtl(entry.records, remainingTtl(entry.expiresAt, now)) : undefined;
  }

  /**
   * RFC 2308 §5: NXDOMAIN covers every type at `name`; NODATA only `type`.
   * `proof`: the DNSSEC records that deny it (SOA RRSIGs, NSEC/NSEC3 and theirs).
   */
  putNegative(kind: 'nxdomain' | 'nodata', name: string, type: string, klass: string, soa: ResourceRecord, trust: Trust = Trust.Answer,
    proof?: readonly ResourceRecord[]): boolean {
    const ttl = negativeTtl(soa, this.policy);
    if (ttl <= 0) return false;
    const k = kind === 'nxdomain' ? nxdomainKey(name, klass) : key(name, type, klass);
    if (this.outranked(k, trust)) return false;
    this.store.set(k, {
      kind, soa: withTtl([soa], ttl)[0], expiresAt: this.clock.now() + ttl * 1000, trust,
      proof: proof && proof.length > 0 ? [...proof] : undefined, security: Security.Unchecked,
    });
    return true;
  }

  /**
   * Records a validation verdict on the entry it was reached for. `until`
   * (ms since the epoch) shortens the entry's life: a signature that expires
   * before the TTL (RFC 4035 §5.3.3), or bogus data kept only briefly.
   */
  setSecurity(ref: EntryRef, security: Security, until?: number): void {
    const k = ref.kind === 'nxdomain' ? nxdomainKey(ref.name, ref.class) : key(ref.name, ref.type, ref.class);
    const entry = this.store.peek(k);
    if (entry === undefined || entry.kind === 'servfail' || entry.kind === 'proof' || (entry.kind === 'rrset') !== (ref.kind === 'rrset')) return;
    entry.security = security;
    if (until !== undefined && until < entry.expiresAt) entry.expiresAt = until;
  }

  /** Remembers that resolving this question just failed (RFC 2308 §7.1), and why. */
  putFailure(name: string, type: string, klass: string, ede: ExtendedError): void {
    if (this.policy.servfailTtl <= 0) return;
    this.store.set(failureKey(name, type, klass), {
      kind: 'servfail', expiresAt: this.clock.now() + this.policy.servfailTtl * 1000, ede,
    });
  }

  /** Why resolving this question failed, while that failure is remembered; else undefined. */
  getFailure(name: string, type: string, klass: string): ExtendedError | undefined {
    const entry = this.live(failureKey(name, type, klass));
    return entry?.kind === 'servfail' ? entry.ede : undefined;
  }

  /**
   * Client-facing lookup: an RRset of at least Authority rank (glue is never
   * an answer, RFC 2181 §5.4.1), a NODATA, or an NXDOMAIN for the name.
   * The hit path is one LRU get plus copying the records with their TTL left.
   */
  lookup(name: string, type: string, klass: string, withDnssec = false): CachedAnswer | undefined {
    const now = this.clock.now();
    const entry = this.live(key(name, type, klass), now);
    if (entry !== undefined) {
      if (entry.kind === 'rrset') {
        if (entry.trust !== Trust.Glue) {
          const records = toRecords(name, type, klass, entry, now);
          if (!withDnssec || entry.dnssec === undefined) return { kind: 'rrset', records, security: entry.security };
          const ttl = records[0].ttl;
          return {
            kind: 'rrset', records, security: entry.security,
            sigs: entry.dnssec.sigs.map((data) => ({ name, type: 'RRSIG', class: klass, ttl, data })),
            proof: entry.dnssec.proof && withTtl(entry.dnssec.proof, ttl),
          };
        }
      } else if (entry.kind === 'nodata') {
        return negativeAnswer(entry, now, withDnssec);
      }
    }
    const nx = this.live(nxdomainKey(name, klass), now);
    if (nx?.kind === 'nxdomain') return negativeAnswer(nx, now, withDnssec);
    return undefined;
  }

  /** Resolver-internal lookup of an RRset of any rank (NS sets and addresses to find servers). */
  getRRset(name: string, type: string, klass: string): ResourceRecord[] | undefined {
    return this.rrsetUnder(key(name, type, klass), name, type, klass);
  }

  /** The unexpired RRset stored under `k`, of any rank, as records with their time left. */
  private rrsetUnder(k: string, name: string, type: string, klass: string): ResourceRecord[] | undefined {
    const now = this.clock.now();
    const entry = this.live(k, now);
    return entry?.kind === 'rrset' ? toRecords(name, type, klass, entry, now) : undefined;
  }

  private outranked(k: string, trust: Trust): boolean {
    const existing = this.store.peek(k);
    if (existing === undefined || existing.expiresAt <= this.clock.now()) return false;
    return existing.kind !== 'servfail' && existing.kind !== 'proof' && existing.trust > trust;
  }

  /** The unexpired entry under `k`; expired ones are dropped on sight. */
  private live(k: string, now = this.clock.now()): Entry | undefined {
    const entry = this.store.get(k);
    if (entry === undefined) return undefined;
    if (entry.expiresAt > now) return entry;
    this.store.delete(k);
    return undefined;
  }
}

/** The entry for one RRset: only its data, one record without an array around it. */
function rrsetEntry(records: readonly ResourceRecord[], expiresAt: number, trust: Trust, signed?: RRsetSignatures): RRsetEntry {
  const single = records.length === 1;
  const dnssec = signed && signed.sigs.length > 0
    ? { sigs: signed.sigs.map((rr) => rr.data), proof: signed.proof && signed.proof.length > 0 ? [...signed.proof] : undefined }
    : undefined;
  return {
    kind: 'rrset', one: single ? records[0].data : undefined, many: single ? undefined : records.map((rr) => rr.data), expiresAt, trust,
    dnssec, security: Security.Unchecked,
  };
}

function negativeAnswer(entry: NegativeEntry, now: number, withDnssec: boolean): CachedAnswer {
  const ttl = remainingTtl(entry.expiresAt, now);
  const soa = withTtl([entry.soa], ttl)[0];
  if (!withDnssec || entry.proof === undefined) return { kind: entry.kind, soa, security: entry.security };
  return { kind: entry.kind, soa, security: entry.security, proof: withTtl(entry.proof, ttl) };
}

/** True when `records` hold the same data as the cached entry (in any order; names are normalized). */
function sameData(entry: RRsetEntry, records: readonly ResourceRecord[]): boolean {
  const cached = entry.many ?? [entry.one];
  if (cached.length !== records.length) return false;
  const text = (d: unknown): string => (typeof d === 'string' ? d : JSON.stringify(d));
  const wanted = new Set(cached.map(text));
  return records.every((rr) => wanted.has(text(rr.data)));
}

/** The cached RRset as records carrying the time they have left. */
function toRecords(name: string, type: string, klass: string, entry: RRsetEntry, now: number): ResourceRecord[] {
  const ttl = remainingTtl(entry.expiresAt, now);
  if (entry.many === undefined) return [{ name, type, class: klass, ttl, data: entry.one! }];
  const { many } = entry;
  const records = new Array<ResourceRecord>(many.length);
  for (let i = 0; i < many.length; i++) records[i] = { name, type, class: klass, ttl, data: many[i] };
  return records;
}
