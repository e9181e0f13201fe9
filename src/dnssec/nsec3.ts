// NSEC3 records (RFC 5155 §3) one at a time: their RDATA and how a single
// record relates to a hash. Proofs over a response's set are in
// nsec3-proofs.ts, on top of the parameter selection in nsec3-set.ts.

import type { ResourceRecord } from '../dns/message.js';
import { ROOT, parentName } from '../dns/name.js';
import { base32hexDecode } from './base32hex.js';
import { NSEC3_HASH_SHA1 } from './nsec3-hash.js';
import { decodeTypeBitmap, encodeTypeBitmap, type TypeSet } from './type-bitmap.js';

/** RFC 5155 §3.1.2.1: the only flag defined. */
export const NSEC3_FLAG_OPT_OUT = 0x01;

export interface Nsec3 {
  owner: string;
  /** The zone the record belongs to: its owner minus the hash label. */
  zone: string;
  /** The owner's first label, base32hex-decoded. */
  ownerHash: Buffer;
  hashAlgorithm: number;
  flags: number;
  optOut: boolean;
  iterations: number;
  salt: Buffer;
  nextHash: Buffer;
  types: TypeSet;
}

export interface Nsec3Fields {
  hashAlgorithm: number;
  flags: number;
  iterations: number;
  salt: Buffer;
  nextHash: Buffer;
  types: Iterable<number>;
}

/** The NSEC3 in a record, or undefined when it is not one or is malformed. */
export function parseNsec3(rr: ResourceRecord): Nsec3 | undefined {
  if (rr.type !== 'NSEC3' || !Buffer.isBuffer(rr.data)) return undefined;
  return decodeNsec3Rdata(rr.name, rr.data);
}

/**
 * RDATA (RFC 5155 §3.2): algorithm, flags, iterations (16 bits), salt
 * length and salt, hash length and next hashed owner, type bit maps. The
 * owner's first label must decode to a hash as long as the next one.
 */
export function decodeNsec3Rdata(owner: string, rdata: Buffer): Nsec3 | undefined {
  if (rdata.length < 5) return undefined;
  const saltLength = rdata[4]!;
  const hashAt = 5 + saltLength;
  if (hashAt >= rdata.length) return undefined;
  const hashLength = rdata[hashAt]!;
  const bitmapAt = hashAt + 1 + hashLength;
  if (hashLength === 0 || bitmapAt > rdata.length) return undefined;
  const types = decodeTypeBitmap(rdata, bitmapAt);
  if (!types || owner === ROOT) return undefined;
  const dot = owner.indexOf('.');
  const ownerHash = base32hexDecode(dot < 0 ? owner : owner.slice(0, dot));
  if (!ownerHash || ownerHash.length !== hashLength) return undefined;
  const flags = rdata[1]!;
  return {
    owner,
    zone: parentName(owner),
    ownerHash,
    hashAlgorithm: rdata[0]!,
    flags,
    optOut: (flags & NSEC3_FLAG_OPT_OUT) !== 0,
    iterations: rdata.readUInt16BE(2),
    salt: Buffer.from(rdata.subarray(5, hashAt)),
    nextHash: Buffer.from(rdata.subarray(hashAt + 1, bitmapAt)),
    types,
  };
}

export function encodeNsec3Rdata(f: Nsec3Fields): Buffer {
  const head = Buffer.alloc(5);
  head[0] = f.hashAlgorithm;
  head[1] = f.flags;
  head.writeUInt16BE(f.iterations, 2);
  head[4] = f.salt.length;
  return Buffer.concat([head, f.salt, Buffer.from([f.nextHash.length]), f.nextHash, encodeTypeBitmap(f.types)]);
}

/**
 * RFC 5155 §8.2: validators ignore NSEC3 records with an unknown hash
 * algorithm or flags other than Opt-Out; SHA-1 hashes are 20 octets.
 */
export function isUsableNsec3(n: Nsec3): boolean {
  return n.hashAlgorithm === NSEC3_HASH_SHA1 && (n.flags & ~NSEC3_FLAG_OPT_OUT) === 0 && n.nextHash.length === 20;
}

/** Same hash algorithm, iterations and salt: hashes from one are comparable with the other's. */
export function sameNsec3Parameters(a: Nsec3, b: Nsec3): boolean {
  return a.hashAlgorithm === b.hashAlgorithm && a.iterations === b.iterations && a.salt.equals(b.salt);
}

/** The record's owner is the name whose hash this is (RFC 5155 §1.3 "matches"). */
export function nsec3Matches(n: Nsec3, hash: Buffer): boolean {
  return n.ownerHash.equals(hash);
}

/**
 * The hash falls strictly between the owner hash and the next hash (RFC
 * 5155 §1.3 "covers"); the last record of the chain wraps around to the
 * first, and a chain of one record covers every hash but its own.
 */
export function nsec3Covers(n: Nsec3, hash: Buffer): boolean {
  const afterOwner = Buffer.compare(n.ownerHash, hash) < 0;
  const beforeNext = Buffer.compare(hash, n.nextHash) < 0;
  if (Buffer.compare(n.ownerHash, n.nextHash) < 0) return afterOwner && beforeNext;
  return afterOwner || beforeNext;
}
