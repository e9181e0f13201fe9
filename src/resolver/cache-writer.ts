// What the resolver learnt from a reply goes into the cache here, and comes
// back with the TTLs a client should see: the same policy the cache applies,
// so a fresh answer and the next cache hit agree (RFC 1035 §3.2.1: TTL 0
// records still answer the query that fetched them, they are just not kept).

import { groupRRsets, type ResourceRecord } from '../dns/message.js';
import { isSynthesisedCname, type DnssecRecords } from '../dns/scrub.js';
import type { DnsCache } from '../cache/dns-cache.js';
import { denialProof, isWildcardExpansion, sigsOver } from './dnssec-material.js';
import type { Trust } from '../cache/trust.js';
import { negativeTtl, rrsetTtl, withTtl, type TtlPolicy } from '../cache/ttl-policy.js';

export class CacheWriter {
  constructor(private readonly cache: DnsCache, private readonly policy: TtlPolicy) {}

  /**
   * Stores each RRset in `records` at `trust`, with its RRSIGs from `dnssec`
   * (and for a wildcard expansion the proof beside it); returns them with
   * their cache TTL.
   */
  rrsets(records: readonly ResourceRecord[], trust: Trust, dnssec?: DnssecRecords): ResourceRecord[] {
    const out: ResourceRecord[] = [];
    for (const set of groupRRsets([...records])) {
      // A CNAME synthesised from a DNAME is made again from the cached DNAME (cache-walk.ts).
      if (isSynthesisedCname(set[0])) {
        out.push(...set);
        continue;
      }
      const sigs = dnssec ? sigsOver(set, dnssec.sigs) : [];
      const proof = sigs.some(isWildcardExpansion) ? denialProof(undefined, dnssec!) : undefined;
      this.cache.putRRset(set, trust, sigs.length > 0 ? { sigs, proof } : undefined);
      out.push(...withTtl(set, rrsetTtl(set, this.policy)));
    }
    return out;
  }

  /** Stores a referral's NS set or glue as the parent's copy too (DnsCache.putParentSide). */
  parentSide(records: readonly ResourceRecord[]): void {
    for (const set of groupRRsets([...records])) this.cache.putParentSide(set);
  }

  /**
   * Stores an NXDOMAIN or NODATA (RFC 2308 §5: only with the SOA that gives
   * its TTL) and returns that SOA carrying the negative TTL.
   */
  negative(kind: 'nxdomain' | 'nodata', name: string, type: string, klass: string, soa: ResourceRecord | undefined, trust: Trust,
    proof?: readonly ResourceRecord[]): ResourceRecord | undefined {
    if (!soa) return undefined;
    this.cache.putNegative(kind, name, type, klass, soa, trust, proof);
    return withTtl([soa], negativeTtl(soa, this.policy))[0];
  }
}
