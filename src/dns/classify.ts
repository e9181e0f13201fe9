// Second step for every upstream reply (STYLE.md "scrub, classify, then act"):
// decide what kind of reply a *scrubbed* message is, so the resolver acts on
// a value with an exhaustive switch instead of poking at sections. Modelled
// on Unbound's iter_resptype.c.

import { RCode, rcodeName, type Message, type Question, type ResourceRecord } from './message.js';
import { isSubdomain, normalizeName } from './name.js';

export type ResponseKind =
  /** `records` answer the last name of `chain` (the question name when the chain is empty). */
  | { kind: 'answer'; chain: ResourceRecord[]; records: ResourceRecord[]; zoneNs: ResourceRecord[]; glue: ResourceRecord[] }
  /** The chain leads to `target`, which this server did not answer: ask again from `target`. */
  | { kind: 'cname'; chain: ResourceRecord[]; target: string }
  /** Go down to `zone`, whose servers are `ns` (addresses for some of them in `glue`). */
  | { kind: 'referral'; zone: string; ns: ResourceRecord[]; glue: ResourceRecord[] }
  /** `name` (the question, or the chain's last name) does not exist. */
  | { kind: 'nxdomain'; chain: ResourceRecord[]; name: string; soa?: ResourceRecord }
  /** `name` exists but has no records of the asked type. */
  | { kind: 'nodata'; chain: ResourceRecord[]; name: string; soa?: ResourceRecord }
  /** The server does not serve the zone we asked it about: remember, ask another. */
  | { kind: 'lame'; reason: string }
  /** The server failed to answer (SERVFAIL, truncated TCP reply): ask another. */
  | { kind: 'servfail'; reason: string };

/**
 * Classifies `reply` (already passed through `scrub` with the same question
 * and zone cut) to the question we asked the servers of `zoneCut`.
 */
export function classify(reply: Message, question: Question, zoneCut: string): ResponseKind {
  if (reply.tc) return { kind: 'servfail', reason: 'truncated reply' };
  if (reply.rcode === RCode.SERVFAIL) return { kind: 'servfail', reason: 'SERVFAIL' };
  // REFUSED, NOTIMP, FORMERR (after the EDNS fallback) and anything exotic:
  // this server will not answer for this zone.
  if (reply.rcode !== RCode.NOERROR && reply.rcode !== RCode.NXDOMAIN) {
    return { kind: 'lame', reason: rcodeName(reply.rcode) };
  }

  const qname = normalizeName(question.name);
  const { chain, records, lastName, looped } = splitChain(reply.answers, qname, question.type);
  const soa = reply.authorities.find((rr) => rr.type === 'SOA');

  if (records.length > 0 || chain.length > 0) {
    // Answers only count from a server that is authoritative for them.
    if (!reply.aa) return { kind: 'lame', reason: 'non-authoritative answer' };
    if (records.length > 0) {
      const zoneNs = reply.authorities.filter((rr) => rr.type === 'NS');
      return { kind: 'answer', chain, records, zoneNs, glue: reply.additionals };
    }
    // RFC 6604 §3: the RCODE and SOA speak about the chain's last name, but
    // only if that name is inside the zone this server was asked about.
    if (!looped && isSubdomain(lastName, zoneCut)) {
      if (reply.rcode === RCode.NXDOMAIN) return { kind: 'nxdomain', chain, name: lastName, soa };
      if (soa) return { kind: 'nodata', chain, name: lastName, soa };
    }
    return { kind: 'cname', chain, target: lastName };
  }

  if (reply.rcode === RCode.NXDOMAIN) {
    if (!reply.aa) return { kind: 'lame', reason: 'non-authoritative NXDOMAIN' };
    return { kind: 'nxdomain', chain, name: qname, soa };
  }

  // RFC 1034 §4.3.2 step 3b: a referral names servers for a zone below the
  // one we asked about (scrub already dropped NS sets that do not lead to qname).
  if (!soa) {
    const below = reply.authorities.filter((rr) => rr.type === 'NS' && rr.name !== zoneCut);
    if (below.length > 0) {
      const zone = below.reduce((deepest, rr) => (rr.name.length > deepest.length ? rr.name : deepest), below[0].name);
      const ns = below.filter((rr) => rr.name === zone);
      return { kind: 'referral', zone, ns, glue: reply.additionals };
    }
  }

  // RFC 2308 §2.2: NODATA is an authoritative NOERROR with no answer. Without
  // AA it is a lame server or a sideways/upward referral (scrub removed the
  // NS set of anything above the zone cut).
  if (!reply.aa) return { kind: 'lame', reason: 'non-authoritative reply without an answer or a referral' };
  return { kind: 'nodata', chain, name: qname, soa };
}

/** Separates the (scrubbed, chain-ordered) answer section into CNAMEs and the final records. */
function splitChain(answers: ResourceRecord[], qname: string, qtype: string):
  { chain: ResourceRecord[]; records: ResourceRecord[]; lastName: string; looped: boolean } {
  const chain: ResourceRecord[] = [];
  const seen = new Set<string>([qname]);
  let lastName = qname;
  let looped = false;
  for (const rr of answers) {
    if (rr.type === 'CNAME' && qtype !== 'CNAME' && qtype !== 'ANY') {
      chain.push(rr);
      lastName = rr.data as string;
      if (seen.has(lastName)) looped = true;
      seen.add(lastName);
    }
  }
  const records = answers.filter((rr) => rr.name === lastName && !chain.includes(rr));
  return { chain, records, lastName, looped };
}
