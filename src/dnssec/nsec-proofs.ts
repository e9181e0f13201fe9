// Proofs over the NSEC records of one response (RFC 4035 §5.4, §5.3.4,
// §5.2; RFC 6840 §4.1, §4.3, §4.4). The records have been verified and
// selected by denial.ts: every one belongs to `zone`.

import { ROOT, isSubdomain } from '../dns/name.js';
import { bogus, proven, type DenialResult, type DsAbsence } from './denial-result.js';
import { isStrictSubdomain, wildcardAt } from './enclosers.js';
import {
  nsecClosestEncloser, nsecProvesEmptyNonTerminal, nsecProvesNonexistence, nsecTypeDenial,
  type Nsec, type NsecTypeDenial,
} from './nsec.js';
import { RRType } from './rr-type.js';

/** RFC 4035 §5.4: qname is covered, and so is the wildcard at its closest encloser. */
export function nsecNxdomain(qname: string, nsecs: readonly Nsec[], zone: string): DenialResult {
  if (!isStrictSubdomain(qname, zone)) return bogus(`${qname} is not below the zone ${zone}`);
  if (nsecs.some((n) => n.owner === qname)) return bogus(`an NSEC at ${qname} shows it exists`);
  const cover = nsecs.find((n) => nsecProvesNonexistence(n, qname));
  if (!cover) return bogus(`no NSEC proves ${qname} does not exist`);
  const encloser = nsecClosestEncloser(cover, qname);
  const wildcard = wildcardAt(encloser);
  if (nsecs.some((n) => n.owner === wildcard)) return bogus(`the wildcard ${wildcard} exists`);
  if (!nsecs.some((n) => nsecProvesNonexistence(n, wildcard))) return bogus(`no NSEC proves the wildcard ${wildcard} does not exist`);
  return proven(encloser);
}

/**
 * NODATA: the NSEC at qname lacks qtype and CNAME (RFC 4035 §3.1.3.1,
 * §5.4; RFC 6840 §4.3); or qname is an empty non-terminal (RFC 4592
 * §2.2.2); or qname does not exist and the wildcard at its closest
 * encloser lacks qtype (wildcard NODATA, RFC 4035 §3.1.3.4).
 */
export function nsecNodata(qname: string, qtype: number, nsecs: readonly Nsec[], zone: string): DenialResult {
  if (!isSubdomain(qname, zone)) return bogus(`${qname} is not in the zone ${zone}`);
  // RFC 4035 §3.1.4.1: a DS RRset lives on the parent side, so the zone
  // whose apex qname is cannot deny it (the root has no parent).
  if (qtype === RRType.DS && qname === zone && zone !== ROOT) return bogus(`DS at ${qname} must be denied by the parent zone, not by ${zone} itself`);
  const match = nsecs.find((n) => n.owner === qname);
  if (match) return typeDenial(nsecTypeDenial(match, qname, qtype), qname);
  if (nsecs.some((n) => nsecProvesEmptyNonTerminal(n, qname))) return proven();

  const cover = nsecs.find((n) => nsecProvesNonexistence(n, qname));
  if (!cover) return bogus(`no NSEC matches or covers ${qname}`);
  const encloser = nsecClosestEncloser(cover, qname);
  const wildcard = wildcardAt(encloser);
  const atWildcard = nsecs.find((n) => n.owner === wildcard);
  if (!atWildcard) return bogus(`${qname} does not exist and no NSEC at the wildcard ${wildcard} shows it lacks the type`);
  const result = typeDenial(nsecTypeDenial(atWildcard, wildcard, qtype), wildcard);
  return result.status === 'proven' ? proven(encloser) : result;
}

/**
 * RFC 4035 §5.3.4: a wildcard expansion is valid only when qname itself
 * does not exist; the NSEC proving that must place qname's closest
 * encloser exactly at the wildcard's parent, or a closer name exists and
 * the wildcard should not have matched.
 */
export function nsecWildcardAnswer(qname: string, encloser: string, nsecs: readonly Nsec[], zone: string): DenialResult {
  if (!isSubdomain(encloser, zone) || !isStrictSubdomain(qname, encloser)) {
    return bogus(`${qname} is not below the wildcard encloser ${encloser} in ${zone}`);
  }
  if (nsecs.some((n) => n.owner === qname)) return bogus(`an NSEC at ${qname} shows it exists`);
  const cover = nsecs.find((n) => nsecProvesNonexistence(n, qname));
  if (!cover) return bogus(`no NSEC proves ${qname} does not exist`);
  const provenEncloser = nsecClosestEncloser(cover, qname);
  if (provenEncloser !== encloser) return bogus(`the closest encloser of ${qname} is ${provenEncloser}, not the wildcard's ${encloser}`);
  return proven(encloser);
}

/**
 * Absence of DS at `name`, from the parent zone `zone` (RFC 4035 §5.2,
 * RFC 6840 §4.4): the NSEC at the name must lack DS and SOA; with NS it is
 * an insecure delegation, without NS the name is no cut at all and the
 * caller keeps walking down. An empty non-terminal is no cut either.
 */
export function nsecNoDs(name: string, nsecs: readonly Nsec[], zone: string): DsAbsence {
  if (!isStrictSubdomain(name, zone)) return bogus(`DS at ${name} must be denied by its parent zone, not ${zone}`);
  const match = nsecs.find((n) => n.owner === name);
  if (match) {
    if (match.types.has(RRType.DS)) return bogus(`the NSEC at ${name} lists DS`);
    if (match.types.has(RRType.SOA)) return bogus(`the NSEC at ${name} is from the child zone's apex`);
    return match.types.has(RRType.NS) ? { status: 'insecure-delegation' } : { status: 'no-delegation' };
  }
  if (nsecs.some((n) => nsecProvesEmptyNonTerminal(n, name))) return { status: 'no-delegation' };
  return bogus(`no NSEC matches ${name}`);
}

function typeDenial(verdict: NsecTypeDenial, name: string): DenialResult {
  switch (verdict) {
    case 'denied': return proven();
    case 'type-exists': return bogus(`the NSEC at ${name} lists the queried type`);
    case 'cname-exists': return bogus(`the NSEC at ${name} lists CNAME`);
    case 'child-side': return bogus(`the NSEC at ${name} is the child zone's apex and cannot deny DS`);
    case 'parent-side': return bogus(`the NSEC at ${name} is the parent side of a delegation and cannot deny the child's types`);
    case 'not-owner': return bogus(`no NSEC at ${name}`);
  }
}
