import { describe, expect, it } from 'vitest';
import type { ResourceRecord } from '../../src/dns/message.js';
import { Algorithm, isSupportedAlgorithm, sha1SignaturesWork, verifySignature } from '../../src/dnssec/algorithms.js';
import { signedData } from '../../src/dnssec/canonical.js';
import { parseDnskey, parseRrsig } from '../../src/dnssec/dnssec-rdata.js';
import { publicKeyFor } from '../../src/dnssec/public-keys.js';
import { verifyRrset, type SignatureContext } from '../../src/dnssec/verify-rrsig.js';
import { ofType, record, records, rrsigTime } from './presentation.js';
import { corrupt, generateKey, signRrset } from './signer.js';
import * as V from './vectors.js';

const at = (now: number): SignatureContext => ({ now, chargeVerification() {} });

interface Vector {
  rrset: ResourceRecord[];
  rrsigs: ResourceRecord[];
  keys: ResourceRecord[];
  zone: string;
  now: number;
}
function vector(block: string, zone: string, now: number, keyText?: string): Vector {
  const rrs = records(block);
  return {
    rrset: rrs.filter((rr) => !['RRSIG', 'DNSKEY', 'DS'].includes(rr.type)),
    rrsigs: ofType(rrs, 'RRSIG'),
    keys: keyText ? [record(keyText)] : ofType(rrs, 'DNSKEY'),
    zone, now,
  };
}

const published: Array<[string, Vector]> = [
  ['RFC 4035 Appendix A: RSASHA1 (5), SOA', vector(V.RFC4035_SOA, 'example', V.RFC4035_NOW, V.RFC4035_ZSK)],
  ['RFC 5702 §6.1: RSASHA256 (8)', vector(V.RFC5702_RSASHA256, 'example.net', rrsigTime('20010101000000'))],
  ['RFC 5702 §6.2: RSASHA512 (10)', vector(V.RFC5702_RSASHA512, 'example.net', rrsigTime('20010101000000'))],
  ['RFC 6605 §6.1: ECDSAP256SHA256 (13)', vector(V.RFC6605_P256, 'example.net', rrsigTime('20100820000000'))],
  ['RFC 6605 §6.2: ECDSAP384SHA384 (14)', vector(V.RFC6605_P384, 'example.net', rrsigTime('20100820000000'))],
  ['RFC 8080 §6.1 (erratum 4935): ED25519 (15), key 3613', vector(V.RFC8080_ED25519[0]!, 'example.com', 1439000000)],
  ['RFC 8080 §6.1 (erratum 4935): ED25519 (15), key 35217', vector(V.RFC8080_ED25519[1]!, 'example.com', 1439000000)],
  ['RFC 8080 §6.2 (erratum 4935): ED448 (16), key 9713', vector(V.RFC8080_ED448[0]!, 'example.com', 1439000000)],
  ['RFC 8080 §6.2 (erratum 4935): ED448 (16), key 38353', vector(V.RFC8080_ED448[1]!, 'example.com', 1439000000)],
];

/** The RRset with its first record's RDATA changed: an A address or an MX preference bumped. */
function tampered(rrset: ResourceRecord[]): ResourceRecord[] {
  const [first, ...rest] = rrset;
  const data = first!.type === 'A' ? '192.0.2.254'
    : first!.type === 'MX' ? { ...(first!.data as object), preference: 11 }
      : { ...(first!.data as object), serial: 1081539378 };
  return [{ ...first!, data }, ...rest];
}

describe('published signatures verify (RFC 5702 §6, RFC 6605 §6, RFC 8080 §6, RFC 4035 App. A)', () => {
  it.each(published)('%s', (_name, v) => {
    expect(verifyRrset(v.rrset, v.rrsigs, v.zone, v.keys, at(v.now))).toMatchObject({ ok: true, signer: v.zone });
  });
  it.each(published)('%s: fails once the RRset is changed', (_name, v) => {
    expect(verifyRrset(tampered(v.rrset), v.rrsigs, v.zone, v.keys, at(v.now))).toMatchObject({ ok: false, reason: 'bad-signature' });
  });
});

