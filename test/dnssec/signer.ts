// A DNSSEC signer for tests: keys of every algorithm Hops validates, DNSKEY
// and DS records for them, and RRSIGs over RRsets as a real signer makes
// them (RFC 4034 §3.1.8.1: RRSIG_RDATA | RRs in canonical form and order).
// Records come out as the codec decodes them off the wire: raw RDATA Buffers.

import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import type { ResourceRecord } from '../../src/dns/message.js';
import { labels, normalizeName } from '../../src/dns/name.js';
import { Algorithm } from '../../src/dnssec/algorithms.js';
import { signedData } from '../../src/dnssec/canonical.js';
import { buildDnskey, buildDs, buildRrsig, DnskeyFlag } from '../../src/dnssec/dnssec-rdata.js';
import { DigestType, dsDigest } from '../../src/dnssec/ds-digest.js';
import { keyTag } from '../../src/dnssec/key-tag.js';

export interface KeyOptions {
  /** 257 (KSK, SEP bit) when true, else 256 (ZSK). Ignored when `flags` is given. */
  ksk?: boolean;
  flags?: number;
  ttl?: number;
  /** RSA modulus size; 1024 keeps the tests quick. */
  rsaBits?: number;
}

export interface SigningKey {
  zone: string;
  algorithm: number;
  privateKey: KeyObject;
  /** The DNSKEY record, owned by the zone. */
  dnskey: ResourceRecord;
  keyTag: number;
  /** A DS record for this key, SHA-256 unless told otherwise. */
  ds(digestType?: number): ResourceRecord;
}

export interface SignOptions {
  /** The zone signing; defaults to the key's zone. */
  signer?: string;
  /** Seconds since the epoch (RFC 4034 §3.1.5 serial numbers, taken modulo 2^32). */
  inception: number;
  expiration: number;
  /** RRSIG Labels; defaults to the owner's label count, a leading `*` not counted. */
  labels?: number;
  /** RRSIG Original TTL; defaults to the RRset's TTL. */
  originalTtl?: number;
  /** Key tag written in the RRSIG; defaults to the key's (for wrong-tag tests). */
  keyTag?: number;
  /** Algorithm written in the RRSIG; defaults to the key's. */
  algorithm?: number;
}

/** RFC 3110 §2: exponent length (one octet, or zero and two octets), exponent, modulus. */
function rsaPublicKey(jwk: { n?: string; e?: string }): Buffer {
  const n = Buffer.from(jwk.n!, 'base64url');
  const e = Buffer.from(jwk.e!, 'base64url');
  const length = e.length <= 255 ? Buffer.from([e.length]) : Buffer.from([0, e.length >> 8, e.length & 0xff]);
  return Buffer.concat([length, e, n]);
}

function generate(algorithm: number, rsaBits: number): { privateKey: KeyObject; publicKey: Buffer } {
  switch (algorithm) {
    case Algorithm.RSASHA1:
    case Algorithm.RSASHA1_NSEC3_SHA1:
    case Algorithm.RSASHA256:
    case Algorithm.RSASHA512: {
      const pair = generateKeyPairSync('rsa', { modulusLength: rsaBits, publicExponent: 65537 });
      return { privateKey: pair.privateKey, publicKey: rsaPublicKey(pair.publicKey.export({ format: 'jwk' })) };
    }
    case Algorithm.ECDSAP256SHA256:
    case Algorithm.ECDSAP384SHA384: {
      // RFC 6605 §4: x | y, each as long as the curve's order.
      const pair = generateKeyPairSync('ec', { namedCurve: algorithm === Algorithm.ECDSAP256SHA256 ? 'P-256' : 'P-384' });
      const jwk = pair.publicKey.export({ format: 'jwk' });
      return { privateKey: pair.privateKey, publicKey: Buffer.concat([Buffer.from(jwk.x!, 'base64url'), Buffer.from(jwk.y!, 'base64url')]) };
    }
    case Algorithm.ED25519:
    case Algorithm.ED448: {
      const pair = algorithm === Algorithm.ED25519 ? generateKeyPairSync('ed25519') : generateKeyPairSync('ed448');
      return { privateKey: pair.privateKey, publicKey: Buffer.from(pair.publicKey.export({ format: 'jwk' }).x!, 'base64url') };
    }
    default:
      throw new Error(`the test signer has no algorithm ${algorithm}`);
  }
}

