// How long the cache may keep what upstream told us. Times are stored as
// absolute expiry (ms since the epoch, from the injected Clock) and turned
// back into a TTL when records leave the cache (STYLE.md "time is an argument").

import type { ResourceRecord, SoaData } from '../dns/message.js';

export interface TtlPolicy {
  /** Seconds; raises short TTLs (default 0: honour the zone owner's TTL). */
  minTtl: number;
  /** Seconds; caps long TTLs (default 86,400, one day). */
  maxTtl: number;
  /** Seconds; caps how long NXDOMAIN/NODATA are kept (default 3,600, RFC 2308 §5 suggests 1-3 h). */
  maxNegativeTtl: number;
}

/**
 * TTL of an RRset in seconds: the lowest of its records (RFC 2181 §5.2 makes
 * differing TTLs in one RRset an error; the lowest is the safe reading),
 * clamped to [minTtl, maxTtl]. Zero means "use now, do not cache" (RFC 1035 §3.2.1).
 */
export function rrsetTtl(records: readonly ResourceRecord[], policy: TtlPolicy): number {
  let ttl = Infinity;
  for (const rr of records) if (rr.ttl < ttl) ttl = rr.ttl;
  if (ttl === Infinity) return 0;
  return Math.min(policy.maxTtl, Math.max(policy.minTtl, ttl));
}

/** RFC 2308 §5: negative TTL = min(SOA TTL, SOA MINIMUM), capped by maxNegativeTtl. */
export function negativeTtl(soa: ResourceRecord, policy: TtlPolicy): number {
  const minimum = (soa.data as SoaData).minimum;
  return Math.min(soa.ttl, minimum, policy.maxNegativeTtl);
}

/**
 * Seconds left before `expiresAt`, rounded down so we never promise a client
 * more time than the cache itself will keep the data.
 */
export function remainingTtl(expiresAt: number, now: number): number {
  return Math.max(0, Math.floor((expiresAt - now) / 1000));
}

/** Copies of `records` carrying `ttl`. */
export function withTtl(records: readonly ResourceRecord[], ttl: number): ResourceRecord[] {
  const out = new Array<ResourceRecord>(records.length);
  for (let i = 0; i < records.length; i++) {
    const rr = records[i];
    out[i] = { name: rr.name, type: rr.type, class: rr.class, ttl, data: rr.data };
  }
  return out;
}