describe('supported algorithms (RFC 8624 §3.1)', () => {
  const table: Array<[number, string, boolean]> = [
    [1, 'RSAMD5: MUST NOT validate', false],
    [3, 'DSA: MUST NOT validate', false],
    [5, 'RSASHA1', true],
    [6, 'DSA-NSEC3-SHA1: MUST NOT validate', false],
    [7, 'RSASHA1-NSEC3-SHA1', true],
    [8, 'RSASHA256', true],
    [10, 'RSASHA512', true],
    [12, 'ECC-GOST: MAY, not done here', false],
    [13, 'ECDSAP256SHA256', true],
    [14, 'ECDSAP384SHA384', true],
    [15, 'ED25519', true],
    [16, 'ED448', true],
    [0, 'reserved', false],
    [253, 'PRIVATEDNS', false],
    [254, 'PRIVATEOID', false],
  ];
  it.each(table)('algorithm %i (%s): %s', (algorithm, _name, supported) => {
    expect(isSupportedAlgorithm(algorithm)).toBe(supported);
  });

  it('SHA-1 signatures verify under this Node and its OpenSSL 3 (Debian 12, Node 20)', () => {
    // If this fails on another platform, its OpenSSL refuses SHA-1
    // signatures: RSASHA1 zones are then treated as unsupported, i.e. insecure.
    expect(sha1SignaturesWork()).toBe(true);
  });
});

describe('generated keys round-trip through the test signer, per algorithm', () => {
  const algorithms = [
    Algorithm.RSASHA1, Algorithm.RSASHA1_NSEC3_SHA1, Algorithm.RSASHA256, Algorithm.RSASHA512,
    Algorithm.ECDSAP256SHA256, Algorithm.ECDSAP384SHA384, Algorithm.ED25519, Algorithm.ED448,
  ];
  const now = 1_700_000_000;
  const rrset: ResourceRecord[] = [
    { name: 'www.example.org', type: 'A', class: 'IN', ttl: 300, data: '192.0.2.1' },
    { name: 'www.example.org', type: 'A', class: 'IN', ttl: 300, data: '192.0.2.2' },
  ];
  it.each(algorithms)('algorithm %i', (algorithm) => {
    const key = generateKey(algorithm, 'example.org');
    const rrsig = signRrset(rrset, key, { inception: now - 3600, expiration: now + 86400 });
    expect(verifyRrset(rrset, [rrsig], 'example.org', [key.dnskey], at(now))).toMatchObject({ ok: true, signer: 'example.org', ttl: 300 });
    expect(verifyRrset(rrset, [corrupt(rrsig)], 'example.org', [key.dnskey], at(now))).toMatchObject({ ok: false, reason: 'bad-signature' });
  });
});

