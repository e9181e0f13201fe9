import { describe, expect, it } from 'vitest';
import { keyTag } from '../../src/dnssec/key-tag.js';
import { ofType, record, records } from './presentation.js';
import * as V from './vectors.js';

const firstKey = (block: string): Buffer => ofType(records(block), 'DNSKEY')[0]!.data as Buffer;

describe('key tag (RFC 4034 Appendix B)', () => {
  const cases: Array<[string, Buffer, number]> = [
    ['RFC 4034 §5.4 dskey.example.com (RSASHA1)', firstKey(V.RFC4034_DSKEY), 60485],
    ['RFC 4035 Appendix A zone signing key', record(V.RFC4035_ZSK).data as Buffer, 38519],
    ['RFC 4035 Appendix A key signing key', record(V.RFC4035_KSK).data as Buffer, 9465],
    ['RFC 5702 §6.1 RSASHA256', firstKey(V.RFC5702_RSASHA256), 9033],
    ['RFC 5702 §6.2 RSASHA512', firstKey(V.RFC5702_RSASHA512), 3740],
    ['RFC 6605 §6.1 ECDSAP256SHA256', firstKey(V.RFC6605_P256), 55648],
    ['RFC 6605 §6.2 ECDSAP384SHA384', firstKey(V.RFC6605_P384), 10771],
    ['RFC 8080 §6.1 Ed25519, first key', firstKey(V.RFC8080_ED25519[0]!), 3613],
    ['RFC 8080 §6.1 Ed25519, second key', firstKey(V.RFC8080_ED25519[1]!), 35217],
    ['RFC 8080 §6.2 Ed448, first key', firstKey(V.RFC8080_ED448[0]!), 9713],
    ['RFC 8080 §6.2 Ed448, second key', firstKey(V.RFC8080_ED448[1]!), 38353],
    ['root KSK-2017 (IANA root-anchors.xml)', firstKey(V.ROOT_KSK_2017), 20326],
    ['root KSK-2024 (IANA root-anchors.xml)', firstKey(V.ROOT_KSK_2024), 38696],
  ];
  it.each(cases)('%s', (_name, rdata, tag) => {
    expect(keyTag(rdata)).toBe(tag);
  });

  it('the root DNSKEY RRset of May 2026 carries KSK-2024, KSK-2017 and ZSK 54393', () => {
    const tags = ofType(records(V.ROOT_DNSKEY_2026_05), 'DNSKEY').map((rr) => keyTag(rr.data as Buffer));
    expect(tags).toEqual([38696, 20326, 54393]);
  });

  it('RSAMD5 (algorithm 1) takes the 16 bits above the modulus\'s last octet (Appendix B.1)', () => {
    const rdata = Buffer.from([0x01, 0x00, 3, 1, 1, 3, 0xde, 0xad, 0xbe, 0xef, 0x12, 0x34, 0x56]);
    expect(keyTag(rdata)).toBe(0x1234);
    // The same key under another algorithm is summed as Appendix B says.
    const other = Buffer.from(rdata);
    other[3] = 5;
    expect(keyTag(other)).not.toBe(0x1234);
  });

  it('a one-bit change to the key changes the tag (it is a checksum over every octet)', () => {
    const rdata = Buffer.from(firstKey(V.RFC6605_P256));
    // The last octet (0x00, at an odd offset) is summed into the low byte.
    expect(rdata[rdata.length - 1]).toBe(0);
    rdata[rdata.length - 1] = 1;
    expect(keyTag(rdata)).toBe(55649);
  });
});
