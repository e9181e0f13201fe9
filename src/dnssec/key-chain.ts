// The chain of trust (RFC 4035 §5.1, §5.2): from a trust anchor down to the
// zone that signed an answer, one DS and one DNSKEY RRset per zone cut, each
// checked with the keys of the zone above. What it learns per zone (its
// trusted keys, or that it is insecure or bogus) is kept in a key cache, as
// Unbound's key cache, so the walk is done once per zone and TTL.
//
// The walk goes down one label at a time (as Unbound's validator does when
// it looks for the signer's keys): a DS query for each name between the
// deepest known zone and the target either finds a signed DS (a secure cut),
// proves there is none at a cut (an insecure delegation, RFC 4035 §5.2), or
// proves the name is no cut at all (keep going). DS and DNSKEY RRsets are
// fetched through the caching recursor, so they are cached like any answer.

import { LRUCache } from 'lru-cache';
import type { Clock } from '../util/clock.js';
import { EdeCode, type ExtendedError } from '../dns/ede.js';
import { RCode, type Question, type ResourceRecord } from '../dns/message.js';
import { isSubdomain, labels, parentName, ROOT } from '../dns/name.js';
import type { RecursionResult } from '../resolver/recursor.js';
import type { ValidationBudget } from '../resolver/budget.js';
import { proveNoDs } from './denial.js';
import { keysMatchingDs, supportedDsSet } from './supported-ds.js';
import { parseDnskey } from './dnssec-rdata.js';
import { isSupportedAlgorithm } from './algorithms.js';
import { verifyRrset } from './verify-rrsig.js';
import { bogusEde, verifiedProof } from './verdicts.js';
import type { TrustAnchors } from './anchors.js';

export type KeyEntry =
  /** `keys`: the zone's DNSKEY RRset, validated. */
  | { status: 'secure'; zone: string; keys: ResourceRecord[] }
  /** Below an insecure delegation, an unsupported algorithm, a negative trust anchor or no anchor at all. */
  | { status: 'insecure'; zone: string; reason: string }
  | { status: 'bogus'; zone: string; ede: ExtendedError; reason: string };

/**
 * How the key chain asks for DS and DNSKEY RRsets: the caching recursor,
 * DNSSEC records included. `avoid`: fetch again from upstream, from servers
 * other than these (they sent what failed to verify).
 */
export type KeyFetcher = (question: Question, avoid?: readonly string[]) => Promise<RecursionResult>;

export interface KeyChainDeps {
  fetch: KeyFetcher;
  anchors: TrustAnchors;
  clock: Clock;
  /** Seconds a bogus or failed key entry is kept before trying again (Unbound's val-bogus-ttl). */
  bogusTtl: number;
  /** Most zones whose verdict is kept. */
  size?: number;
  /** What a referral to `name` carried instead of a DS (NSEC/NSEC3 and RRSIGs, unverified), if cached. */
  delegationProof?: (name: string) => ResourceRecord[] | undefined;
}

interface Kept { entry: KeyEntry; expiresAt: number }

/** A DS RRset's verdict for the name one label below a secure zone. */
type DsStep =
  | { kind: 'secure-ds'; ds: ResourceRecord[]; ttl: number }
  | { kind: 'insecure'; reason: string; ttl: number }
  | { kind: 'no-cut' }
  | { kind: 'bogus'; ede: ExtendedError; reason: string };

/** The most labels a name has (127 in 255 octets): bounds the walk down. */
const MAX_LABELS = 127;

/** Fresh fetches of a DS or DNSKEY RRset that failed to verify (the validating recursor allows answers as many). */
const MAX_REFETCHES = 2;

export class KeyChain {
  private readonly kept: LRUCache<string, Kept>;

  constructor(private readonly deps: KeyChainDeps) {
    this.kept = new LRUCache<string, Kept>({ max: deps.size ?? 10_000 });
  }

