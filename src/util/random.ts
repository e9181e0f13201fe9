// Randomness is injected (DESIGN.md "Seams") so tests can pin query ids,
// ports and server choice. Production uses the CSPRNG: query ids and source
// ports are the resolver's defence against off-path spoofing (RFC 5452).

import { randomInt } from 'node:crypto';

export interface Random {
  /** A uniformly random integer in [0, max). */
  int(max: number): number;
}

export const cryptoRandom: Random = { int: (max) => randomInt(max) };

/** Deterministic generator for tests (mulberry32). */
export function seededRandom(seed: number): Random {
  let a = seed >>> 0;
  return {
    int(max: number): number {
      a = (a + 0x6d2b79f5) >>> 0;
      let t = a;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      const r = ((t ^ (t >>> 14)) >>> 0) / 4294967296;
      return Math.floor(r * max);
    },
  };
}
