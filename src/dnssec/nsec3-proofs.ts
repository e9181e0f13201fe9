// Proofs over the NSEC3 records of one response (RFC 5155 §8.4-§8.9), on a
// set already narrowed to one zone and one parameter set (nsec3-set.ts).
// Where the next closer name falls in an Opt-Out span, an unsigned
// delegation may exist there (RFC 5155 §6), so the result is 'insecure'
// rather than 'proven' (RFC 5155 §9.2: no AD bit).

import { ROOT, isSubdomain } from '../dns/name.js';
import { bogus, insecure, proven, type DenialResult, type DsAbsence } from './denial-result.js';
import { isStrictSubdomain, nextCloser, wildcardAt } from './enclosers.js';
import { isDelegation } from './nsec.js';
import type { Nsec3 } from './nsec3.js';
import { proveClosestEncloser, type Nsec3Set } from './nsec3-set.js';
import { RRType } from './rr-type.js';

/** RFC 5155 §8.4: a closest encloser proof, and an NSEC3 covering the wildcard at the closest encloser. */
export function nsec3Nxdomain(qname: string, set: Nsec3Set): DenialResult {
  if (!isStrictSubdomain(qname, set.zone)) return bogus(`${qname} is not below the zone ${set.zone}`);
  if (set.matching(qname)) return bogus(`an NSEC3 matches ${qname}: it exists`);
  const ce = proveClosestEncloser(set, qname);
  if ('status' in ce) return ce;
  const wildcard = wildcardAt(ce.closestEncloser);
  if (set.matching(wildcard)) return bogus(`the wildcard ${wildcard} exists`);
  if (!set.covering(wildcard)) return bogus(`no NSEC3 covers the wildcard ${wildcard}`);
  if (ce.nextCloserCover.optOut) return optOut(nextCloser(qname, ce.closestEncloser));
  return proven(ce.closestEncloser);
}

/**
 * NODATA: an NSEC3 matching qname lacks qtype and CNAME (RFC 5155 §8.5,
 * §8.6; RFC 6840 §4.3) — this includes empty non-terminals, which have
 * their own NSEC3 (RFC 5155 §7.1); or a closest encloser proof and an NSEC3
 * at the wildcard lacking them (§8.7); or, for DS only, a closest encloser
 * proof whose next closer name is in an Opt-Out span (§8.6).
 */
export function nsec3Nodata(qname: string, qtype: number, set: Nsec3Set): DenialResult {
  if (!isSubdomain(qname, set.zone)) return bogus(`${qname} is not in the zone ${set.zone}`);
  if (qtype === RRType.DS && qname === set.zone && qname !== ROOT) {
    return bogus(`DS at ${qname} must be denied by the parent zone, not by ${set.zone} itself`);
  }
  const match = set.matching(qname);
  if (match) return typeDenial(match, qname, qtype) ?? proven();
  if (!isStrictSubdomain(qname, set.zone)) return bogus(`no NSEC3 matches ${qname}`);
  const ce = proveClosestEncloser(set, qname);
  if ('status' in ce) return ce;
  const wildcard = wildcardAt(ce.closestEncloser);
  const atWildcard = set.matching(wildcard);
  if (atWildcard) {
    const wrong = typeDenial(atWildcard, wildcard, qtype);
    if (wrong) return wrong;
    if (ce.nextCloserCover.optOut) return optOut(nextCloser(qname, ce.closestEncloser));
    return proven(ce.closestEncloser);
  }
  // RFC 5155 §8.6 for DS, and as Unbound for any type (val_nsec3.c,
  // nsec3_do_prove_nodata): a name under an Opt-Out span may be an unsigned
  // delegation whose parent answered for it; nothing can be proven: insecure.
  if (ce.nextCloserCover.optOut) return optOut(nextCloser(qname, ce.closestEncloser));
  if (qtype === RRType.DS) return bogus(`no NSEC3 matches ${qname} and the one covering it is not Opt-Out`);
  return bogus(`no NSEC3 matches ${qname} or the wildcard ${wildcard}`);
}

/**
 * RFC 5155 §8.8: a wildcard answer is valid when an NSEC3 covers the next
 * closer name below the wildcard's parent, the closest encloser that the
 * RRSIG's label count revealed.
 */
export function nsec3WildcardAnswer(qname: string, encloser: string, set: Nsec3Set): DenialResult {
  if (!isStrictSubdomain(qname, encloser) || (encloser !== set.zone && !isStrictSubdomain(encloser, set.zone))) {
    return bogus(`${qname} is not below the wildcard encloser ${encloser} in ${set.zone}`);
  }
  const nc = nextCloser(qname, encloser);
  if (set.matching(nc)) return bogus(`an NSEC3 matches the next closer name ${nc}: it exists`);
  const cover = set.covering(nc);
  if (!cover) return bogus(`no NSEC3 covers the next closer name ${nc}`);
  if (cover.optOut) return optOut(nc);
  return proven(encloser);
}

/**
 * Absence of DS at `name` from its parent `zone` (RFC 5155 §8.6, §8.9;
 * RFC 6840 §4.4): an NSEC3 matching the name without DS and SOA (with NS:
 * an insecure delegation; without: no cut here), or a closest encloser
 * proof whose next closer name lies in an Opt-Out span.
 */
export function nsec3NoDs(name: string, set: Nsec3Set): DsAbsence {
  if (!isStrictSubdomain(name, set.zone)) return bogus(`DS at ${name} must be denied by its parent zone, not ${set.zone}`);
  const match = set.matching(name);
  if (match) {
    if (match.types.has(RRType.DS)) return bogus(`the NSEC3 matching ${name} lists DS`);
    if (match.types.has(RRType.SOA)) return bogus(`the NSEC3 matching ${name} is from the child zone's apex`);
    return match.types.has(RRType.NS) ? { status: 'insecure-delegation' } : { status: 'no-delegation' };
  }
  const ce = proveClosestEncloser(set, name);
  if ('status' in ce) return ce;
  if (ce.nextCloserCover.optOut) return optOut(nextCloser(name, ce.closestEncloser));
  return bogus(`no NSEC3 matches ${name} and the one covering it is not Opt-Out`);
}

/** Undefined when the NSEC3 at `name` denies `qtype`; the bogus result otherwise. */
function typeDenial(n: Nsec3, name: string, qtype: number): DenialResult | undefined {
  if (n.types.has(qtype)) return bogus(`the NSEC3 matching ${name} lists the queried type`);
  if (n.types.has(RRType.CNAME)) return bogus(`the NSEC3 matching ${name} lists CNAME`);
  if (qtype === RRType.DS) {
    if (n.types.has(RRType.SOA) && name !== ROOT) return bogus(`the NSEC3 matching ${name} is the child zone's apex and cannot deny DS`);
  } else if (isDelegation(n.types)) {
    return bogus(`the NSEC3 matching ${name} is the parent side of a delegation and cannot deny the child's types`);
  }
  return undefined;
}

function optOut(nc: string): { status: 'insecure'; reason: string } {
  return insecure(`the next closer name ${nc} is in an NSEC3 Opt-Out span: an unsigned delegation may exist there (RFC 5155 §6)`);
}
