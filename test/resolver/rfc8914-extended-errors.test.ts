// RFC 8914: every SERVFAIL the resolver gives says why, as an Extended DNS
// Error (the QueryHandler puts it in the OPT; test/server/query-handler.test.ts).

import { describe, expect, it } from 'vitest';
import { EdeCode } from '../../src/dns/ede.js';
import { RCode } from '../../src/dns/message.js';
import { NetworkError, TimeoutError } from '../../src/upstream/transport.js';
import { ADDRESSES } from '../fakes/hierarchy.js';
import { harness } from './harness.js';

const EXAMPLE_COM = [ADDRESSES.exampleCom1, ADDRESSES.exampleCom2];

/** A harness whose exchanges with `addresses` reject with `fail()` instead of reaching the fake server. */
function failingExchanges(addresses: readonly string[], fail: () => Error, options: Parameters<typeof harness>[0] = {}) {
  const h = harness(options);
  const exchange = h.network.exchange.bind(h.network);
  h.network.exchange = async (server, query, opts) => {
    if (!addresses.includes(server.address)) return exchange(server, query, opts);
    h.network.queries.push({ server: server.address, port: server.port, name: query.questions[0].name, type: query.questions[0].type, protocol: opts.protocol, edns: query.edns !== undefined });
    throw fail();
  };
  return h;
}

describe('RFC 8914 §4.23 (22, No Reachable Authority): no server of a zone answered usefully', () => {
  it('every server timed out: 22, naming the zone and what happened', async () => {
    const { ask } = harness({ servers: { [ADDRESSES.exampleCom1]: { dead: true }, [ADDRESSES.exampleCom2]: { dead: true } } });
    const result = await ask('www.example.com');
    expect(result.rcode).toBe(RCode.SERVFAIL);
    expect(result.ede).toEqual({ code: EdeCode.NoReachableAuthority, text: 'zone example.com.: no server answered (timed out: 2)' });
  });

  it('every server refused the connection (ICMP port unreachable, TCP RST): 22, the servers are down, not our network', async () => {
    const refused = () => new NetworkError('192.0.2.1:53: UDP send failed: ECONNREFUSED', 'ECONNREFUSED');
    const { ask } = failingExchanges(EXAMPLE_COM, refused);
    const result = await ask('www.example.com');
    expect(result.ede).toEqual({ code: EdeCode.NoReachableAuthority, text: 'zone example.com.: no server answered (unreachable: 2)' });
  });

  it('every server lame ("or they potentially refused to reply"): 22 rather than 20, which is about our own authority', async () => {
    const { ask } = harness({ servers: { [ADDRESSES.lame1]: { lame: 'refused' }, [ADDRESSES.lame2]: { lame: 'refused' } } });
    const result = await ask('www.lame.com');
    expect(result.rcode).toBe(RCode.SERVFAIL);
    expect(result.ede).toEqual({ code: EdeCode.NoReachableAuthority, text: 'zone lame.com.: no server answered (REFUSED: 2)' });
  });

  it('every server failing with SERVFAIL: 22', async () => {
    const { ask } = harness({ servers: { [ADDRESSES.lame1]: { lame: 'servfail' }, [ADDRESSES.lame2]: { lame: 'servfail' } } });
    expect((await ask('www.lame.com')).ede).toEqual({ code: EdeCode.NoReachableAuthority, text: 'zone lame.com.: no server answered (SERVFAIL: 2)' });
  });

  it('no address for any server (a glueless dependency loop): 22, saying so', async () => {
    const { ask } = harness();
    const result = await ask('www.a.test');
    expect(result.rcode).toBe(RCode.SERVFAIL);
    expect(result.ede).toEqual({ code: EdeCode.NoReachableAuthority, text: 'zone a.test.: no address for any server' });
  });

  it('unresponsive servers not due for a probe are counted as such', async () => {
    const { ask, clock } = harness({ servers: { [ADDRESSES.exampleCom1]: { dead: true }, [ADDRESSES.exampleCom2]: { dead: true } } });
    // Timeouts pile up over a few questions until both servers count as unresponsive (ServerInfra).
    let text: string | undefined;
    for (let i = 0; i < 5 && !text?.includes('unresponsive'); i++) {
      text = (await ask(`n${i}.example.com`)).ede?.text;
      clock.advance(100);
    }
    expect(text).toBe('zone example.com.: no server answered (unresponsive, not probed yet: 2)');
  });
});

