// RFC 8109: prime the root NS set at start and when it expires; use it in
// place of the hints; fall back to the hints when priming fails.

import { describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { RCode, type Message } from '../../src/dns/message.js';
import { ADDRESSES } from '../fakes/hierarchy.js';
import { harness, lines, trail } from './harness.js';


/** The query trails below are RFC 1034's full-name iteration; minimised ones are in rfc9156-qname-minimisation.test.ts. */
const FULL_NAMES = { options: { qnameMinimisation: false } };
describe('RFC 8109 priming', () => {
  it('asks a hinted root server for ". NS" and caches the answer with its addresses', async () => {
    const { resolver, network } = harness(FULL_NAMES);
    await resolver.prime();
    expect(trail(network.queries)).toEqual([`${ADDRESSES.rootA} . NS`]);
    expect(lines(resolver.cache.getRRset('.', 'NS', 'IN')!)).toEqual(['. 86400 NS a.root-servers.net', '. 86400 NS b.root-servers.net']);
    expect(lines(resolver.cache.getRRset('b.root-servers.net', 'A', 'IN')!)).toEqual([`b.root-servers.net 86400 A ${ADDRESSES.rootB}`]);
  });

  it('uses the primed servers in place of the hints', async () => {
    // The hints know only a.root-servers.net; priming taught us b.
    const { resolver, network, ask } = harness(FULL_NAMES);
    await resolver.prime();
    network.configure(ADDRESSES.rootA, { dead: true });
    expect(lines((await ask('www.example.com')).answers)).toEqual(['www.example.com 300 A 192.0.2.80']);
    expect(network.queriesTo(ADDRESSES.rootB).map((q) => q.name)).toEqual(['www.example.com']);
  });

  it('primes once for many concurrent first queries', async () => {
    const { network, ask } = harness(FULL_NAMES);
    await Promise.all([ask('www.example.com'), ask('www.example.net'), ask('www.example.org')]);
    expect(network.queries.filter((q) => q.name === '.')).toHaveLength(1);
  });

  it('falls back to the hints when priming fails, and says so', async () => {
    const entries: Record<string, unknown>[] = [];
    const logger = pino({ level: 'warn' }, { write: (line: string) => entries.push(JSON.parse(line)) });
    // The root server answers everything but the priming query (an empty NODATA).
    const emptyPrimingReply = (q: Message) => (q.questions[0].name === '.' ? { ...q, qr: true, aa: true } : undefined);
    const { resolver, network, ask } = harness({ ...FULL_NAMES, logger, servers: { [ADDRESSES.rootA]: { intercept: emptyPrimingReply } } });
    await resolver.prime();
    expect(entries).toContainEqual(expect.objectContaining({ level: 40, msg: expect.stringContaining('priming') }));
    expect(resolver.cache.getRRset('.', 'NS', 'IN')).toBeUndefined();

    network.clear();
    expect((await ask('www.example.com')).rcode).toBe(RCode.NOERROR);
    // No new priming attempt right after a failure: the hints serve.
    expect(trail(network.queries)[0]).toBe(`${ADDRESSES.rootA} www.example.com A`);
  });

  it('retries a failed priming, and primes once the root answers again (RFC 8109, issue 8: a device booting before its network)', async () => {
    const { resolver, network, ask, clock } = harness({ ...FULL_NAMES, servers: { [ADDRESSES.rootA]: { dead: true } } });
    await resolver.prime();
    expect(resolver.cache.getRRset('.', 'NS', 'IN')).toBeUndefined();
    network.configure(ADDRESSES.rootA, {});
    clock.advance(6_000); // priming is tried again 5 s after a failure (then 10 s, 20 s … 5 min)
    expect((await ask('www.example.com')).rcode).toBe(RCode.NOERROR);
    expect(resolver.cache.getRRset('.', 'NS', 'IN')).toBeDefined();
  });

  it('primes again when the root NS set has expired', async () => {
    const { resolver, network, ask, clock } = harness(FULL_NAMES);
    await resolver.prime();
    await ask('www.example.com');
    clock.advance(86_400_000); // the root NS set (capped at maxTtl) and com's have expired
    network.clear();
    await ask('www.example.net');
    expect(trail(network.queries)[0]).toMatch(/ \. NS$/);
  });
});
