import { describe, expect, it } from 'vitest';
import { negativeTtl, remainingTtl, rrsetTtl } from '../../src/cache/ttl-policy.js';
import { rr } from '../fakes/records.js';

const policy = { minTtl: 0, maxTtl: 86_400, maxNegativeTtl: 3_600 };

describe('TTL policy', () => {
  it('an empty RRset has nothing to keep', () => {
    expect(rrsetTtl([], policy)).toBe(0);
  });

  it('negative TTL: min(SOA TTL, MINIMUM, maxNegativeTtl) (RFC 2308 §5)', () => {
    const soa = (ttl: number, min: number) => rr(`example.com ${ttl} SOA a b 1 2 3 4 ${min}`);
    expect(negativeTtl(soa(600, 300), policy)).toBe(300);
    expect(negativeTtl(soa(100, 300), policy)).toBe(100);
    expect(negativeTtl(soa(86400, 86400), policy)).toBe(3600);
  });

  it('remaining TTL rounds down and never goes below zero', () => {
    expect(remainingTtl(10_999, 0)).toBe(10);
    expect(remainingTtl(1_000, 2_000)).toBe(0);
  });
});
