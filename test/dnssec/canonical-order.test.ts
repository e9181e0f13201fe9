import { describe, expect, it } from 'vitest';
import { compareCanonical } from '../../src/dnssec/canonical-order.js';

// RFC 4034 §6.1, the section's own example, in canonical order. "\001" and
// "\200" are single octets 0x01 and 0x80, written here as latin1 code units.
const RFC4034_6_1 = [
  'example',
  'a.example',
  'yljkjljk.a.example',
  'Z.a.example',
  'zABC.a.EXAMPLE',
  'z.example',
  '\x01.z.example',
  '*.z.example',
  '\x80.z.example',
];

describe('compareCanonical (RFC 4034 §6.1)', () => {
  it.each(RFC4034_6_1.slice(0, -1).map((name, i) => [name, RFC4034_6_1[i + 1]!]))(
    'RFC 4034 §6.1 example: %j sorts before %j', (before, after) => {
      expect(compareCanonical(before, after)).toBeLessThan(0);
      expect(compareCanonical(after, before)).toBeGreaterThan(0);
    });

  it('RFC 4034 §6.1 example: sorting the reversed list restores it', () => {
    expect([...RFC4034_6_1].reverse().sort(compareCanonical)).toEqual(RFC4034_6_1);
  });

  it.each([
    ['upper and lower case are the same octet (RFC 4034 §6.2)', 'WWW.Example', 'www.example', 0],
    ['the root sorts before every name', '.', 'a', -1],
    ['an ancestor sorts before its descendants', 'example', '*.example', -1],
    ['labels compare from the right: a.z < b.a fails on the last label first', 'b.a', 'a.z', -1],
    ['a label that is a prefix of another sorts first', 'ab.example', 'abc.example', -1],
    ['only US-ASCII folds: 0xC0 is not 0xE0', '\xc0.example', '\xe0.example', -1],
  ])('%s', (_why, a, b, sign) => {
    expect(Math.sign(compareCanonical(a, b))).toBe(sign);
  });
});
