// Insecure answers (RFC 4035 §4.3, §5.2): data below a proven unsigned
// delegation, in a zone whose algorithms or DS digests the validator does
// not implement, behind NSEC3 with too many iterations, or under a negative
// trust anchor. They are answered as they are: never AD, never SERVFAIL.

import { describe, expect, it } from 'vitest';
import { RCode } from '../../../src/dns/message.js';
import { Algorithm } from '../../../src/dnssec/algorithms.js';
import { NSEC3_MAX_ITERATIONS } from '../../../src/dnssec/denial.js';
import { DigestType } from '../../../src/dnssec/ds-digest.js';
import { corrupt } from '../signer.js';
import { EXAMPLE_BODY, ROOT_ADDRESS, signedWorld, threeLevels, type DigResult, type WorldSpec, type ZoneSpec } from './signed-world.js';
import { dsWithDigestType, type Denial } from './signed-zone.js';

function expectInsecure(r: DigResult, rcode: number = RCode.NOERROR): void {
  expect(r.reply.rcode).toBe(rcode);
  expect(r.reply.ad).toBe(false);
  expect(r.ede).toEqual([]);
}

/** Root, `tld` denying with `tldDenial`, and example.tld as `example` says. */
function world(tldDenial: Denial, example: Partial<ZoneSpec>, options: Omit<WorldSpec, 'zones'> = {}) {
  return signedWorld({
    ...options,
    zones: [
      { origin: '.', address: ROOT_ADDRESS },
      { origin: 'tld', address: '192.0.2.10', denial: tldDenial, body: 'signed 3600 A 192.0.2.11' },
      { origin: 'example.tld', address: '192.0.2.20', body: EXAMPLE_BODY, ...example },
    ],
  });
}

describe('RFC 4035 §5.2: an unsigned delegation, proven by the parent, is insecure', () => {
  const cases: Array<[string, Denial]> = [
    ['NSEC (the NSEC at the cut lists NS but not DS)', { kind: 'nsec' }],
    ['NSEC3 (RFC 5155 §8.9: the matching NSEC3 lists NS but not DS)', { kind: 'nsec3', salt: 'ab', iterations: 1 }],
    ['NSEC3 Opt-Out (RFC 5155 §6: the cut has no NSEC3; the span covering it is Opt-Out)', { kind: 'nsec3', salt: '', iterations: 0, optOut: true }],
  ];
  for (const [label, denial] of cases) {
    it(`${label}: answers, NXDOMAIN and NODATA without AD, whatever the child says`, async () => {
      const w = world(denial, { unsigned: true });
      const referral = w.zone('tld').respond('www.example.tld', 'A', true);
      expect(referral.authorities.some((rr) => rr.type === 'DS')).toBe(false);
      expect(referral.authorities.some((rr) => rr.type === 'NSEC' || rr.type === 'NSEC3')).toBe(true);
      const r = await w.dig('www.example.tld', 'A', { do: true });
      expectInsecure(r);
      expect(r.records().map((rr) => rr.data)).toEqual(['192.0.2.80']);
      expect(r.rrsigs()).toEqual([]);
      expectInsecure(await w.dig('nothere.example.tld', 'A', { do: true }), RCode.NXDOMAIN);
      expectInsecure(await w.dig('www.example.tld', 'AAAA', { ad: true }));
      // The parent itself is still secure.
      const parent = await w.dig('signed.tld', 'A', { do: true });
      expect(parent.reply.ad).toBe(true);
    });
  }
});