  /**
   * The keys of the deepest zone at or above `target` that the walk from the
   * anchor reaches: `target`'s own zone when `target` is a zone apex, else
   * the zone `target` lies in (as far as DS queries show). Never throws but
   * the budget's error.
   */
  async forName(target: string, budget: ValidationBudget): Promise<KeyEntry> {
    const { anchors } = this.deps;
    const nta = anchors.negativeAnchorFor(target);
    if (nta !== undefined) return { status: 'insecure', zone: nta, reason: `negative trust anchor ${nta}` };
    const anchorZone = anchors.closestAnchor(target);
    if (anchorZone === undefined) return { status: 'insecure', zone: ROOT, reason: 'no trust anchor above this name' };

    let entry = this.closestKept(target, anchorZone);
    if (entry === undefined) {
      entry = await this.anchorKeys(anchorZone, budget);
    }
    let at = entry.zone;
    for (let steps = 0; entry.status === 'secure' && at !== target && steps < MAX_LABELS; steps++) {
      const next = childToward(at, target);
      const step = await this.dsStep(next, entry, budget);
      switch (step.kind) {
        case 'no-cut':
          at = next;
          break;
        case 'insecure':
          return this.keep({ status: 'insecure', zone: next, reason: step.reason }, step.ttl);
        case 'bogus':
          return this.keepBogus({ status: 'bogus', zone: next, ede: step.ede, reason: step.reason });
        case 'secure-ds':
          entry = await this.zoneKeys(next, step.ds, step.ttl, budget);
          at = next;
          break;
      }
    }
    return entry;
  }

  /** Forgets every zone's verdict (the cache was flushed, anchors changed). */
  clear(): void {
    this.kept.clear();
  }

  /** The deepest kept verdict between `target` and `anchorZone`. */
  private closestKept(target: string, anchorZone: string): KeyEntry | undefined {
    const now = this.deps.clock.now();
    for (let name = target; ; name = parentName(name)) {
      const kept = this.kept.get(name);
      if (kept !== undefined) {
        if (kept.expiresAt > now) return kept.entry;
        this.kept.delete(name);
      }
      if (name === anchorZone || name === ROOT) return undefined;
    }
  }

  /** The anchor zone's DNSKEY RRset, checked against the configured DS or DNSKEY anchors (RFC 4035 §5). */
  private async anchorKeys(zone: string, budget: ValidationBudget): Promise<KeyEntry> {
    const { anchors } = this.deps;
    const ds = anchors.dsFor(zone);
    const dnskeys = anchors.dnskeysFor(zone);
    if (ds.length > 0 && supportedDsSet(ds).length === 0 && dnskeys.length === 0) {
      return this.keep({ status: 'insecure', zone, reason: 'the trust anchor uses only unsupported algorithms or digests' }, 3600);
    }
    return this.zoneKeys(zone, ds, Infinity, budget, dnskeys);
  }

  /**
   * Fetches `zone`'s DNSKEY RRset and trusts it when a key that one of `ds`
   * (or one of the anchored `trustedKeys`) authenticates signs it
   * (RFC 4035 §5.2). `dsTtl` caps how long the verdict is kept.
   */
  private async zoneKeys(zone: string, ds: ResourceRecord[], dsTtl: number, budget: ValidationBudget,
    trustedKeys: ResourceRecord[] = []): Promise<KeyEntry> {
    return this.fetchChecked({ name: zone, type: 'DNSKEY', class: 'IN' }, budget,
      (result) => this.checkZoneKeys(zone, result, ds, dsTtl, budget, trustedKeys), (entry) => entry.status === 'bogus');
  }

  /**
   * Fetches `question` and checks it; bogus key material may be one
   * server's fault (or a cached copy's), so it is fetched again from
   * upstream, each time avoiding every server that sent a bogus copy, as
   * Unbound's validator does, at most MAX_REFETCHES times.
   */
  private async fetchChecked<T>(question: Question, budget: ValidationBudget,
    check: (result: RecursionResult) => T, isBogus: (value: T) => boolean): Promise<T> {
    budget.chargeKeyFetch();
    let result = await this.deps.fetch(question);
    let value = check(result);
    const avoid = new Set<string>();
    for (let refetch = 0; isBogus(value) && refetch < MAX_REFETCHES; refetch++) {
      const known = avoid.size;
      for (const server of result.servers ?? []) avoid.add(server);
      // The first refetch replaces a cached copy even when its servers are unknown; after that, only new servers are worth asking.
      if (refetch > 0 && avoid.size === known) break;
      budget.chargeKeyFetch();
      result = await this.deps.fetch(question, [...avoid]);
      value = check(result);
    }
    return value;
  }

