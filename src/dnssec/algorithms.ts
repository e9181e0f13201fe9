// Signature verification per DNSSEC algorithm number, with node:crypto.
// Which algorithms a validator must, may and must not use is RFC 8624 §3.1:
// RSAMD5 (1), DSA (3, 6) and ECC-GOST (12) are not validated here, so a zone
// signed only with them is insecure, not bogus (RFC 4035 §5.2).

import { createPublicKey, verify } from 'node:crypto';
import { publicKeyFor } from './public-keys.js';

export const Algorithm = {
  RSAMD5: 1,
  DSA: 3,
  RSASHA1: 5,
  DSA_NSEC3_SHA1: 6,
  RSASHA1_NSEC3_SHA1: 7,
  RSASHA256: 8,
  RSASHA512: 10,
  ECC_GOST: 12,
  ECDSAP256SHA256: 13,
  ECDSAP384SHA384: 14,
  ED25519: 15,
  ED448: 16,
} as const;

interface Method {
  /** The digest for node:crypto; null for EdDSA, which hashes internally. */
  hash: string | null;
  ecdsa: boolean;
  sha1: boolean;
}

const METHODS: Record<number, Method> = {
  [Algorithm.RSASHA1]: { hash: 'sha1', ecdsa: false, sha1: true },
  [Algorithm.RSASHA1_NSEC3_SHA1]: { hash: 'sha1', ecdsa: false, sha1: true },
  [Algorithm.RSASHA256]: { hash: 'sha256', ecdsa: false, sha1: false },
  [Algorithm.RSASHA512]: { hash: 'sha512', ecdsa: false, sha1: false },
  [Algorithm.ECDSAP256SHA256]: { hash: 'sha256', ecdsa: true, sha1: false },
  [Algorithm.ECDSAP384SHA384]: { hash: 'sha384', ecdsa: true, sha1: false },
  [Algorithm.ED25519]: { hash: null, ecdsa: false, sha1: false },
  [Algorithm.ED448]: { hash: null, ecdsa: false, sha1: false },
};

let sha1Usable: boolean | undefined;

/**
 * Whether this process's OpenSSL verifies SHA-1 signatures at all. Node's
 * bundled OpenSSL (Debian 12, Node 20) does; a system OpenSSL under a
 * policy that forbids SHA-1 signatures (RHEL 9's DEFAULT) throws instead.
 * There, RSASHA1 zones must count as insecure, not bogus (RFC 8624 §3.1
 * leaves validating them to the implementation). Asked once, lazily: only
 * whether OpenSSL refuses matters, so any RSA key serves.
 */
export function sha1SignaturesWork(): boolean {
  if (sha1Usable === undefined) {
    try {
      const n = Buffer.alloc(128, 0xff).toString('base64url');
      const key = createPublicKey({ key: { kty: 'RSA', n, e: 'AQAB' }, format: 'jwk' });
      verify('sha1', Buffer.alloc(0), key, Buffer.alloc(128));
      sha1Usable = true;
    } catch {
      sha1Usable = false;
    }
  }
  return sha1Usable;
}

/** True for the algorithms this validator checks signatures of (RFC 8624 §3.1). */
export function isSupportedAlgorithm(algorithm: number): boolean {
  const method = METHODS[algorithm];
  if (!method) return false;
  return !method.sha1 || sha1SignaturesWork();
}

/**
 * Whether `signature` is a valid signature of `data` by the DNSKEY public
 * key field `publicKey` under `algorithm`. False for anything malformed or
 * unsupported; never throws.
 */
export function verifySignature(algorithm: number, publicKey: Buffer, data: Buffer, signature: Buffer): boolean {
  const method = METHODS[algorithm];
  if (!method || !isSupportedAlgorithm(algorithm)) return false;
  const key = publicKeyFor(algorithm, publicKey);
  if (!key) return false;
  let sig = signature;
  if (method.hash !== null && !method.ecdsa) {
    // OpenSSL wants an RSA signature exactly as long as the modulus, but a
    // signer that writes it as a minimal big-endian integer drops leading
    // zero octets; the number is the same, so pad it back.
    if (sig.length > key.signatureLength || sig.length === 0) return false;
    if (sig.length < key.signatureLength) sig = Buffer.concat([Buffer.alloc(key.signatureLength - sig.length), sig]);
  } else if (sig.length !== key.signatureLength) {
    return false; // RFC 6605 §4 and RFC 8080 §4 fix the length: r | s, R | S
  }
  try {
    return method.ecdsa
      ? verify(method.hash, data, { key: key.key, dsaEncoding: 'ieee-p1363' }, sig)
      : verify(method.hash, data, key.key, sig);
  } catch {
    return false;
  }
}
