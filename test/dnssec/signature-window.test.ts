import { describe, expect, it } from 'vitest';
import { secondsUntil, serialLessOrEqual, signatureWindow } from '../../src/dnssec/signature-window.js';

describe('RRSIG validity periods use serial number arithmetic (RFC 4034 §3.1.5, RFC 1982)', () => {
  const cases: Array<[string, number, number, number, string]> = [
    ['inside the window', 1000, 2000, 1500, 'valid'],
    ['at the inception second', 1000, 2000, 1000, 'valid'],
    ['at the expiration second', 1000, 2000, 2000, 'valid'],
    ['one second after expiration', 1000, 2000, 2001, 'expired'],
    ['one second before inception', 1000, 2000, 999, 'not-yet-valid'],
    // The 32-bit counter wraps on 2106-02-07; a window across it stays valid.
    ['across the 2^32 wrap, before it', 0xfffff000, 0x00001000, 0xffffff00, 'valid'],
    ['across the 2^32 wrap, after it (now beyond 2^32)', 0xfffff000, 0x00001000, 2 ** 32 + 0x10, 'valid'],
    ['after a wrapped expiration', 0xfffff000, 0x00001000, 2 ** 32 + 0x2000, 'expired'],
    ['a 2004 signature seen in 2026 is expired, not "in the future"', 1081535779, 1084127779, 1_780_000_000, 'expired'],
    ['a 2030 signature seen in 2026 is not yet valid', 1_893_456_000, 1_900_000_000, 1_780_000_000, 'not-yet-valid'],
  ];
  it.each(cases)('%s', (_name, inception, expiration, now, verdict) => {
    expect(signatureWindow(inception, expiration, now)).toBe(verdict);
  });

  it('serial numbers 2^31 apart are not comparable (RFC 1982 §3.2), so neither is ≤ the other', () => {
    expect(serialLessOrEqual(0, 0x80000000)).toBe(false);
    expect(serialLessOrEqual(0x80000000, 0)).toBe(false);
    expect(serialLessOrEqual(5, 5)).toBe(true);
  });

  it('secondsUntil counts across the wrap', () => {
    expect(secondsUntil(0x00000010, 2 ** 32 - 0x10)).toBe(0x20);
    expect(secondsUntil(2000, 1500)).toBe(500);
  });
});
