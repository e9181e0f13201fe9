import { describe, expect, it } from 'vitest';
import { decodeMessage, encodeMessage, encodeResponseWithTtls } from '../../src/dns/codec.js';
import { RCode } from '../../src/dns/message.js';
import { AccessControl } from '../../src/server/acl.js';
import { AnswerCache, parsePlainQuery } from '../../src/server/answer-cache.js';
import type { ClientInfo } from '../../src/server/message-handler.js';
import { QueryHandler } from '../../src/server/query-handler.js';
import { ManualClock } from '../../src/util/clock.js';
import { silentLogger } from '../../src/util/log.js';
import { FakeRecursor, FakeZones, query, queryMessage } from './helpers.js';

const UDP: ClientInfo = { address: '192.168.1.20', port: 40000, transport: 'udp' };
const OUTSIDER: ClientInfo = { address: '203.0.113.9', port: 40000, transport: 'udp' };

/** A query with EDNS and a client COOKIE option (RFC 7873), as dig sends it. */
const withCookie = (name: string, id = 0x1234) => query(name, 'A', { id, edns: { options: [{ code: 10, data: Buffer.alloc(8, 0xcc) }] } });
/** In withCookie(): the OPT record's fixed part (11 bytes) and its one option (4 + 8) end the message. */
const optStart = (wire: Buffer) => wire.length - 11 - 12;

/**
 * withCookie() broken in its additional section only: header and question
 * stay plain, so only a fast path that reads the OPT record through sees it.
 */
const brokenAdditionals: Array<[string, (good: Buffer) => Buffer]> = [
  ['RFC 6891 §6.1.2: an EDNS option running past the OPT RDATA', (good) => {
    const out = Buffer.from(good);
    out.writeUInt16BE(9, optStart(good) + 11 + 2); // the option's length: 9 of the 8 bytes there
    return out;
  }],
  ['RFC 6891 §6.1.2: an EDNS option header cut short inside the OPT RDATA', (good) => {
    const out = Buffer.concat([good, Buffer.from([0, 12])]);
    const rdlength = optStart(good) + 9;
    out.writeUInt16BE(out.readUInt16BE(rdlength) + 2, rdlength); // RDLENGTH covers the 2 bytes
    return out;
  }],
  ['RFC 6891 §6.1.1: a second OPT record', (good) => {
    const out = Buffer.concat([good, good.subarray(optStart(good))]);
    out.writeUInt16BE(2, 10); // ARCOUNT
    return out;
  }],
  ['RFC 6891 §6.1.2: an OPT record not owned by the root', (good) => {
    const opt = optStart(good);
    return Buffer.concat([good.subarray(0, opt), Buffer.from([0xc0, 12]), good.subarray(opt + 1)]); // the question's name
  }],
  ['bytes trailing the OPT record', (good) => Buffer.concat([good, Buffer.from([0])])],
];

