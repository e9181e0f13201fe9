// The front door for authenticated denial of existence: given the NSEC or
// NSEC3 records of a response, whose RRSIGs the caller has verified, and
// the zone that signed them, decide whether they prove what the response
// claims. Pure: no I/O, no signatures, no clock. NSEC records are used when
// the response has any for the zone, NSEC3 records otherwise.

import { typeNumber } from '../dns/codec.js';
import type { ResourceRecord } from '../dns/message.js';
import { isSubdomain } from '../dns/name.js';
import { compareCanonical } from './canonical-order.js';
import { bogus, type DenialContext, type DenialResult, type DsAbsence } from './denial-result.js';
import { stripWildcard } from './enclosers.js';
import { parseNsec, type Nsec } from './nsec.js';
import { nsecNoDs, nsecNodata, nsecNxdomain, nsecWildcardAnswer } from './nsec-proofs.js';
import { parseNsec3, type Nsec3 } from './nsec3.js';
import { nsec3NoDs, nsec3Nodata, nsec3Nxdomain, nsec3WildcardAnswer } from './nsec3-proofs.js';
import { isNsec3Set, selectNsec3, type Nsec3Set } from './nsec3-set.js';

export type { DenialContext, DenialResult, DsAbsence } from './denial-result.js';
export { NSEC3_MAX_ITERATIONS } from './nsec3-set.js';

/** NXDOMAIN for `qname` (RFC 4035 §5.4, RFC 5155 §8.4). */
export function proveNxdomain(qname: string, records: readonly ResourceRecord[], zone: string, ctx: DenialContext): DenialResult {
  return withProofRecords(records, zone, ctx, {
    nsec: (nsecs) => nsecNxdomain(qname, nsecs, zone),
    nsec3: (set) => nsec3Nxdomain(qname, set),
  });
}

/**
 * NODATA for `qname`/`qtype` (a mnemonic, e.g. 'AAAA' or 'TYPE65534'),
 * wildcard NODATA included (RFC 4035 §3.1.3.1, §3.1.3.4, §5.4; RFC 5155
 * §8.5-§8.7). For qtype DS the records must come from the parent side.
 */
export function proveNodata(qname: string, qtype: string, records: readonly ResourceRecord[], zone: string, ctx: DenialContext): DenialResult {
  const type = typeNumber(qtype);
  if (type === undefined) return bogus(`unknown type ${qtype}`);
  return withProofRecords(records, zone, ctx, {
    nsec: (nsecs) => nsecNodata(qname, type, nsecs, zone),
    nsec3: (set) => nsec3Nodata(qname, type, set),
  });
}

/**
 * A wildcard-expanded answer for `qname` is valid only if qname itself does
 * not exist (RFC 4035 §5.3.4, RFC 5155 §8.8). `wildcardEncloser` is the
 * closest encloser the RRSIG's label count revealed: the wildcard's parent
 * (`w.example` for `*.w.example`); the wildcard name itself is accepted too.
 */
export function proveWildcardAnswer(qname: string, wildcardEncloser: string, records: readonly ResourceRecord[], zone: string, ctx: DenialContext): DenialResult {
  const encloser = stripWildcard(wildcardEncloser);
  return withProofRecords(records, zone, ctx, {
    nsec: (nsecs) => nsecWildcardAnswer(qname, encloser, nsecs, zone),
    nsec3: (set) => nsec3WildcardAnswer(qname, encloser, set),
  });
}

/**
 * No DS at `name`, from a DS NODATA answer or a referral without DS, signed
 * by the parent `zone` (RFC 4035 §5.2, RFC 5155 §8.6/§8.9, RFC 6840 §4.4).
 */
export function proveNoDs(name: string, records: readonly ResourceRecord[], zone: string, ctx: DenialContext): DsAbsence {
  return withProofRecords<DsAbsence>(records, zone, ctx, {
    nsec: (nsecs) => nsecNoDs(name, nsecs, zone),
    nsec3: (set) => nsec3NoDs(name, set),
  });
}

interface Provers<R> {
  nsec(nsecs: Nsec[]): R;
  nsec3(set: Nsec3Set): R;
}

function withProofRecords<R>(records: readonly ResourceRecord[], zone: string, ctx: DenialContext, provers: Provers<R>): R | { status: 'bogus' | 'insecure'; reason: string } {
  const nsecs = zoneNsecs(records, zone);
  if (nsecs.length > 0) return provers.nsec(nsecs);
  const nsec3s: Nsec3[] = [];
  for (const rr of records) {
    const n = parseNsec3(rr);
    if (n) nsec3s.push(n);
  }
  if (nsec3s.length === 0) return bogus(`no NSEC or NSEC3 records of ${zone}`);
  const set = selectNsec3(nsec3s, zone, ctx);
  return isNsec3Set(set) ? provers.nsec3(set) : set;
}

/**
 * The well-formed NSECs of `zone`: owner and next name inside it, and a
 * next name that sorts before the owner only at the chain's end, where it
 * is the apex (RFC 4034 §4.1.1). Others cannot be part of its chain.
 */
function zoneNsecs(records: readonly ResourceRecord[], zone: string): Nsec[] {
  const out: Nsec[] = [];
  for (const rr of records) {
    const n = parseNsec(rr);
    if (!n || !isSubdomain(n.owner, zone) || !isSubdomain(n.next, zone)) continue;
    if (compareCanonical(n.owner, n.next) >= 0 && n.next !== zone) continue;
    out.push(n);
  }
  return out;
}
