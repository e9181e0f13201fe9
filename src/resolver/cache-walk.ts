// Answering from the cache alone, following cached CNAMEs (RFC 1034 §4.3.2
// step 3a applies to cached aliases too).

import type { ResourceRecord } from '../dns/message.js';
import { parentName, replaceSuffix, ROOT } from '../dns/name.js';
import type { CachedAnswer, DnsCache } from '../cache/dns-cache.js';

export interface CacheWalk {
  /** CNAME records followed, TTLs as remaining cache time. */
  chain: ResourceRecord[];
  /** The last name reached: the one answered, or the first one the cache cannot answer. */
  name: string;
  /** What the cache holds for `name`, if anything. */
  answer?: CachedAnswer;
}

/**
 * Follows cached CNAMEs from `name` for at most `maxHops`, stopping at a
 * repeated name (the caller, which keeps the chain, reports the loop).
 */
export function walkCache(cache: DnsCache, name: string, type: string, klass: string, maxHops: number): CacheWalk {
  const chain: ResourceRecord[] = [];
  const seen = new Set<string>([name]);
  for (;;) {
    const answer = cache.lookup(name, type, klass);
    if (answer) return { chain, name, answer };
    if (type === 'CNAME' || type === 'ANY' || chain.length >= maxHops) return { chain, name };
    const alias = cache.lookup(name, 'CNAME', klass);
    if (alias?.kind !== 'rrset') return { chain, name };
    const cname = alias.records[0];
    // A CNAME synthesised from a DNAME (RFC 6672 §3.4) is answered with that DNAME, as it was the first time.
    const dname = dnameBehind(cache, name, cname.data as string, klass);
    if (dname && !chain.some((rr) => rr.type === 'DNAME' && rr.name === dname.name)) chain.push(dname);
    chain.push(cname);
    name = cname.data as string;
    if (seen.has(name)) return { chain, name };
    seen.add(name);
  }
}

/** The cached DNAME at an ancestor of `name` that turns `name` into `target`, if any. */
function dnameBehind(cache: DnsCache, name: string, target: string, klass: string): ResourceRecord | undefined {
  for (let owner = parentName(name); ; owner = parentName(owner)) {
    const found = cache.lookup(owner, 'DNAME', klass);
    if (found?.kind === 'rrset') {
      const rr = found.records[0];
      return replaceSuffix(name, owner, rr.data as string) === target ? rr : undefined;
    }
    if (owner === ROOT) return undefined;
  }
}
