// Identical concurrent questions share one resolution.

import { describe, expect, it } from 'vitest';
import { harness, lines } from './harness.js';

describe('in-flight de-duplication', () => {
  it('100 concurrent clients asking the same question cause one walk', async () => {
    const single = harness();
    await single.ask('www.example.org');
    const oneWalk = single.network.queries.length;

    const { ask, network } = harness();
    const results = await Promise.all(Array.from({ length: 100 }, () => ask('www.example.org')));
    expect(results.every((r) => lines(r.answers)[0] === 'www.example.org 300 A 203.0.113.80')).toBe(true);
    expect(network.queries).toHaveLength(oneWalk);
  });

  it('questions differing only in letter case share the walk', async () => {
    const { ask, network } = harness();
    await Promise.all([ask('www.example.com'), ask('WWW.Example.COM')]);
    expect(network.queries.filter((q) => q.name === 'www.example.com' && q.server.startsWith('192.0.2.'))).toHaveLength(1);
  });

  it('different questions do not wait for each other', async () => {
    const { ask } = harness();
    const [a, aaaa] = await Promise.all([ask('www.example.com', 'A'), ask('www.example.com', 'AAAA')]);
    expect(lines(a.answers)).toEqual(['www.example.com 300 A 192.0.2.80']);
    expect(lines(aaaa.answers)).toEqual(['www.example.com 300 AAAA 2001:db8::80']);
  });
});
