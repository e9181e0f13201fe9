// RFC 1034 §5.3.3: start at the closest known zone cut, follow referrals down.

import { describe, expect, it } from 'vitest';
import { RCode } from '../../src/dns/message.js';
import { ADDRESSES } from '../fakes/hierarchy.js';
import { harness, lines, trail } from './harness.js';


/** The query trails below are RFC 1034's full-name iteration; minimised ones are in rfc9156-qname-minimisation.test.ts. */
const FULL_NAMES = { options: { qnameMinimisation: false } };
describe('RFC 1034 §5.3.3 iteration', () => {
  it('follows referrals with glue from the root down to the answer', async () => {
    const { ask, network } = harness(FULL_NAMES);
    const result = await ask('www.example.com');
    expect(result.rcode).toBe(RCode.NOERROR);
    expect(lines(result.answers)).toEqual(['www.example.com 300 A 192.0.2.80']);
    expect(trail(network.queries.filter((q) => q.name !== '.'))).toEqual([
      expect.stringMatching(new RegExp(`^(${ADDRESSES.rootA}|${ADDRESSES.rootB}) www\\.example\\.com A$`)),
      `${ADDRESSES.gtld} www.example.com A`,
      expect.stringMatching(/^192\.0\.2\.[12] www\.example\.com A$/),
    ]);
  });

  it('sends iterative queries: RD=0, EDNS with a 1232-byte UDP size', async () => {
    const { network, resolver, ask } = harness(FULL_NAMES);
    const sent: { rd: boolean; udpSize?: number }[] = [];
    const exchange = network.exchange.bind(network);
    network.exchange = (server, query, options) => {
      sent.push({ rd: query.rd, udpSize: query.edns?.udpSize });
      return exchange(server, query, options);
    };
    await ask('www.example.com');
    expect(sent.length).toBeGreaterThan(0);
    expect(sent.every((q) => !q.rd && q.udpSize === 1232)).toBe(true);
    expect(resolver.options.budget.maxCnameHops).toBe(12);
  });

  it('reuses a cached delegation: the second name under a zone starts at its servers', async () => {
    const { ask, network } = harness(FULL_NAMES);
    await ask('www.example.com');
    network.clear();
    const result = await ask('ns2.example.com');
    expect(lines(result.answers)).toEqual(['ns2.example.com 300 A 192.0.2.2']);
    expect(network.queries).toHaveLength(1);
    expect(network.queries[0].server).toMatch(/^192\.0\.2\.[12]$/);
  });

  it('resolves a glueless delegation to a server in another TLD with a sub-query', async () => {
    const { ask, network } = harness(FULL_NAMES);
    const result = await ask('www.example.org');
    expect(lines(result.answers)).toEqual(['www.example.org 300 A 203.0.113.80']);
    // org names ns1.example.net without an address: it is looked up under net first.
    expect(trail(network.queries).filter((t) => t.includes('ns1.example.net'))).toEqual([
      expect.stringMatching(/ ns1\.example\.net A$/), // a root server
      `${ADDRESSES.gtld} ns1.example.net A`,
      `${ADDRESSES.exampleNet} ns1.example.net A`,
    ]);
    expect(trail(network.queries).at(-1)).toBe(`${ADDRESSES.exampleNet} www.example.org A`);
  });

  it('answers SERVFAIL for a glueless dependency loop instead of waiting on itself', async () => {
    // a.test is served only by ns.b.test, and b.test only by ns.a.test, without glue.
    const { ask, network } = harness(FULL_NAMES);
    const result = await ask('www.a.test');
    expect(result.rcode).toBe(RCode.SERVFAIL);
    expect(trail(network.queries).filter((t) => t.startsWith(ADDRESSES.test))).toEqual([
      `${ADDRESSES.test} www.a.test A`,
      // ns.b.test is in b.test, whose only server ns.a.test is in a.test
      // (cached from the first referral), whose only server is ns.b.test…
      `${ADDRESSES.test} ns.b.test A`,
      // …so the cached a.test delegation is useless: its parent is asked once
      // more (it may have changed), and gives the same loop: stop.
      `${ADDRESSES.test} ns.a.test A`,
    ]);
  });
});