describe('RFC 4035 §5.2, RFC 6840 §5.2: DS the validator cannot use makes the child insecure', () => {
  it('a zone signed only with a private algorithm (253): insecure, not bogus', async () => {
    const w = world({ kind: 'nsec' }, { algorithm: 253 });
    expect(w.keys('example.tld').ksk.algorithm).toBe(253);
    expectInsecure(await w.dig('www.example.tld', 'A', { do: true }));
    expectInsecure(await w.dig('nothere.example.tld', 'A', { do: true }), RCode.NXDOMAIN);
  });

  it('a zone signed only with DSA (3), which RFC 8624 §3.1 says MUST NOT be validated: insecure', async () => {
    const w = world({ kind: 'nsec' }, { algorithm: Algorithm.DSA });
    expectInsecure(await w.dig('www.example.tld', 'A', { do: true }));
  });

  it('a DS of an unknown digest type only (RFC 6840 §5.2: as if absent): insecure', async () => {
    const w = world({ kind: 'nsec' }, { ds: (keys) => [dsWithDigestType(keys.ksk, DigestType.GOST)] });
    expectInsecure(await w.dig('www.example.tld', 'A', { do: true }));
  });

  it('a DS of an unknown digest type beside a SHA-256 one: the known one is used, and the zone is secure', async () => {
    const w = world({ kind: 'nsec' }, { ds: (keys) => [dsWithDigestType(keys.ksk, 200), keys.ksk.ds()] });
    const r = await w.dig('www.example.tld', 'A', { do: true });
    expect(r.reply.ad).toBe(true);
  });
});

describe(`RFC 9276 §3.2: NSEC3 with more than ${NSEC3_MAX_ITERATIONS} iterations proves nothing, insecurely`, () => {
  it('NXDOMAIN and NODATA answered without AD; the zone\'s signed data stays secure', async () => {
    const w = threeLevels({ denial: { kind: 'nsec3', salt: 'ab', iterations: NSEC3_MAX_ITERATIONS + 1 } });
    expectInsecure(await w.dig('nothere.example.tld', 'A', { do: true }), RCode.NXDOMAIN);
    expectInsecure(await w.dig('www.example.tld', 'AAAA', { do: true }));
    expect((await w.dig('www.example.tld', 'A', { do: true })).reply.ad).toBe(true);
  });

  it(`at exactly ${NSEC3_MAX_ITERATIONS} iterations the proof still counts: AD=1`, async () => {
    const w = threeLevels({ denial: { kind: 'nsec3', salt: 'ab', iterations: NSEC3_MAX_ITERATIONS } });
    const r = await w.dig('nothere.example.tld', 'A', { do: true });
    expect(r.reply.rcode).toBe(RCode.NXDOMAIN);
    expect(r.reply.ad).toBe(true);
  });

  it('an unsigned delegation proven only by such NSEC3 is insecure too', async () => {
    const w = world({ kind: 'nsec3', salt: 'ab', iterations: NSEC3_MAX_ITERATIONS + 1 }, { unsigned: true });
    expectInsecure(await w.dig('www.example.tld', 'A', { do: true }));
  });
});

describe('RFC 7646: a negative trust anchor turns validation off below it', () => {
  /** example.tld with every signature broken. */
  const broken: Partial<ZoneSpec> = {
    adjust: (zone) => {
      for (const [name, type] of [['www.example.tld', 'A'], ['example.tld', 'DNSKEY'], ['example.tld', 'SOA']]) {
        zone.setSignatures(name!, type!, zone.signatures(name!, type!).map(corrupt));
      }
    },
  };

  it('without the NTA the broken zone is bogus (the control case)', async () => {
    const w = world({ kind: 'nsec' }, broken);
    expect((await w.dig('www.example.tld', 'A', { do: true })).reply.rcode).toBe(RCode.SERVFAIL);
  });

  it('with an NTA at example.tld: answered (NOERROR, NXDOMAIN), never AD, no EDE', async () => {
    const w = world({ kind: 'nsec' }, broken, { negativeTrustAnchors: ['example.tld'] });
    const r = await w.dig('www.example.tld', 'A', { do: true });
    expectInsecure(r);
    expect(r.records().map((rr) => rr.data)).toEqual(['192.0.2.80']);
    expectInsecure(await w.dig('nothere.example.tld', 'A', { do: true }), RCode.NXDOMAIN);
    // Outside the NTA, validation goes on.
    expect((await w.dig('signed.tld', 'A', { do: true })).reply.ad).toBe(true);
  });
});