describe('parsePlainQuery: only plain queries take the fast path', () => {
  it('reads the question and folds its case into the key', () => {
    const a = parsePlainQuery(query('WWW.Example.ORG', 'A'), true)!;
    const b = parsePlainQuery(query('www.example.org', 'A'), true)!;
    expect([a.name, a.variant]).toEqual([b.name, b.variant]);
    expect(a.questionEnd).toBe(12 + 17 + 4);
    expect(a.hasOpt).toBe(false);
  });

  it('keys on everything the response depends on', () => {
    const key = (wire: Buffer, allowed = true) => { const q = parsePlainQuery(wire, allowed)!; return `${q.name}/${q.variant}`; };
    const base = key(query('www.example.org', 'A'));
    expect(key(query('www.example.org', 'AAAA'))).not.toBe(base);
    expect(key(query('www.example.org', 'A', { rd: false }))).not.toBe(base);
    expect(key(query('www.example.org', 'A', { cd: true }))).not.toBe(base);
    expect(key(query('www.example.org', 'A', { edns: true }))).not.toBe(base);
    expect(key(query('www.example.org', 'A', { edns: { dnssecOk: true } }))).not.toBe(key(query('www.example.org', 'A', { edns: true })));
    expect(key(query('www.example.org', 'A'), false)).not.toBe(base);
  });

  it.each([
    ['a response (QR=1)', (() => { const m = queryMessage('a.example', 'A'); m.qr = true; return encodeMessage(m); })()],
    ['opcode NOTIFY', query('a.example', 'SOA', { opcode: 4 })],
    ['class CH', query('version.bind', 'TXT', { klass: 'CH' })],
    ['EDNS version 1', query('a.example', 'A', { edns: { version: 1 } })],
    ['trailing bytes', Buffer.concat([query('a.example', 'A'), Buffer.from([0])])],
    ['two questions', (() => { const m = queryMessage('a.example', 'A'); m.questions.push(m.questions[0]); return encodeMessage(m); })()],
    ['a compression pointer', (() => { const b = query('a.example', 'A'); const out = Buffer.from(b); out[12] = 0xc0; out[13] = 12; return out; })()],
    ['a byte outside printable ASCII', (() => { const b = Buffer.from(query('a.example', 'A')); b[13] = 0xe9; return b; })()],
    ['a short header', Buffer.alloc(11)],
    ['RFC 1035 §3.1: a name of 256 octets', query(`${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(62)}`, 'A')],
    ['AXFR (REFUSED)', query('example.test', 'AXFR')],
    ['RFC 6895 §3.1: the meta-TYPE OPT asked for (FORMERR)', query('example.test', 'OPT')],
    ...brokenAdditionals.map(([why, broken]): [string, Buffer] => [why, broken(withCookie('a.example'))]),
  ])('%s goes the full way', (_why, wire) => {
    expect(parsePlainQuery(wire, true)).toBeUndefined();
  });

  it('takes a name of 255 octets (RFC 1035 §3.1) and an OPT record with options', () => {
    expect(parsePlainQuery(query(`${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(61)}`, 'A'), true)).toBeDefined();
    expect(parsePlainQuery(withCookie('a.example'), true)).toMatchObject({ hasOpt: true, ednsSize: 1232 });
    expect(parsePlainQuery(query('a.example', 'A', { edns: { options: [{ code: 3 }, { code: 12, data: Buffer.alloc(3) }] } }), true)).toBeDefined();
  });
});

