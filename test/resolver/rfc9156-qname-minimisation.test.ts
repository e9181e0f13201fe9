// RFC 9156 QNAME minimisation, relaxed mode (on by default): the servers of
// each zone cut are asked `<next label> NS` (as Knot Resolver) until the name
// one label short of the question; only the servers of the last cut see the
// full name and the real QTYPE. Full-name iteration (RFC 1034) is pinned in
// rfc1034-referrals.test.ts.

import { describe, expect, it } from 'vitest';
import { RCode, type Message } from '../../src/dns/message.js';
import { MAX_MINIMISE_COUNT } from '../../src/resolver/qname-minimisation.js';
import { ADDRESSES } from '../fakes/hierarchy.js';
import type { FakeServerOptions } from '../fakes/fake-network.js';
import { lines, reply, type ReplySpec } from '../fakes/records.js';
import { harness, trail } from './harness.js';
import { ROOT_ADDRESS, rootZone, world, zone } from './world.js';

const COM = '192.0.2.30';
const EXAMPLE = '192.0.2.44';
const SUB = '192.0.2.45';

const LONG_LABELS = 'a.b.c.d.e.f.g.h.i.j.k.l.m.n.o'; // 15 labels below example.com

/**
 *   .                      a.root-servers.net
 *   com                    ns.com 192.0.2.30
 *   example.com            ns.example.com 192.0.2.44: dept and lab.dept are
 *                          empty non-terminals above www.dept, host.lab.dept
 *                          and the cut sub.dept
 *   sub.dept.example.com   ns.sub.dept.example.com 192.0.2.45
 */
const ZONES = {
  root: rootZone('com. NS ns.com.\nns.com. A 192.0.2.30'),
  com: zone('com', '@ NS ns\nns A 192.0.2.30\nexample NS ns.example\nns.example A 192.0.2.44'),
  example: zone('example.com', `
@            NS ns
ns           A 192.0.2.44
www          A 192.0.2.80
a.b          A 192.0.2.82
www.dept     A 192.0.2.81
host.lab.dept A 192.0.2.83
sub.dept     NS ns.sub.dept
ns.sub.dept  A 192.0.2.45
${LONG_LABELS} A 192.0.2.15
`),
  sub: zone('sub.dept.example.com', '@ NS ns\nns A 192.0.2.45\nwww A 192.0.2.90'),
};

/** The hierarchy above, some servers misbehaving as `behaviour` says. */
function internet(behaviour: Record<string, FakeServerOptions> = {}) {
  return world({ root: ZONES.root, servers: { [COM]: [ZONES.com], [EXAMPLE]: [ZONES.example], [SUB]: [ZONES.sub] }, behaviour });
}

/** A reply to `query` with the sections of `spec` (records as `owner ttl TYPE data`). */
function scripted(query: Message, spec: ReplySpec): Message {
  const q = query.questions[0];
  return { ...reply(q.name, q.type, spec), id: query.id, questions: query.questions };
}

/** The trail without priming (`. NS`), which every fresh resolver sends first. */
const asked = (queries: Parameters<typeof trail>[0]): string[] => trail(queries.filter((q) => q.name !== '.'));

describe('RFC 9156 §3: one label more per zone cut, the real question only at the last one', () => {
  it('the root and com see only `com NS` and `example.com NS`; example.com\'s servers get www.example.com A', async () => {
    const { ask, network } = harness();
    const result = await ask('www.example.com');
    expect(result.rcode).toBe(RCode.NOERROR);
    expect(lines(result.answers)).toEqual(['www.example.com 300 A 192.0.2.80']);
    expect(asked(network.queries)).toEqual([
      expect.stringMatching(new RegExp(`^(${ADDRESSES.rootA}|${ADDRESSES.rootB}) com NS$`)),
      `${ADDRESSES.gtld} example.com NS`,
      expect.stringMatching(/^192\.0\.2\.[12] www\.example\.com A$/),
    ]);
  });

  it('RFC 1034 §5.3.3 with qnameMinimisation off: the root gets the full name and type', async () => {
    const { ask, network } = harness({ options: { qnameMinimisation: false } });
    expect(lines((await ask('www.example.com')).answers)).toEqual(['www.example.com 300 A 192.0.2.80']);
    expect(asked(network.queries)).toEqual([
      expect.stringMatching(new RegExp(`^(${ADDRESSES.rootA}|${ADDRESSES.rootB}) www\\.example\\.com A$`)),
      `${ADDRESSES.gtld} www.example.com A`,
      expect.stringMatching(/^192\.0\.2\.[12] www\.example\.com A$/),
    ]);
  });

  it('a second name under a cached cut starts there: nothing more goes to the root or com', async () => {
    const { ask, network } = internet();
    await ask('www.example.com');
    network.clear();
    const result = await ask('a.b.example.com');
    expect(lines(result.answers)).toEqual(['a.b.example.com 3600 A 192.0.2.82']);
    expect(trail(network.queries)).toEqual([
      `${EXAMPLE} b.example.com NS`, // an empty non-terminal: NODATA
      `${EXAMPLE} a.b.example.com A`,
    ]);
  });
});