describe('RFC 8914 §4.24 (23, Network Error): nothing could be sent', () => {
  it('every send failed at our end (no route): 23', async () => {
    const unreachable = () => new NetworkError('192.0.2.1:53: UDP send failed: ENETUNREACH', 'ENETUNREACH');
    const { ask } = failingExchanges(EXAMPLE_COM, unreachable);
    const result = await ask('www.example.com');
    expect(result.rcode).toBe(RCode.SERVFAIL);
    expect(result.ede).toEqual({ code: EdeCode.NetworkError, text: 'zone example.com.: no server answered (network error ENETUNREACH: 2)' });
  });

  it('a send failure beside a timeout is not a network fault of ours: 22', async () => {
    let calls = 0;
    const mixed = () => (calls++ % 2 === 0 ? new NetworkError('send failed: ENETUNREACH', 'ENETUNREACH') : new TimeoutError());
    const { ask } = failingExchanges(EXAMPLE_COM, mixed);
    expect((await ask('www.example.com')).ede?.code).toBe(EdeCode.NoReachableAuthority);
  });
});

describe('RFC 8914 §4.1 (0, Other) with EXTRA-TEXT: failures RFC 8914 has no code for', () => {
  it('the resolution budget ran out: says which limit', async () => {
    const { ask, resolver } = harness({ options: { budget: { maxUpstreamQueries: 2 } } });
    await resolver.prime();
    const result = await ask('www.example.com');
    expect(result.rcode).toBe(RCode.SERVFAIL);
    expect(result.ede).toEqual({ code: EdeCode.Other, text: 'resolution budget exceeded: upstream queries' });
  });

  it('a CNAME chain longer than the budget', async () => {
    const { ask } = harness();
    expect((await ask('c0.example.com')).ede).toEqual({ code: EdeCode.Other, text: 'resolution budget exceeded: CNAME hops' });
  });

  it('a CNAME loop (RFC 1034 §3.6.2): names where it loops', async () => {
    const { ask } = harness();
    const result = await ask('loop.example.com');
    expect(result.rcode).toBe(RCode.SERVFAIL);
    expect(result.ede).toEqual({ code: EdeCode.Other, text: 'CNAME loop at loop.example.com' });
  });

  it('RD=0 with nothing cached, not even the root NS set', async () => {
    const { ask } = harness();
    const result = await ask('www.example.com', 'A', true);
    expect(result.rcode).toBe(RCode.SERVFAIL);
    expect(result.ede?.code).toBe(EdeCode.Other);
    expect(result.ede?.text).toMatch(/RD=0.*not even the root/);
  });
});

describe('RFC 8914 with RFC 2308 §7.1: a remembered failure says why, again', () => {
  it('the repeat fails without upstream queries and carries the original reason, marked as cached', async () => {
    const { ask, network } = harness({ servers: { [ADDRESSES.exampleCom1]: { dead: true }, [ADDRESSES.exampleCom2]: { dead: true } } });
    const first = await ask('www.example.com');
    network.clear();
    const again = await ask('www.example.com');
    expect(network.queries).toEqual([]);
    expect(again.rcode).toBe(RCode.SERVFAIL);
    expect(again.ede).toEqual({ code: first.ede!.code, text: `${first.ede!.text} (cached failure)` });
  });
});

describe('RFC 8914: answers carry no EDE', () => {
  it.each([['www.example.com', 'A'], ['nope.example.com', 'A'], ['www.example.com', 'MX']])('%s %s', async (name, type) => {
    const { ask } = harness();
    expect((await ask(name, type)).ede).toBeUndefined();
  });
});
