// Second step for every upstream reply (STYLE.md "scrub, classify, then act"):
// decide what kind of reply a *scrubbed* message is, so the resolver acts on
// a value with an exhaustive switch instead of poking at sections. Modelled
// on Unbound's iter_resptype.c (response_type_from_server).
//
// The AA bit is not required for an answer: many servers answer their own
// zones with AA=0, and Unbound and Knot Resolver accept a reply whose answer
// section answers the question; its data is ranked below authoritative data
// (RFC 2181 §5.4.1, `authoritative` below). What makes a server lame is a
// reply that says it does not serve the zone: REFUSED, NOTAUTH, a referral
// upwards, or a recursive server's non-authoritative "nothing here".

import { RCode, rcodeName, type Message, type Question, type ResourceRecord } from './message.js';
import { isSubdomain, normalizeName } from './name.js';

export type ResponseKind =
  /** `records` answer the last name of `chain` (the question name when the chain is empty). */
  | { kind: 'answer'; chain: ResourceRecord[]; records: ResourceRecord[]; zoneNs: ResourceRecord[]; glue: ResourceRecord[]; authoritative: boolean }
  /** The chain leads to `target`, which this server did not answer: ask again from `target`. */
  | { kind: 'cname'; chain: ResourceRecord[]; target: string; authoritative: boolean }
  /** Go down to `zone`, whose servers are `ns` (addresses for some of them in `glue`). */
  | { kind: 'referral'; zone: string; ns: ResourceRecord[]; glue: ResourceRecord[] }
  /** `name` (the question, or the chain's last name) does not exist. */
  | { kind: 'nxdomain'; chain: ResourceRecord[]; name: string; soa?: ResourceRecord; authoritative: boolean }
  /** RFC 6672 §2.2: a DNAME in `chain` would turn the name into one longer than a name may be. */
  | { kind: 'yxdomain'; chain: ResourceRecord[] }
  /** `name` exists but has no records of the asked type. */
  | { kind: 'nodata'; chain: ResourceRecord[]; name: string; soa?: ResourceRecord; authoritative: boolean }
  /** The server does not serve the zone we asked it about: remember, prefer others. */
  | { kind: 'lame'; reason: string }
  /** This reply is useless (SERVFAIL, truncated over TCP, FORMERR…): ask another server, remember nothing. */
  | { kind: 'servfail'; reason: string }
  /**
   * NOERROR without AA and with nothing usable (no answer, SOA or referral):
   * ask another server, but when none says more, it is a NODATA (as
   * Unbound's EMPTY_NODATA_RETRY_COUNT: many servers answer NODATA so).
   */
  | { kind: 'empty'; reason: string };

export interface ClassifyOptions {
  /**
   * The query went with RD=1 to a forwarder (a recursive server): its
   * non-authoritative replies are its cache speaking, not lameness.
   */
  recursive?: boolean;
}

/**
 * Classifies `reply` (already passed through `scrub` with the same question
 * and zone cut) to the question we asked the servers of `zoneCut`.
 */