describe('RFC 9156 §3 step 6: what a minimised query teaches', () => {
  it('NODATA (an empty non-terminal) means no cut there: one more label at the same servers', async () => {
    const { ask, network } = internet();
    const result = await ask('host.lab.dept.example.com');
    expect(result.rcode).toBe(RCode.NOERROR);
    expect(lines(result.answers)).toEqual(['host.lab.dept.example.com 3600 A 192.0.2.83']);
    expect(trail(network.queries)).toEqual([
      `${ROOT_ADDRESS} . NS`,
      `${ROOT_ADDRESS} com NS`,
      `${COM} example.com NS`,
      `${EXAMPLE} dept.example.com NS`, // NODATA
      `${EXAMPLE} lab.dept.example.com NS`, // NODATA
      `${EXAMPLE} host.lab.dept.example.com A`,
    ]);
  });

  it('a cached NODATA for the minimised name saves the query (RFC 9156 §3 step 5)', async () => {
    const { ask, network } = internet();
    await ask('host.lab.dept.example.com');
    network.clear();
    expect(lines((await ask('www.dept.example.com')).answers)).toEqual(['www.dept.example.com 3600 A 192.0.2.81']);
    expect(trail(network.queries)).toEqual([`${EXAMPLE} www.dept.example.com A`]);
  });

  it('NODATA at an empty non-terminal, then a referral one label down: the cut below it is found', async () => {
    const { ask, network } = internet();
    const result = await ask('www.sub.dept.example.com');
    expect(lines(result.answers)).toEqual(['www.sub.dept.example.com 3600 A 192.0.2.90']);
    expect(asked(network.queries)).toEqual([
      `${ROOT_ADDRESS} com NS`,
      `${COM} example.com NS`,
      `${EXAMPLE} dept.example.com NS`,
      `${EXAMPLE} sub.dept.example.com NS`, // referral to 192.0.2.45
      `${SUB} www.sub.dept.example.com A`,
    ]);
  });

  it('the NS set of the next name from a server that serves the child too is a new cut', async () => {
    // 192.0.2.44 serves both example.com and sub.dept.example.com: `sub.dept.example.com NS` is an authoritative answer.
    const shared = zone('sub.dept.example.com', '@ NS ns.example.com.\nwww A 192.0.2.91\nmail A 192.0.2.92');
    const { ask, network, resolver } = world({ root: ZONES.root, servers: { [COM]: [ZONES.com], [EXAMPLE]: [ZONES.example, shared] } });
    expect(lines((await ask('www.sub.dept.example.com')).answers)).toEqual(['www.sub.dept.example.com 3600 A 192.0.2.91']);
    expect(trail(network.queriesTo(EXAMPLE))).toEqual([
      `${EXAMPLE} dept.example.com NS`,
      `${EXAMPLE} sub.dept.example.com NS`, // the child's NS set, AA=1
      `${EXAMPLE} www.sub.dept.example.com A`,
    ]);
    expect(lines(resolver.cache.getRRset('sub.dept.example.com', 'NS', 'IN')!)).toEqual(['sub.dept.example.com 3600 NS ns.example.com']);
    network.clear();
    // The cut is cached: the next name under it starts at sub.dept.example.com's servers, with nothing to minimise.
    expect(lines((await ask('mail.sub.dept.example.com')).answers)).toEqual(['mail.sub.dept.example.com 3600 A 192.0.2.92']);
    expect(trail(network.queries)).toEqual([`${EXAMPLE} mail.sub.dept.example.com A`]);
  });
});

describe('RFC 8020 with RFC 9156 §3: an authoritative NXDOMAIN for a minimised name', () => {
  it('answers NXDOMAIN for the whole question without asking the full name', async () => {
    const { ask, network } = internet();
    const result = await ask('a.b.nothere.example.com');
    expect(result.rcode).toBe(RCode.NXDOMAIN);
    expect(result.answers).toEqual([]);
    expect(lines(result.authorities)).toEqual(['example.com 300 SOA ns.example.com hostmaster.example.com 1 3600 600 86400 300']);
    expect(asked(network.queries)).toEqual([
      `${ROOT_ADDRESS} com NS`,
      `${COM} example.com NS`,
      `${EXAMPLE} nothere.example.com NS`,
    ]);
  });

  it('a name below the cached NXDOMAIN costs no query at all', async () => {
    const { ask, network } = internet();
    await ask('a.b.nothere.example.com');
    network.clear();
    const result = await ask('c.nothere.example.com', 'AAAA');
    expect(result.rcode).toBe(RCode.NXDOMAIN);
    expect(network.queries).toEqual([]);
  });
});

