// Poisoning defences: out-of-bailiwick and unsolicited records are neither
// cached nor returned (RFC 2181 §5.4.1, RFC 5452 §6); replies that do not match
// the query's id and question are ignored (RFC 5452 §9.1).

import { describe, expect, it } from 'vitest';
import { RCode } from '../../src/dns/message.js';
import { ADDRESSES } from '../fakes/hierarchy.js';
import { rr } from '../fakes/records.js';
import { firstChoice, harness, lines } from './harness.js';

const POISON = {
  answers: [rr('evil.example.net 86400 A 6.6.6.6')],
  authorities: [rr('com 86400 NS ns.evil.example.com')],
  additionals: [rr('www.bank.com 86400 A 6.6.6.6'), rr('a.gtld-servers.net 86400 A 6.6.6.6'), rr('ns.evil.example.com 86400 A 6.6.6.6')],
};

describe('RFC 5452 spoofing and poisoning', () => {
  it('neither caches nor returns out-of-bailiwick records a server adds to its answer', async () => {
    const { ask, network, resolver } = harness({
      servers: { [ADDRESSES.exampleCom1]: { inject: POISON }, [ADDRESSES.exampleCom2]: { inject: POISON } },
    });
    const result = await ask('www.example.com');
    expect(lines(result.answers)).toEqual(['www.example.com 300 A 192.0.2.80']);
    expect(result.authorities).toEqual([]);

    const { cache } = resolver;
    expect(cache.getRRset('www.bank.com', 'A', 'IN')).toBeUndefined();
    expect(cache.getRRset('evil.example.net', 'A', 'IN')).toBeUndefined();
    expect(lines(cache.getRRset('a.gtld-servers.net', 'A', 'IN') ?? [])).not.toContainEqual(expect.stringContaining('6.6.6.6'));
    expect(lines(cache.getRRset('com', 'NS', 'IN') ?? [])).toEqual(['com 86400 NS a.gtld-servers.net']); // the real one (TTL capped at maxTtl)

    // The next com name still goes to the real com server, never to 6.6.6.6.
    await ask('www.bank.com');
    expect(network.queries.some((q) => q.server === '6.6.6.6')).toBe(false);
  });

  it('ignores glue a parent adds for a name outside its zone', async () => {
    const { ask, resolver } = harness({
      servers: { [ADDRESSES.gtld]: { inject: { additionals: [rr('ns1.example.net 172800 A 6.6.6.6')] } } },
    });
    await ask('www.example.com'); // asked of com: example.net is not com's to speak for
    expect(resolver.cache.getRRset('ns1.example.net', 'A', 'IN')).toBeUndefined();
    expect(lines((await ask('www.example.org')).answers)).toEqual(['www.example.org 300 A 203.0.113.80']);
  });

  it.each([['id' as const], ['question' as const]])('ignores a reply with a mismatched %s and asks another server', async (mismatch) => {
    const { ask, network } = harness({ random: firstChoice, servers: { [ADDRESSES.exampleCom1]: { mismatch } } });
    const result = await ask('www.example.com');
    expect(result.rcode).toBe(RCode.NOERROR);
    expect(lines(result.answers)).toEqual(['www.example.com 300 A 192.0.2.80']);
    expect(network.queriesTo(ADDRESSES.exampleCom1)).toHaveLength(1);
    expect(network.queriesTo(ADDRESSES.exampleCom2)).toHaveLength(1);
  });

  it('uses a fresh id from the injected Random for every query', async () => {
    const ids: number[] = [];
    const { ask, network } = harness();
    const exchange = network.exchange.bind(network);
    network.exchange = (server, query, options) => {
      ids.push(query.id);
      return exchange(server, query, options);
    };
    await ask('www.example.org');
    expect(new Set(ids).size).toBe(ids.length);
  });
});
