// Bogus answers (RFC 4035 §5.5): SERVFAIL to a client that did not set CD,
// with the Extended DNS Error that says why (RFC 8914 §4), no answer data,
// and one info line for the operator naming the zone at fault.

import { describe, expect, it } from 'vitest';
import { EdeCode } from '../../../src/dns/ede.js';
import { RCode, type Message } from '../../../src/dns/message.js';
import { typeCovered } from '../../../src/dns/scrub.js';
import { corrupt, signRrset } from '../signer.js';
import { DAY, threeLevels, type DigResult, type SignedWorld } from './signed-world.js';
import { makeKey, makeZoneKeys, type Denial } from './signed-zone.js';

function expectBogus(w: SignedWorld, r: DigResult, ede: number, zone = 'example.tld'): void {
  expect(r.reply.rcode).toBe(RCode.SERVFAIL);
  expect(r.reply.ad).toBe(false);
  expect(r.reply.answers).toEqual([]);
  expect(r.ede.map((e) => e.code)).toEqual([ede]);
  const lines = w.bogusLogs().filter((l) => l.msg === 'DNSSEC validation failed (bogus); answering SERVFAIL');
  expect(lines.map((l) => l.zone)).toContain(zone);
  expect(lines.every((l) => l.level === 30)).toBe(true); // info
}

describe('RFC 4035 §5.3.1: signatures outside their validity period', () => {
  it('expired RRSIG: SERVFAIL, EDE 7 (Signature Expired, RFC 8914 §4.8)', async () => {
    const w = threeLevels({ adjust: (zone, { now }) => zone.resign('www.example.tld', 'A', { inception: now - 10 * DAY, expiration: now - 60 }) });
    expectBogus(w, await w.dig('www.example.tld', 'A', { do: true }), EdeCode.SignatureExpired);
  });

  it('RRSIG not valid yet: SERVFAIL, EDE 8 (Signature Not Yet Valid, RFC 8914 §4.9)', async () => {
    const w = threeLevels({ adjust: (zone, { now }) => zone.resign('www.example.tld', 'A', { inception: now + 3600, expiration: now + 10 * DAY }) });
    expectBogus(w, await w.dig('www.example.tld', 'A', { do: true }), EdeCode.SignatureNotYetValid);
  });

  it('the zone\'s whole DNSKEY RRset expired: every name of the zone is bogus, EDE 7', async () => {
    const w = threeLevels({ adjust: (zone, { now }) => zone.resign('example.tld', 'DNSKEY', { inception: now - 10 * DAY, expiration: now - 1 }) });
    expectBogus(w, await w.dig('www.example.tld', 'A'), EdeCode.SignatureExpired);
  });
});

describe('RFC 4035 §5.3.3: a signature that does not verify', () => {
  it('data changed after signing (tampered): SERVFAIL, EDE 6 (DNSSEC Bogus)', async () => {
    const w = threeLevels({
      adjust: (zone) => zone.setRecords('www.example.tld', 'A', [{ name: 'www.example.tld', type: 'A', class: 'IN', ttl: 3600, data: '203.0.113.66' }]),
    });
    expectBogus(w, await w.dig('www.example.tld', 'A', { do: true }), EdeCode.DnssecBogus);
  });

  it('signed by a key outside the zone\'s DNSKEY RRset, its own key tag in the RRSIG: EDE 9 (DNSKEY Missing, as Unbound says "signatures from unknown keys")', async () => {
    const w = threeLevels({ adjust: (zone) => zone.resign('www.example.tld', 'A', { key: makeKey(13, 'example.tld', false) }) });
    expectBogus(w, await w.dig('www.example.tld', 'A', { do: true }), EdeCode.DnskeyMissing);
  });

  it('signed by a wrong key but claiming the zone key\'s tag: the signature fails, EDE 6 (DNSSEC Bogus)', async () => {
    const w = threeLevels({
      adjust: (zone) => zone.resign('www.example.tld', 'A', { key: makeKey(13, 'example.tld', false), keyTag: zone.keys!.zsk.keyTag }),
    });
    expectBogus(w, await w.dig('www.example.tld', 'A', { do: true }), EdeCode.DnssecBogus);
  });

  it('a corrupted DS RRSIG in the parent makes the child bogus: EDE 6, the zone named is the child whose DS failed', async () => {
    const w = threeLevels({}, [], {});
    const tld = w.zone('tld');
    tld.setSignatures('example.tld', 'DS', tld.signatures('example.tld', 'DS').map(corrupt));
    const r = await w.dig('www.example.tld', 'A', { do: true });
    expect(r.reply.rcode).toBe(RCode.SERVFAIL);
    expect(r.ede.map((e) => e.code)).toEqual([EdeCode.DnssecBogus]);
  });
});

