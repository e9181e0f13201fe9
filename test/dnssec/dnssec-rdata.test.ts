import { describe, expect, it } from 'vitest';
import { buildDnskey, buildDs, buildRrsig, parseDnskey, parseDs, parseRrsig } from '../../src/dnssec/dnssec-rdata.js';
import { record } from './presentation.js';
import * as V from './vectors.js';

describe('DNSKEY, DS and RRSIG RDATA (RFC 4034 §2.1, §5.1, §3.1)', () => {
  it('reads the RFC 6605 §6.1 DNSKEY and builds the same RDATA back', () => {
    const rdata = record(V.RFC6605_P256.trim().split('\n')[0]!).data as Buffer;
    const key = parseDnskey(rdata)!;
    expect(key).toMatchObject({ flags: 257, protocol: 3, algorithm: 13 });
    expect(key.publicKey.length).toBe(64);
    expect(buildDnskey(key)).toEqual(rdata);
  });

  it('reads the RFC 4034 §5.4 DS and builds the same RDATA back', () => {
    const rdata = record(V.RFC4034_DSKEY.trim().split('\n')[1]!).data as Buffer;
    const ds = parseDs(rdata)!;
    expect(ds).toMatchObject({ keyTag: 60485, algorithm: 5, digestType: 1 });
    expect(ds.digest.toString('hex')).toBe('2bb183af5f22588179a53b0a98631fad1a292118');
    expect(buildDs(ds)).toEqual(rdata);
  });

  it('reads every field of the RFC 6605 §6.1 RRSIG', () => {
    const rdata = record(V.RFC6605_P256.trim().split('\n')[3]!).data as Buffer;
    const sig = parseRrsig(rdata)!;
    expect(sig).toMatchObject({
      typeCovered: 'A', algorithm: 13, labels: 3, originalTtl: 3600,
      expiration: 1284026679, inception: 1281607479, keyTag: 55648, signerName: 'example.net',
    });
    expect(sig.signature.length).toBe(64);
    // RFC 4034 §3.1.8.1: RRSIG_RDATA is everything before the signature.
    expect(sig.signedPrefix).toEqual(rdata.subarray(0, rdata.length - 64));
    expect(buildRrsig(sig)).toEqual(rdata);
  });

  it('keeps unknown covered types as RFC 3597 mnemonics', () => {
    const rdata = buildRrsig({ typeCovered: 'TYPE65280', algorithm: 13, labels: 1, originalTtl: 1, expiration: 2, inception: 1, keyTag: 7, signerName: 'example', signature: Buffer.alloc(64) });
    expect(parseRrsig(rdata)?.typeCovered).toBe('TYPE65280');
  });

  it('puts the signer name of RRSIG_RDATA in canonical form (RFC 4034 §3.1.8.1) and normalizes it', () => {
    const rdata = buildRrsig({ typeCovered: 'A', algorithm: 13, labels: 3, originalTtl: 3600, expiration: 2, inception: 1, keyTag: 7, signerName: 'example.net', signature: Buffer.alloc(64, 1) });
    const upper = Buffer.from(rdata);
    upper.write('EXAMPLE', 19, 'latin1'); // the first label of the signer, after the 18 fixed octets and its length
    const sig = parseRrsig(upper)!;
    expect(sig.signerName).toBe('example.net');
    expect(sig.signedPrefix).toEqual(rdata.subarray(0, rdata.length - 64));
    expect(upper.subarray(19, 26).toString('latin1')).toBe('EXAMPLE'); // the input is left alone
  });

  const rrsig = record(V.RFC6605_P256.trim().split('\n')[3]!).data as Buffer;
  const malformed: Array<[string, () => unknown]> = [
    ['DNSKEY: shorter than flags, protocol, algorithm and one key octet', () => parseDnskey(Buffer.from([1, 1, 3, 13]))],
    ['DNSKEY: structured data rather than a Buffer', () => parseDnskey('192.0.2.1')],
    ['DS: no digest', () => parseDs(Buffer.from([0, 1, 8, 2]))],
    ['RRSIG: fixed fields cut short', () => parseRrsig(rrsig.subarray(0, 10))],
    ['RRSIG: signer name runs off the end', () => parseRrsig(rrsig.subarray(0, 22))],
    ['RRSIG: no signature after the signer name', () => parseRrsig(rrsig.subarray(0, 18 + 13))],
    ['RRSIG: a compression pointer as signer name (RFC 4034 §3.1.7 forbids it)', () => parseRrsig(Buffer.concat([rrsig.subarray(0, 18), Buffer.from([0xc0, 0x0c]), Buffer.alloc(64)]))],
    ['RRSIG: a label longer than the data', () => parseRrsig(Buffer.concat([rrsig.subarray(0, 18), Buffer.from([40, 0x61])]))],
    ['RRSIG: a TXT-shaped value', () => parseRrsig([Buffer.from('x')])],
  ];
  it.each(malformed)('malformed is undefined, not an exception: %s', (_name, parse) => {
    expect(parse()).toBeUndefined();
  });
});
