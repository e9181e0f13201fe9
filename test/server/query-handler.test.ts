import { describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { decodeMessage } from '../../src/dns/codec.js';
import { EDE_OPTION_CODE, EdeCode, parseEdeOption, type ExtendedError } from '../../src/dns/ede.js';
import { Opcode, RCode, type Message } from '../../src/dns/message.js';
import { silentLogger } from '../../src/util/log.js';
import { AccessControl } from '../../src/server/acl.js';
import { AnswerCache } from '../../src/server/answer-cache.js';
import { ManualClock } from '../../src/util/clock.js';
import { QueryHandler, type LocalZones } from '../../src/server/query-handler.js';
import type { ClientInfo } from '../../src/server/message-handler.js';
import type { Recursor } from '../../src/resolver/recursor.js';
import { FakeRecursor, FakeZones, query } from './helpers.js';

const UDP: ClientInfo = { address: '192.0.2.53', port: 40000, transport: 'udp' };

function handler(options: { recursion?: boolean; recursor?: Recursor; zones?: LocalZones; logger?: typeof silentLogger } = {}) {
  return new QueryHandler({
    zones: options.zones ?? new FakeZones(),
    recursor: 'recursor' in options ? options.recursor : new FakeRecursor(),
    recursion: options.recursion ?? true,
    logger: options.logger ?? silentLogger,
  });
}

async function ask(h: QueryHandler, wire: Buffer, client: ClientInfo = UDP): Promise<Message> {
  const reply = await h.handle(wire, client);
  if (!reply) throw new Error('no reply');
  return decodeMessage(reply);
}

/** A 12-byte header: id 0xbeef, the given flags and section counts. */
function header(flags: number, qd = 1, an = 0, ns = 0, ar = 0): Buffer {
  const b = Buffer.alloc(12);
  b.writeUInt16BE(0xbeef, 0);
  b.writeUInt16BE(flags, 2);
  b.writeUInt16BE(qd, 4);
  b.writeUInt16BE(an, 6);
  b.writeUInt16BE(ns, 8);
  b.writeUInt16BE(ar, 10);
  return b;
}
const RD = 0x0100;
const CD = 0x0010;
/** "www.example.test" IN A in wire form. */
const QUESTION = Buffer.concat([
  Buffer.from([3, 0x77, 0x77, 0x77, 7, ...Buffer.from('example'), 4, ...Buffer.from('test'), 0]),
  Buffer.from([0, 1, 0, 1]),
]);

describe('QueryHandler: malformed input (RFC 1035 §4.1.1)', () => {
  const h = handler();

  it('drops a message shorter than a header', async () => {
    expect(await h.handle(Buffer.alloc(0), UDP)).toBeUndefined();
    expect(await h.handle(Buffer.from([0xbe, 0xef, 1, 0, 0, 1]), UDP)).toBeUndefined();
  });

  it('drops a response (QR=1), decodable or not', async () => {
    const response = query('www.example.test', 'A');
    response[2] |= 0x80;
    expect(await h.handle(response, UDP)).toBeUndefined();
    expect(await h.handle(Buffer.concat([header(0x8000), Buffer.from([0x40])]), UDP)).toBeUndefined();
  });

  const malformed: Array<[string, Buffer]> = [
    ['a label length with the reserved 0x40 bits', Buffer.concat([header(RD | CD), Buffer.from([0x41, 0x61, 0, 0, 1, 0, 1])])],
    ['a compression pointer loop', Buffer.concat([header(RD | CD), Buffer.from([0xc0, 12, 0, 1, 0, 1])])],
    ['a pointer to itself via an earlier name', Buffer.concat([header(RD | CD, 2), QUESTION, Buffer.from([0xc0, 12 + QUESTION.length, 0, 1, 0, 1])])],
    ['QDCOUNT beyond the data', Buffer.concat([header(RD | CD, 3), QUESTION])],
    ['ANCOUNT beyond the data', Buffer.concat([header(RD | CD, 1, 5), QUESTION])],
    ['a question cut short', Buffer.concat([header(RD | CD), QUESTION.subarray(0, QUESTION.length - 2)])],
    ['trailing garbage', Buffer.concat([header(RD | CD), QUESTION, Buffer.from([1, 2, 3])])],
    ['a label running past the end', Buffer.concat([header(RD | CD), Buffer.from([20, 0x61, 0x62])])],
  ];
  it.each(malformed)('answers FORMERR to %s, copying id, opcode, RD and CD, with no question', async (_, wire) => {
    const reply = await ask(h, wire);
    expect(reply).toMatchObject({ id: 0xbeef, qr: true, opcode: 0, rd: true, cd: true, rcode: RCode.FORMERR });
    expect(reply.questions).toEqual([]);
    expect(reply.edns).toBeUndefined();
  });

  it('copies a non-QUERY opcode into a FORMERR', async () => {
    const reply = await ask(h, Buffer.concat([header(Opcode.UPDATE << 11), Buffer.from([0x80])]));
    expect(reply).toMatchObject({ rcode: RCode.FORMERR, opcode: Opcode.UPDATE, rd: false });
  });

  it('answers FORMERR to QDCOUNT 0 and 2 (RFC 9619)', async () => {
    for (const wire of [header(RD, 0), Buffer.concat([header(RD, 2), QUESTION, QUESTION])]) {
      const reply = await ask(h, wire);
      expect(reply).toMatchObject({ id: 0xbeef, rcode: RCode.FORMERR, rd: true });
      expect(reply.questions).toEqual([]);
    }
  });

  it('answers FORMERR to a question name it could not echo exactly (non-ASCII byte, dot in a label)', async () => {
    const highByte = Buffer.concat([header(RD), Buffer.from([2, 0x61, 0xe9, 0, 0, 1, 0, 1])]);
    const dotted = Buffer.concat([header(RD), Buffer.from([3, 0x61, 0x2e, 0x62, 0, 0, 1, 0, 1])]);
    for (const wire of [highByte, dotted]) expect((await ask(h, wire)).rcode).toBe(RCode.FORMERR);
  });

  it('answers FORMERR to meta-TYPE questions (RFC 6895 §3.1)', async () => {
    for (const type of ['OPT', 'TYPE250', 'TYPE249', 'TYPE253', 'TYPE128']) {
      expect((await ask(h, query('www.example.test', type))).rcode, type).toBe(RCode.FORMERR);
    }
  });
});

describe('QueryHandler: what it will not do', () => {
  const h = handler();

  it.each([Opcode.IQUERY, Opcode.STATUS, Opcode.NOTIFY, Opcode.UPDATE, 15])('answers NOTIMP to opcode %i', async (opcode) => {
    const reply = await ask(h, query('example.test', 'SOA', { opcode, id: 7 }));
    expect(reply).toMatchObject({ id: 7, qr: true, opcode, rcode: RCode.NOTIMP });
  });

  it('answers BADVERS with an OPT of version 0 to EDNS version 1 (RFC 6891 §6.1.3)', async () => {
    const reply = await ask(h, query('www.example.test', 'A', { edns: { version: 1 } }));
    expect(reply.rcode).toBe(RCode.BADVERS);
    expect(reply.edns).toMatchObject({ version: 0, udpSize: 1232, options: [] });
    expect(reply.answers).toEqual([]);
  });

  it('refuses CHAOS version.bind and id.server: we do not disclose the version', async () => {
    for (const name of ['version.bind', 'id.server', 'hostname.bind']) {
      const reply = await ask(h, query(name, 'TXT', { klass: 'CH' }));
      expect(reply.rcode).toBe(RCode.REFUSED);
      expect(reply.answers).toEqual([]);
      expect(reply.questions).toEqual([{ name, type: 'TXT', class: 'CH' }]);
    }
  });

  it('refuses class ANY and HS', async () => {
    for (const klass of ['ANY', 'HS']) expect((await ask(h, query('www.example.test', 'A', { klass }))).rcode).toBe(RCode.REFUSED);
  });

  it('refuses zone transfers, even of a local zone', async () => {
    const zones = new FakeZones();
    const local = handler({ zones });
    for (const type of ['AXFR', 'IXFR']) expect((await ask(local, query('example.test', type))).rcode).toBe(RCode.REFUSED);
    expect(zones.asked).toEqual([]);
  });

  it('refuses names outside local zones when recursion is off, with RA=0', async () => {
    const recursor = new FakeRecursor();
    const reply = await ask(handler({ recursion: false, recursor }), query('www.example.org', 'A'));
    expect(reply).toMatchObject({ rcode: RCode.REFUSED, ra: false, aa: false });
    expect(recursor.calls).toEqual([]);
  });

  it('refuses names outside local zones when there is no recursor, and does not claim RA', async () => {
    const reply = await ask(handler({ recursion: true, recursor: undefined }), query('www.example.org', 'A'));
    expect(reply).toMatchObject({ rcode: RCode.REFUSED, ra: false });
  });
});

describe('QueryHandler: answers', () => {
  it('answers from a local zone first, echoing the question in the client\'s letter case', async () => {
    const recursor = new FakeRecursor();
    const reply = await ask(handler({ recursor }), query('WwW.ExAmple.TEST', 'A', { id: 4242, cd: true }));
    expect(reply).toMatchObject({ id: 4242, qr: true, aa: true, rd: true, cd: true, ra: true, rcode: RCode.NOERROR });
    expect(reply.questions).toEqual([{ name: 'WwW.ExAmple.TEST', type: 'A', class: 'IN' }]);
    expect(reply.answers.map((rr) => rr.data)).toEqual(['192.0.2.1']);
    expect(recursor.calls).toEqual([]);
  });

  it('serves local zones with RA=0 when recursion is off', async () => {
    const reply = await ask(handler({ recursion: false }), query('nope.example.test', 'A', { rd: false }));
    expect(reply).toMatchObject({ rcode: RCode.NXDOMAIN, aa: true, ra: false, rd: false });
    expect(reply.authorities[0].type).toBe('SOA');
  });

  it('recurses for other names: RA=1, AA=0, the result\'s sections', async () => {
    const recursor = new FakeRecursor();
    const reply = await ask(handler({ recursor }), query('Www.Example.ORG', 'A', { id: 9 }));
    expect(reply).toMatchObject({ id: 9, qr: true, aa: false, ra: true, rd: true, rcode: RCode.NOERROR });
    expect(reply.questions[0].name).toBe('Www.Example.ORG');
    // Compressed against the question, the owner comes back in the client's letter case.
    expect(reply.answers[0]).toMatchObject({ name: 'Www.Example.ORG', data: '198.51.100.1' });
    expect(recursor.calls).toEqual([{ question: { name: 'Www.Example.ORG', type: 'A', class: 'IN' }, options: { cacheOnly: false, dnssec: false, checkingDisabled: false } }]);
  });

  it('asks the recursor for cached data only when RD=0 (RFC 1034 §4.3.1)', async () => {
    const recursor = new FakeRecursor();
    const reply = await ask(handler({ recursor }), query('www.example.org', 'A', { rd: false }));
    expect(reply).toMatchObject({ rd: false, ra: true });
    expect(recursor.calls[0].options).toEqual({ cacheOnly: true, dnssec: false, checkingDisabled: false });
  });

  it('passes on NXDOMAIN with its SOA', async () => {
    const soa = { name: 'example.org', type: 'SOA', class: 'IN', ttl: 60,
      data: { mname: 'ns.example.org', rname: 'h.example.org', serial: 1, refresh: 1, retry: 1, expire: 1, minimum: 60 } };
    const recursor = new FakeRecursor(async () => ({ rcode: RCode.NXDOMAIN, answers: [], authorities: [soa] }));
    const reply = await ask(handler({ recursor }), query('nope.example.org', 'A'));
    expect(reply.rcode).toBe(RCode.NXDOMAIN);
    expect(reply.authorities).toEqual([soa]);
  });

  it('answers SERVFAIL, logged at warn, when the recursor throws', async () => {
    const lines: Array<Record<string, unknown>> = [];
    const logger = pino({ level: 'info' }, { write: (line: string) => lines.push(JSON.parse(line)) });
    const recursor = new FakeRecursor(async () => {
      throw new Error('budget exhausted');
    });
    const reply = await ask(handler({ recursor, logger }), query('www.example.org', 'A', { edns: true }));
    expect(reply).toMatchObject({ rcode: RCode.SERVFAIL, ra: true, aa: false });
    expect(reply.questions).toEqual([{ name: 'www.example.org', type: 'A', class: 'IN' }]);
    expect(reply.edns).toMatchObject({ version: 0, udpSize: 1232 });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: 40, err: { message: 'budget exhausted' } });
  });

  it('answers SERVFAIL when the local zones throw', async () => {
    const zones: LocalZones = { respond: () => { throw new Error('bug'); } };
    expect((await ask(handler({ zones }), query('www.example.test', 'A'))).rcode).toBe(RCode.SERVFAIL);
  });
});

