// Secure answers end to end (RFC 4035 §5): the chain of trust from the test
// root's anchor down to the zone that signed the data, and the AD bit as
// RFC 6840 §5.7/§5.8 and RFC 4035 §3.2.3 give it to the client.

import { describe, expect, it } from 'vitest';
import { RCode } from '../../../src/dns/message.js';
import { Algorithm, sha1SignaturesWork } from '../../../src/dnssec/algorithms.js';
import { typeCovered } from '../../../src/dns/scrub.js';
import { ROOT_ADDRESS, signedWorld, threeLevels, type DigResult } from './signed-world.js';
import type { Denial } from './signed-zone.js';

const NSEC3: Denial = { kind: 'nsec3', salt: 'aabbccdd', iterations: 2 };

function expectSecure(r: DigResult, rcode: number = RCode.NOERROR): void {
  expect(r.reply.rcode).toBe(rcode);
  expect(r.reply.ad).toBe(true);
  expect(r.ede).toEqual([]);
}

function authorityTypes(r: DigResult): string[] {
  return [...new Set(r.reply.authorities.map((rr) => (rr.type === 'RRSIG' ? `RRSIG ${typeCovered(rr)}` : rr.type)))].sort();
}

describe('RFC 4035 §5 + RFC 6840 §5.8: a secure positive answer', () => {
  it('DO=1: AD=1, the A RRset and its RRSIG (RFC 4035 §3.2.1)', async () => {
    const w = threeLevels();
    const r = await w.dig('www.example.tld', 'A', { do: true });
    expectSecure(r);
    expect(r.records().map((rr) => rr.data)).toEqual(['192.0.2.80']);
    expect(r.rrsigs().map(typeCovered)).toEqual(['A']);
  });

  it('AD=1 without DO (RFC 6840 §5.7): AD=1, but no RRSIGs', async () => {
    const w = threeLevels();
    const r = await w.dig('www.example.tld', 'A', { ad: true });
    expectSecure(r);
    expect(r.records()).toHaveLength(1);
    expect(r.rrsigs()).toEqual([]);
  });

  it('DO=0 and AD=0: the same data without AD and without RRSIGs (RFC 6840 §5.8)', async () => {
    const w = threeLevels();
    const r = await w.dig('www.example.tld', 'A');
    expect(r.reply.rcode).toBe(RCode.NOERROR);
    expect(r.reply.ad).toBe(false);
    expect(r.records()).toHaveLength(1);
    expect(r.rrsigs()).toEqual([]);
    // Validated all the same: a following DO=1 query from the cache says secure.
    const again = await w.dig('www.example.tld', 'A', { do: true });
    expectSecure(again);
    expect(again.rrsigs()).toHaveLength(1);
  });

  it('no EDNS at all: answered, no AD, no RRSIGs', async () => {
    const w = threeLevels();
    const r = await w.dig('www.example.tld', 'A', { edns: false });
    expect(r.reply.rcode).toBe(RCode.NOERROR);
    expect(r.reply.ad).toBe(false);
    expect(r.reply.edns).toBeUndefined();
    expect(r.rrsigs()).toEqual([]);
  });
});

describe('RFC 4035 §5.4 / RFC 5155 §8: secure denial of existence', () => {
  for (const [label, denial, proofType] of [['NSEC', { kind: 'nsec' }, 'NSEC'], ['NSEC3', NSEC3, 'NSEC3']] as const) {
    it(`NXDOMAIN proven with ${label}: AD=1, the SOA and the ${label} records with their RRSIGs (DO=1)`, async () => {
      const w = threeLevels({ denial });
      const r = await w.dig('nothere.example.tld', 'A', { do: true });
      expectSecure(r, RCode.NXDOMAIN);
      expect(authorityTypes(r)).toEqual([proofType, `RRSIG ${proofType}`, 'RRSIG SOA', 'SOA'].sort());
      // DO=0: the same NXDOMAIN without the proof, and no AD.
      const plain = await w.dig('nothere.example.tld', 'A');
      expect(plain.reply.rcode).toBe(RCode.NXDOMAIN);
      expect(plain.reply.ad).toBe(false);
      expect(authorityTypes(plain)).toEqual(['SOA']);
    });

    it(`NODATA proven with ${label}: AD=1 (RFC 4035 §3.1.3.1)`, async () => {
      const w = threeLevels({ denial });
      const r = await w.dig('www.example.tld', 'AAAA', { do: true });
      expectSecure(r);
      expect(r.reply.answers).toEqual([]);
      expect(authorityTypes(r)).toEqual([proofType, `RRSIG ${proofType}`, 'RRSIG SOA', 'SOA'].sort());
    });

    it(`NODATA at an empty non-terminal proven with ${label}: AD=1`, async () => {
      const w = threeLevels({ denial });
      const r = await w.dig('ent.sub.example.tld', 'A', { do: true });
      expectSecure(r);
      expect(r.reply.answers).toEqual([]);
    });

    it(`wildcard expansion with ${label} (RFC 4035 §5.3.4): AD=1, the RRSIG's labels say wildcard, the proof that the name does not exist comes along`, async () => {
      const w = threeLevels({ denial });
      const r = await w.dig('anything.wild.example.tld', 'A', { do: true });
      expectSecure(r);
      expect(r.records().map((rr) => `${rr.name} ${rr.data}`)).toEqual(['anything.wild.example.tld 192.0.2.99']);
      const [sig] = r.rrsigs();
      expect((sig!.data as Buffer)[3]).toBe(3); // labels of *.wild.example.tld without the '*'
      expect(authorityTypes(r)).toEqual([proofType, `RRSIG ${proofType}`].sort());
    });

    it(`wildcard NODATA with ${label} (RFC 4035 §3.1.3.4): AD=1`, async () => {
      const w = threeLevels({ denial });
      const r = await w.dig('anything.wild.example.tld', 'MX', { do: true });
      expectSecure(r);
      expect(r.reply.answers).toEqual([]);
      expect(authorityTypes(r)).toEqual([proofType, `RRSIG ${proofType}`, 'RRSIG SOA', 'SOA'].sort());
    });
  }
});

