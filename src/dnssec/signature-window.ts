// RRSIG validity periods (RFC 4034 §3.1.5): inception and expiration are
// 32-bit serial numbers (RFC 1982), so they compare modulo 2^32 and a
// signature made in 2105 still makes sense in 2107.

export type WindowVerdict = 'valid' | 'expired' | 'not-yet-valid';

const HALF = 0x80000000;

/** RFC 1982 §3.2 for SERIAL_BITS = 32: a ≤ b. Pairs exactly 2^31 apart are incomparable, so not ≤. */
export function serialLessOrEqual(a: number, b: number): boolean {
  return ((b - a) >>> 0) < HALF;
}

/** Where `now` (seconds since the epoch, any size) falls against an RRSIG's validity period. */
export function signatureWindow(inception: number, expiration: number, now: number): WindowVerdict {
  const t = Math.floor(now) >>> 0;
  if (!serialLessOrEqual(inception, t)) return 'not-yet-valid';
  if (!serialLessOrEqual(t, expiration)) return 'expired';
  return 'valid';
}

/** Seconds from `now` until `expiration`, for a signature that is valid now. */
export function secondsUntil(expiration: number, now: number): number {
  return (expiration - (Math.floor(now) >>> 0)) >>> 0;
}
