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
    if (type === 'ANY' || chain.length >= maxHops) return { chain, name, sigs, proof, security };
    // RFC 6672 §3.4: a cached DNAME above the name implies its CNAME, made
    // here each time (the cache never keeps a synthesised CNAME on its own).
    const dname = dnameAbove(cache, name, klass, withDnssec);
    let cname: ResourceRecord;
    if (dname) {
      const owner = dname.records[0];
      const target = replaceSuffix(name, owner.name, owner.data as string);
      // RFC 6672 §2.2: too long a result is YXDOMAIN, which the servers say.
      if (target.length > MAX_NAME_TEXT) return { chain, name, sigs, proof, security };
      if (!chain.some((rr) => rr.type === 'DNAME' && rr.name === owner.name)) {
        chain.push(owner);
        if (dname.sigs) sigs.push(...dname.sigs);
      }
      // The synthesised CNAME is as good as its DNAME (RFC 6672 §5.3.2: it is never signed).
      security = weakest(security, dname.security);
      cname = { name, type: 'CNAME', class: klass, ttl: owner.ttl, data: target };
      // Asked for the CNAME itself: the synthesised one is the answer.
      if (type === 'CNAME') return { chain, name, answer: { kind: 'rrset', records: [cname], security: dname.security }, sigs, proof, security };
    } else {
      if (type === 'CNAME') return { chain, name, sigs, proof, security };
      const alias = cache.lookup(name, 'CNAME', klass, withDnssec);
      if (alias?.kind !== 'rrset') return { chain, name, sigs, proof, security };
      cname = alias.records[0];
      security = weakest(security, alias.security);
      if (alias.sigs) sigs.push(...alias.sigs);
      if (alias.proof) proof.push(...alias.proof);
    }
    chain.push(cname);
    name = cname.data as string;
    if (seen.has(name)) return { chain, name, sigs, proof, security };
    seen.add(name);
  }
}

/** RFC 1035 §2.3.4: a name is at most 255 octets on the wire (about 253 characters in text). */
const MAX_NAME_TEXT = 253;

/** The cached DNAME owned by a strict ancestor of `name`, the deepest first (RFC 6672 §2.3). */
function dnameAbove(cache: DnsCache, name: string, klass: string, withDnssec: boolean): Extract<CachedAnswer, { kind: 'rrset' }> | undefined {
  if (name === ROOT) return undefined;
  for (let owner = parentName(name); ; owner = parentName(owner)) {
    const found = cache.lookup(owner, 'DNAME', klass, withDnssec);
    if (found?.kind === 'rrset') return found;
    if (owner === ROOT) return undefined;
  }
}