describe('RFC 9156 §2.3 relaxed mode: a bad reply to a minimised query gets the full question', () => {
  /** example.com's server answers any minimised (NS) query below the apex as `misbehave` says. */
  const minimisedQueries = (misbehave: (query: Message) => Message | 'drop'): Record<string, FakeServerOptions> => ({
    [EXAMPLE]: {
      intercept: (query: Message) => {
        const q = query.questions[0];
        return q.type === 'NS' && q.name.toLowerCase() !== 'example.com' ? misbehave(query) : undefined;
      },
    },
  });

  it.each([
    ['a non-authoritative NXDOMAIN for an empty non-terminal', (query: Message) => scripted(query, {
      rcode: RCode.NXDOMAIN, aa: false, authorities: ['example.com 300 SOA ns.example.com hostmaster.example.com 1 3600 600 86400 300'],
    })],
    ['SERVFAIL to the minimised query', (query: Message) => scripted(query, { rcode: RCode.SERVFAIL })],
  ])('%s: the full name is asked and answered', async (_what, misbehave) => {
    const { ask, network } = internet(minimisedQueries(misbehave));
    const result = await ask('www.dept.example.com');
    expect(result.rcode).toBe(RCode.NOERROR);
    expect(lines(result.answers)).toEqual(['www.dept.example.com 3600 A 192.0.2.81']);
    expect(trail(network.queriesTo(EXAMPLE))).toEqual([
      `${EXAMPLE} dept.example.com NS`,
      `${EXAMPLE} www.dept.example.com A`,
    ]);
  });

  it('a minimised query that times out: the full name is asked and answered', async () => {
    const { ask, network } = internet(minimisedQueries(() => 'drop'));
    const result = await ask('www.dept.example.com');
    expect(lines(result.answers)).toEqual(['www.dept.example.com 3600 A 192.0.2.81']);
    expect(trail(network.queriesTo(EXAMPLE))).toEqual([
      `${EXAMPLE} dept.example.com NS`,
      `${EXAMPLE} dept.example.com NS`, // the one retry
      `${EXAMPLE} www.dept.example.com A`,
    ]);
  });
});

describe('RFC 9156 §2.3: a limit on minimised queries per name', () => {
  it(`15 labels under one zone cost at most MAX_MINIMISE_COUNT (${MAX_MINIMISE_COUNT}) minimised queries`, async () => {
    const { ask, network } = internet();
    const name = `${LONG_LABELS}.example.com`;
    const result = await ask(name);
    expect(lines(result.answers)).toEqual([`${name} 3600 A 192.0.2.15`]);
    const minimised = asked(network.queries).filter((t) => t.endsWith(' NS'));
    // One label at a time, these would be 16 (com, example.com and 14 names below it).
    expect(minimised.length).toBeLessThanOrEqual(MAX_MINIMISE_COUNT);
    expect(minimised.slice(0, 4)).toEqual([
      `${ROOT_ADDRESS} com NS`,
      `${COM} example.com NS`,
      `${EXAMPLE} o.example.com NS`,
      `${EXAMPLE} n.o.example.com NS`,
    ]);
    expect(asked(network.queries).filter((t) => t.endsWith(' A'))).toEqual([`${EXAMPLE} ${name} A`]);
  });
});

describe('RFC 9156 §3 step 1a and RFC 4035 §3.1.4.1: DS is asked of the parent side', () => {
  it('a DS question never sends a minimised query for the name itself, and goes to the parent\'s servers', async () => {
    const { ask, network } = internet();
    const result = await ask('sub.dept.example.com', 'DS');
    expect(result.rcode).toBe(RCode.NOERROR);
    expect(lines(result.authorities)).toEqual(['example.com 300 SOA ns.example.com hostmaster.example.com 1 3600 600 86400 300']);
    expect(asked(network.queries)).not.toContain(expect.stringMatching(/ sub\.dept\.example\.com NS$/));
    expect(network.queriesTo(SUB)).toEqual([]);
    expect(asked(network.queries).at(-1)).toBe(`${EXAMPLE} sub.dept.example.com DS`);
  });

  it('the root hears only the TLD\'s name, never the DS question (RFC 9156 §3)', async () => {
    const { ask, network } = internet();
    await ask('example.com', 'DS');
    const toRoot = network.queries.filter((q) => q.server === ROOT_ADDRESS).map((q) => `${q.name} ${q.type}`);
    expect(toRoot.filter((t) => t !== '. NS')).toEqual(['com NS']);
  });

  it('with the child\'s cut cached, DS still starts at the parent\'s servers', async () => {
    const { ask, network } = internet();
    await ask('www.sub.dept.example.com');
    network.clear();
    const result = await ask('sub.dept.example.com', 'DS');
    expect(lines(result.authorities)).toEqual(['example.com 300 SOA ns.example.com hostmaster.example.com 1 3600 600 86400 300']);
    expect(trail(network.queries)).toEqual([`${EXAMPLE} sub.dept.example.com DS`]);
  });
});