describe('QueryHandler: EDNS in responses (RFC 6891)', () => {
  const h = handler();

  it('adds an OPT advertising 1232, version 0, no options, when the query had one; DO copied (RFC 3225 §3)', async () => {
    const reply = await ask(h, query('www.example.test', 'A', {
      edns: { udpSize: 4096, dnssecOk: true, options: [{ code: 10, data: Buffer.alloc(8, 1) }] },
    }));
    expect(reply.edns).toEqual({ udpSize: 1232, version: 0, dnssecOk: true, extendedRcode: 0, options: [] });
    const plain = await ask(h, query('www.example.test', 'A', { edns: { udpSize: 4096, dnssecOk: false, options: [] } }));
    expect(plain.edns?.dnssecOk).toBe(false);
  });

  it('adds no OPT when the query had none', async () => {
    expect((await ask(h, query('www.example.test', 'A'))).edns).toBeUndefined();
  });

  it('adds the OPT to error responses too', async () => {
    const refused = await ask(h, query('version.bind', 'TXT', { klass: 'CH', edns: true }));
    const notimp = await ask(h, query('example.test', 'SOA', { opcode: Opcode.NOTIFY, edns: true }));
    expect(refused.edns?.version).toBe(0);
    expect(notimp.edns?.version).toBe(0);
  });
});

