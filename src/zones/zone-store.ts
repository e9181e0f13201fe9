// The local zones Hops serves authoritatively: picks the zone for a question
// and turns the lookup result into a response message.

import { emptyMessage, RCode, type Message, type Question } from '../dns/message.js';
import { normalizeName, parentName, ROOT } from '../dns/name.js';
import type { Zone } from './zone.js';
import { ZoneIndex } from './zone-index.js';
import { lookupInZone, type ZoneLookup } from './zone-lookup.js';

export type { ZoneLookup } from './zone-lookup.js';

export class ZoneStore {
  private byApex: Map<string, ZoneIndex>;

  /** @throws Error when two zones share an apex (the loader reports that as a ZoneError first). */
  constructor(zones: Zone[]) {
    this.byApex = indexZones(zones);
  }

  /** Swaps in a new set of zones at once (a reload); on error the old set stays. */
  replace(zones: Zone[]): void {
    this.byApex = indexZones(zones);
  }

  get zones(): Zone[] {
    return [...this.byApex.values()].map((index) => index.zone);
  }

  /**
   * Undefined when no local zone contains the name (or the class is not IN):
   * the question is then not ours to answer. `question.type` is a mnemonic
   * as the codec produces it ('A', 'TYPE65280').
   */
  lookup(question: Question): ZoneLookup | undefined {
    if (question.class !== 'IN') return undefined;
    const qname = normalizeName(question.name);
    const index = this.zoneFor(qname, question.type);
    return index && lookupInZone(index, qname, question.type);
  }

  /**
   * The complete authoritative response to a one-question query, without EDNS
   * (the caller adds OPT and fits the size); undefined when no zone applies.
   */
  respond(query: Message): Message | undefined {
    if (query.questions.length !== 1) return undefined;
    const question = query.questions[0];
    const result = this.lookup(question);
    if (!result) return undefined;

    const reply = emptyMessage(query.id);
    reply.qr = true;
    reply.opcode = query.opcode;
    reply.rd = query.rd;
    reply.aa = result.kind !== 'referral'; // RFC 1034 §4.3.2: a referral is not an authoritative answer
    reply.questions = [{ ...question }]; // as the client wrote it: resolvers check the letter case (0x20)
    switch (result.kind) {
      case 'answer':
        reply.answers = result.answers;
        reply.additionals = result.additionals;
        break;
      case 'referral':
        reply.authorities = result.authorities;
        reply.additionals = result.additionals;
        break;
      case 'nxdomain':
        reply.rcode = RCode.NXDOMAIN;
        reply.answers = result.answers;
        reply.authorities = result.authorities;
        break;
      case 'nodata':
        reply.answers = result.answers;
        reply.authorities = result.authorities;
        break;
    }
    return reply;
  }

  /** The most specific zone containing `qname`: O(labels) map probes. */
  private zoneFor(qname: string, qtype: string): ZoneIndex | undefined {
    const closest = this.closestZone(qname);
    // RFC 4035 §3.1.4.1: DS belongs to the parent side of a cut; when we also
    // serve the parent and it delegates here, the parent answers.
    if (qtype === 'DS' && closest?.apex === qname && qname !== ROOT) {
      const parent = this.closestZone(parentName(qname));
      if (parent?.isCut(qname)) return parent;
    }
    return closest;
  }

  private closestZone(name: string): ZoneIndex | undefined {
    for (let n = name; ; n = parentName(n)) {
      const index = this.byApex.get(n);
      if (index || n === ROOT) return index;
    }
  }
}

function indexZones(zones: Zone[]): Map<string, ZoneIndex> {
  const byApex = new Map<string, ZoneIndex>();
  for (const zone of zones) {
    if (byApex.has(zone.apex)) throw new Error(`two zones with the apex ${zone.apex} (${zone.file})`);
    byApex.set(zone.apex, new ZoneIndex(zone));
  }
  return byApex;
}
