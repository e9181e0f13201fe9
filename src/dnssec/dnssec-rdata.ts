// The RDATA of DNSKEY, DS and RRSIG (RFC 4034 §2.1, §5.1, §3.1), which the
// codec hands over raw. Parsing never throws: data from the network that
// does not add up is `undefined`, and the caller treats it as absent.
// The builders exist for the test signer and for trust anchors written as
// text; they do not validate what they are given.

import { typeName, typeNumber } from '../dns/codec.js';
import type { RData } from '../dns/message.js';
import { nameToWire, readWireName } from './wire-name.js';

/** DNSKEY flag bits (RFC 4034 §2.1.1, RFC 5011 §3), counted from the high-order bit as 0. */
export const DnskeyFlag = {
  /** Bit 7: a zone key, the only kind that may sign a zone's data. */
  Zone: 0x0100,
  /** Bit 8: revoked (RFC 5011 §3); the key tag changes with it. */
  Revoke: 0x0080,
  /** Bit 15: secure entry point, a hint only (RFC 4034 §2.1.1). */
  Sep: 0x0001,
} as const;

/** RFC 4034 §2.1.2: the Protocol field MUST be 3. */
export const DNSKEY_PROTOCOL = 3;

export interface DnskeyData {
  flags: number;
  protocol: number;
  algorithm: number;
  publicKey: Buffer;
}

export interface DsData {
  keyTag: number;
  algorithm: number;
  digestType: number;
  digest: Buffer;
}

export interface RrsigData {
  /** Mnemonic, as the codec writes types ('A', 'TYPE65280'). */
  typeCovered: string;
  algorithm: number;
  labels: number;
  originalTtl: number;
  /** Seconds since the epoch modulo 2^32 (RFC 4034 §3.1.5). */
  expiration: number;
  inception: number;
  keyTag: number;
  /** Normalized (lower case, no trailing dot). */
  signerName: string;
  signature: Buffer;
  /**
   * The RDATA without the Signature field and with the signer's name in
   * canonical form: the RRSIG_RDATA that starts the signed data (RFC 4034
   * §3.1.8.1).
   */
  signedPrefix: Buffer;
}

/** Type covered (2), algorithm, labels, original TTL (4), expiration (4), inception (4), key tag (2). */
const RRSIG_FIXED = 18;

export function parseDnskey(data: RData): DnskeyData | undefined {
  if (!Buffer.isBuffer(data) || data.length < 5) return undefined;
  return { flags: data.readUInt16BE(0), protocol: data[2]!, algorithm: data[3]!, publicKey: data.subarray(4) };
}

export function parseDs(data: RData): DsData | undefined {
  if (!Buffer.isBuffer(data) || data.length < 5) return undefined;
  return { keyTag: data.readUInt16BE(0), algorithm: data[2]!, digestType: data[3]!, digest: data.subarray(4) };
}

export function parseRrsig(data: RData): RrsigData | undefined {
  if (!Buffer.isBuffer(data) || data.length < RRSIG_FIXED + 1) return undefined;
  const signer = readWireName(data, RRSIG_FIXED);
  if (!signer || signer.end >= data.length) return undefined; // no signature at all
  const signedPrefix = Buffer.from(data.subarray(0, signer.end));
  // Length octets of an uncompressed name are at most 63, below 'A', so
  // lower-casing every A-Z octet of the name is exactly its canonical form.
  for (let i = RRSIG_FIXED; i < signedPrefix.length; i++) {
    const c = signedPrefix[i]!;
    if (c >= 0x41 && c <= 0x5a) signedPrefix[i] = c | 0x20;
  }
  return {
    typeCovered: typeName(data.readUInt16BE(0)),
    algorithm: data[2]!,
    labels: data[3]!,
    originalTtl: data.readUInt32BE(4),
    expiration: data.readUInt32BE(8),
    inception: data.readUInt32BE(12),
    keyTag: data.readUInt16BE(16),
    signerName: signer.name,
    signature: data.subarray(signer.end),
    signedPrefix,
  };
}

export function buildDnskey(key: DnskeyData): Buffer {
  const out = Buffer.alloc(4 + key.publicKey.length);
  out.writeUInt16BE(key.flags, 0);
  out[2] = key.protocol;
  out[3] = key.algorithm;
  key.publicKey.copy(out, 4);
  return out;
}

export function buildDs(ds: DsData): Buffer {
  const out = Buffer.alloc(4 + ds.digest.length);
  out.writeUInt16BE(ds.keyTag, 0);
  out[2] = ds.algorithm;
  out[3] = ds.digestType;
  ds.digest.copy(out, 4);
  return out;
}

export type RrsigFields = Omit<RrsigData, 'signedPrefix'>;

/** RRSIG RDATA; without a signature it is the RRSIG_RDATA that a signer signs. */
export function buildRrsig(sig: Omit<RrsigFields, 'signature'> & { signature?: Buffer }): Buffer {
  const type = typeNumber(sig.typeCovered);
  if (type === undefined) throw new Error(`unknown type ${sig.typeCovered}`);
  const fixed = Buffer.alloc(RRSIG_FIXED);
  fixed.writeUInt16BE(type, 0);
  fixed[2] = sig.algorithm;
  fixed[3] = sig.labels;
  fixed.writeUInt32BE(sig.originalTtl >>> 0, 4);
  fixed.writeUInt32BE(sig.expiration >>> 0, 8);
  fixed.writeUInt32BE(sig.inception >>> 0, 12);
  fixed.writeUInt16BE(sig.keyTag, 16);
  return Buffer.concat([fixed, nameToWire(sig.signerName.toLowerCase()), sig.signature ?? Buffer.alloc(0)]);
}
