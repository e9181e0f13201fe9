// First step for every upstream reply (STYLE.md "scrub, classify, then act"):
// keep only what the server may speak for, so nothing downstream ever sees a
// record it could cache by mistake. Modelled on Unbound's iter_scrub.c.
//
// The bailiwick is the zone we asked the server about (`zoneCut`): a server
// delegated `example.com` has no say over `com` or `example.net`, however
// helpful its additional section tries to be (the Kashpureff attack, RFC 5452
// §6 and RFC 2181 §5.4.1).

import type { Message, Question, ResourceRecord } from './message.js';
import { isSubdomain, normalizeName, replaceSuffix } from './name.js';
import { typeName } from './codec.js';

/**
 * The DNSSEC records of a reply, kept apart from the sections classify()
 * reads (so nothing there has to step over them) and only where they belong
 * to something scrub kept (RFC 4035 §3.1.1-3.1.4).
 */
export interface DnssecRecords {
  /** RRSIGs over a kept RRset (answer chain, SOA, DS, NSEC, NSEC3), same owner and type covered. */
  sigs: ResourceRecord[];
  /** NSEC and NSEC3 records in the bailiwick: denial of existence, wildcard proofs, insecure delegations. */
  denial: ResourceRecord[];
  /** A referral's DS RRset for the child it refers to (RFC 4035 §3.1.4). */
  ds: ResourceRecord[];
}

export interface ScrubbedReply extends Message {
  dnssec: DnssecRecords;
}

/**
 * The CNAMEs scrub synthesised from DNAMEs (RFC 6672 §3.4). The cache keeps
 * only their DNAME and synthesises them again on each hit, so one is never
 * answered without the DNAME (and its RRSIG) that proves it.
 */
const synthesised = new WeakSet<ResourceRecord>();

export function isSynthesisedCname(rr: ResourceRecord): boolean {
  return synthesised.has(rr);
}

const NO_DNSSEC: DnssecRecords = Object.freeze({ sigs: [], denial: [], ds: [] }) as DnssecRecords;

/** The type an RRSIG covers (RFC 4034 §3.1.1), from its raw RDATA. */
export function typeCovered(rrsig: ResourceRecord): string | undefined {
  const data = rrsig.data;
  return Buffer.isBuffer(data) && data.length >= 2 ? typeName(data.readUInt16BE(0)) : undefined;
}

/** RFC 2181 §8: a TTL with the top bit set is treated as zero. */
const MAX_TTL = 0x7fffffff;

/**
 * Returns a copy of `reply` holding only:
 * - answer records on the CNAME/DNAME chain that starts at the question name
 *   (anything else is unsolicited), up to where the chain leaves the bailiwick;
 *   CNAMEs implied by DNAMEs are synthesised here (RFC 6672 §3.4);
 * - authority NS and SOA records owned by an ancestor of the chain's last name
 *   inside the bailiwick (a referral, the zone's own NS set, a negative answer's SOA);
 * - additional A/AAAA records for the NS names kept above, inside the bailiwick.
 * Owner names, NS and CNAME targets come out normalized; records of another
 * class, and records of types we do not use in the authority and additional
 * sections, are dropped.
 */
export function scrub(reply: Message, question: Question, zoneCut: string): ScrubbedReply {
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

  return { ...reply, answers, authorities, additionals, dnssec: dnssecRecords(reply, inBailiwick, answers, authorities) };
}

/**
 * The NSEC/NSEC3 records in the authority section inside the bailiwick, a
 * referral's DS (owned by the zone its NS records delegate), and the RRSIGs
 * over everything kept. Cheap when the reply has none: a server only sends
 * them to a query with DO=1.
 */
function dnssecRecords(reply: Message, inBailiwick: (rr: ResourceRecord) => boolean,
  answers: ResourceRecord[], authorities: ResourceRecord[]): DnssecRecords {
  const isDnssec = (rr: ResourceRecord): boolean =>
    rr.type === 'RRSIG' || rr.type === 'NSEC' || rr.type === 'NSEC3' || rr.type === 'DS';
  if (!reply.answers.some(isDnssec) && !reply.authorities.some(isDnssec)) return NO_DNSSEC;
  const delegated = new Set(authorities.filter((rr) => rr.type === 'NS').map((rr) => rr.name));
  const denial: ResourceRecord[] = [];
  const ds: ResourceRecord[] = [];
  for (const raw of reply.authorities) {
    if (raw.type !== 'NSEC' && raw.type !== 'NSEC3' && raw.type !== 'DS') continue;
    const rr = normalizeRecord(raw);
    if (!inBailiwick(rr)) continue;
    if (rr.type === 'DS') {
      if (delegated.has(rr.name)) ds.push(rr);
    } else {
      denial.push(rr);
    }
  }
  const covered = new Set<string>();
  for (const rr of [...answers, ...authorities, ...denial, ...ds]) covered.add(`${rr.name}|${rr.type}`);
  const sigs: ResourceRecord[] = [];
  for (const raw of [...reply.answers, ...reply.authorities]) {
    if (raw.type !== 'RRSIG') continue;
    const rr = normalizeRecord(raw);
    const type = typeCovered(rr);
    if (type !== undefined && inBailiwick(rr) && covered.has(`${rr.name}|${type}`)) sigs.push(rr);
  }
  return { sigs, denial, ds };
}

