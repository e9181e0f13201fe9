// RFC 1035 §3.2.1 / RFC 2181 §8: TTLs count down in the cache, expired data
// is fetched again, TTL 0 data answers the query that fetched it only.

import { describe, expect, it } from 'vitest';
import { harness, lines } from './harness.js';

describe('TTLs', () => {
  it('hands out the remaining cache time, decreasing on every hit', async () => {
    const { ask, clock } = harness();
    expect(lines((await ask('www.example.com')).answers)).toEqual(['www.example.com 300 A 192.0.2.80']);
    clock.advance(1_000);
    expect((await ask('www.example.com')).answers[0].ttl).toBe(299);
    clock.advance(98_000);
    expect((await ask('www.example.com')).answers[0].ttl).toBe(201);
  });

  it('fetches again, from the zone\'s servers, once the answer has expired', async () => {
    const { ask, clock, network } = harness();
    await ask('www.example.com');
    clock.advance(300_000);
    network.clear();
    expect(lines((await ask('www.example.com')).answers)).toEqual(['www.example.com 300 A 192.0.2.80']);
    expect(network.queries.map((q) => q.server)).toEqual([expect.stringMatching(/^192\.0\.2\.[12]$/)]);
  });

  it('answers with a TTL 0 record but does not cache it', async () => {
    const { ask, network } = harness();
    expect(lines((await ask('zero.example.com')).answers)).toEqual(['zero.example.com 0 A 192.0.2.99']);
    network.clear();
    await ask('zero.example.com');
    expect(network.queries).toHaveLength(1);
  });

  it('applies maxTtl and minTtl to what it hands out', async () => {
    const capped = harness({ options: { cache: { maxTtl: 100 } } });
    expect((await capped.ask('www.example.com')).answers[0].ttl).toBe(100);
    const raised = harness({ options: { cache: { minTtl: 600 } } });
    expect((await raised.ask('www.example.com')).answers[0].ttl).toBe(600);
  });
});
