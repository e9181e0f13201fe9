// RFC 2308: NXDOMAIN and NODATA are cached with their SOA, for
// min(SOA TTL, SOA MINIMUM), and answered from the cache.

import { describe, expect, it } from 'vitest';
import { RCode } from '../../src/dns/message.js';
import { harness, lines } from './harness.js';

const EXAMPLE_COM_SOA = 'example.com SOA ns1.example.com hostmaster.example.com 1 3600 600 86400 300';

describe('RFC 2308 negative caching', () => {
  it('caches NXDOMAIN for min(SOA TTL, MINIMUM) and serves it, for every type, without upstream queries', async () => {
    const { ask, network, clock } = harness();
    const first = await ask('nope.example.com');
    expect(first.rcode).toBe(RCode.NXDOMAIN);
    // SOA TTL 3600, MINIMUM 300 (§5).
    expect(lines(first.authorities)).toEqual([EXAMPLE_COM_SOA.replace('SOA', '300 SOA')]);

    network.clear();
    clock.advance(100_000);
    const again = await ask('nope.example.com', 'TXT');
    expect(again.rcode).toBe(RCode.NXDOMAIN);
    expect(lines(again.authorities)).toEqual([EXAMPLE_COM_SOA.replace('SOA', '200 SOA')]);
    expect(network.queries).toEqual([]);
  });

  it('caches NODATA per name and type and serves it without upstream queries', async () => {
    const { ask, network, clock } = harness();
    const first = await ask('www.example.com', 'MX');
    expect(first.rcode).toBe(RCode.NOERROR);
    expect(first.answers).toEqual([]);
    expect(lines(first.authorities)).toEqual([EXAMPLE_COM_SOA.replace('SOA', '300 SOA')]);

    network.clear();
    clock.advance(30_000);
    const again = await ask('www.example.com', 'MX');
    expect(lines(again.authorities)).toEqual([EXAMPLE_COM_SOA.replace('SOA', '270 SOA')]);
    expect(network.queries).toEqual([]);
    // Another type at the same name is not covered.
    await ask('www.example.com', 'TXT');
    expect(network.queries).toHaveLength(1);
  });

  it('asks again once the negative entry has expired', async () => {
    const { ask, network, clock } = harness();
    await ask('nope.example.com');
    clock.advance(300_000);
    network.clear();
    expect((await ask('nope.example.com')).rcode).toBe(RCode.NXDOMAIN);
    expect(network.queries).toHaveLength(1);
  });

  it('caps the negative TTL at maxNegativeTtl', async () => {
    const { ask } = harness({ options: { cache: { maxNegativeTtl: 60 } } });
    const result = await ask('nope.example.com');
    expect(result.authorities[0].ttl).toBe(60);
  });
});