describe('AnswerCache', () => {
  function stored(clock: ManualClock, ttl: number, decaying = true) {
    const cache = new AnswerCache(clock, 10);
    const first = queryMessage('www.example.org', 'A', { id: 1 });
    const response = { ...first, qr: true, answers: [{ name: 'www.example.org', type: 'A', class: 'IN', ttl, data: '192.0.2.1' }] };
    cache.set(parsePlainQuery(encodeMessage(first), true)!, encodeResponseWithTtls(response, 512), decaying);
    return cache;
  }
  const ask = (cache: AnswerCache, wire: Buffer, limit = 512) => {
    const out = cache.get(parsePlainQuery(wire, true)!, wire, limit);
    return out && decodeMessage(out);
  };

  it("answers with the client's id and letter case", () => {
    const cache = stored(new ManualClock(), 300);
    const reply = ask(cache, query('WwW.ExAmPlE.oRg', 'A', { id: 4242 }))!;
    expect(reply.id).toBe(4242);
    expect(reply.questions[0].name).toBe('WwW.ExAmPlE.oRg');
    expect(reply.answers[0].data).toBe('192.0.2.1');
    expect(reply.answers[0].name).toBe('WwW.ExAmPlE.oRg'); // compressed against the question
  });

  it('counts TTLs down with the clock and forgets the answer when the first TTL ends', () => {
    const clock = new ManualClock();
    const cache = stored(clock, 10);
    clock.advance(3_500);
    expect(ask(cache, query('www.example.org', 'A'))!.answers[0].ttl).toBe(7);
    clock.advance(6_499);
    expect(ask(cache, query('www.example.org', 'A'))!.answers[0].ttl).toBe(1);
    clock.advance(1);
    expect(ask(cache, query('www.example.org', 'A'))).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it('never keeps a resolved answer with no record to count down (a NODATA without SOA; RFC 2308 §5)', () => {
    const cache = new AnswerCache(new ManualClock(), 10);
    const first = queryMessage('empty.example.org', 'A', { id: 1 });
    cache.set(parsePlainQuery(encodeMessage(first), true)!, encodeResponseWithTtls({ ...first, qr: true }, 512), true);
    expect(cache.size).toBe(0);
    expect(ask(cache, query('empty.example.org', 'A'))).toBeUndefined();
  });

  it('keeps local-zone TTLs fixed until cleared', () => {
    const clock = new ManualClock();
    const cache = stored(clock, 10, false);
    clock.advance(60_000);
    expect(ask(cache, query('www.example.org', 'A'))!.answers[0].ttl).toBe(10);
    cache.clear();
    expect(ask(cache, query('www.example.org', 'A'))).toBeUndefined();
  });

  it('never keeps a TTL of 0 (RFC 1035 §3.2.1: use once)', () => {
    expect(stored(new ManualClock(), 0).size).toBe(0);
  });

  it('does not serve an answer larger than the client may receive', () => {
    const cache = stored(new ManualClock(), 300);
    expect(ask(cache, query('www.example.org', 'A'), 40)).toBeUndefined();
  });

  it('stays within its bound, forgetting the oldest', () => {
    const clock = new ManualClock();
    const cache = new AnswerCache(clock, 2);
    for (const name of ['a.example', 'b.example', 'c.example']) {
      const q = queryMessage(name, 'A');
      cache.set(parsePlainQuery(encodeMessage(q), true)!, encodeResponseWithTtls({ ...q, qr: true }, 512), false);
    }
    expect(cache.size).toBe(2);
    expect(ask(cache, query('a.example', 'A'))).toBeUndefined();
    expect(ask(cache, query('c.example', 'A'))).toBeDefined();
  });
});

describe('QueryHandler with an answer cache', () => {
  function setup() {
    const clock = new ManualClock();
    const recursor = new FakeRecursor();
    const zones = new FakeZones();
    const h = new QueryHandler({
      zones, recursor, recursion: true, logger: silentLogger,
      access: new AccessControl(['192.168.0.0/16'], 'all'), answerCache: new AnswerCache(clock, 100),
    });
    return { clock, recursor, zones, h };
  }
  const ask = async (h: QueryHandler, wire: Buffer, client = UDP) => decodeMessage((await h.handle(wire, client))!);

  it('answers a repeated question without asking the recursor again, TTL counting down', async () => {
    const { clock, recursor, h } = setup();
    expect((await ask(h, query('www.example.org', 'A', { id: 1 }))).answers[0].ttl).toBe(60);
    clock.advance(5_000);
    const second = await ask(h, query('WWW.example.org', 'A', { id: 2 }));
    expect(recursor.calls).toHaveLength(1);
    expect(second).toMatchObject({ id: 2, ra: true, aa: false, rcode: RCode.NOERROR });
    expect(second.answers[0].ttl).toBe(55);
  });

  it('does not give an allowed client’s recursive answer to a client outside the list', async () => {
    const { recursor, h } = setup();
    await ask(h, query('www.example.org', 'A'));
    const outsider = await ask(h, query('www.example.org', 'A'), OUTSIDER);
    expect(outsider.rcode).toBe(RCode.REFUSED);
    expect(outsider.answers).toEqual([]);
    expect(recursor.calls).toHaveLength(1);
  });

  it('serves local-zone answers from the cache until the zones change', async () => {
    const { zones, h } = setup();
    await ask(h, query('www.example.test', 'A'));
    await ask(h, query('www.example.test', 'A'));
    expect(zones.asked).toHaveLength(1);
    h.zonesChanged();
    await ask(h, query('www.example.test', 'A'));
    expect(zones.asked).toHaveLength(2);
  });

  it('does not keep truncated answers: the TCP retry gets the whole answer', async () => {
    const { zones, h } = setup();
    expect((await ask(h, query('big.example.test', 'TXT'))).tc).toBe(true);
    const tcp = await ask(h, query('big.example.test', 'TXT'), { ...UDP, transport: 'tcp' });
    expect(tcp.tc).toBe(false);
    expect(tcp.answers).toHaveLength(40);
    // And a UDP query after the TCP one is still truncated, not sent whole.
    expect((await ask(h, query('big.example.test', 'TXT'))).tc).toBe(true);
    expect(zones.asked.length).toBeGreaterThanOrEqual(2);
  });

  it('does not keep RD=0 answers from the cache (a referral goes stale once the name is resolved)', async () => {
    const { recursor, h } = setup();
    await ask(h, query('www.example.org', 'A', { rd: false }));
    await ask(h, query('www.example.org', 'A', { rd: false }));
    expect(recursor.calls).toHaveLength(2);
  });

  it.each(brokenAdditionals)('%s gets FORMERR, not the cached NOERROR', async (_why, broken) => {
    const { recursor, h } = setup();
    const good = await ask(h, withCookie('www.example.org', 1));
    expect(good.rcode).toBe(RCode.NOERROR);
    expect(h.answerNow(withCookie('www.example.org', 2), UDP)).toBeDefined(); // primed: the same question is a hit

    const wire = broken(withCookie('www.example.org', 3));
    const reply = await ask(h, wire);
    expect(reply).toMatchObject({ id: 3, rcode: RCode.FORMERR });
    expect(reply.answers).toEqual([]);
    expect(h.answerNow(wire, UDP)).toBeUndefined(); // the listeners' synchronous path too
    expect(recursor.calls).toHaveLength(1);
    // And the good question is still answered from the cache.
    expect((await ask(h, withCookie('www.example.org', 4))).answers).toHaveLength(1);
    expect(recursor.calls).toHaveLength(1);
  });

  it('does not keep SERVFAIL', async () => {
    const clock = new ManualClock();
    const recursor = new FakeRecursor(async () => ({ rcode: RCode.SERVFAIL, answers: [], authorities: [] }));
    const h = new QueryHandler({ zones: new FakeZones(), recursor, recursion: true, logger: silentLogger, answerCache: new AnswerCache(clock, 10) });
    await h.handle(query('broken.example.org', 'A'), UDP);
    await h.handle(query('broken.example.org', 'A'), UDP);
    expect(recursor.calls).toHaveLength(2);
  });
});

describe('a local CNAME leaving the local zones', () => {
  // www.example.test is data; out.example.test is a CNAME to a name outside.
  class ZonesWithCname extends FakeZones {
    override respond(query: Parameters<FakeZones['respond']>[0]) {
      const q = query.questions[0];
      if (q.name.toLowerCase() !== 'out.example.test') return super.respond(query);
      const response = super.respond({ ...query, questions: [{ ...q, name: 'www.example.test', type: 'TXT' }] })!;
      return { ...response, rcode: RCode.NOERROR, authorities: [], questions: [q],
        answers: [{ name: 'out.example.test', type: 'CNAME', class: 'IN', ttl: 300, data: 'target.example.org' }] };
    }
  }

  it('is followed by recursion for clients that may recurse, and the chain is returned whole', async () => {
    const recursor = new FakeRecursor();
    const h = new QueryHandler({ zones: new ZonesWithCname(), recursor, recursion: true, logger: silentLogger, answerCache: new AnswerCache(new ManualClock(), 10) });
    const reply = decodeMessage((await h.handle(query('out.example.test', 'A'), UDP))!);
    expect(reply.rcode).toBe(RCode.NOERROR);
    expect(reply.answers.map((rr) => `${rr.name} ${rr.type} ${String(rr.data)}`)).toEqual([
      'out.example.test CNAME target.example.org', 'target.example.org A 198.51.100.1',
    ]);
    expect(recursor.calls.map((c) => c.question.name)).toEqual(['target.example.org']);
    // Not kept in the answer cache: asked again, it is chased again.
    await h.handle(query('out.example.test', 'A'), UDP);
    expect(recursor.calls).toHaveLength(2);
  });

  it('is answered from local zones when the target is in one: a local name never goes upstream', async () => {
    class CnameToOtherLocalZone extends ZonesWithCname {
      override respond(query: Parameters<FakeZones['respond']>[0]) {
        const q = query.questions[0];
        if (q.name.toLowerCase() !== 'other.example.test') return super.respond(query);
        // A second local zone's answer for the target www.example.test.
        return { ...super.respond({ ...query, questions: [{ ...q, name: 'www.example.test' }] })!, questions: [q],
          answers: [{ name: 'other.example.test', type: 'CNAME', class: 'IN', ttl: 300, data: 'www.example.test' }] };
      }
    }
    // other.example.test CNAME www.example.test, whose A record the zones hold.
    const zones = new CnameToOtherLocalZone();
    const recursor = new FakeRecursor();
    const h = new QueryHandler({ zones, recursor, recursion: true, logger: silentLogger });
    const reply = decodeMessage((await h.handle(query('other.example.test', 'A'), UDP))!);
    expect(reply.answers.map((rr) => `${rr.name} ${rr.type} ${String(rr.data)}`)).toEqual([
      'other.example.test CNAME www.example.test', 'www.example.test A 192.0.2.1',
    ]);
    expect(recursor.calls).toHaveLength(0);
  });

  it('is left as it is when recursion is off or RD=0', async () => {
    const recursor = new FakeRecursor();
    const off = new QueryHandler({ zones: new ZonesWithCname(), recursion: false, logger: silentLogger });
    expect(decodeMessage((await off.handle(query('out.example.test', 'A'), UDP))!).answers).toHaveLength(1);
    const rd0 = new QueryHandler({ zones: new ZonesWithCname(), recursor, recursion: true, logger: silentLogger });
    expect(decodeMessage((await rd0.handle(query('out.example.test', 'A', { rd: false }), UDP))!).answers).toHaveLength(1);
    expect(recursor.calls).toHaveLength(0);
  });
});
