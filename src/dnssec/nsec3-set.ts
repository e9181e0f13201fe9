// The NSEC3 records of one response that a proof may use, with the hashing
// they need: records of `zone` only, of a known algorithm and flags, all
// with one parameter set (RFC 5155 §8.2), iterations within the limit
// (RFC 9276 §3.2), and every name hashed at most once, each hash charged to
// the caller's budget.

import { parentName } from '../dns/name.js';
import { bogus, insecure, type DenialContext } from './denial-result.js';
import { isStrictSubdomain, nextCloser } from './enclosers.js';
import { isDelegation } from './nsec.js';
import { isUsableNsec3, nsec3Covers, nsec3Matches, sameNsec3Parameters, type Nsec3 } from './nsec3.js';
import { memoisedNsec3Hasher } from './nsec3-hash.js';
import { RRType } from './rr-type.js';

/**
 * RFC 9276 §3.2 lets a validator treat NSEC3 records with more iterations
 * than it is willing to compute as insecure, rather than hash without end
 * or fail the zone. 150 is Unbound's default since May 2021, when it was
 * aligned with BIND, Knot and PowerDNS; signers are asked for 0 (RFC 9276
 * §3.1), so honest zones are far below it.
 */
export const NSEC3_MAX_ITERATIONS = 150;

export interface Nsec3Set {
  zone: string;
  records: readonly Nsec3[];
  /** The record whose owner is the hash of `name` (RFC 5155 §1.3 "matches"). */
  matching(name: string): Nsec3 | undefined;
  /** A record whose span strictly contains the hash of `name` (RFC 5155 §1.3 "covers"). */
  covering(name: string): Nsec3 | undefined;
}

/**
 * Selects the usable records; 'bogus' when none is left, 'insecure' when
 * their iterations exceed NSEC3_MAX_ITERATIONS (checked before any hashing).
 * With records of several parameter sets (a chain being replaced) the
 * first record's set is used and the others ignored (RFC 5155 §8.2).
 */
export function selectNsec3(all: readonly Nsec3[], zone: string, ctx: DenialContext):
  Nsec3Set | { status: 'bogus'; reason: string } | { status: 'insecure'; reason: string } {
  const usable = all.filter((n) => n.zone === zone && isUsableNsec3(n));
  const first = usable[0];
  if (!first) return bogus(`no usable NSEC3 record of ${zone}`);
  if (first.iterations > NSEC3_MAX_ITERATIONS) {
    return insecure(`NSEC3 iterations ${first.iterations} above the limit of ${NSEC3_MAX_ITERATIONS} (RFC 9276 §3.2)`);
  }
  const records = usable.filter((n) => sameNsec3Parameters(n, first));
  const hash = memoisedNsec3Hasher(first.salt, first.iterations, () => ctx.chargeHash());
  return {
    zone,
    records,
    matching: (name) => {
      const h = hash(name);
      return records.find((n) => nsec3Matches(n, h));
    },
    covering: (name) => {
      const h = hash(name);
      return records.find((n) => nsec3Covers(n, h));
    },
  };
}

export function isNsec3Set(x: Nsec3Set | { status: string }): x is Nsec3Set {
  return 'records' in x;
}

export interface ClosestEncloserProof {
  closestEncloser: string;
  /** The record covering the next closer name; its Opt-Out flag decides whether the answer is secure. */
  nextCloserCover: Nsec3;
}

/**
 * RFC 5155 §8.3: the deepest ancestor of qname with a matching NSEC3 is the
 * closest encloser candidate, and an NSEC3 must cover the next closer name
 * below it. qname itself must not match (the callers have checked), and
 * the encloser must be neither the parent side of a delegation nor a DNAME
 * (RFC 6840 §4.1): their NSEC3s cannot deny anything below them.
 */
export function proveClosestEncloser(set: Nsec3Set, qname: string): ClosestEncloserProof | { status: 'bogus'; reason: string } {
  let candidate = qname;
  let match: Nsec3 | undefined;
  while (isStrictSubdomain(candidate, set.zone)) {
    candidate = parentName(candidate);
    match = set.matching(candidate);
    if (match) break;
  }
  if (!match) return bogus(`no NSEC3 matches an ancestor of ${qname} (no closest encloser)`);
  if (isDelegation(match.types)) return bogus(`the closest encloser ${candidate} of ${qname} is a delegation`);
  if (match.types.has(RRType.DNAME)) return bogus(`the closest encloser ${candidate} of ${qname} is a DNAME`);
  const nc = nextCloser(qname, candidate);
  const cover = set.covering(nc);
  if (!cover) return bogus(`no NSEC3 covers the next closer name ${nc}`);
  return { closestEncloser: candidate, nextCloserCover: cover };
}
