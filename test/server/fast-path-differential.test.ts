// Differential fuzzing of the answer cache's fast path against the full
// parser. parsePlainQuery reads a query without decoding it; whatever it
// accepts skips decodeMessage and rejectionRcode and may be answered from the
// cache. So every wire it accepts must be one the full path decodes and lets
// through, read the same way (question, flags, EDNS). A fuzzer that only
// looks for crashes cannot see a disagreement: both verdicts are answers.

import { describe, expect, it } from 'vitest';
import { decodeMessage, typeNumber } from '../../src/dns/codec.js';
import type { Message } from '../../src/dns/message.js';
import { parsePlainQuery, type PlainQuery } from '../../src/server/answer-cache.js';
import { rejectionRcode } from '../../src/server/validate-query.js';
import { seededRandom, type Random } from '../../src/util/random.js';
import { ADDITIONAL_MUTATIONS, BLIND_MUTATIONS, seedQueries, type Mutation } from './mutator.js';

const SEED = 0xd1ff_0a57;
const CASES = 150_000;

type Verdict = { accepted: true; query: Message } | { accepted: false; why: string };

/** What the full path (QueryHandler.handle without the cache) makes of a query. */
function fullVerdict(wire: Buffer): Verdict {
  let query: Message;
  try {
    query = decodeMessage(wire);
  } catch (err) {
    // Offsets and counts vary; the kind of malformation does not.
    return { accepted: false, why: (err as Error).message.replace(/\d+/g, 'N') };
  }
  if (query.qr) return { accepted: false, why: 'QR=1' };
  const rcode = rejectionRcode(query, wire);
  return rcode === undefined ? { accepted: true, query } : { accepted: false, why: `RCODE ${rcode}` };
}

/** The question name as the fast path keys it: length-prefixed labels, ASCII case folded. */
function wireName(name: string): string {
  if (name === '.' || name === '') return '';
  return name.toLowerCase().split('.').map((label) => String.fromCharCode(label.length) + label).join('');
}

/** Everything the cached response depends on, as the full parser read it. */
function meaning(query: Message, allowed: boolean): string {
  const q = query.questions[0];
  // AD=1 asks for the AD bit (RFC 6840 §5.7), so it is part of what a response depends on.
  return JSON.stringify([q.name.toLowerCase(), typeNumber(q.type), query.rd, query.cd, query.ad, query.edns !== undefined,
    query.edns?.dnssecOk ?? false, allowed]);
}

/**
 * Seeds, one in eight as they are (so the accepting side is well exercised),
 * the rest with one to three mutations, each as likely aimed at the
 * additional section as blind.
 */
function* cases(random: Random, count: number): Generator<Buffer> {
  const seeds = seedQueries();
  for (let i = 0; i < count; i++) {
    let wire = seeds[random.int(seeds.length)];
    if (random.int(8) !== 0) {
      for (let n = 1 + random.int(3); n > 0; n--) {
        const mutations: Mutation[] = random.int(2) === 0 ? ADDITIONAL_MUTATIONS : BLIND_MUTATIONS;
        wire = mutations[random.int(mutations.length)](wire, random);
      }
    }
    yield wire;
  }
}

describe('the cache-hit fast path rejects exactly what the full parser rejects', () => {
  it(`agrees with decodeMessage + rejectionRcode on ${CASES.toLocaleString('en')} generated and mutated queries`, () => {
    const random = seededRandom(SEED);
    // Each kind of disagreement once, with how often it happened and a wire to replay.
    const disagreements = new Map<string, { count: number; wire: string }>();
    const disagree = (what: string, wire: Buffer) => {
      const seen = disagreements.get(what) ?? { count: 0, wire: wire.toString('hex') };
      seen.count++;
      disagreements.set(what, seen);
    };
    const rejections = new Map<string, number>();
    let acceptedByBoth = 0;
    // The cache key must mean the same as the full parser's reading, both ways.
    const keyByMeaning = new Map<string, string>();
    const meaningByKey = new Map<string, string>();

    for (const wire of cases(random, CASES)) {
      const allowed = random.int(4) !== 0;
      const plain: PlainQuery | undefined = parsePlainQuery(wire, allowed);
      const full = fullVerdict(wire);
      if (!full.accepted) rejections.set(full.why, (rejections.get(full.why) ?? 0) + 1);
      if (!plain) continue;
      if (!full.accepted) {
        disagree(`fast path accepts what the full parser rejects (${full.why})`, wire);
        continue;
      }
      acceptedByBoth++;
      const { query } = full;
      const name = query.questions[0].name;
      if (plain.name !== wireName(name)) disagree('the parsers read different names', wire);
      if (plain.questionEnd !== 12 + wireName(name).length + 1 + 4) disagree('the question ends elsewhere', wire);
      if (plain.hasOpt !== (query.edns !== undefined)) disagree('OPT seen by one parser only', wire);
      if (plain.ednsSize !== (query.edns?.udpSize ?? 0)) disagree('the parsers read different EDNS sizes', wire);
      const key = `${plain.name}/${plain.variant}`;
      const meant = meaning(query, allowed);
      if ((keyByMeaning.get(meant) ?? key) !== key) disagree('one question, two cache keys', wire);
      if ((meaningByKey.get(key) ?? meant) !== meant) disagree('one cache key, two questions', wire);
      keyByMeaning.set(meant, key);
      meaningByKey.set(key, meant);
    }

    console.info(`fast-path differential: ${CASES} queries, ${acceptedByBoth} taken by both paths, ` +
      `${keyByMeaning.size} distinct cache keys, ${[...rejections.values()].reduce((a, b) => a + b, 0)} rejected by the full path ` +
      `(${rejections.size} kinds of rejection)`);
    expect(Object.fromEntries(disagreements)).toEqual({});
    // The generator reaches both sides, and every malformation the fast path could miss.
    expect(acceptedByBoth).toBeGreaterThan(CASES / 10);
    const seen = (why: string) => rejections.get(why) ?? 0;
    for (const why of [
      'EDNS option runs past its record', // RFC 6891 §6.1.2
      'truncated EDNS option',
      'more than one OPT record', // RFC 6891 §6.1.1
      'OPT record not owned by the root',
      'N bytes of trailing data after the last record',
      'record data runs past the end of the message',
      'record header runs past the end of the message',
      'bad name at offset N: Cannot decode name (name too long)', // RFC 1035 §3.1
      'RCODE 1', // FORMERR: OPT or TSIG asked for (RFC 6895 §3.1)
      'RCODE 5', // REFUSED: AXFR, or class CH
      'RCODE 16', // BADVERS (RFC 6891 §6.1.3)
    ]) expect(seen(why), why).toBeGreaterThan(100);
  });
});
