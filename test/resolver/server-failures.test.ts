// Dead and lame servers: move on to another server, and remember, so a bad
// server costs little once known (RFC 1034 §5.3.3 step 4, RFC 4697 §2.8).

import { describe, expect, it } from 'vitest';
import { RCode, type Message } from '../../src/dns/message.js';
import { ADDRESSES } from '../fakes/hierarchy.js';
import { firstChoice, harness, lines } from './harness.js';

/** What a lame server often sends: a referral back up to the root. */
function upwardReferral(query: Message): Message {
  return {
    ...query, qr: true, aa: false, answers: [],
    authorities: [{ name: '.', type: 'NS', class: 'IN', ttl: 518400, data: 'a.root-servers.net' }],
    additionals: [{ name: 'a.root-servers.net', type: 'A', class: 'IN', ttl: 518400, data: '6.6.6.6' }],
  };
}

describe('dead servers', () => {
  it('moves on to a working server after a timeout, and skips the dead one afterwards', async () => {
    const { ask, network, clock } = harness({ random: firstChoice, servers: { [ADDRESSES.exampleCom1]: { dead: true } } });
    const started = clock.now();
    expect(lines((await ask('www.example.com')).answers)).toEqual(['www.example.com 300 A 192.0.2.80']);
    expect(network.queriesTo(ADDRESSES.exampleCom1)).toHaveLength(1);
    expect(clock.now() - started).toBe(400); // one try timeout
    await ask('alias.example.com');
    await ask('ns2.example.com');
    expect(network.queriesTo(ADDRESSES.exampleCom1)).toHaveLength(1);
  });

  it('answers SERVFAIL when every server is dead, within the time budget, and then fast', async () => {
    const { ask, network, clock } = harness({
      servers: { [ADDRESSES.exampleCom1]: { dead: true }, [ADDRESSES.exampleCom2]: { dead: true } },
    });
    const started = clock.now();
    expect((await ask('www.example.com')).rcode).toBe(RCode.SERVFAIL);
    expect(clock.now() - started).toBeLessThanOrEqual(3500);
    network.clear();
    expect((await ask('www.example.com')).rcode).toBe(RCode.SERVFAIL);
    expect(network.queries).toEqual([]);
  });
});

describe('lame servers', () => {
  it.each([
    ['REFUSED', { lame: 'refused' as const }],
    ['an upward referral', { intercept: upwardReferral }],
  ])('a server answering with %s is put last for the zone', async (_what, behaviour) => {
    const { ask, network } = harness({ random: firstChoice, servers: { [ADDRESSES.lame1]: behaviour } });
    expect(lines((await ask('www.lame.com')).answers)).toEqual(['www.lame.com 300 A 192.0.2.180']);
    expect(network.queriesTo(ADDRESSES.lame1)).toHaveLength(1);
    expect(network.queriesTo(ADDRESSES.lame2)).toHaveLength(1);
    await ask('ns1.lame.com');
    expect(network.queriesTo(ADDRESSES.lame1)).toHaveLength(1);
    expect(network.queries.some((q) => q.server === '6.6.6.6')).toBe(false);
  });

  it('a server answering SERVFAIL: the next server is asked, and nothing is held against the zone', async () => {
    const { ask, network, resolver } = harness({ random: firstChoice, servers: { [ADDRESSES.lame1]: { lame: 'servfail' } } });
    expect(lines((await ask('www.lame.com')).answers)).toEqual(['www.lame.com 300 A 192.0.2.180']);
    expect(network.queriesTo(ADDRESSES.lame1)).toHaveLength(1);
    expect(network.queriesTo(ADDRESSES.lame2)).toHaveLength(1);
    expect(resolver.infra.isLame(ADDRESSES.lame1, 'lame.com')).toBe(false);
  });

  it('a non-authoritative answer is accepted (RFC 2181 §5.4.1; as Unbound and Knot Resolver, issue 8)', async () => {
    const { ask, network } = harness({ random: firstChoice, servers: { [ADDRESSES.lame1]: { lame: 'non-aa' } } });
    expect(lines((await ask('www.lame.com')).answers)).toEqual(['www.lame.com 300 A 192.0.2.180']);
    expect(network.queriesTo(ADDRESSES.lame2)).toHaveLength(0);
  });

  it('answers SERVFAIL when every server of the zone refuses, yet tries them again for the next query (issue 8)', async () => {
    const { ask, network, clock } = harness({ servers: { [ADDRESSES.lame1]: { lame: 'refused' }, [ADDRESSES.lame2]: { lame: 'refused' } } });
    expect((await ask('www.lame.com')).rcode).toBe(RCode.SERVFAIL);
    network.configure(ADDRESSES.lame1, {});
    clock.advance(10_000); // past the short SERVFAIL memory (RFC 2308 §7.1)
    expect(lines((await ask('www.lame.com')).answers)).toEqual(['www.lame.com 300 A 192.0.2.180']);
  });
});

describe('servers that say little (issue 8)', () => {
  it('a NOERROR without AA, answer or SOA from every server is a NODATA (as Unbound), not a SERVFAIL', async () => {
    const empty = (query: Message): Message => ({ ...query, qr: true, aa: false, answers: [], authorities: [], additionals: [] });
    const { ask, network } = harness({ servers: { [ADDRESSES.lame1]: { intercept: empty }, [ADDRESSES.lame2]: { intercept: empty } } });
    const result = await ask('www.lame.com', 'AAAA');
    expect(result.rcode).toBe(RCode.NOERROR);
    expect(result.answers).toEqual([]);
    // Both servers were given the chance to say more first.
    expect(network.queriesTo(ADDRESSES.lame1).length + network.queriesTo(ADDRESSES.lame2).length).toBeGreaterThanOrEqual(2);
  });

  it('root servers silent at start-up (the network not up yet): names resolve once they answer', async () => {
    const { ask, network, resolver, clock } = harness({ servers: { [ADDRESSES.rootA]: { dead: true } } });
    await resolver.prime();
    expect((await ask('www.example.com')).rcode).toBe(RCode.SERVFAIL);
    network.configure(ADDRESSES.rootA, {});
    clock.advance(70_000); // past the SERVFAIL memory and any probe interval
    expect(lines((await ask('www.example.com')).answers)).toEqual(['www.example.com 300 A 192.0.2.80']);
  });
});
