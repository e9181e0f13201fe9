import { describe, expect, it } from 'vitest';
import { decodeMessage, encodeMessage } from '../../src/dns/codec.js';
import { emptyMessage, type ResourceRecord } from '../../src/dns/message.js';
import { parseDs, parseRrsig } from '../../src/dnssec/dnssec-rdata.js';
import { dsMatchesKey } from '../../src/dnssec/ds-digest.js';
import { verifyRrset } from '../../src/dnssec/verify-rrsig.js';
import { generateKey, signRrset } from './signer.js';

// The signer is what the integration tests build signed zones with; these
// pin that its records are what a real signer would put on the wire.
describe('the test signer', () => {
  const ksk = generateKey(13, 'Example.ORG', { ksk: true });
  const zsk = generateKey(13, 'example.org');
  const mx: ResourceRecord[] = [{ name: 'example.org', type: 'MX', class: 'IN', ttl: 600, data: { preference: 10, exchange: 'mail.example.org' } }];

  it('makes DNSKEYs with flags 257 for a KSK and 256 for a ZSK (RFC 4034 §2.1.1), owned by the normalized zone', () => {
    expect((ksk.dnskey.data as Buffer).readUInt16BE(0)).toBe(257);
    expect((zsk.dnskey.data as Buffer).readUInt16BE(0)).toBe(256);
    expect(ksk.dnskey.name).toBe('example.org');
  });

  it.each([1, 2, 4])('makes DS records of digest type %i that match their key (RFC 4034 §5.1.4)', (digestType) => {
    const ds = ksk.ds(digestType);
    expect(parseDs(ds.data)).toMatchObject({ keyTag: ksk.keyTag, algorithm: 13, digestType });
    expect(dsMatchesKey(ds, ksk.dnskey)).toBe(true);
  });

  it('writes RRSIG RDATA exactly as the codec decodes it off the wire', () => {
    const rrsig = signRrset(mx, zsk, { inception: 1000, expiration: 2000 });
    const msg = emptyMessage(7);
    msg.answers = [...mx, rrsig];
    const back = decodeMessage(encodeMessage(msg)).answers[1]!;
    expect(back).toEqual(rrsig);
    expect(parseRrsig(back.data)).toMatchObject({
      typeCovered: 'MX', algorithm: 13, labels: 2, originalTtl: 600, inception: 1000, expiration: 2000, keyTag: zsk.keyTag, signerName: 'example.org',
    });
  });

  it('signs the DNSKEY RRset with the KSK and data with the ZSK, as a zone would be signed', () => {
    const keys = [ksk.dnskey, zsk.dnskey];
    const ctx = { now: 1500, chargeVerification() {} };
    expect(verifyRrset(keys, [signRrset(keys, ksk, { inception: 1000, expiration: 2000 })], 'example.org', keys, ctx).ok).toBe(true);
    expect(verifyRrset(mx, [signRrset(mx, zsk, { inception: 1000, expiration: 2000 })], 'example.org', keys, ctx).ok).toBe(true);
  });
});
