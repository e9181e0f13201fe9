// First step for every upstream reply (STYLE.md "scrub, classify, then act"):
// keep only what the server may speak for, so nothing downstream ever sees a
// record it could cache by mistake. Modelled on Unbound's iter_scrub.c.
//
// The bailiwick is the zone we asked the server about (`zoneCut`): a server
// delegated `example.com` has no say over `com` or `example.net`, however
// helpful its additional section tries to be (the Kashpureff attack, RFC 5452
// §6 and RFC 2181 §5.4.1).

import type { Message, Question, ResourceRecord } from './message.js';
import { isSubdomain, normalizeName } from './name.js';

/** RFC 2181 §8: a TTL with the top bit set is treated as zero. */
const MAX_TTL = 0x7fffffff;

/**
 * Returns a copy of `reply` holding only:
 * - answer records on the CNAME chain that starts at the question name
 *   (anything else is unsolicited), up to where the chain leaves the bailiwick;
 * - authority NS and SOA records owned by an ancestor of the chain's last name
 *   inside the bailiwick (a referral, the zone's own NS set, a negative answer's SOA);
 * - additional A/AAAA records for the NS names kept above, inside the bailiwick.
 * Owner names, NS and CNAME targets come out normalized; records of another
 * class and types we do not use (DNAME, DNSSEC records, …) are dropped. A DNAME
 * answer still works: RFC 6672 §3.1 makes the server synthesize the CNAME we follow.
 */
export function scrub(reply: Message, question: Question, zoneCut: string): Message {
  const qname = normalizeName(question.name);
  const inBailiwick = (rr: ResourceRecord): boolean =>
    rr.class === question.class && isSubdomain(rr.name, zoneCut);

  const candidates = reply.answers.map(normalizeRecord).filter(inBailiwick);
  const { records: answers, lastName } = followChain(candidates, qname, question.type);

  const authorities = reply.authorities.map(normalizeRecord).filter((rr) =>
    (rr.type === 'NS' || rr.type === 'SOA') && inBailiwick(rr) && isSubdomain(lastName, rr.name));

  const nsTargets = new Set<string>();
  for (const rr of [...answers, ...authorities]) if (rr.type === 'NS') nsTargets.add(rr.data as string);
  const additionals = reply.additionals.map(normalizeRecord).filter((rr) =>
    (rr.type === 'A' || rr.type === 'AAAA') && inBailiwick(rr) && nsTargets.has(rr.name));

  return { ...reply, answers, authorities, additionals };
}

/**
 * Keeps the records that answer `qname`/`qtype` or lead to its answer through
 * CNAMEs, in chain order. Stops at a repeated name (a loop, which the
 * resolver reports) and never walks further than there are records.
 */
function followChain(records: ResourceRecord[], qname: string, qtype: string):
  { records: ResourceRecord[]; lastName: string } {
  const kept: ResourceRecord[] = [];
  const seen = new Set<string>();
  let name = qname;
  while (!seen.has(name)) {
    seen.add(name);
    const atName = records.filter((rr) => rr.name === name);
    const matching = atName.filter((rr) => qtype === 'ANY' || rr.type === qtype);
    if (matching.length > 0) {
      kept.push(...matching);
      break;
    }
    // RFC 2181 §10.1: one CNAME per name; a second one is ignored.
    const cname = atName.find((rr) => rr.type === 'CNAME');
    if (!cname) break;
    kept.push(cname);
    name = cname.data as string;
  }
  return { records: kept, lastName: name };
}

function normalizeRecord(rr: ResourceRecord): ResourceRecord {
  const name = normalizeName(rr.name);
  const ttl = rr.ttl > MAX_TTL ? 0 : rr.ttl;
  const data = rr.type === 'NS' || rr.type === 'CNAME' ? normalizeName(rr.data as string) : rr.data;
  return { name, type: rr.type, class: rr.class, ttl, data };
}
