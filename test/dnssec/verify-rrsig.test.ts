import { describe, expect, it } from 'vitest';
import type { ResourceRecord } from '../../src/dns/message.js';
import { buildDnskey, parseDnskey } from '../../src/dnssec/dnssec-rdata.js';
import { keyTag } from '../../src/dnssec/key-tag.js';
import { MAX_KEYS_PER_RRSIG, MAX_RRSIGS_PER_RRSET, verifyRrset, type SignatureContext } from '../../src/dnssec/verify-rrsig.js';
import { caseKeptWireName, ofType, record, records, typeBitmap } from './presentation.js';
import { corrupt, generateKey, signRrset, type SigningKey } from './signer.js';
import * as V from './vectors.js';

const NOW = 1_700_000_000;
const DAY = 86400;

function counting(now = NOW): SignatureContext & { charges: number } {
  const ctx = { now, charges: 0, chargeVerification() { ctx.charges++; } };
  return ctx;
}

const ZONE = 'example.org';
const zsk = generateKey(13, ZONE);
const aSet = (name = `www.${ZONE}`, ttl = 300): ResourceRecord[] => [
  { name, type: 'A', class: 'IN', ttl, data: '192.0.2.1' },
  { name, type: 'A', class: 'IN', ttl, data: '192.0.2.2' },
];
const window = { inception: NOW - DAY, expiration: NOW + 7 * DAY };
const sign = (rrset: ResourceRecord[], options: Partial<Parameters<typeof signRrset>[2]> = {}, key: SigningKey = zsk) =>
  signRrset(rrset, key, { ...window, ...options });
/** An RRSIG with one RDATA octet replaced (fields the signer will not write wrong by itself). */
const patched = (rrsig: ResourceRecord, offset: number, value: number): ResourceRecord => {
  const data = Buffer.from(rrsig.data as Buffer);
  data[offset] = value;
  return { ...rrsig, data };
};

