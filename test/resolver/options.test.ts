import { describe, expect, it } from 'vitest';
import { DEFAULT_BUDGET } from '../../src/resolver/budget.js';
import { DEFAULT_CACHE_POLICY, resolverOptions, ResolverOptionsError } from '../../src/resolver/options.js';

describe('resolver options', () => {
  it('fills in the defaults', () => {
    const options = resolverOptions();
    expect(options.cache).toEqual({ size: 100_000, minTtl: 0, maxTtl: 86_400, maxNegativeTtl: 3_600, servfailTtl: 5 });
    expect(options.budget).toEqual(DEFAULT_BUDGET);
    expect(options.budget.totalTimeMs).toBe(3500);
    expect(options).toMatchObject({ queryLoopback: false, ipv4Upstream: true, ipv6Upstream: true, upstreamPort: 53 });
    expect(options.rootHints.ns).toHaveLength(13);
  });

  it('merges partial cache and budget settings over the defaults', () => {
    const options = resolverOptions({ cache: { size: 10 }, budget: { maxReferrals: 5 } });
    expect(options.cache).toEqual({ ...DEFAULT_CACHE_POLICY, size: 10 });
    expect(options.budget).toEqual({ ...DEFAULT_BUDGET, maxReferrals: 5 });
  });

  it.each([
    [{ cache: { size: 0 } }, 'cache.size must be at least 1'],
    [{ cache: { maxTtl: -1 } }, 'cache.maxTtl must be a whole number'],
    [{ cache: { minTtl: 100, maxTtl: 10 } }, 'cache.minTtl (100) must not exceed cache.maxTtl (10)'],
    [{ budget: { totalTimeMs: 1.5 } }, 'budget.totalTimeMs must be a whole number'],
    [{ budget: { tryTimeoutMs: 1000, maxTryTimeoutMs: 900 } }, 'budget.tryTimeoutMs (1000)'],
    [{ upstreamPort: 70000 }, 'upstreamPort must be 1-65535'],
    [{ ipv4Upstream: false, ipv6Upstream: false }, 'cannot both be off'],
  ])('rejects %j', (input, message) => {
    expect(() => resolverOptions(input)).toThrow(ResolverOptionsError);
    expect(() => resolverOptions(input)).toThrow(message);
  });
});