describe('RFC 4035 §5.2: the chain of trust broken at a DNSKEY RRset', () => {
  it('the parent\'s DS points to a key the child does not publish: EDE 9 (DNSKEY Missing, RFC 8914 §4.10)', async () => {
    const stranger = makeZoneKeys('example.tld');
    const w = threeLevels({ ds: () => [stranger.ksk.ds()] });
    expectBogus(w, await w.dig('www.example.tld', 'A', { do: true }), EdeCode.DnskeyMissing);
  });

  it('an unsigned DNSKEY RRset: EDE 10 (RRSIGs Missing, RFC 8914 §4.11)', async () => {
    const w = threeLevels({ adjust: (zone) => zone.dropSignatures('example.tld', 'DNSKEY') });
    expectBogus(w, await w.dig('www.example.tld', 'A', { do: true }), EdeCode.RrsigsMissing);
  });

  it('a DNSKEY RRset signed only by the ZSK, not by the key the DS names: EDE 9 (no DNSKEY the DS authenticates signed it)', async () => {
    const w = threeLevels({ adjust: (zone) => zone.resign('example.tld', 'DNSKEY', { key: zone.keys!.zsk }) });
    expectBogus(w, await w.dig('www.example.tld', 'A', { do: true }), EdeCode.DnskeyMissing);
  });

  it('a DNSKEY RRset whose KSK signature is corrupt: EDE 6', async () => {
    const w = threeLevels({ adjust: (zone) => zone.setSignatures('example.tld', 'DNSKEY', zone.signatures('example.tld', 'DNSKEY').map(corrupt)) });
    expectBogus(w, await w.dig('www.example.tld', 'A', { do: true }), EdeCode.DnssecBogus);
  });
});

describe('RFC 4035 §5.3.1/§5.5: data of a signed zone without RRSIG', () => {
  it('the A RRset has no RRSIG: SERVFAIL, EDE 10 (RRSIGs Missing)', async () => {
    const w = threeLevels({ adjust: (zone) => zone.dropSignatures('www.example.tld', 'A') });
    expectBogus(w, await w.dig('www.example.tld', 'A', { do: true }), EdeCode.RrsigsMissing);
  });

  it('an RRSIG stripped on the way (every reply): EDE 10 after the validator asked again', async () => {
    const strip = (_query: Message, reply: Message): Message => ({
      ...reply, answers: reply.answers.filter((rr) => !(rr.type === 'RRSIG' && rr.name === 'www.example.tld')),
    });
    const w = threeLevels({}, [], { servers: { '192.0.2.20': { intercept: strip } } });
    expectBogus(w, await w.dig('www.example.tld', 'A'), EdeCode.RrsigsMissing);
    // It asked the zone's server again before saying so (Unbound's retry), a bounded number of times.
    const asked = w.queriesOf('A', '192.0.2.20').filter((q) => q.name === 'www.example.tld').length;
    expect(asked).toBeGreaterThan(1);
    expect(asked).toBeLessThanOrEqual(3);
  });
});