describe('verifyRrset: the RFC 4035 §5.3.1 checks, one case each', () => {
  const rrset = aSet();
  const noZoneBit = generateKey(13, ZONE, { flags: 0x0001 });
  const wrongProtocol = { ...zsk.dnskey, data: buildDnskey({ ...parseDnskey(zsk.dnskey.data)!, protocol: 2 }) };
  const cases: Array<[string, ResourceRecord[], ResourceRecord[], string, ResourceRecord[], number, string]> = [
    ['a good signature (control)', rrset, [sign(rrset)], ZONE, [zsk.dnskey], NOW, 'ok'],
    ['expired (RFC 4034 §3.1.5)', rrset, [sign(rrset, { inception: NOW - 10 * DAY, expiration: NOW - DAY })], ZONE, [zsk.dnskey], NOW, 'signature-expired'],
    ['not yet valid', rrset, [sign(rrset, { inception: NOW + DAY, expiration: NOW + 10 * DAY })], ZONE, [zsk.dnskey], NOW, 'signature-not-yet-valid'],
    ['valid across the 2^32 wrap of 2106 (RFC 1982)', rrset, [sign(rrset, { inception: 0xfffff000, expiration: 0x00001000 })], ZONE, [zsk.dnskey], 2 ** 32 + 0x10, 'ok'],
    ['a key tag no key has', rrset, [sign(rrset, { keyTag: (zsk.keyTag + 1) & 0xffff })], ZONE, [zsk.dnskey], NOW, 'dnskey-missing'],
    ['the key lacks the Zone Key flag (bit 7)', rrset, [sign(rrset, {}, noZoneBit)], ZONE, [noZoneBit.dnskey], NOW, 'dnskey-missing'],
    ['the key has protocol 2, not 3 (RFC 4034 §2.1.2)', rrset, [sign(rrset)], ZONE, [wrongProtocol], NOW, 'dnskey-missing'],
    ['the key belongs to another zone', rrset, [sign(rrset)], ZONE, [{ ...zsk.dnskey, name: 'example.net' }], NOW, 'dnskey-missing'],
    ['RRSIG algorithm 3 (DSA, not validated: RFC 8624 §3.1) counts as no RRSIG', rrset, [sign(rrset, { algorithm: 3 })], ZONE, [zsk.dnskey], NOW, 'rrsigs-missing'],
    ['the signer is not the zone', rrset, [sign(rrset, { signer: 'other.org' })], ZONE, [zsk.dnskey], NOW, 'invalid'],
    ['the owner is outside the signer\'s zone', aSet('www.example.net'), [sign(aSet('www.example.net'))], ZONE, [zsk.dnskey], NOW, 'invalid'],
    ['labels above the owner\'s label count', rrset, [patched(sign(rrset), 3, 4)], ZONE, [zsk.dnskey], NOW, 'invalid'],
    ['a malformed RRSIG', rrset, [{ ...sign(rrset), data: Buffer.from([0, 1, 13]) }], ZONE, [zsk.dnskey], NOW, 'invalid'],
    ['tampered RDATA', [{ ...rrset[0]!, data: '192.0.2.99' }, rrset[1]!], [sign(rrset)], ZONE, [zsk.dnskey], NOW, 'bad-signature'],
    ['a corrupted signature', rrset, [corrupt(sign(rrset))], ZONE, [zsk.dnskey], NOW, 'bad-signature'],
    ['no RRSIG at all', rrset, [], ZONE, [zsk.dnskey], NOW, 'rrsigs-missing'],
    ['an RRSIG covering another type', rrset, [patched(sign(rrset), 1, 28)], ZONE, [zsk.dnskey], NOW, 'rrsigs-missing'],
    ['an RRSIG of another owner', rrset, [sign(aSet(`ftp.${ZONE}`))], ZONE, [zsk.dnskey], NOW, 'rrsigs-missing'],
    ['an RRSIG of another class', rrset, [{ ...sign(rrset), class: 'CH' }], ZONE, [zsk.dnskey], NOW, 'rrsigs-missing'],
  ];
  it.each(cases)('%s', (_name, set, rrsigs, zone, keys, now, expected) => {
    const verdict = verifyRrset(set, rrsigs, zone, keys, counting(now));
    if (expected === 'ok') expect(verdict).toMatchObject({ ok: true, signer: zone });
    else expect(verdict).toMatchObject({ ok: false, reason: expected });
    if (!verdict.ok) expect(verdict.text.length).toBeGreaterThan(0);
  });

  it('one good signature suffices among bad ones', () => {
    const verdict = verifyRrset(rrset, [corrupt(sign(rrset)), sign(rrset, { keyTag: 1 }), sign(rrset)], ZONE, [zsk.dnskey], counting());
    expect(verdict.ok).toBe(true);
  });

  it('reports the most telling failure: expired rather than an unknown key', () => {
    const rrsigs = [sign(rrset, { keyTag: (zsk.keyTag + 1) & 0xffff }), sign(rrset, { inception: NOW - 10 * DAY, expiration: NOW - DAY })];
    expect(verifyRrset(rrset, rrsigs, ZONE, [zsk.dnskey], counting())).toMatchObject({ ok: false, reason: 'signature-expired' });
  });

  it('checks no signature that fails a cheaper test: expired RRSIGs cost no verification', () => {
    const ctx = counting();
    verifyRrset(rrset, [sign(rrset, { inception: NOW - 10 * DAY, expiration: NOW - DAY })], ZONE, [zsk.dnskey], ctx);
    expect(ctx.charges).toBe(0);
  });
});

describe('a revoked key (RFC 5011 §2.1) signs nothing but its own DNSKEY RRset', () => {
  const revoked = generateKey(8, ZONE, { flags: 0x0100 | 0x0080 | 0x0001 });
  it('is not used for other data', () => {
    const rrset = aSet();
    expect(verifyRrset(rrset, [sign(rrset, {}, revoked)], ZONE, [revoked.dnskey], counting())).toMatchObject({ ok: false, reason: 'dnskey-missing' });
  });
  it('still verifies the DNSKEY RRset that announces its revocation', () => {
    const keys = [revoked.dnskey, zsk.dnskey];
    expect(verifyRrset(keys, [sign(keys, {}, revoked)], ZONE, keys, counting()).ok).toBe(true);
  });
});