export function classify(reply: Message, question: Question, zoneCut: string, options: ClassifyOptions = {}): ResponseKind {
  if (reply.tc) return { kind: 'servfail', reason: 'truncated reply' };
  if (reply.rcode === RCode.SERVFAIL) return { kind: 'servfail', reason: 'SERVFAIL' };
  // RFC 1035 §4.1.1 REFUSED and RFC 2136 §2.2 NOTAUTH: this server will not
  // answer for this zone. FORMERR (after the EDNS fallback), NOTIMP and the
  // exotic ones may be about this one question: ask another server.
  if (reply.rcode === RCode.REFUSED || reply.rcode === RCode.NOTAUTH) return { kind: 'lame', reason: rcodeName(reply.rcode) };
  if (reply.rcode === RCode.YXDOMAIN && reply.answers.some((rr) => rr.type === 'DNAME')) {
    return { kind: 'yxdomain', chain: reply.answers.filter((rr) => rr.type === 'DNAME') };
  }
  if (reply.rcode !== RCode.NOERROR && reply.rcode !== RCode.NXDOMAIN) {
    return { kind: 'servfail', reason: rcodeName(reply.rcode) };
  }

  const authoritative = reply.aa;
  // A recursive server deployed as an authoritative one answers from its
  // cache, RA=1 and AA=0: an answer is still an answer, "nothing" is not.
  const recursiveLame = reply.ra && !reply.aa && !options.recursive;
  const qname = normalizeName(question.name);
  const { chain, records, lastName, looped } = splitChain(reply.answers, qname, question.type);
  const soa = reply.authorities.find((rr) => rr.type === 'SOA');

  // RFC 1034 §4.3.2 step 3b with qtype NS: a parent may put the child's NS
  // set in the answer section without AA; that is a referral (as Unbound).
  if (records.length > 0 && chain.length === 0 && !reply.aa && (question.type === 'NS' || question.type === 'ANY')) {
    const below = records.filter((rr) => rr.type === 'NS' && rr.name !== zoneCut && isSubdomain(rr.name, zoneCut));
    if (below.length > 0 && !options.recursive) return { kind: 'referral', zone: below[0].name, ns: below, glue: reply.additionals };
  }

  if (records.length > 0) {
    const zoneNs = reply.authorities.filter((rr) => rr.type === 'NS');
    return { kind: 'answer', chain, records, zoneNs, glue: reply.additionals, authoritative };
  }
  if (chain.length > 0) {
    // RFC 6604 §3: the RCODE and SOA speak about the chain's last name, but
    // only if that name is inside the zone this server was asked about.
    if (!looped && isSubdomain(lastName, zoneCut)) {
      if (reply.rcode === RCode.NXDOMAIN) return { kind: 'nxdomain', chain, name: lastName, soa, authoritative };
      if (soa) return { kind: 'nodata', chain, name: lastName, soa, authoritative };
    }
    return { kind: 'cname', chain, target: lastName, authoritative };
  }

  if (reply.rcode === RCode.NXDOMAIN) {
    if (recursiveLame) return { kind: 'lame', reason: 'recursive server answered NXDOMAIN without AA' };
    return { kind: 'nxdomain', chain, name: qname, soa, authoritative };
  }

  // RFC 2308 §2.2: NODATA has the zone's SOA in the authority section.
  if (soa) {
    if (recursiveLame) return { kind: 'lame', reason: 'recursive server answered NODATA without AA' };
    return { kind: 'nodata', chain, name: qname, soa, authoritative };
  }

  // RFC 1034 §4.3.2 step 3b: a referral names servers for a zone below the
  // one we asked about (scrub already dropped NS sets that do not lead to qname).
  const below = reply.authorities.filter((rr) => rr.type === 'NS' && rr.name !== zoneCut);
  if (below.length > 0) {
    if (options.recursive) return { kind: 'servfail', reason: 'referral from a forwarder' };
    const zone = below.reduce((deepest, rr) => (rr.name.length > deepest.length ? rr.name : deepest), below[0].name);
    const ns = below.filter((rr) => rr.name === zone);
    return { kind: 'referral', zone, ns, glue: reply.additionals };
  }

  if (reply.aa || options.recursive) return { kind: 'nodata', chain, name: qname, soa, authoritative };
  // Without AA, SOA or a referral: the zone's own NS set from a server that
  // does not have the zone (answering from a cache or from a parent's copy),
  // a recursive server, or what is left of a sideways or upward referral.
  if (recursiveLame) return { kind: 'lame', reason: 'recursive server answered without AA' };
  if (reply.authorities.some((rr) => rr.type === 'NS' && rr.name === zoneCut)) {
    return { kind: 'lame', reason: 'non-authoritative reply with the zone\'s NS set and no answer' };
  }
  return { kind: 'empty', reason: 'non-authoritative reply without an answer, SOA or referral' };
}

/**
 * True when an unscrubbed reply refers us to the zone we asked about or one
 * above it (scrub drops such NS sets): the server does not serve the zone,
 * the classic lame delegation (RFC 1912 §2.8).
 */
export function refersUpward(reply: Message, zoneCut: string): boolean {
  // AA does not matter: a server that sends the root's NS set instead of an
  // answer is lame whatever its flags say (as Unbound, iter_resptype.c).
  if (reply.answers.length > 0 || reply.rcode !== RCode.NOERROR) return false;
  let upward = false;
  for (const rr of reply.authorities) {
    if (rr.type === 'SOA') return false;
    if (rr.type !== 'NS') continue;
    const owner = normalizeName(rr.name);
    if (owner !== zoneCut && isSubdomain(zoneCut, owner)) upward = true;
    else return false;
  }
  return upward;
}

/**
 * Separates the (scrubbed, chain-ordered) answer section into aliases and
 * the final records: CNAMEs (unless CNAME or ANY was asked) lead from name
 * to name; a DNAME is part of the chain unless it is what was asked, at the
 * last name.
 */
function splitChain(answers: ResourceRecord[], qname: string, qtype: string):
  { chain: ResourceRecord[]; records: ResourceRecord[]; lastName: string; looped: boolean } {
  const aliasing = qtype !== 'CNAME' && qtype !== 'ANY';
  const seen = new Set<string>([qname]);
  let lastName = qname;
  let looped = false;
  for (const rr of answers) {
    if (rr.type === 'CNAME' && aliasing) {
      lastName = rr.data as string;
      if (seen.has(lastName)) looped = true;
      seen.add(lastName);
    }
  }
  const chain = answers.filter((rr) => (rr.type === 'CNAME' && aliasing) ||
    (rr.type === 'DNAME' && !((qtype === 'DNAME' || qtype === 'ANY') && rr.name === lastName)));
  const records = answers.filter((rr) => rr.name === lastName && !chain.includes(rr));
  return { chain, records, lastName, looped };
}
