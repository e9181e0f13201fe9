// The test zone builder against the RFCs' own signed example zones.

import { describe, expect, it } from 'vitest';
import { parseNsec3 } from '../../src/dnssec/nsec3.js';
import { buildNsec3Chain, buildNsecChain } from './denial-chain.js';
import { RFC4035_NSEC, RFC4035_ZONE } from './rfc4035-zone.js';
import { RFC5155_NSEC3, RFC5155_PARAMS, RFC5155_ZONE } from './rfc5155-zone.js';

describe('buildNsecChain (RFC 4034 §4, RFC 4035 §2.3)', () => {
  it('RFC 4035 Appendix A: the example zone\'s NSEC chain, record for record, in canonical order', () => {
    const built = buildNsecChain('example', RFC4035_ZONE);
    expect(built).toEqual(Object.values(RFC4035_NSEC));
  });
});

describe('buildNsec3Chain (RFC 5155 §7.1)', () => {
  const optOut = buildNsec3Chain('example', RFC5155_ZONE, { ...RFC5155_PARAMS, optOut: true });

  it.each(Object.entries(RFC5155_NSEC3))('RFC 5155 Appendix A/B: the NSEC3 for %s is byte for byte the RFC\'s', (_name, rr) => {
    expect(optOut.find((b) => b.name === rr.name)).toEqual(rr);
  });

  it('RFC 5155 §7.1: one record per authoritative name and empty non-terminal; Opt-Out leaves out c.example and all glue', () => {
    // example, its hash-lookalike name, ns1, ns2, ai, xx, a (secure delegation), w and y.w (ENTs), *.w, x.w, x.y.w
    expect(optOut).toHaveLength(12);
    expect(optOut.map((r) => r.name)).not.toContain('4g6p9u5gvfshp30pqecj98b3maqbn1ck.example'); // H(c.example)
  });

  it('RFC 5155 §7.1: without Opt-Out the unsigned delegation gets a record, NS only (its NS RRset is not signed)', () => {
    const plain = buildNsec3Chain('example', RFC5155_ZONE, RFC5155_PARAMS);
    expect(plain).toHaveLength(13);
    const c = parseNsec3(plain.find((r) => r.name === '4g6p9u5gvfshp30pqecj98b3maqbn1ck.example')!)!;
    expect([...c.types]).toEqual([2]);
    expect(c.optOut).toBe(false);
  });

  it('RFC 5155 §7.1: the chain is closed, each next hash the following owner\'s', () => {
    const owners = optOut.map((r) => parseNsec3(r)!);
    owners.forEach((n, i) => expect(n.nextHash).toEqual(owners[(i + 1) % owners.length]!.ownerHash));
  });
});
