// The NSEC3 owner-name hash (RFC 5155 §5): IH(salt, x, 0) = H(x || salt),
// IH(salt, x, k) = H(IH(salt, x, k-1) || salt), applied to the name's
// canonical wire form with `iterations` extra rounds. SHA-1 is the only
// algorithm defined (RFC 5155 §11).

import { createHash } from 'node:crypto';
import { nameToWire } from './wire-name.js';

export const NSEC3_HASH_SHA1 = 1;

/** The SHA-1 NSEC3 hash of a normalized name (already canonical: lower case). */
export function nsec3Hash(name: string, salt: Buffer, iterations: number): Buffer {
  let digest = createHash('sha1').update(nameToWire(name)).update(salt).digest();
  for (let i = 0; i < iterations; i++) digest = createHash('sha1').update(digest).update(salt).digest();
  return digest;
}

/**
 * A hash function for one proof: each distinct name is hashed once, and
 * each hash first calls `charge` so the caller's per-query budget can stop
 * a response that makes us hash without end (CVE-2023-50868: many labels
 * times many NSEC3 records times many iterations).
 */
export function memoisedNsec3Hasher(salt: Buffer, iterations: number, charge: () => void): (name: string) => Buffer {
  const memo = new Map<string, Buffer>();
  return (name) => {
    let hash = memo.get(name);
    if (hash === undefined) {
      charge();
      hash = nsec3Hash(name, salt, iterations);
      memo.set(name, hash);
    }
    return hash;
  };
}