describe('public keys and signatures that do not fit their algorithm are rejected, never thrown', () => {
  const p256 = parseDnskey(ofType(records(V.RFC6605_P256), 'DNSKEY')[0]!.data)!.publicKey;
  const rsa512 = parseDnskey(ofType(records(V.RFC5702_RSASHA256), 'DNSKEY')[0]!.data)!.publicKey;
  const ed25519 = parseDnskey(ofType(records(V.RFC8080_ED25519[0]!), 'DNSKEY')[0]!.data)!.publicKey;
  const keys: Array<[string, number, Buffer]> = [
    ['an empty RSA key', Algorithm.RSASHA256, Buffer.alloc(0)],
    ['an RSA key that is all exponent', Algorithm.RSASHA256, Buffer.from([3, 1, 0, 1])],
    ['an RSA exponent of 16 octets (longer than any real key uses)', Algorithm.RSASHA256, Buffer.concat([Buffer.from([16]), Buffer.alloc(16, 1), Buffer.alloc(128, 0xff)])],
    ['an RSA modulus over 4096 bits (RFC 3110 §2)', Algorithm.RSASHA256, Buffer.concat([Buffer.from([3, 1, 0, 1]), Buffer.alloc(520, 0xff)])],
    ['a 512-bit RSASHA512 key (RFC 5702 §2.1 starts at 1024)', Algorithm.RSASHA512, rsa512],
    ['a P-256 key one octet short', Algorithm.ECDSAP256SHA256, p256.subarray(1)],
    ['a P-256 key given as P-384', Algorithm.ECDSAP384SHA384, p256],
    ['a point that is not on P-256', Algorithm.ECDSAP256SHA256, Buffer.alloc(64, 1)],
    ['an Ed25519 key one octet short', Algorithm.ED25519, ed25519.subarray(1)],
    ['an Ed25519 key given as Ed448', Algorithm.ED448, ed25519],
    ['an unsupported algorithm (DSA)', Algorithm.DSA, rsa512],
  ];
  it.each(keys)('%s', (_name, algorithm, publicKey) => {
    expect(publicKeyFor(algorithm, publicKey)).toBeUndefined();
    expect(verifySignature(algorithm, publicKey, Buffer.from('data'), Buffer.alloc(64))).toBe(false);
  });

  it('the 512-bit RFC 5702 key is still a valid RSASHA256 key', () => {
    expect(publicKeyFor(Algorithm.RSASHA256, rsa512)).toBeDefined();
  });

  const v = vector(V.RFC6605_P256, 'example.net', 0);
  const sig = parseRrsig(v.rrsigs[0]!.data)!;
  const data = signedData(v.rrset, sig)!;
  const signatures: Array<[string, Buffer]> = [
    ['the RFC 6605 signature itself (control)', sig.signature],
    ['ECDSA r | s one octet short (RFC 6605 §4)', sig.signature.subarray(1)],
    ['ECDSA r | s one octet long', Buffer.concat([sig.signature, Buffer.from([0])])],
    ['an empty signature', Buffer.alloc(0)],
  ];
  it.each(signatures)('%s', (name, signature) => {
    expect(verifySignature(Algorithm.ECDSAP256SHA256, p256, data, signature)).toBe(name.includes('control'));
  });

  it('an RSA signature longer than the modulus is rejected', () => {
    const r = vector(V.RFC5702_RSASHA256, 'example.net', 0);
    const rsig = parseRrsig(r.rrsigs[0]!.data)!;
    const rdata = signedData(r.rrset, rsig)!;
    expect(verifySignature(8, rsa512, rdata, rsig.signature)).toBe(true);
    expect(verifySignature(8, rsa512, rdata, Buffer.concat([Buffer.from([0]), rsig.signature]))).toBe(false);
  });

  it('an RSA signature whose signer dropped its leading zero octet still verifies (OpenSSL alone would refuse it)', () => {
    const key = generateKey(Algorithm.RSASHA256, 'example.org');
    const publicKey = parseDnskey(key.dnskey.data)!.publicKey;
    // About one signature in 256 starts with a zero octet; search the addresses for one.
    for (let i = 0; i < 4096; i++) {
      const rrset: ResourceRecord[] = [{ name: 'example.org', type: 'A', class: 'IN', ttl: 60, data: `10.${i >> 8}.${i & 0xff}.1` }];
      const parsed = parseRrsig(signRrset(rrset, key, { inception: 0, expiration: 10 }).data)!;
      if (parsed.signature[0] !== 0) continue;
      const rdata = signedData(rrset, parsed)!;
      expect(verifySignature(8, publicKey, rdata, parsed.signature.subarray(1))).toBe(true);
      return;
    }
    throw new Error('no signature with a leading zero octet in 4096 tries');
  });

  it('builds each public key once: a hot key comes out of the cache', () => {
    expect(publicKeyFor(Algorithm.ECDSAP256SHA256, p256)).toBe(publicKeyFor(Algorithm.ECDSAP256SHA256, Buffer.from(p256)));
  });
});