describe('RFC 4035 §5.3: a CNAME chain across two signed zones', () => {
  it('every link validated with its own zone\'s keys: AD=1, both RRSIGs with DO=1', async () => {
    const w = threeLevels({ body: 'www 3600 CNAME www.other.tld.' }, [{ origin: 'other.tld', address: '192.0.2.30', body: 'www 3600 A 192.0.2.31' }]);
    const r = await w.dig('www.example.tld', 'A', { do: true });
    expectSecure(r);
    expect(r.reply.answers.filter((rr) => rr.type !== 'RRSIG').map((rr) => `${rr.name} ${rr.type}`))
      .toEqual(['www.example.tld CNAME', 'www.other.tld A']);
    expect(r.rrsigs().map((s) => `${s.name} ${typeCovered(s)}`).sort()).toEqual(['www.example.tld CNAME', 'www.other.tld A']);
  });

  it('a chain into an unsigned zone is insecure as a whole: no AD', async () => {
    const w = threeLevels({ body: 'www 3600 CNAME www.other.tld.' }, [{ origin: 'other.tld', address: '192.0.2.30', body: 'www 3600 A 192.0.2.31', unsigned: true }]);
    const r = await w.dig('www.example.tld', 'A', { do: true });
    expect(r.reply.rcode).toBe(RCode.NOERROR);
    expect(r.reply.ad).toBe(false);
    expect(r.records()).toHaveLength(1);
  });
});

describe('RFC 8624 §3.1: every algorithm the validator implements, end to end', () => {
  const algorithms: Array<[string, number]> = [
    ['RSASHA256 (8)', Algorithm.RSASHA256],
    ['RSASHA512 (10)', Algorithm.RSASHA512],
    ['ECDSAP256SHA256 (13)', Algorithm.ECDSAP256SHA256],
    ['ECDSAP384SHA384 (14)', Algorithm.ECDSAP384SHA384],
    ['ED25519 (15)', Algorithm.ED25519],
    ['ED448 (16)', Algorithm.ED448],
    // RFC 8624 §3.1: RSASHA1 is "MUST" for validation (NOT RECOMMENDED for signing): still validated.
    ['RSASHA1 (5)', Algorithm.RSASHA1],
    ['RSASHA1-NSEC3-SHA1 (7)', Algorithm.RSASHA1_NSEC3_SHA1],
  ];
  for (const [label, algorithm] of algorithms) {
    // Under an OpenSSL policy that forbids SHA-1 signatures these zones are insecure instead (algorithms.ts).
    const sha1 = algorithm === Algorithm.RSASHA1 || algorithm === Algorithm.RSASHA1_NSEC3_SHA1;
    it.skipIf(sha1 && !sha1SignaturesWork())(`${label}: a zone signed with it is secure; a corrupted signature is bogus`, async () => {
      const denial: Denial = algorithm === Algorithm.RSASHA1 ? { kind: 'nsec' } : NSEC3;
      const w = signedWorld({
        zones: [
          { origin: '.', address: ROOT_ADDRESS },
          { origin: 'tld', address: '192.0.2.10', algorithm },
          { origin: 'example.tld', address: '192.0.2.20', algorithm, denial, body: 'www 3600 A 192.0.2.80\nbad 3600 A 192.0.2.81' },
        ],
      });
      const sig = w.zone('example.tld').signatures('bad.example.tld', 'A')[0]!;
      const data = Buffer.from(sig.data as Buffer);
      data[data.length - 3]! ^= 0xff;
      w.zone('example.tld').setSignatures('bad.example.tld', 'A', [{ ...sig, data }]);
      expectSecure(await w.dig('www.example.tld', 'A', { do: true }));
      expectSecure(await w.dig('nothere.example.tld', 'A', { do: true }), RCode.NXDOMAIN);
      const bad = await w.dig('bad.example.tld', 'A', { do: true });
      expect(bad.reply.rcode).toBe(RCode.SERVFAIL);
      expect(bad.ede.map((e) => e.code)).toEqual([6]);
    });
  }
});