  private checkZoneKeys(zone: string, result: RecursionResult, ds: ResourceRecord[], dsTtl: number, budget: ValidationBudget,
    trustedKeys: ResourceRecord[]): KeyEntry {
    const dnskeys = result.rcode === RCode.NOERROR ? result.answers.filter((rr) => rr.type === 'DNSKEY' && rr.name === zone) : [];
    if (dnskeys.length === 0) {
      return this.keepBogus({
        status: 'bogus', zone, reason: `no DNSKEY RRset for ${zone}`,
        ede: { code: EdeCode.DnskeyMissing, text: `no DNSKEY for ${zone}` },
      });
    }
    const anchoredKeys = dnskeys.filter((key) => trustedKeys.some((t) => Buffer.compare(t.data as Buffer, key.data as Buffer) === 0));
    const entryKeys = [...keysMatchingDs(ds, dnskeys), ...anchoredKeys];
    if (entryKeys.length === 0) {
      // RFC 4035 §5.2: when the DS (or anchor) uses no supported algorithm,
      // the zone is treated as insecure; otherwise a missing key is bogus.
      if (!ds.some((d) => supportedDsSet([d]).length > 0) && trustedKeys.every((k) => !isSupportedAlgorithm(parseDnskey(k.data)?.algorithm ?? 0))) {
        return this.keep({ status: 'insecure', zone, reason: 'DS records of unsupported algorithms or digest types only' }, ttlOf(dnskeys, dsTtl));
      }
      return this.keepBogus({
        status: 'bogus', zone, reason: `no DNSKEY of ${zone} matches its DS`,
        ede: { code: EdeCode.DnskeyMissing, text: `no DNSKEY of ${zone} matches the DS of its parent` },
      });
    }
    const verdict = verifyRrset(dnskeys, result.signatures ?? [], zone, entryKeys, this.signatureContext(budget));
    if (!verdict.ok) {
      return this.keepBogus({ status: 'bogus', zone, reason: `DNSKEY RRset of ${zone}: ${verdict.text}`, ede: bogusEde(verdict.reason, `DNSKEY ${zone}: ${verdict.text}`) });
    }
    return this.keep({ status: 'secure', zone, keys: dnskeys }, Math.min(verdict.ttl, dsTtl));
  }

  /** What the DS RRset at `name` (one label below the secure zone of `above`) says. */
  private async dsStep(name: string, above: Extract<KeyEntry, { status: 'secure' }>, budget: ValidationBudget): Promise<DsStep> {
    // RFC 4035 §5.2: the referral itself may already prove the child unsigned.
    const fromReferral = this.deps.delegationProof?.(name);
    if (fromReferral) {
      const proof = verifiedProof(fromReferral, above.zone, above.keys, this.signatureContext(budget));
      const absence = proveNoDs(name, proof.records, above.zone, { chargeHash: () => budget.chargeHash() });
      if (absence.status === 'insecure-delegation') return { kind: 'insecure', reason: `${name} is an insecure delegation (no DS, proven in the referral)`, ttl: proof.ttl };
      if (absence.status === 'insecure') return { kind: 'insecure', reason: `${name}: ${absence.reason}`, ttl: proof.ttl };
      // Anything else: ask for the DS itself.
    }
    return this.fetchChecked({ name, type: 'DS', class: 'IN' }, budget,
      (result) => this.checkDs(name, result, above, budget), (step) => step.kind === 'bogus');
  }

