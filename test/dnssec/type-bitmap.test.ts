import { describe, expect, it } from 'vitest';
import { decodeTypeBitmap, encodeTypeBitmap } from '../../src/dnssec/type-bitmap.js';

// RFC 4034 §4.3: the bit maps of "alfa.example.com. NSEC host.example.com.
// (A MX RRSIG NSEC TYPE1234)" as printed there.
const RFC4034_4_3 = Buffer.from([
  0x00, 0x06, 0x40, 0x01, 0x00, 0x00, 0x00, 0x03,
  0x04, 0x1b, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
  0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
  0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
  0x00, 0x00, 0x00, 0x00, 0x20,
]);
const RFC4034_4_3_TYPES = [1, 15, 46, 47, 1234]; // A MX RRSIG NSEC TYPE1234

describe('NSEC/NSEC3 type bit maps (RFC 4034 §4.1.2)', () => {
  it('RFC 4034 §4.3 example decodes to A MX RRSIG NSEC TYPE1234', () => {
    expect([...decodeTypeBitmap(RFC4034_4_3)!].sort((a, b) => a - b)).toEqual(RFC4034_4_3_TYPES);
  });

  it('RFC 4034 §4.3 example is what encoding those types gives (no empty windows, no trailing zeros)', () => {
    expect(encodeTypeBitmap([1234, 47, 46, 15, 1])).toEqual(RFC4034_4_3);
  });

  it.each([
    ['no types (an NSEC3 for an empty non-terminal, RFC 5155 §3.2.1)', []],
    ['type 0 and type 65535, the extremes', [0, 65535]],
    ['types in three windows', [2, 6, 43, 256, 32768]],
  ])('round-trips %s', (_why, types) => {
    expect([...decodeTypeBitmap(encodeTypeBitmap(types))!].sort((a, b) => a - b)).toEqual(types);
  });

  it('decodes from an offset to an end inside a larger buffer', () => {
    const buf = Buffer.concat([Buffer.from([0xff, 0xff]), encodeTypeBitmap([2]), Buffer.from([0xee])]);
    expect([...decodeTypeBitmap(buf, 2, buf.length - 1)!]).toEqual([2]);
  });

  it.each([
    ['a window header without its length', [0x00]],
    ['a bitmap length of 0', [0x00, 0x00]],
    ['a bitmap length of 33', [0x00, 33, ...new Array(33).fill(0)]],
    ['a bitmap running past the end', [0x00, 0x02, 0x40]],
    ['windows out of order', [0x01, 0x01, 0x80, 0x00, 0x01, 0x40]],
    ['a window repeated', [0x00, 0x01, 0x40, 0x00, 0x01, 0x20]],
  ])('RFC 4034 §4.1.2: %s is malformed → undefined', (_why, bytes) => {
    expect(decodeTypeBitmap(Buffer.from(bytes))).toBeUndefined();
  });
});