describe('RFC 4035 §5.4: a denial whose proof does not prove it', () => {
  for (const denial of [{ kind: 'nsec' }, { kind: 'nsec3', salt: '', iterations: 0 }] as Denial[]) {
    const proofType = denial.kind === 'nsec' ? 'NSEC' : 'NSEC3';
    it(`NXDOMAIN with validly signed ${proofType} records that do not cover the name: EDE 12 (NSEC Missing)`, async () => {
      // The server answers nothere.example.tld with the proof it would give for another name.
      let swap: Message | undefined;
      const w = threeLevels({ denial }, [], {
        servers: {
          '192.0.2.20': {
            intercept: (query, reply) => {
              if (query.questions[0]!.name !== 'nothere.example.tld' || !swap) return reply;
              return { ...reply, authorities: swap.authorities };
            },
          },
        },
      });
      const other = w.zone('example.tld').respond('zzz.example.tld', 'A', true);
      swap = { authorities: other.authorities } as Message;
      expect(other.authorities.some((rr) => rr.type === proofType)).toBe(true);
      expectBogus(w, await w.dig('nothere.example.tld', 'A', { do: true }), EdeCode.NsecMissing);
    });

    it(`NXDOMAIN with no ${proofType} at all: SERVFAIL, not a secure or insecure NXDOMAIN`, async () => {
      const strip = (_query: Message, reply: Message): Message => ({
        ...reply, authorities: reply.authorities.filter((rr) => rr.type === 'SOA' || (rr.type === 'RRSIG' && typeCovered(rr) === 'SOA')),
      });
      const w = threeLevels({ denial }, [], { servers: { '192.0.2.20': { intercept: strip } } });
      const r = await w.dig('nothere.example.tld', 'A', { do: true });
      expect(r.reply.rcode).toBe(RCode.SERVFAIL);
      expect(r.ede.map((e) => e.code)).toEqual([EdeCode.NsecMissing]);
    });
  }

  it('a wildcard expansion without the proof that the name does not exist (RFC 4035 §5.3.4): EDE 12', async () => {
    const strip = (_query: Message, reply: Message): Message => ({ ...reply, authorities: [] });
    const w = threeLevels({}, [], { servers: { '192.0.2.20': { intercept: strip } } });
    expectBogus(w, await w.dig('anything.wild.example.tld', 'A', { do: true }), EdeCode.NsecMissing);
  });

  it('a wildcard RRSIG replayed for a name that exists (the labels field claims an expansion): bogus', async () => {
    // www.example.tld exists; a forged reply serves the wildcard's data and signature for it.
    const w = threeLevels({}, [], {
      servers: {
        '192.0.2.20': {
          intercept: (query, reply) => {
            if (query.questions[0]!.name !== 'www.example.tld' || query.questions[0]!.type !== 'A') return reply;
            const wild = w.zone('example.tld').respond('www.wild.example.tld', 'A', true);
            return { ...reply, answers: wild.answers.map((rr) => ({ ...rr, name: 'www.example.tld' })), authorities: wild.authorities };
          },
        },
      },
    });
    const r = await w.dig('www.example.tld', 'A', { do: true });
    expect(r.reply.rcode).toBe(RCode.SERVFAIL);
    expect(r.reply.answers).toEqual([]);
  });
});

describe('a signature over the wrong owner or type is no signature', () => {
  it('the RRSIG of the TXT RRset sent with the A RRset: EDE 10', async () => {
    const w = threeLevels({
      adjust: (zone) => {
        const txt = zone.rrset('www.example.tld', 'TXT')!;
        // A signature over TXT, relabelled as one over A, cannot verify; here the typeCovered stays TXT.
        zone.setSignatures('www.example.tld', 'A', [signRrset(txt, zone.keys!.zsk, zone.window)]);
      },
    });
    expectBogus(w, await w.dig('www.example.tld', 'A', { do: true }), EdeCode.RrsigsMissing);
  });
});