describe('TTL of a validated RRset (RFC 4035 §5.3.3): the least of four', () => {
  const cases: Array<[string, number, number, number, number, number]> = [
    // [name, RRset TTL, RRSIG TTL, original TTL, seconds to expiration, expected]
    ['the RRset\'s own TTL', 300, 3600, 3600, 7 * DAY, 300],
    ['the RRSIG record\'s TTL', 3600, 120, 3600, 7 * DAY, 120],
    ['the original TTL, when the RRset arrived with a larger one', 86400, 86400, 600, 7 * DAY, 600],
    ['the time left until the signature expires', 3600, 3600, 3600, 90, 90],
  ];
  it.each(cases)('%s', (_name, ttl, rrsigTtl, originalTtl, left, expected) => {
    const rrset = aSet(`www.${ZONE}`, ttl);
    const rrsig = { ...sign(rrset, { originalTtl, expiration: NOW + left }), ttl: rrsigTtl };
    expect(verifyRrset(rrset, [rrsig], ZONE, [zsk.dnskey], counting())).toMatchObject({ ok: true, ttl: expected });
  });
});

describe('wildcard expansions (RFC 4035 §5.3.2, §5.3.4)', () => {
  it('RFC 4035 Appendix B.6: a.z.w.example MX, signed as *.w.example, gives its encloser w.example', () => {
    const rrs = records(V.RFC4035_WILDCARD_MX);
    const verdict = verifyRrset(ofType(rrs, 'MX'), ofType(rrs, 'RRSIG'), 'example', [record(V.RFC4035_ZSK)], counting(V.RFC4035_NOW));
    expect(verdict).toEqual({ ok: true, signer: 'example', ttl: 3600, wildcardEncloser: 'w.example' });
  });

  it('a generated expansion two labels below its wildcard', () => {
    const rrset = aSet(`a.b.${ZONE}`);
    const verdict = verifyRrset(rrset, [sign(rrset, { labels: 2 })], ZONE, [zsk.dnskey], counting());
    expect(verdict).toMatchObject({ ok: true, wildcardEncloser: ZONE });
  });

  it('the wildcard owner itself, asked for directly, is no expansion', () => {
    const rrset = aSet(`*.${ZONE}`);
    const verdict = verifyRrset(rrset, [sign(rrset)], ZONE, [zsk.dnskey], counting());
    expect(verdict).toEqual({ ok: true, signer: ZONE, ttl: 300 });
  });

  it('an RRSIG claiming fewer labels than it was made with does not verify', () => {
    const rrset = aSet();
    expect(verifyRrset(rrset, [patched(sign(rrset), 3, 2)], ZONE, [zsk.dnskey], counting())).toMatchObject({ ok: false, reason: 'bad-signature' });
  });
});

describe('canonical form against real signatures (RFC 4034 §6.2, RFC 6840 §5.1)', () => {
  it('RFC 4035 App. A SOA verifies with its owner and RDATA names in upper case', () => {
    const [soa, rrsig] = records(V.RFC4035_SOA);
    const shouted = { ...soa!, name: 'EXAMPLE', data: { ...(soa!.data as object), mname: 'NS1.Example', rname: 'BUGS.x.W.example' } };
    expect(verifyRrset([shouted], [{ ...rrsig!, name: 'Example' }], 'example', [record(V.RFC4035_ZSK)], counting(V.RFC4035_NOW)).ok).toBe(true);
  });

  it('RFC 4035 App. B.6 MX verifies with its exchange in upper case', () => {
    const [mx, rrsig] = records(V.RFC4035_WILDCARD_MX);
    const shouted = { ...mx!, data: { preference: 1, exchange: 'AI.EXAMPLE' } };
    expect(verifyRrset([shouted], [rrsig!], 'example', [record(V.RFC4035_ZSK)], counting(V.RFC4035_NOW)).ok).toBe(true);
  });

  it('RFC 4035 App. A apex NSEC verifies as published', () => {
    const rrs = records(V.RFC4035_APEX_NSEC);
    expect(verifyRrset(ofType(rrs, 'NSEC'), ofType(rrs, 'RRSIG'), 'example', [record(V.RFC4035_ZSK)], counting(V.RFC4035_NOW)).ok).toBe(true);
  });

  it('but not once its next name is re-cased: NSEC RDATA is signed as written, not lower-cased (RFC 6840 §5.1)', () => {
    const rrs = records(V.RFC4035_APEX_NSEC);
    const nsec = ofType(rrs, 'NSEC')[0]!;
    const recased = { ...nsec, data: Buffer.concat([caseKeptWireName('A.example.'), typeBitmap(['NS', 'SOA', 'MX', 'RRSIG', 'NSEC', 'DNSKEY'])]) };
    expect(verifyRrset([recased], ofType(rrs, 'RRSIG'), 'example', [record(V.RFC4035_ZSK)], counting(V.RFC4035_NOW)))
      .toMatchObject({ ok: false, reason: 'bad-signature' });
  });

  const rootKeys = ofType(records(V.ROOT_DNSKEY_2026_05), 'DNSKEY');
  const rootSig = ofType(records(V.ROOT_DNSKEY_2026_05), 'RRSIG');
  const orders: Array<[string, ResourceRecord[]]> = [
    ['as served', rootKeys],
    ['reversed', [...rootKeys].reverse()],
    ['with a duplicate (RFC 4034 §6.3)', [rootKeys[2]!, ...rootKeys, rootKeys[0]!]],
  ];
  it.each(orders)('the root DNSKEY RRset of May 2026 verifies by KSK-2017, %s', (_name, keys) => {
    expect(verifyRrset(keys, rootSig, '.', rootKeys, counting(V.ROOT_DNSKEY_2026_05_NOW))).toEqual({ ok: true, signer: '.', ttl: 172800 });
  });

  it('the root ZSK\'s signature over the de. DS RRset (labels 1) verifies', () => {
    const rrs = records(V.ROOT_DE_DS_2026_05);
    expect(verifyRrset(ofType(rrs, 'DS'), ofType(rrs, 'RRSIG'), '.', rootKeys, counting(V.ROOT_DNSKEY_2026_05_NOW)))
      .toMatchObject({ ok: true, signer: '.' });
  });
});

