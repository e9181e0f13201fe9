// DNSKEY public key fields turned into node:crypto KeyObjects, each format as
// its RFC writes it: RSA as RFC 3110 §2 (exponent length, exponent,
// modulus), ECDSA as RFC 6605 §4 (x | y), EdDSA as RFC 8080 §3 (the raw
// public key). All go in through JWK, which needs no ASN.1 of our own.
//
// Building a key means parsing and validating it in OpenSSL, so a zone's hot
// keys are kept, built once, in a bounded LRU cache. A key that does not
// build is remembered too, so garbage is not re-parsed on every RRSIG.

import { createPublicKey, type KeyObject } from 'node:crypto';
import { LRUCache } from 'lru-cache';

export interface PublicKey {
  key: KeyObject;
  /** The octets a signature must have; RSA signatures shorter than this are left-padded. */
  signatureLength: number;
}

interface Shape {
  build(publicKey: Buffer): PublicKey | undefined;
}

/** RFC 3110 §2 and RFC 5702 §2: moduli of 512 to 4096 bits (RSASHA512 from 1024). */
function rsa(minBits: number): Shape {
  return {
    build(publicKey) {
      if (publicKey.length < 3) return undefined;
      let at = 1;
      let exponentLength = publicKey[0]!;
      if (exponentLength === 0) {
        exponentLength = publicKey.readUInt16BE(1);
        at = 3;
      }
      // Exponents past 64 bits are legal in RFC 3110 but only ever serve to
      // make verification slow (real keys use 3, 65537 or 2^32+1).
      if (exponentLength === 0 || exponentLength > 8) return undefined;
      const exponent = stripZeros(publicKey.subarray(at, at + exponentLength));
      const modulus = stripZeros(publicKey.subarray(at + exponentLength));
      if (exponent.length === 0 || modulus.length === 0) return undefined;
      const bits = modulus.length * 8 - Math.clz32(modulus[0]!) + 24;
      if (bits < minBits || bits > 4096) return undefined;
      const key = createPublicKey({ key: { kty: 'RSA', n: b64url(modulus), e: b64url(exponent) }, format: 'jwk' });
      return { key, signatureLength: modulus.length };
    },
  };
}

/** RFC 6605 §4: the uncompressed point without its 0x04 prefix. */
function ecdsa(crv: 'P-256' | 'P-384', coordinate: number): Shape {
  return {
    build(publicKey) {
      if (publicKey.length !== 2 * coordinate) return undefined;
      const x = publicKey.subarray(0, coordinate);
      const y = publicKey.subarray(coordinate);
      const key = createPublicKey({ key: { kty: 'EC', crv, x: b64url(x), y: b64url(y) }, format: 'jwk' });
      return { key, signatureLength: 2 * coordinate };
    },
  };
}

/** RFC 8080 §3: the public key as RFC 8032 encodes it. */
function eddsa(crv: 'Ed25519' | 'Ed448', keyLength: number, signatureLength: number): Shape {
  return {
    build(publicKey) {
      if (publicKey.length !== keyLength) return undefined;
      const key = createPublicKey({ key: { kty: 'OKP', crv, x: b64url(publicKey) }, format: 'jwk' });
      return { key, signatureLength };
    },
  };
}

const SHAPES: Record<number, Shape> = {
  5: rsa(512), // RSASHA1
  7: rsa(512), // RSASHA1-NSEC3-SHA1
  8: rsa(512), // RSASHA256
  10: rsa(1024), // RSASHA512
  13: ecdsa('P-256', 32),
  14: ecdsa('P-384', 48),
  15: eddsa('Ed25519', 32, 64),
  16: eddsa('Ed448', 57, 114),
};

/** Enough for every key a busy resolver uses within a few TTLs; each is well under 1 KiB. */
const CACHE_SIZE = 4096;
const cache = new LRUCache<string, PublicKey | false>({ max: CACHE_SIZE });

/** The key for a DNSKEY's algorithm and public key field; undefined when it is malformed or unsupported. */
export function publicKeyFor(algorithm: number, publicKey: Buffer): PublicKey | undefined {
  const shape = SHAPES[algorithm];
  if (!shape) return undefined;
  const id = `${algorithm}:${publicKey.toString('latin1')}`;
  const cached = cache.get(id);
  if (cached !== undefined) return cached || undefined;
  let built: PublicKey | undefined;
  try {
    built = shape.build(publicKey);
  } catch {
    built = undefined; // OpenSSL refused it: not a point on the curve, and the like
  }
  cache.set(id, built ?? false);
  return built;
}

function stripZeros(buf: Buffer): Buffer {
  let i = 0;
  while (i < buf.length && buf[i] === 0) i++;
  return buf.subarray(i);
}

function b64url(buf: Buffer): string {
  return buf.toString('base64url');
}
