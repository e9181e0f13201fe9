// The front door's own rules: which records a proof may use (RFC 5155 §8.2),
// the NSEC3 iteration limit (RFC 9276 §3.2) and the bounded hash work
// (CVE-2023-50868).

import { describe, expect, it } from 'vitest';
import type { ResourceRecord } from '../../src/dns/message.js';
import { NSEC3_MAX_ITERATIONS, proveNoDs, proveNodata, proveNxdomain, proveWildcardAnswer } from '../../src/dnssec/denial.js';
import { base32hexEncode } from '../../src/dnssec/base32hex.js';
import { decodeNsec3Rdata, encodeNsec3Rdata } from '../../src/dnssec/nsec3.js';
import { nsec3Hash } from '../../src/dnssec/nsec3-hash.js';
import { buildNsec3Chain } from './denial-chain.js';
import { nsecRR } from './denial-text.js';
import { RFC4035_NSEC } from './rfc4035-zone.js';
import { RFC5155_NSEC3 as R, RFC5155_PARAMS, RFC5155_ZONE } from './rfc5155-zone.js';

const Z = 'example';

function counting(limit = Infinity) {
  const ctx = {
    charges: 0,
    chargeHash() {
      if (++ctx.charges > limit) throw new Error('hash budget exhausted');
    },
  };
  return ctx;
}

/** The same record with some RDATA fields changed. */
function withFields(rr: ResourceRecord, fields: { hashAlgorithm?: number; flags?: number }): ResourceRecord {
  const n = decodeNsec3Rdata(rr.name, rr.data as Buffer)!;
  return { ...rr, data: encodeNsec3Rdata({ ...n, ...fields }) };
}

describe('NSEC3 iteration limit (RFC 9276 §3.2)', () => {
  it('NSEC3_MAX_ITERATIONS is 150, as Unbound', () => {
    expect(NSEC3_MAX_ITERATIONS).toBe(150);
  });

  it.each([
    [NSEC3_MAX_ITERATIONS, { status: 'proven' }],
    [NSEC3_MAX_ITERATIONS + 1, { status: 'insecure', reason: expect.stringContaining('RFC 9276') }],
    [500, { status: 'insecure', reason: expect.stringContaining('iterations 500') }],
  ])('RFC 9276 §3.2: %i iterations → %o', (iterations, expected) => {
    const chain = buildNsec3Chain('example', RFC5155_ZONE, { salt: 'aabbccdd', iterations });
    expect(proveNodata('ns1.example', 'MX', chain, Z, counting())).toMatchObject(expected);
  });

  it('RFC 9276 §3.2: above the limit nothing is hashed, for every kind of proof', () => {
    const chain = buildNsec3Chain('example', RFC5155_ZONE, { salt: 'aabbccdd', iterations: 2500 });
    const ctx = counting(0);
    expect(proveNxdomain('nope.example', chain, Z, ctx)).toMatchObject({ status: 'insecure' });
    expect(proveWildcardAnswer('a.z.w.example', 'w.example', chain, Z, ctx)).toMatchObject({ status: 'insecure' });
    expect(proveNoDs('c.example', chain, Z, ctx)).toMatchObject({ status: 'insecure' });
  });
});

describe('bounded hash work (CVE-2023-50868)', () => {
  const chain = buildNsec3Chain('example', RFC5155_ZONE, RFC5155_PARAMS);
  const deep = `${'a.'.repeat(30)}nope.example`; // 31 labels below the apex

  it('NXDOMAIN for a deep name hashes each ancestor once, plus the wildcard', () => {
    const ctx = counting();
    expect(proveNxdomain(deep, chain, Z, ctx)).toMatchObject({ status: 'proven', closestEncloser: 'example' });
    // qname, its 30 ancestors down to and including example, and *.example
    expect(ctx.charges).toBe(31 + 1 + 1);
  });

  it('the whole chain in the response does not multiply the hashing: one hash per name, not per record', () => {
    const ctx = counting();
    proveNodata(deep, 'A', [...chain, ...chain, ...chain], Z, ctx);
    expect(ctx.charges).toBeLessThanOrEqual(31 + 1 + 1);
  });

  it('the caller\'s budget error propagates out of the proof', () => {
    expect(() => proveNxdomain(deep, chain, Z, counting(5))).toThrow('hash budget exhausted');
  });

  it('NSEC proofs hash nothing', () => {
    const ctx = counting(0);
    expect(proveNxdomain('ml.example', [RFC4035_NSEC.b, RFC4035_NSEC.example], Z, ctx)).toMatchObject({ status: 'proven' });
  });
});

describe('which records a proof uses (RFC 5155 §8.2)', () => {
  const other = buildNsec3Chain('example', RFC5155_ZONE, { salt: '0102', iterations: 0 });
  const otherNs1 = `${base32hexEncode(nsec3Hash('ns1.example', Buffer.from('0102', 'hex'), 0))}.example`;
  const otherNotNs1 = other.find((r) => r.name !== otherNs1)!;
  it.each<[string, ResourceRecord[], Record<string, unknown>]>([
    ['an unknown hash algorithm is ignored', [withFields(R.ns1, { hashAlgorithm: 2 })], { status: 'bogus', reason: expect.stringContaining('no usable NSEC3') }],
    ['unknown flags are ignored', [withFields(R.ns1, { flags: 0x03 })], { status: 'bogus', reason: expect.stringContaining('no usable NSEC3') }],
    ['Opt-Out is a known flag', [withFields(R.ns1, { flags: 0x01 })], { status: 'proven' }],
    ['a second parameter set after the first is ignored', [R.ns1, ...other], { status: 'proven' }],
    ['with a record of another parameter set first, the RFC record is ignored', [otherNotNs1, R.ns1], { status: 'bogus' }],
    ['NSEC3 of another zone (owner not a child of the zone) are ignored',
      [{ ...R.ns1, name: '2t7b4g4vsa5smi47k61mv5bv1a22bojr.sub.example' }], { status: 'bogus' }],
  ])('%s', (_why, records, expected) => {
    expect(proveNodata('ns1.example', 'MX', records, Z, counting())).toMatchObject(expected);
  });

  it('NSEC3 records for the wrong zone: zone given as org', () => {
    expect(proveNodata('ns1.example', 'MX', [R.ns1], 'org', counting())).toMatchObject({ status: 'bogus' });
  });

  it('with both NSEC and NSEC3 present, the NSEC records decide', () => {
    const ctx = counting(0);
    expect(proveNodata('ns1.example', 'MX', [R.ns1, nsecRR('ns1.example. NSEC ns2.example. A MX RRSIG NSEC')], Z, ctx))
      .toMatchObject({ status: 'bogus', reason: expect.stringContaining('NSEC at ns1.example') });
  });

  it('other record types in the list are ignored', () => {
    const soa: ResourceRecord = { name: 'example', type: 'SOA', class: 'IN', ttl: 3600, data: { mname: 'ns1.example', rname: 'h.example', serial: 1, refresh: 1, retry: 1, expire: 1, minimum: 1 } };
    expect(proveNodata('ns1.example', 'MX', [soa, R.ns1], Z, counting())).toMatchObject({ status: 'proven' });
  });

  it('a malformed NSEC3 is ignored', () => {
    expect(proveNodata('ns1.example', 'MX', [{ ...R.ns1, data: Buffer.from([1, 0, 0]) }], Z, counting())).toMatchObject({ status: 'bogus' });
  });
});