describe('KeyTrap bounds (CVE-2023-50387): public-key work per RRset is capped', () => {
  const base = generateKey(8, ZONE);
  const genuineTag = base.keyTag;
  /** A well-formed RSA DNSKEY, distinct per `n`, whose key tag collides with the genuine key's. */
  function colliding(n: number): ResourceRecord {
    const rdata = Buffer.from(base.dnskey.data as Buffer);
    rdata[10] = n; // somewhere inside the modulus: makes each key different
    for (let hi = 0; hi < 256; hi++) {
      for (let lo = 0; lo < 256; lo++) {
        rdata[rdata.length - 2] = hi;
        rdata[rdata.length - 1] = lo;
        if (keyTag(rdata) === genuineTag) return { ...base.dnskey, data: Buffer.from(rdata) };
      }
    }
    throw new Error('no collision found');
  }
  const impostors = Array.from({ length: 10 }, (_, i) => colliding(i));
  const rrset = aSet();

  it('the colliding keys share one tag and algorithm and are all different', () => {
    expect(new Set(impostors.map((k) => keyTag(k.data as Buffer)))).toEqual(new Set([genuineTag]));
    expect(new Set(impostors.map((k) => (k.data as Buffer).toString('hex'))).size).toBe(10);
  });

  it(`10 colliding keys × 10 bad RRSIGs cost at most ${MAX_RRSIGS_PER_RRSET} × ${MAX_KEYS_PER_RRSIG} verifications`, () => {
    const rrsigs = Array.from({ length: 10 }, (_, i) => corrupt(sign(aSet(`www.${ZONE}`, 300 + i), {}, base)));
    const ctx = counting();
    const verdict = verifyRrset(rrset, rrsigs, ZONE, impostors, ctx);
    expect(verdict).toMatchObject({ ok: false, reason: 'bad-signature' });
    expect(ctx.charges).toBe(MAX_RRSIGS_PER_RRSET * MAX_KEYS_PER_RRSIG);
    expect(ctx.charges).toBe(32);
  });

  it('charges before each verification, so the caller\'s budget error stops the work at once', () => {
    class BudgetError extends Error {}
    let charges = 0;
    const ctx: SignatureContext = { now: NOW, chargeVerification() { if (++charges > 3) throw new BudgetError('budget'); } };
    const rrsigs = Array.from({ length: 10 }, () => corrupt(sign(rrset, {}, base)));
    expect(() => verifyRrset(rrset, rrsigs, ZONE, impostors, ctx)).toThrow(BudgetError);
    expect(charges).toBe(4);
  });

  it('the genuine key among colliding ones still verifies', () => {
    const ctx = counting();
    const verdict = verifyRrset(rrset, [sign(rrset, {}, base)], ZONE, [...impostors.slice(0, 2), base.dnskey, ...impostors.slice(2)], ctx);
    expect(verdict.ok).toBe(true);
    expect(ctx.charges).toBe(3);
  });
});