  /** What the fetched DS RRset (or its denial) at `name` says, checked with the keys of `above`. */
  private checkDs(name: string, result: RecursionResult, above: Extract<KeyEntry, { status: 'secure' }>, budget: ValidationBudget): DsStep {
    const context = this.signatureContext(budget);
    // NXDOMAIN for a name above the target: a server that answers NXDOMAIN
    // for an empty non-terminal (RFC 8020 says it must not). The target's own
    // DS, if any, must still verify with the keys of the zone above, so going
    // on down cannot make anything look secure that is not.
    if (result.rcode === RCode.NXDOMAIN) return { kind: 'no-cut' };
    if (result.rcode !== RCode.NOERROR) {
      return {
        kind: 'bogus', reason: `the DS of ${name} could not be fetched (${result.ede?.text ?? `RCODE ${result.rcode}`})`,
        ede: { code: EdeCode.DnssecBogus, text: `no answer for the DS of ${name}` },
      };
    }
    const ds = result.answers.filter((rr) => rr.type === 'DS' && rr.name === name);
    // An alias: no zone cut can be here (RFC 2181 §10.1). Walk on, as after
    // an NXDOMAIN: a deeper signer's DS must still verify with these keys.
    if (ds.length === 0 && result.answers.some((rr) => rr.name === name && (rr.type === 'CNAME' || rr.type === 'DNAME'))) return { kind: 'no-cut' };
    if (ds.length > 0) {
      const verdict = verifyRrset(ds, result.signatures ?? [], above.zone, above.keys, context);
      if (!verdict.ok) return { kind: 'bogus', reason: `DS of ${name}: ${verdict.text}`, ede: bogusEde(verdict.reason, `DS ${name}: ${verdict.text}`) };
      const usable = supportedDsSet(ds);
      if (usable.length === 0) return { kind: 'insecure', reason: `the DS of ${name} uses only unsupported algorithms or digest types`, ttl: verdict.ttl };
      return { kind: 'secure-ds', ds: usable, ttl: verdict.ttl };
    }
    // NODATA: the zone above must prove that there is no DS (RFC 4035 §5.2).
    const proof = verifiedProof(result.proof ?? [], above.zone, above.keys, context);
    const absence = proveNoDs(name, proof.records, above.zone, { chargeHash: () => budget.chargeHash() });
    const ttl = result.authorities[0]?.ttl ?? 0;
    switch (absence.status) {
      case 'insecure-delegation':
        return { kind: 'insecure', reason: `${name} is an insecure delegation (no DS, proven)`, ttl };
      case 'insecure':
        return { kind: 'insecure', reason: `${name}: ${absence.reason}`, ttl };
      case 'no-delegation':
        return { kind: 'no-cut' };
      case 'bogus':
        return {
          kind: 'bogus', reason: `no proof that ${name} has no DS: ${proof.problem ?? absence.reason}`,
          ede: { code: EdeCode.NsecMissing, text: `no valid proof that ${name} has no DS` },
        };
    }
  }

  private signatureContext(budget: ValidationBudget) {
    return { now: Math.floor(this.deps.clock.now() / 1000), chargeVerification: () => budget.chargeVerification() };
  }

  private keep(entry: KeyEntry, ttlSeconds: number): KeyEntry {
    const ttl = Number.isFinite(ttlSeconds) ? ttlSeconds : 3600;
    if (ttl > 0) this.kept.set(entry.zone, { entry, expiresAt: this.deps.clock.now() + ttl * 1000 });
    return entry;
  }

  private keepBogus(entry: KeyEntry): KeyEntry {
    return this.keep(entry, this.deps.bogusTtl);
  }
}

/** `target`'s ancestor one label below `zone` (which is an ancestor of `target`). */
export function childToward(zone: string, target: string): string {
  const all = labels(target);
  const depth = zone === ROOT ? 0 : labels(zone).length;
  return all.slice(all.length - depth - 1).join('.');
}

function ttlOf(records: ResourceRecord[], cap: number): number {
  return Math.min(cap, ...records.map((rr) => rr.ttl));
}

/** True when `name` is `zone` or below it: for callers that check a verdict's reach. */
export function covers(entry: KeyEntry, name: string): boolean {
  return isSubdomain(name, entry.zone);
}
