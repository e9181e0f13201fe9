// Servers of signed zones on the FakeNetwork, as scripted servers: an
// authoritative server answers from the deepest zone it holds (DS from the
// parent side, RFC 4035 §3.1.4.1), with DNSSEC records only for DO=1
// (RFC 3225 §3); a forwarder (a recursive server, RD=1 and RA=1) follows
// referrals and CNAMEs through every zone it holds and answers with AA=0.

import { emptyMessage, RCode, type Message } from '../../../src/dns/message.js';
import { isSubdomain, labelCount, normalizeName } from '../../../src/dns/name.js';
import type { Script } from '../../upstream/server-script.js';
import type { SignedZone, ZoneAnswer } from './signed-zone.js';

export interface SignedServerOptions {
  /** Answers as a recursive server (a forwarder) instead of an authoritative one. */
  recursive?: boolean;
  /** Last say over each reply: change it (tamper) or return undefined to send nothing. */
  intercept?: (query: Message, reply: Message) => Message | undefined;
}

/** The zone of `zones` that answers `qname`/`qtype`: the deepest holding it, the parent side for DS. */
export function zoneFor(zones: readonly SignedZone[], qname: string, qtype: string): SignedZone | undefined {
  const holding = zones.filter((zone) => isSubdomain(qname, zone.origin));
  // DS at a zone's apex is the parent's, if this server holds the parent.
  const candidates = qtype === 'DS' && holding.length > 1 ? holding.filter((zone) => zone.origin !== qname) : holding;
  let best: SignedZone | undefined;
  for (const zone of candidates) if (!best || labelCount(zone.origin) > labelCount(best.origin)) best = zone;
  return best;
}

export function signedServerScript(zones: readonly SignedZone[], options: SignedServerOptions = {}): Script {
  return (query) => {
    const reply = answer(zones, query, options.recursive === true);
    const final = options.intercept ? options.intercept(query, reply) : reply;
    return final ? [{ send: final }] : [];
  };
}

function answer(zones: readonly SignedZone[], query: Message, recursive: boolean): Message {
  const reply = emptyMessage(query.id);
  reply.qr = true;
  reply.rd = query.rd;
  reply.cd = query.cd;
  reply.questions = query.questions.map((q) => ({ ...q }));
  if (query.edns) reply.edns = { udpSize: 1232, version: 0, dnssecOk: query.edns.dnssecOk, extendedRcode: 0, options: [] };
  const question = query.questions[0];
  if (!question || question.class !== 'IN') {
    reply.rcode = RCode.REFUSED;
    return reply;
  }
  const dnssecOk = query.edns?.dnssecOk === true;
  const qname = normalizeName(question.name);
  if (!recursive) {
    const zone = zoneFor(zones, qname, question.type);
    if (!zone) {
      reply.rcode = RCode.REFUSED;
      return reply;
    }
    return fill(reply, zone.respond(qname, question.type, dnssecOk));
  }
  // A forwarder: resolve through the zones held, the whole CNAME chain in the answer.
  reply.ra = true;
  const answers = [];
  let name = qname;
  let last: ZoneAnswer | undefined;
  for (let steps = 0; steps < 16; steps++) {
    const zone = zoneFor(zones, name, question.type);
    if (!zone) break;
    last = zone.respond(name, question.type, dnssecOk);
    answers.push(...last.answers);
    const tail = last.answers.filter((rr) => rr.type === 'CNAME').at(-1);
    if (!tail || question.type === 'CNAME' || last.answers.some((rr) => rr.type === question.type)) break;
    const target = normalizeName(tail.data as string);
    const next = zoneFor(zones, target, question.type);
    if (!next || next === zone) break;
    name = target;
  }
  if (!last) {
    reply.rcode = RCode.REFUSED;
    return reply;
  }
  fill(reply, { ...last, answers });
  reply.aa = false;
  return reply;
}

function fill(reply: Message, zoneAnswer: ZoneAnswer): Message {
  reply.rcode = zoneAnswer.rcode;
  reply.aa = zoneAnswer.aa;
  reply.answers = zoneAnswer.answers;
  reply.authorities = zoneAnswer.authorities;
  reply.additionals = zoneAnswer.additionals;
  return reply;
}
