import { describe, expect, it } from 'vitest';
import type { ResourceRecord } from '../../src/dns/message.js';
import { parseDs } from '../../src/dnssec/dnssec-rdata.js';
import { dsDigest, dsMatchesKey, isSupportedDigest } from '../../src/dnssec/ds-digest.js';
import { keysMatchingDs, supportedDsSet } from '../../src/dnssec/supported-ds.js';
import { ofType, record, records } from './presentation.js';
import { generateKey, makeDs } from './signer.js';
import * as V from './vectors.js';

/** [name, DNSKEY, DS] from each published example. */
function pair(block: string, ds?: string): [ResourceRecord, ResourceRecord] {
  const rrs = records(block);
  return [ofType(rrs, 'DNSKEY')[0]!, ds ? record(ds) : ofType(rrs, 'DS')[0]!];
}
const vectors: Array<[string, ...[ResourceRecord, ResourceRecord]]> = [
  ['RFC 4034 §5.4: SHA-1', ...pair(V.RFC4034_DSKEY)],
  ['RFC 4509 §2.3: SHA-256', ...pair(V.RFC4034_DSKEY, V.RFC4509_DS)],
  ['RFC 6605 §6.1: SHA-256 of a P-256 key', ...pair(V.RFC6605_P256)],
  ['RFC 6605 §6.2: SHA-384 of a P-384 key', ...pair(V.RFC6605_P384)],
  ['RFC 8080 §6.1: Ed25519 key 3613', ...pair(V.RFC8080_ED25519[0]!)],
  ['RFC 8080 §6.1: Ed25519 key 35217', ...pair(V.RFC8080_ED25519[1]!)],
  ['RFC 8080 §6.2: Ed448 key 9713', ...pair(V.RFC8080_ED448[0]!)],
  ['RFC 8080 §6.2: Ed448 key 38353', ...pair(V.RFC8080_ED448[1]!)],
  ['IANA root anchor KSK-2017 (E06D44B8…)', ...pair(V.ROOT_KSK_2017)],
  ['IANA root anchor KSK-2024 (683D2D0A…)', ...pair(V.ROOT_KSK_2024)],
];

describe('DS digests (RFC 4034 §5.1.4, RFC 4509, RFC 6605)', () => {
  it.each(vectors)('%s', (_name, dnskey, ds) => {
    const d = parseDs(ds.data)!;
    expect(dsDigest(dnskey.name, dnskey.data as Buffer, d.digestType)).toEqual(d.digest);
    expect(dsMatchesKey(ds, dnskey)).toBe(true);
    expect(dsMatchesKey(d, dnskey)).toBe(true);
  });

  it('hashes the owner in canonical (lower-case) form', () => {
    const [dnskey, ds] = pair(V.RFC6605_P256);
    expect(dsMatchesKey({ ...ds, name: 'Example.NET' }, { ...dnskey, name: 'EXAMPLE.net' })).toBe(true);
  });

  const [key, ds] = pair(V.RFC6605_P256);
  const flipped = Buffer.from(ds.data as Buffer);
  flipped[flipped.length - 1]! ^= 1;
  const noZoneBit = generateKey(13, 'example.net', { flags: 0x0001 });
  const mismatches: Array<[string, ResourceRecord, ResourceRecord]> = [
    ['another owner', { ...ds, name: 'example.org' }, key],
    ['a digest one bit off', { ...ds, data: flipped }, key],
    ['another algorithm in the DS', { ...ds, data: Buffer.concat([(ds.data as Buffer).subarray(0, 2), Buffer.from([8]), (ds.data as Buffer).subarray(3)]) }, key],
    ['a digest of the wrong length', { ...ds, data: (ds.data as Buffer).subarray(0, 20) }, key],
    ['GOST, which is not supported (RFC 8624 §3.3)', { ...ds, data: Buffer.concat([(ds.data as Buffer).subarray(0, 3), Buffer.from([3]), Buffer.alloc(32)]) }, key],
    ['a key without the Zone Key bit (RFC 4035 §5.2)', makeDs(noZoneBit.dnskey), noZoneBit.dnskey],
    ['malformed DS RDATA', { ...ds, data: Buffer.from([1, 2]) }, key],
  ];
  it.each(mismatches)('does not match %s', (_name, d, k) => {
    expect(dsMatchesKey(d, k)).toBe(false);
  });

  it.each([[1, true], [2, true], [3, false], [4, true], [0, false], [5, false]])(
    'digest type %i supported: %s (RFC 8624 §3.3)', (type, supported) => {
      expect(isSupportedDigest(type)).toBe(supported);
    });
});

describe('supportedDsSet: which DS records count (RFC 4035 §5.2, RFC 4509 §3, RFC 6840 §5.2)', () => {
  const zsk = generateKey(8, 'example');
  const other = generateKey(13, 'example');
  const ds = (alg: number, digestType: number): ResourceRecord => {
    const d = makeDs(alg === 13 ? other.dnskey : zsk.dnskey, digestType === 3 ? 2 : digestType);
    const data = Buffer.from(d.data as Buffer);
    data[2] = alg === 13 ? 13 : alg;
    data[3] = digestType;
    return { ...d, data };
  };
  const digestTypes = (set: ResourceRecord[]) => set.map((rr) => parseDs(rr.data)!.digestType);
  const cases: Array<[string, ResourceRecord[], number[]]> = [
    ['SHA-1 alone is kept', [ds(8, 1)], [1]],
    ['SHA-1 is dropped when SHA-256 is in the set (RFC 4509 §3)', [ds(8, 1), ds(8, 2)], [2]],
    ['SHA-1 is dropped when another key has a SHA-256 DS (the set as a whole)', [ds(8, 1), ds(13, 2)], [2]],
    ['SHA-1 is dropped when SHA-384 is in the set', [ds(8, 1), ds(8, 4)], [4]],
    ['SHA-256 and SHA-384 are both kept', [ds(8, 2), ds(8, 4)], [2, 4]],
    ['GOST digests are not usable', [ds(8, 3)], []],
    ['RSAMD5, DSA and GOST algorithms are not usable (RFC 8624 §3.1)', [ds(1, 2), ds(3, 2), ds(6, 2), ds(12, 2)], []],
    ['an unknown algorithm is not usable', [ds(253, 2)], []],
    ['a GOST digest does not knock out a SHA-1 one', [ds(8, 1), ds(8, 3)], [1]],
  ];
  it.each(cases)('%s', (_name, set, expected) => {
    expect(digestTypes(supportedDsSet(set))).toEqual(expected);
  });

  it('an empty result is what makes a delegation insecure: nothing left to match a key', () => {
    expect(supportedDsSet([ds(3, 2), ds(8, 3)])).toEqual([]);
  });

  it('keysMatchingDs: both IANA root anchors pick their KSKs out of the real root DNSKEY RRset', () => {
    const anchors = [...ofType(records(V.ROOT_KSK_2017), 'DS'), ...ofType(records(V.ROOT_KSK_2024), 'DS')];
    const rootKeys = ofType(records(V.ROOT_DNSKEY_2026_05), 'DNSKEY');
    const matched = keysMatchingDs(anchors, rootKeys);
    expect(matched).toEqual([rootKeys[0], rootKeys[1]]); // KSK-2024, KSK-2017; not the ZSK
  });
});
