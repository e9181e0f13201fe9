// Aggressive use of DNSSEC-validated cache (RFC 8198): NSEC records that
// validated as part of a secure denial prove more than the one name they
// were fetched for. Any later question for a name inside a cached NSEC's
// range (and whose wildcard a cached NSEC denies too) is answered NXDOMAIN
// from here, with no upstream query; a name that owns a cached NSEC lacking
// the type gets NODATA. This is what stops a random-subdomain flood against a
// signed zone at the resolver.
//
// NSEC only. NSEC3 ranges are hashes: synthesis would need the zone's NSEC3
// parameters and a hash per candidate encloser per query, and opt-out spans
// prove nothing (RFC 8198 §4.5 makes NSEC3 optional); left out for now.
//
// Bounded: at most MAX_ZONES zones (least recently used go first), each
// with at most MAX_PER_ZONE NSECs; entries expire with their TTL.

import { LRUCache } from 'lru-cache';
import type { Clock } from '../util/clock.js';
import { RCode, type Question, type ResourceRecord, type SoaData } from '../dns/message.js';
import { isSubdomain, normalizeName, parentName, ROOT } from '../dns/name.js';
import { typeCovered } from '../dns/scrub.js';
import { Security } from '../cache/security.js';
import type { RecursionResult } from '../resolver/recursor.js';
import { compareCanonical } from './canonical-order.js';
import { proveNodata, proveNxdomain } from './denial.js';
import { nsecClosestEncloser, parseNsec, type Nsec } from './nsec.js';
import { wildcardAt } from './enclosers.js';

const MAX_ZONES = 1_000;
const MAX_PER_ZONE = 2_000;

interface NsecEntry { nsec: Nsec; record: ResourceRecord; sigs: ResourceRecord[]; expiresAt: number }

/** One signed zone's validated NSECs in canonical order, and its SOA for the negative TTL (RFC 8198 §5.4). */
class ZoneNsecs {
  entries: NsecEntry[] = [];
  soa?: { record: ResourceRecord; sigs: ResourceRecord[]; expiresAt: number };

  add(entry: NsecEntry): void {
    const at = this.indexOf(entry.nsec.owner);
    if (at >= 0 && this.entries[at].nsec.owner === entry.nsec.owner) {
      this.entries[at] = entry;
      return;
    }
    if (this.entries.length >= MAX_PER_ZONE) this.entries.splice(0, 1);
    this.entries.splice(at + 1, 0, entry);
  }

  /** Index of the last entry whose owner sorts at or before `name` (-1: none). */
  indexOf(name: string): number {
    let lo = 0;
    let hi = this.entries.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (compareCanonical(this.entries[mid].nsec.owner, name) <= 0) {
        found = mid;
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    return found;
  }

  /** The live NSEC whose owner is the closest at or before `name` (wrapping to the last one, which may cover names past it). */
  around(name: string, now: number): NsecEntry | undefined {
    const at = this.indexOf(name);
    const entry = this.entries[at >= 0 ? at : this.entries.length - 1];
    return entry && entry.expiresAt > now ? entry : undefined;
  }
}

export class AggressiveNsec {
  private readonly zones = new LRUCache<string, ZoneNsecs>({ max: MAX_ZONES });

  constructor(private readonly clock: Clock) {}

  /**
   * Keeps the NSEC records (with their RRSIGs) and the SOA of a denial that
   * validated as secure in `zone`. `ttl` caps how long (RFC 8198 §5.4:
   * no longer than the negative TTL the SOA allows).
   */
  remember(zone: string, soa: ResourceRecord, proof: readonly ResourceRecord[], verified: readonly ResourceRecord[], ttl: number): void {
    const nsecs = verified.filter((rr) => rr.type === 'NSEC' && isSubdomain(rr.name, zone));
    if (nsecs.length === 0 || ttl <= 0) return;
    const negativeTtl = Math.min(ttl, soa.ttl, (soa.data as SoaData).minimum);
    const expiresAt = this.clock.now() + negativeTtl * 1000;
    let nsecsOfZone = this.zones.get(zone);
    if (!nsecsOfZone) {
      nsecsOfZone = new ZoneNsecs();
      this.zones.set(zone, nsecsOfZone);
    }
    const sigsOf = (rr: ResourceRecord) => proof.filter((s) => s.type === 'RRSIG' && s.name === rr.name && typeCovered(s) === rr.type);
    nsecsOfZone.soa = { record: soa, sigs: sigsOf(soa), expiresAt };
    for (const record of nsecs) {
      const nsec = parseNsec(record);
      if (nsec) nsecsOfZone.add({ nsec, record, sigs: sigsOf(record), expiresAt: Math.min(expiresAt, this.clock.now() + record.ttl * 1000) });
    }
  }

  /**
   * A secure NXDOMAIN or NODATA for `question` synthesised from cached
   * NSECs (RFC 8198 §5.1, §5.2), or undefined when they do not prove one.
   */
  answer(question: Question): RecursionResult | undefined {
    if (this.zones.size === 0) return undefined;
    const name = normalizeName(question.name);
    const found = this.zoneOf(name);
    if (!found) return undefined;
    const [zone, nsecs] = found;
    const now = this.clock.now();
    const soa = nsecs.soa;
    if (!soa || soa.expiresAt <= now) return undefined;
    const near = nsecs.around(name, now);
    if (!near) return undefined;
    // Hash work never happens here (NSEC only); the proofs are the same code the validator uses.
    const noHashes = { chargeHash: () => undefined };
    const used = [near];
    let rcode: number = RCode.NOERROR;
    if (near.nsec.owner === name) {
      if (proveNodata(name, question.type, [near.record], zone, noHashes).status !== 'proven') return undefined;
    } else {
      const wildcard = nsecs.around(wildcardAt(nsecClosestEncloser(near.nsec, name)), now);
      if (!wildcard) return undefined;
      if (wildcard !== near) used.push(wildcard);
      if (proveNxdomain(name, used.map((e) => e.record), zone, noHashes).status !== 'proven') return undefined;
      rcode = RCode.NXDOMAIN;
    }
    const ttl = Math.floor((Math.min(soa.expiresAt, ...used.map((e) => e.expiresAt)) - now) / 1000);
    if (ttl <= 0) return undefined;
    const withTtl = (rr: ResourceRecord): ResourceRecord => ({ ...rr, ttl });
    return {
      rcode, answers: [], authorities: [withTtl(soa.record)], security: Security.Secure,
      proof: [...soa.sigs, ...used.flatMap((e) => [e.record, ...e.sigs])].map(withTtl),
    };
  }

  /** The deepest zone at or above `name` with cached NSECs. */
  private zoneOf(name: string): [string, ZoneNsecs] | undefined {
    for (let n = name; ; n = parentName(n)) {
      const nsecs = this.zones.get(n);
      if (nsecs) return [n, nsecs];
      if (n === ROOT) return undefined;
    }
  }
}