/** RFC 1035 §2.3.4: a name is at most 255 octets on the wire (about 253 characters in text). */
const MAX_NAME_TEXT = 253;

/**
 * Keeps the records that answer `qname`/`qtype` or lead to its answer through
 * CNAMEs and DNAMEs, in chain order. Stops at a repeated name (a loop, which
 * the resolver reports) and never walks further than there are records.
 *
 * RFC 6672 §3.4: a DNAME above the current name is applied by the resolver
 * itself: the CNAME it implies is synthesised here (owner: the name, target:
 * the name with the DNAME's owner replaced by its target, TTL: the DNAME's)
 * and the server's own CNAME for that name, if any, is ignored, so a server
 * cannot send a CNAME that does not follow from the DNAME.
 */
function followChain(records: ResourceRecord[], qname: string, qtype: string):
  { records: ResourceRecord[]; lastName: string } {
  const kept: ResourceRecord[] = [];
  const seen = new Set<string>();
  const aliasing = qtype !== 'CNAME' && qtype !== 'ANY';
  let name = qname;
  while (!seen.has(name)) {
    seen.add(name);
    // RFC 6672 §3.2: below a DNAME owner nothing else exists (§2.4), so the
    // DNAME applies whatever the type asked, the CNAME and DNAME types included.
    const dname = closestDname(records, name);
    if (dname) {
      const target = substitute(name, dname);
      // RFC 2181 §5: an RRset appears once, however often the chain uses it.
      if (!kept.includes(dname)) kept.push(dname);
      // RFC 6672 §2.2: too long a result is YXDOMAIN; the DNAME shows the client why.
      if (target === undefined) break;
      const cname: ResourceRecord = { name, type: 'CNAME', class: dname.class, ttl: dname.ttl, data: target };
      synthesised.add(cname);
      kept.push(cname);
      // Asked for the CNAME (or ANY): the synthesised CNAME is the answer.
      if (!aliasing) break;
      name = target;
      continue;
    }
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

/** The deepest DNAME owned by a strict ancestor of `name` (RFC 6672 §2.3: a DNAME redirects names below its owner). */
function closestDname(records: ResourceRecord[], name: string): ResourceRecord | undefined {
  let best: ResourceRecord | undefined;
  for (const rr of records) {
    if (rr.type !== 'DNAME' || rr.name === name || !isSubdomain(name, rr.name)) continue;
    if (best === undefined || rr.name.length > best.name.length) best = rr;
  }
  return best;
}

/** RFC 6672 §2.2: replace the DNAME's owner suffix of `name` by its target; undefined when the result is too long (YXDOMAIN). */
function substitute(name: string, dname: ResourceRecord): string | undefined {
  const result = replaceSuffix(name, dname.name, dname.data as string);
  return result.length > MAX_NAME_TEXT ? undefined : result;
}

function normalizeRecord(rr: ResourceRecord): ResourceRecord {
  const name = normalizeName(rr.name);
  const ttl = rr.ttl > MAX_TTL ? 0 : rr.ttl;
  const data = rr.type === 'NS' || rr.type === 'CNAME' || rr.type === 'DNAME' ? normalizeName(rr.data as string) : rr.data;
  return { name, type: rr.type, class: rr.class, ttl, data };
}

/**
 * The A/AAAA records a referral's additional section gives for its NS
 * targets outside the bailiwick (`ns.example.net` in a referral from `com`
 * for `example.com`). scrub() drops them: they must never be cached or used
 * for anything else. But the parent that sends them could already send
 * example.com anywhere by naming other servers, so using them to reach *this*
 * delegation adds no risk; they break dependency cycles with no in-bailiwick
 * glue at all (Deckard iter_cycle_noh). The resolver tries them last.
 */
export function outOfBailiwickGlue(reply: Message, nsTargets: ReadonlySet<string>, zoneCut: string, klass: string): ResourceRecord[] {
  const out: ResourceRecord[] = [];
  for (const raw of reply.additionals) {
    if (raw.type !== 'A' && raw.type !== 'AAAA') continue;
    const rr = normalizeRecord(raw);
    if (rr.class === klass && !isSubdomain(rr.name, zoneCut) && nsTargets.has(rr.name)) out.push(rr);
  }
  return out;
}