export function generateKey(algorithm: number, zone: string, options: KeyOptions = {}): SigningKey {
  const owner = normalizeName(zone);
  const { privateKey, publicKey } = generate(algorithm, options.rsaBits ?? 1024);
  const flags = options.flags ?? (DnskeyFlag.Zone | (options.ksk ? DnskeyFlag.Sep : 0));
  const rdata = buildDnskey({ flags, protocol: 3, algorithm, publicKey });
  const dnskey: ResourceRecord = { name: owner, type: 'DNSKEY', class: 'IN', ttl: options.ttl ?? 3600, data: rdata };
  const tag = keyTag(rdata);
  return {
    zone: owner, algorithm, privateKey, dnskey, keyTag: tag,
    ds: (digestType = DigestType.SHA256) => makeDs(dnskey, digestType),
  };
}

/** The DS record of a DNSKEY record (RFC 4034 §5.1.4). */
export function makeDs(dnskey: ResourceRecord, digestType: number = DigestType.SHA256): ResourceRecord {
  const rdata = dnskey.data as Buffer;
  const digest = dsDigest(dnskey.name, rdata, digestType);
  if (!digest) throw new Error(`the test signer has no digest type ${digestType}`);
  return {
    name: dnskey.name, type: 'DS', class: dnskey.class, ttl: dnskey.ttl,
    data: buildDs({ keyTag: keyTag(rdata), algorithm: rdata[3]!, digestType, digest }),
  };
}

/** The number of labels of an owner name as RRSIG Labels counts them (RFC 4034 §3.1.3). */
export function rrsigLabelCount(owner: string): number {
  const parts = labels(normalizeName(owner));
  return parts[0] === '*' ? parts.length - 1 : parts.length;
}

/** An RRSIG record over `rrset` made with `key`. */
export function signRrset(rrset: ResourceRecord[], key: SigningKey, options: SignOptions): ResourceRecord {
  const first = rrset[0];
  if (!first) throw new Error('cannot sign an empty RRset');
  const fields = {
    typeCovered: first.type,
    algorithm: options.algorithm ?? key.algorithm,
    labels: options.labels ?? rrsigLabelCount(first.name),
    originalTtl: options.originalTtl ?? first.ttl,
    expiration: options.expiration >>> 0,
    inception: options.inception >>> 0,
    keyTag: options.keyTag ?? key.keyTag,
    signerName: normalizeName(options.signer ?? key.zone),
  };
  const prefix = buildRrsig(fields);
  const data = signedData(rrset, { labels: fields.labels, originalTtl: fields.originalTtl, signedPrefix: prefix });
  if (!data) throw new Error('the RRset has no canonical form under these RRSIG fields');
  const signature = signWith(key, data);
  return { name: first.name, type: 'RRSIG', class: first.class, ttl: first.ttl, data: Buffer.concat([prefix, signature]) };
}

function signWith(key: SigningKey, data: Buffer): Buffer {
  switch (key.algorithm) {
    case Algorithm.RSASHA1:
    case Algorithm.RSASHA1_NSEC3_SHA1:
      return sign('sha1', data, key.privateKey);
    case Algorithm.RSASHA256:
      return sign('sha256', data, key.privateKey);
    case Algorithm.RSASHA512:
      return sign('sha512', data, key.privateKey);
    case Algorithm.ECDSAP256SHA256:
      return sign('sha256', data, { key: key.privateKey, dsaEncoding: 'ieee-p1363' });
    case Algorithm.ECDSAP384SHA384:
      return sign('sha384', data, { key: key.privateKey, dsaEncoding: 'ieee-p1363' });
    default:
      return sign(null, data, key.privateKey); // Ed25519, Ed448 (RFC 8080 §4)
  }
}

/** A copy of an RRSIG record with one signature octet flipped: a bogus signature. */
export function corrupt(rrsig: ResourceRecord): ResourceRecord {
  const data = Buffer.from(rrsig.data as Buffer);
  data[data.length - 1]! ^= 0x01;
  return { ...rrsig, data };
}
