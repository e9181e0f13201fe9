// RFC 1034 §3.6.2 and §4.3.2 step 3a: follow CNAMEs, inside a zone and across
// zones, return the whole chain, and never loop.

import { describe, expect, it } from 'vitest';
import { RCode } from '../../src/dns/message.js';
import { ADDRESSES } from '../fakes/hierarchy.js';
import { harness, lines, trail } from './harness.js';

describe('RFC 1034 CNAME handling', () => {
  it('returns a CNAME inside one zone with its target, in one upstream answer', async () => {
    const { ask, network } = harness();
    const result = await ask('alias.example.com');
    expect(lines(result.answers)).toEqual(['alias.example.com 300 CNAME www.example.com', 'www.example.com 300 A 192.0.2.80']);
    expect(network.queries.filter((q) => q.name === 'www.example.com')).toEqual([]);
  });

  it('follows a CNAME into another zone and returns the whole chain', async () => {
    const { ask, network } = harness();
    const result = await ask('external.example.com');
    expect(result.rcode).toBe(RCode.NOERROR);
    expect(lines(result.answers)).toEqual(['external.example.com 300 CNAME www.example.net', 'www.example.net 600 A 198.51.100.80']);
    expect(trail(network.queries).at(-1)).toBe(`${ADDRESSES.exampleNet} www.example.net A`);
  });

  it('answers a cached chain from the cache', async () => {
    const { ask, network, clock } = harness();
    await ask('external.example.com');
    network.clear();
    clock.advance(10_000);
    const result = await ask('external.example.com');
    expect(lines(result.answers)).toEqual(['external.example.com 290 CNAME www.example.net', 'www.example.net 590 A 198.51.100.80']);
    expect(network.queries).toEqual([]);
  });

  it('answers SERVFAIL to a CNAME loop across zones (RFC 1034 §3.6.2), showing the loop as Knot Resolver does', async () => {
    const { ask } = harness();
    const result = await ask('loop.example.com');
    expect(result.rcode).toBe(RCode.SERVFAIL);
    expect(lines(result.answers)).toEqual(['loop.example.com 300 CNAME loop.example.net', 'loop.example.net 600 CNAME loop.example.com']);
  });

  it('follows a chain of 12 CNAMEs but not 13 (the CNAME budget)', async () => {
    const { ask } = harness();
    const twelve = await ask('c1.example.com');
    expect(twelve.rcode).toBe(RCode.NOERROR);
    expect(twelve.answers).toHaveLength(13);
    expect((await ask('c0.example.com')).rcode).toBe(RCode.SERVFAIL);
  });

  it('returns the chain with NXDOMAIN when its target does not exist (RFC 6604 §3)', async () => {
    const { ask } = harness();
    const result = await ask('dangling.example.com');
    expect(result.rcode).toBe(RCode.NXDOMAIN);
    expect(lines(result.answers)).toEqual(['dangling.example.com 300 CNAME nothing.example.net']);
    expect(lines(result.authorities)).toEqual(['example.net 600 SOA ns1.example.net hostmaster.example.net 1 3600 600 86400 600']);
  });

  it('returns the chain with NODATA when its target lacks the type', async () => {
    const { ask } = harness();
    const result = await ask('external.example.com', 'MX');
    expect(result.rcode).toBe(RCode.NOERROR);
    expect(lines(result.answers)).toEqual(['external.example.com 300 CNAME www.example.net']);
    expect(lines(result.authorities)).toEqual(['example.net 600 SOA ns1.example.net hostmaster.example.net 1 3600 600 86400 600']);
  });
});
