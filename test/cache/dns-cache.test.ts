import { describe, expect, it } from 'vitest';
import { DnsCache, type CachedAnswer, type CachePolicy } from '../../src/cache/dns-cache.js';
import { Trust } from '../../src/cache/trust.js';
import { ManualClock } from '../../src/util/clock.js';
import { lines, rr } from '../fakes/records.js';

const POLICY: CachePolicy = { size: 1000, minTtl: 0, maxTtl: 86_400, maxNegativeTtl: 3_600, servfailTtl: 5 };
const soa = (ttl: number, minimum: number) => rr(`example.com ${ttl} SOA ns1.example.com hostmaster.example.com 1 3600 600 86400 ${minimum}`);

function setup(policy: Partial<CachePolicy> = {}) {
  const clock = new ManualClock();
  return { clock, cache: new DnsCache({ ...POLICY, ...policy }, clock) };
}

describe('DnsCache: positive entries', () => {
  it('returns records with the time left as TTL, decreasing, until they expire', () => {
    const { cache, clock } = setup();
    cache.putRRset([rr('www.example.com 300 A 192.0.2.1'), rr('www.example.com 300 A 192.0.2.2')], Trust.Answer);
    const hit = cache.lookup('www.example.com', 'A', 'IN');
    expect(hit?.kind === 'rrset' && lines(hit.records)).toEqual(['www.example.com 300 A 192.0.2.1', 'www.example.com 300 A 192.0.2.2']);
    clock.advance(100_500);
    expect(cache.lookup('www.example.com', 'A', 'IN')).toMatchObject({ records: [{ ttl: 199 }, { ttl: 199 }] });
    clock.advance(199_500);
    expect(cache.lookup('www.example.com', 'A', 'IN')).toBeUndefined();
  });

  it('caps TTLs at maxTtl and raises them to minTtl', () => {
    const { cache } = setup({ minTtl: 60, maxTtl: 3600 });
    cache.putRRset([rr('long.example.com 604800 A 192.0.2.1')], Trust.Answer);
    cache.putRRset([rr('short.example.com 5 A 192.0.2.2')], Trust.Answer);
    expect(cache.lookup('long.example.com', 'A', 'IN')).toMatchObject({ records: [{ ttl: 3600 }] });
    expect(cache.lookup('short.example.com', 'A', 'IN')).toMatchObject({ records: [{ ttl: 60 }] });
  });

  it('uses the lowest TTL of an RRset for all of it (RFC 2181 §5.2)', () => {
    const { cache } = setup();
    cache.putRRset([rr('www.example.com 300 A 192.0.2.1'), rr('www.example.com 100 A 192.0.2.2')], Trust.Answer);
    expect(cache.lookup('www.example.com', 'A', 'IN')).toMatchObject({ records: [{ ttl: 100 }, { ttl: 100 }] });
  });

  it('does not keep records with TTL 0 (RFC 1035 §3.2.1)', () => {
    const { cache } = setup();
    expect(cache.putRRset([rr('zero.example.com 0 A 192.0.2.1')], Trust.Answer)).toBe(false);
    expect(cache.lookup('zero.example.com', 'A', 'IN')).toBeUndefined();
  });

  it('keys by name, type and class', () => {
    const { cache } = setup();
    cache.putRRset([rr('www.example.com 300 A 192.0.2.1')], Trust.Answer);
    expect(cache.lookup('www.example.com', 'AAAA', 'IN')).toBeUndefined();
    expect(cache.lookup('www.example.com', 'A', 'CH')).toBeUndefined();
  });
});

describe('DnsCache: trust ranks (RFC 2181 §5.4.1)', () => {
  it('glue never replaces unexpired authoritative data', () => {
    const { cache } = setup();
    cache.putRRset([rr('ns1.example.com 300 A 192.0.2.1')], Trust.Answer);
    expect(cache.putRRset([rr('ns1.example.com 172800 A 6.6.6.6')], Trust.Glue)).toBe(false);
    expect(lines(cache.getRRset('ns1.example.com', 'A', 'IN')!)).toEqual(['ns1.example.com 300 A 192.0.2.1']);
  });

  it('authoritative data replaces glue', () => {
    const { cache } = setup();
    cache.putRRset([rr('ns1.example.com 172800 A 192.0.2.9')], Trust.Glue);
    expect(cache.putRRset([rr('ns1.example.com 300 A 192.0.2.1')], Trust.Answer)).toBe(true);
    expect(lines(cache.getRRset('ns1.example.com', 'A', 'IN')!)).toEqual(['ns1.example.com 300 A 192.0.2.1']);
  });

  it('a non-authoritative answer is given to clients, and authoritative data replaces it, never the reverse', () => {
    const { cache } = setup();
    cache.putRRset([rr('www.example.com 300 A 192.0.2.9')], Trust.NonAuthAnswer);
    expect(lines((cache.lookup('www.example.com', 'A', 'IN') as Extract<CachedAnswer, { kind: 'rrset' }>).records)).toEqual(['www.example.com 300 A 192.0.2.9']);
    expect(cache.putRRset([rr('www.example.com 300 A 192.0.2.1')], Trust.Answer)).toBe(true);
    expect(cache.putRRset([rr('www.example.com 300 A 192.0.2.9')], Trust.NonAuthAnswer)).toBe(false);
    expect(lines(cache.getRRset('www.example.com', 'A', 'IN')!)).toEqual(['www.example.com 300 A 192.0.2.1']);
  });

  it('a non-authoritative NXDOMAIN does not replace an authoritative answer', () => {
    const { cache } = setup();
    const soa = rr('example.com 300 SOA ns1.example.com hostmaster.example.com 1 3600 600 86400 300');
    cache.putRRset([rr('www.example.com 300 A 192.0.2.1')], Trust.Answer);
    expect(cache.putNegative('nodata', 'www.example.com', 'A', 'IN', soa, Trust.NonAuthAnswer)).toBe(false);
    expect(cache.putNegative('nodata', 'www.example.com', 'A', 'IN', soa, Trust.Answer)).toBe(true);
  });

  it('glue is used to find servers but never given to a client as an answer', () => {
    const { cache } = setup();
    cache.putRRset([rr('ns1.example.com 172800 A 192.0.2.1')], Trust.Glue);
    expect(cache.getRRset('ns1.example.com', 'A', 'IN')).toHaveLength(1);
    expect(cache.lookup('ns1.example.com', 'A', 'IN')).toBeUndefined();
  });

  it('lower-ranked data may replace higher-ranked data once that has expired', () => {
    const { cache, clock } = setup();
    cache.putRRset([rr('ns1.example.com 60 A 192.0.2.1')], Trust.Answer);
    clock.advance(61_000);
    expect(cache.putRRset([rr('ns1.example.com 172800 A 192.0.2.9')], Trust.Glue)).toBe(true);
  });
});

