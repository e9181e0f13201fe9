import { describe, expect, it } from 'vitest';
import { base32hexDecode, base32hexEncode } from '../../src/dnssec/base32hex.js';
import { memoisedNsec3Hasher, nsec3Hash } from '../../src/dnssec/nsec3-hash.js';

// RFC 5155 Appendix A: the example zone's hashes (SHA-1, 12 iterations, salt aabbccdd).
const RFC5155_A_HASHES: Array<[string, string]> = [
  ['example', '0p9mhaveqvm6t7vbl5lop2u3t2rp3tom'],
  ['a.example', '35mthgpgcu1qg68fab165klnsnk3dpvl'],
  ['ai.example', 'gjeqe526plbf1g8mklp59enfd789njgi'],
  ['ns1.example', '2t7b4g4vsa5smi47k61mv5bv1a22bojr'],
  ['ns2.example', 'q04jkcevqvmu85r014c7dkba38o0ji5r'],
  ['w.example', 'k8udemvp1j2f7eg6jebps17vp3n8i58h'],
  ['*.w.example', 'r53bq7cc2uvmubfu5ocmm6pers9tk9en'],
  ['x.w.example', 'b4um86eghhds6nea196smvmlo4ors995'],
  ['y.w.example', 'ji6neoaepv8b5o6k4ev33abha8ht9fgc'],
  ['x.y.w.example', '2vptu5timamqttgl4luu9kg21e0aor3s'],
  ['xx.example', 't644ebqk9bibcna874givr6joj62mlhv'],
  ['2t7b4g4vsa5smi47k61mv5bv1a22bojr.example', 'kohar7mbb8dc2ce8a9qvl8hon4k53uhi'],
  // RFC 5155 Appendix B.3 and B.4 name these next closer names' hashes.
  ['c.example', '4g6p9u5gvfshp30pqecj98b3maqbn1ck'],
  ['z.w.example', 'qlu7gtfaeh0ek0c05ksfhdpbcgglbe03'],
];
const SALT = Buffer.from('aabbccdd', 'hex');

describe('NSEC3 hash (RFC 5155 §5)', () => {
  it.each(RFC5155_A_HASHES)('RFC 5155 Appendix A: H(%s) = %s', (name, hash) => {
    expect(base32hexEncode(nsec3Hash(name, SALT, 12))).toBe(hash);
  });

  it('memoises: the same name is hashed, and charged, once per proof', () => {
    let charges = 0;
    const hash = memoisedNsec3Hasher(SALT, 12, () => { charges++; });
    expect(base32hexEncode(hash('example'))).toBe('0p9mhaveqvm6t7vbl5lop2u3t2rp3tom');
    expect(base32hexEncode(hash('example'))).toBe('0p9mhaveqvm6t7vbl5lop2u3t2rp3tom');
    expect(base32hexEncode(hash('a.example'))).toBe('35mthgpgcu1qg68fab165klnsnk3dpvl');
    expect(charges).toBe(2);
  });

  it('charges before hashing, so a budget error stops the work (CVE-2023-50868)', () => {
    const hash = memoisedNsec3Hasher(SALT, 12, () => { throw new Error('budget'); });
    expect(() => hash('example')).toThrow('budget');
  });
});

describe('base32hex (RFC 4648 §7, unpadded, as RFC 5155 §3.3 writes hashes)', () => {
  it.each([
    // RFC 4648 §10 test vectors, lower case and without padding.
    ['', ''], ['f', 'co'], ['fo', 'cpng'], ['foo', 'cpnmu'], ['foob', 'cpnmuog'], ['fooba', 'cpnmuoj1'], ['foobar', 'cpnmuoj1e8'],
  ])('RFC 4648 §10: BASE32-HEX(%j) = %j', (plain, encoded) => {
    expect(base32hexEncode(Buffer.from(plain))).toBe(encoded);
    expect(base32hexDecode(encoded)!.toString()).toBe(plain);
    expect(base32hexDecode(encoded.toUpperCase())!.toString()).toBe(plain);
  });

  it('RFC 5155 Appendix A: 0p9mhaveqvm6t7vbl5lop2u3t2rp3tom is 20 octets that keep their order', () => {
    const a = base32hexDecode('0p9mhaveqvm6t7vbl5lop2u3t2rp3tom')!;
    const b = base32hexDecode('35mthgpgcu1qg68fab165klnsnk3dpvl')!;
    expect(a.length).toBe(20);
    expect(Buffer.compare(a, b)).toBeLessThan(0);
  });

  it.each([
    ['a letter past v', 'w0'], ['padding', 'co======'], ['an impossible length', 'c'], ['non-zero leftover bits', 'cp'],
  ])('rejects %s', (_why, text) => {
    expect(base32hexDecode(text)).toBeUndefined();
  });
});
