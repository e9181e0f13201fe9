// RD=0 (RFC 1035 §4.1.1): answer from the cache only, never query upstream.
// As Unbound: a cached answer, else a referral to the closest cached delegation.

import { describe, expect, it } from 'vitest';
import { RCode } from '../../src/dns/message.js';
import { harness, lines } from './harness.js';

describe('RD=0 cache-only queries', () => {
  it('answers from the cache', async () => {
    const { ask, network, clock } = harness();
    await ask('alias.example.com');
    network.clear();
    clock.advance(5_000);
    const result = await ask('alias.example.com', 'A', true);
    expect(lines(result.answers)).toEqual(['alias.example.com 295 CNAME www.example.com', 'www.example.com 295 A 192.0.2.80']);
    expect(network.queries).toEqual([]);
  });

  it('answers a cached NXDOMAIN', async () => {
    const { ask, network } = harness();
    await ask('nope.example.com');
    network.clear();
    const result = await ask('nope.example.com', 'A', true);
    expect(result.rcode).toBe(RCode.NXDOMAIN);
    expect(result.authorities).toHaveLength(1);
    expect(network.queries).toEqual([]);
  });

  it('refers a miss to the closest cached delegation, with the servers\' addresses', async () => {
    const { ask, network } = harness();
    await ask('www.example.com');
    network.clear();
    const result = await ask('mail.example.com', 'A', true);
    expect(result.rcode).toBe(RCode.NOERROR);
    expect(result.answers).toEqual([]);
    expect(lines(result.authorities)).toEqual(['example.com 86400 NS ns1.example.com', 'example.com 86400 NS ns2.example.com']);
    expect(lines(result.additionals ?? [])).toEqual(['ns1.example.com 86400 A 192.0.2.1', 'ns1.example.com 86400 AAAA 2001:db8::1', 'ns2.example.com 86400 A 192.0.2.2']);
    expect(network.queries).toEqual([]);
  });

  it('answers SERVFAIL when nothing at all is cached, without querying', async () => {
    const { ask, network } = harness();
    expect((await ask('www.example.com', 'A', true)).rcode).toBe(RCode.SERVFAIL);
    expect(network.queries).toEqual([]);
  });
});