describe('QueryHandler: Extended DNS Errors (RFC 8914)', () => {
  const UNREACHABLE: ExtendedError = { code: EdeCode.NoReachableAuthority, text: 'zone example.org.: no server answered (timed out: 2)' };
  const failing = () => new FakeRecursor(async () => ({ rcode: RCode.SERVFAIL, answers: [], authorities: [], ede: UNREACHABLE }));

  /** The EDE options of a reply, read back from the wire. */
  const edes = (reply: Message) =>
    (reply.edns?.options ?? []).filter((o) => o.code === EDE_OPTION_CODE).map((o) => parseEdeOption(o.data!));

  it('§3: a SERVFAIL carries the recursor\'s reason in the OPT when the query had EDNS', async () => {
    const reply = await ask(handler({ recursor: failing() }), query('www.example.org', 'A', { edns: true }));
    expect(reply.rcode).toBe(RCode.SERVFAIL);
    expect(edes(reply)).toEqual([UNREACHABLE]);
    expect(reply.edns).toMatchObject({ version: 0, udpSize: 1232 });
  });

  it('§3: no OPT in the query, no EDE (and no OPT) in the response', async () => {
    const reply = await ask(handler({ recursor: failing() }), query('www.example.org', 'A'));
    expect(reply.rcode).toBe(RCode.SERVFAIL);
    expect(reply.edns).toBeUndefined();
  });

  it('§3: also over TCP and on the answer-cache path, and the SERVFAIL is not kept', async () => {
    const recursor = failing();
    const h = new QueryHandler({ zones: new FakeZones(), recursor, recursion: true, logger: silentLogger, answerCache: new AnswerCache(new ManualClock(), 100) });
    for (const client of [UDP, { ...UDP, transport: 'tcp' as const }]) {
      expect(edes(await ask(h, query('www.example.org', 'A', { edns: true }), client))).toEqual([UNREACHABLE]);
    }
    expect(recursor.calls).toHaveLength(2);
  });

  it('answers, NXDOMAIN and local data carry no EDE', async () => {
    const h = handler();
    for (const name of ['www.example.org', 'www.example.test', 'nope.example.test']) {
      const reply = await ask(h, query(name, 'A', { edns: true }));
      expect(reply.edns?.options, name).toEqual([]);
    }
  });

  it('§4.19 (18, Prohibited): REFUSED to a client outside the access list', async () => {
    const h = new QueryHandler({
      zones: new FakeZones(), recursor: new FakeRecursor(), recursion: true, logger: silentLogger,
      access: new AccessControl(['10.0.0.0/8'], 'all'),
    });
    const reply = await ask(h, query('www.example.org', 'A', { edns: true }));
    expect(reply).toMatchObject({ rcode: RCode.REFUSED, ra: false });
    expect(edes(reply)).toEqual([{ code: EdeCode.Prohibited, text: 'this client is not in the access list' }]);
    // Local zones still answer everyone ('all'), without an EDE.
    expect((await ask(h, query('www.example.test', 'A', { edns: true }))).edns?.options).toEqual([]);
  });

  it('§4.21 (20, Not Authoritative): REFUSED for a name outside the local zones when recursion is off', async () => {
    const reply = await ask(handler({ recursion: false }), query('www.example.org', 'A', { edns: true }));
    expect(reply.rcode).toBe(RCode.REFUSED);
    expect(edes(reply)).toEqual([{ code: EdeCode.NotAuthoritative, text: 'recursion is off' }]);
  });

  it('§4.1 (0, Other): an internal error says "internal error" and nothing more', async () => {
    const recursor = new FakeRecursor(async () => {
      throw new Error('secret detail at /srv/hops/src/x.ts:12');
    });
    const reply = await ask(handler({ recursor }), query('www.example.org', 'A', { edns: true }));
    expect(reply.rcode).toBe(RCode.SERVFAIL);
    expect(edes(reply)).toEqual([{ code: EdeCode.Other, text: 'internal error' }]);
  });

  it('a local CNAME whose target fails to resolve passes the reason on', async () => {
    const zones: LocalZones = {
      respond: (q) => (q.questions[0].name.toLowerCase() === 'alias.example.test'
        ? { ...q, qr: true, aa: true, answers: [{ name: 'alias.example.test', type: 'CNAME', class: 'IN', ttl: 60, data: 'www.example.org' }] }
        : undefined),
    };
    const reply = await ask(handler({ zones, recursor: failing() }), query('alias.example.test', 'A', { edns: true }));
    expect(reply.rcode).toBe(RCode.SERVFAIL);
    expect(reply.answers.map((rr) => rr.type)).toEqual(['CNAME']);
    expect(edes(reply)).toEqual([UNREACHABLE]);
  });
});

describe('QueryHandler: logging', () => {
  it('writes one debug line per query with client, name, type, rcode and time', async () => {
    const lines: Array<Record<string, unknown>> = [];
    const logger = pino({ level: 'debug' }, { write: (line: string) => lines.push(JSON.parse(line)) });
    const h = handler({ logger });
    await h.handle(query('www.example.test', 'A'), UDP);
    await h.handle(query('www.example.org', 'AAAA'), { ...UDP, transport: 'tcp' });
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatchObject({ level: 20, client: '192.0.2.53', port: 40000, transport: 'udp',
      qname: 'www.example.test', qtype: 'A', rcode: 'NOERROR' });
    expect(lines[1]).toMatchObject({ transport: 'tcp', qname: 'www.example.org', qtype: 'AAAA' });
    expect(typeof lines[0].ms).toBe('number');
  });

  it('writes nothing per query above debug', async () => {
    const lines: string[] = [];
    const logger = pino({ level: 'info' }, { write: (line: string) => lines.push(line) });
    const h = handler({ logger });
    await h.handle(query('www.example.test', 'A'), UDP);
    await h.handle(Buffer.alloc(3), UDP);
    expect(lines).toEqual([]);
  });
});
