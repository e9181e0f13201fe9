// Answering from the cache alone, following cached CNAMEs (RFC 1034 §4.3.2
// step 3a applies to cached aliases too).

import type { ResourceRecord } from '../dns/message.js';
import { parentName, replaceSuffix, ROOT } from '../dns/name.js';
import type { CachedAnswer, DnsCache } from '../cache/dns-cache.js';
import { Security, weakest } from '../cache/security.js';

export interface CacheWalk {
  /** CNAME records followed, TTLs as remaining cache time. */
  chain: ResourceRecord[];
  /** The last name reached: the one answered, or the first one the cache cannot answer. */
  name: string;
  /** What the cache holds for `name`, if anything. */
  answer?: CachedAnswer;
  /** With `withDnssec`: the RRSIGs over `chain` (those of `answer` are in it). */
  sigs: ResourceRecord[];
  /** With `withDnssec`: the wildcard proofs of the chain's links (RFC 4035 §5.3.4). */
  proof: ResourceRecord[];
  /** The lowest security status of the chain's RRsets (Security.Secure for no chain). */
  security: Security;
}

/**
 * Follows cached CNAMEs from `name` for at most `maxHops`, stopping at a
 * repeated name (the caller, which keeps the chain, reports the loop).
 */
export function walkCache(cache: DnsCache, name: string, type: string, klass: string, maxHops: number, withDnssec = false): CacheWalk {
  const chain: ResourceRecord[] = [];
  const sigs: ResourceRecord[] = [];
  const proof: ResourceRecord[] = [];
  let security: Security = Security.Secure;
  const seen = new Set<string>([name]);
  for (;;) {
    const answer = cache.lookup(name, type, klass, withDnssec);
    if (answer) return { chain, name, answer, sigs, proof, security };
    if (type === 'CNAME' || type === 'ANY' || chain.length >= maxHops) return { chain, name, sigs, proof, security };
    const alias = cache.lookup(name, 'CNAME', klass, withDnssec);
    if (alias?.kind !== 'rrset') return { chain, name, sigs, proof, security };
    const cname = alias.records[0];
    // A CNAME synthesised from a DNAME (RFC 6672 §3.4) is answered with that DNAME, as it was the first time.
    const dname = dnameBehind(cache, name, cname.data as string, klass, withDnssec);
    if (dname && !chain.some((rr) => rr.type === 'DNAME' && rr.name === dname.answer.records[0].name)) {
      chain.push(dname.answer.records[0]);
      if (dname.answer.sigs) sigs.push(...dname.answer.sigs);
      // The synthesised CNAME is as good as its DNAME (RFC 6672 §5.3.2: it is never signed).
      security = weakest(security, dname.answer.security);
    } else {
      security = weakest(security, alias.security);
    }
    chain.push(cname);
    if (alias.sigs) sigs.push(...alias.sigs);
    if (alias.proof) proof.push(...alias.proof);
    name = cname.data as string;
    if (seen.has(name)) return { chain, name, sigs, proof, security };
    seen.add(name);
  }
}

/** The cached DNAME at an ancestor of `name` that turns `name` into `target`, if any. */
function dnameBehind(cache: DnsCache, name: string, target: string, klass: string, withDnssec: boolean):
  { answer: Extract<CachedAnswer, { kind: 'rrset' }> } | undefined {
  for (let owner = parentName(name); ; owner = parentName(owner)) {
    const found = cache.lookup(owner, 'DNAME', klass, withDnssec);
    if (found?.kind === 'rrset') {
      const rr = found.records[0];
      return replaceSuffix(name, owner, rr.data as string) === target ? { answer: found } : undefined;
    }
    if (owner === ROOT) return undefined;
  }
}