describe('DnsCache: negative entries (RFC 2308)', () => {
  it('negative TTL is min(SOA TTL, SOA MINIMUM) (§5)', () => {
    const { cache } = setup();
    cache.putNegative('nxdomain', 'a.example.com', 'A', 'IN', soa(3600, 300));
    cache.putNegative('nxdomain', 'b.example.com', 'A', 'IN', soa(60, 300));
    expect(cache.lookup('a.example.com', 'A', 'IN')).toMatchObject({ kind: 'nxdomain', soa: { ttl: 300 } });
    expect(cache.lookup('b.example.com', 'A', 'IN')).toMatchObject({ kind: 'nxdomain', soa: { ttl: 60 } });
  });

  it('caps the negative TTL at maxNegativeTtl', () => {
    const { cache } = setup({ maxNegativeTtl: 900 });
    cache.putNegative('nodata', 'www.example.com', 'MX', 'IN', soa(86400, 86400));
    expect(cache.lookup('www.example.com', 'MX', 'IN')).toMatchObject({ kind: 'nodata', soa: { ttl: 900 } });
  });

  it('NXDOMAIN covers every type at the name; NODATA only its type', () => {
    const { cache } = setup();
    cache.putNegative('nxdomain', 'gone.example.com', 'A', 'IN', soa(3600, 300));
    cache.putNegative('nodata', 'www.example.com', 'MX', 'IN', soa(3600, 300));
    expect(cache.lookup('gone.example.com', 'TXT', 'IN')).toMatchObject({ kind: 'nxdomain' });
    expect(cache.lookup('www.example.com', 'MX', 'IN')).toMatchObject({ kind: 'nodata' });
    expect(cache.lookup('www.example.com', 'TXT', 'IN')).toBeUndefined();
  });

  it('the SOA TTL counts down and the entry expires', () => {
    const { cache, clock } = setup();
    cache.putNegative('nodata', 'www.example.com', 'MX', 'IN', soa(3600, 300));
    clock.advance(120_000);
    expect(cache.lookup('www.example.com', 'MX', 'IN')).toMatchObject({ soa: { ttl: 180 } });
    clock.advance(180_000);
    expect(cache.lookup('www.example.com', 'MX', 'IN')).toBeUndefined();
  });

  it('authoritative data for a name clears its NXDOMAIN', () => {
    const { cache } = setup();
    cache.putNegative('nxdomain', 'new.example.com', 'A', 'IN', soa(3600, 300));
    cache.putRRset([rr('new.example.com 300 TXT hello')], Trust.Answer);
    expect(cache.lookup('new.example.com', 'A', 'IN')).toBeUndefined();
  });

  it('remembers a failed resolution for servfailTtl seconds (§7.1), with its Extended DNS Error (RFC 8914)', () => {
    const { cache, clock } = setup({ servfailTtl: 5 });
    const why = { code: 22, text: 'zone example.com.: no server answered (timed out: 2)' };
    cache.putFailure('broken.example.com', 'A', 'IN', why);
    expect(cache.getFailure('broken.example.com', 'A', 'IN')).toEqual(why);
    expect(cache.getFailure('broken.example.com', 'AAAA', 'IN')).toBeUndefined();
    clock.advance(5_000);
    expect(cache.getFailure('broken.example.com', 'A', 'IN')).toBeUndefined();
  });
});

describe('DnsCache: size bound', () => {
  it('holds at most `size` entries and evicts the least recently used', () => {
    const { cache } = setup({ size: 3 });
    cache.putRRset([rr('a.example.com 300 A 192.0.2.1')], Trust.Answer);
    cache.putRRset([rr('b.example.com 300 A 192.0.2.2')], Trust.Answer);
    cache.putNegative('nxdomain', 'c.example.com', 'A', 'IN', soa(3600, 300));
    cache.lookup('a.example.com', 'A', 'IN'); // a is now more recent than b
    cache.putRRset([rr('d.example.com 300 A 192.0.2.4')], Trust.Answer);
    expect(cache.size).toBe(3);
    expect(cache.lookup('b.example.com', 'A', 'IN')).toBeUndefined();
    expect(cache.lookup('a.example.com', 'A', 'IN')).toBeDefined();
    expect(cache.lookup('c.example.com', 'A', 'IN')).toBeDefined();
    expect(cache.lookup('d.example.com', 'A', 'IN')).toBeDefined();
  });
});
