// A signed zone as an authoritative server holds it (RFC 4035 §2): every
// authoritative RRset with its RRSIGs, the DNSKEY RRset at the apex signed
// by the KSK, an NSEC (RFC 4034 §4) or NSEC3 (RFC 5155 §7.1) chain, and the
// DS records of signed children. `respond` answers one question the way an
// authoritative server does for a query with DO=1 (RFC 4035 §3.1): RRSIGs
// with the RRsets, NSEC/NSEC3 proofs for NXDOMAIN, NODATA, wildcard
// expansions and referrals without DS, the DS with a referral.
//
// Tests break a zone after it is signed, through the methods at the end
// (resign with other fields or keys, drop signatures, change data behind
// the signatures' back): the proofs and signatures then stay as they were,
// as they would on a real server fed a broken zone.

import { generateKeyPairSync } from 'node:crypto';
import { RCode, type ResourceRecord } from '../../../src/dns/message.js';
import { isSubdomain, labelCount, labels, normalizeName, parentName, ROOT } from '../../../src/dns/name.js';
import { Algorithm } from '../../../src/dnssec/algorithms.js';
import { base32hexDecode } from '../../../src/dnssec/base32hex.js';
import { compareCanonical } from '../../../src/dnssec/canonical-order.js';
import { buildDnskey, buildDs, DnskeyFlag } from '../../../src/dnssec/dnssec-rdata.js';
import { DigestType } from '../../../src/dnssec/ds-digest.js';
import { isStrictSubdomain, nextCloser } from '../../../src/dnssec/enclosers.js';
import { keyTag } from '../../../src/dnssec/key-tag.js';
import { nsec3Hash } from '../../../src/dnssec/nsec3-hash.js';
import { buildNsec3Chain, buildNsecChain, type Nsec3Params, type ZoneNames } from '../denial-chain.js';
import { generateKey, makeDs, signRrset, type SigningKey, type SignOptions } from '../signer.js';

/** How the zone denies existence: an NSEC chain, an NSEC3 chain, or neither (a signed zone without one is broken). */
export type Denial = { kind: 'nsec' } | ({ kind: 'nsec3' } & Partial<Nsec3Params>) | { kind: 'none' };

export interface ZoneKeys {
  /** Signs the DNSKEY RRset; the parent's DS points to it. */
  ksk: SigningKey;
  /** Signs everything else. */
  zsk: SigningKey;
}

/** Seconds since the epoch (RFC 4034 §3.1.5). */
export interface SignatureWindow {
  inception: number;
  expiration: number;
}

/** What a server puts in its reply (besides header fields it copies). */
export interface ZoneAnswer {
  rcode: number;
  aa: boolean;
  answers: ResourceRecord[];
  authorities: ResourceRecord[];
  additionals: ResourceRecord[];
  /** Set for a referral: the child zone the server refers to. */
  referral?: string;
}

/**
 * A key of any algorithm number, signatures included: the test signer's
 * algorithms as they are; any other number (253, private; 3, DSA) is an
 * Ed25519 key that calls itself that algorithm, which is all a validator
 * that does not implement the algorithm can look at (RFC 4035 §5.2).
 */
export function makeKey(algorithm: number, zone: string, ksk: boolean): SigningKey {
  const rsa = algorithm === Algorithm.RSASHA1 || algorithm === Algorithm.RSASHA1_NSEC3_SHA1
    || algorithm === Algorithm.RSASHA256 || algorithm === Algorithm.RSASHA512;
  if (rsa || [Algorithm.ECDSAP256SHA256, Algorithm.ECDSAP384SHA384, Algorithm.ED25519, Algorithm.ED448].includes(algorithm as 13)) {
    return generateKey(algorithm, zone, { ksk });
  }
  const pair = generateKeyPairSync('ed25519');
  const publicKey = Buffer.from(pair.publicKey.export({ format: 'jwk' }).x!, 'base64url');
  const owner = normalizeName(zone);
  const flags = DnskeyFlag.Zone | (ksk ? DnskeyFlag.Sep : 0);
  const rdata = buildDnskey({ flags, protocol: 3, algorithm, publicKey });
  const dnskey: ResourceRecord = { name: owner, type: 'DNSKEY', class: 'IN', ttl: 3600, data: rdata };
  // signer.ts signs with Ed25519 for any algorithm it has no case for.
  return {
    zone: owner, algorithm, privateKey: pair.privateKey, dnskey, keyTag: keyTag(rdata),
    ds: (digestType = DigestType.SHA256) => makeDs(dnskey, digestType),
  };
}

export function makeZoneKeys(zone: string, algorithm: number = Algorithm.ECDSAP256SHA256): ZoneKeys {
  return { ksk: makeKey(algorithm, zone, true), zsk: makeKey(algorithm, zone, false) };
}

/** A DS whose digest type no validator knows (RFC 6840 §5.2), for `key`. */
export function dsWithDigestType(key: SigningKey, digestType: number): ResourceRecord {
  const data = buildDs({ keyTag: key.keyTag, algorithm: key.algorithm, digestType, digest: Buffer.alloc(32, 0xab) });
  return { name: key.zone, type: 'DS', class: 'IN', ttl: 3600, data };
}

const key = (name: string, type: string): string => `${name}|${type}`;
const NSEC3_DEFAULTS: Nsec3Params = { salt: '', iterations: 0, optOut: false };

export class SignedZone {
  readonly origin: string;
  readonly denial: Denial;
  /** owner → type → RRset. */
  private readonly data = new Map<string, Map<string, ResourceRecord[]>>();
  private readonly sigs = new Map<string, ResourceRecord[]>();
  /** The NSEC records in canonical order of their owners. */
  private nsecs: ResourceRecord[] = [];
  /** The NSEC3 records in order of their hashes. */
  private nsec3s: Array<{ hash: Buffer; rr: ResourceRecord }> = [];
  private nsec3Params: Nsec3Params = NSEC3_DEFAULTS;

  constructor(origin: string, records: readonly ResourceRecord[], readonly keys: ZoneKeys | undefined,
    readonly window: SignatureWindow, denial: Denial = { kind: 'nsec' }) {
    this.origin = normalizeName(origin);
    this.denial = keys ? denial : { kind: 'none' };
    for (const rr of records) this.add(rr);
    if (keys) this.sign(keys);
  }

  // ---- what a test reads -------------------------------------------------

  rrset(name: string, type: string): ResourceRecord[] | undefined {
    return this.data.get(normalizeName(name))?.get(type);
  }

  signatures(name: string, type: string): ResourceRecord[] {
    return this.sigs.get(key(normalizeName(name), type)) ?? [];
  }

  /** The owners of the NSEC3 chain (hashed names), for tests that pick one. */
  get nsec3Owners(): string[] {
    return this.nsec3s.map((n) => n.rr.name);
  }

  // ---- how a test breaks the zone -----------------------------------------

  /** Signs `name`/`type` again with other fields or another key (by default the zone's, with its window). */
  resign(name: string, type: string, options: Partial<SignOptions> & { key?: SigningKey; keys?: SigningKey[] } = {}): void {
    const owner = normalizeName(name);
    const rrset = this.rrset(owner, type);
    if (!rrset) throw new Error(`no ${type} RRset at ${owner} in ${this.origin}`);
    const keys = options.keys ?? [options.key ?? this.signingKey(type)];
    this.sigs.set(key(owner, type), keys.map((k) => signRrset(rrset, k, { ...this.window, signer: this.origin, ...options })));
  }

  setSignatures(name: string, type: string, sigs: ResourceRecord[]): void {
    this.sigs.set(key(normalizeName(name), type), sigs);
  }

  dropSignatures(name: string, type: string): void {
    this.sigs.delete(key(normalizeName(name), type));
  }

  /** Replaces an RRset without signing it again (tampered data), or removes it (`[]`). */
  setRecords(name: string, type: string, records: ResourceRecord[]): void {
    const owner = normalizeName(name);
    const node = this.data.get(owner) ?? new Map<string, ResourceRecord[]>();
    if (records.length === 0) node.delete(type);
    else node.set(type, records);
    this.data.set(owner, node);
  }

  // ---- signing ---------------------------------------------------------------

  private add(rr: ResourceRecord): void {
    const owner = normalizeName(rr.name);
    const record = { ...rr, name: owner };
    let node = this.data.get(owner);
    if (!node) this.data.set(owner, (node = new Map()));
    const set = node.get(rr.type);
    if (set) set.push(record);
    else node.set(rr.type, [record]);
  }

  private signingKey(type: string): SigningKey {
    if (!this.keys) throw new Error(`${this.origin} is unsigned`);
    return type === 'DNSKEY' ? this.keys.ksk : this.keys.zsk;
  }

  private sign(keys: ZoneKeys): void {
    this.add(keys.ksk.dnskey);
    this.add(keys.zsk.dnskey);
    const names: ZoneNames = {};
    for (const [owner, node] of this.data) names[owner] = [...node.keys()];
    if (this.denial.kind === 'nsec') {
      this.nsecs = buildNsecChain(this.origin, names).sort((a, b) => compareCanonical(a.name, b.name));
      for (const rr of this.nsecs) this.add(rr);
    } else if (this.denial.kind === 'nsec3') {
      this.nsec3Params = { ...NSEC3_DEFAULTS, ...this.denial };
      const chain = buildNsec3Chain(this.origin, names, this.nsec3Params);
      this.nsec3s = chain.map((rr) => ({ hash: base32hexDecode(labels(rr.name)[0]!)!, rr }));
      for (const rr of chain) this.add(rr);
    }
    for (const [owner, node] of this.data) {
      for (const type of node.keys()) {
        if (this.isSigned(owner, type)) this.resign(owner, type);
      }
    }
  }

  /** RFC 4035 §2.2: every authoritative RRset is signed; at a cut only DS (and NSEC), below one nothing. */
  private isSigned(owner: string, type: string): boolean {
    const cut = this.cutAt(owner);
    if (cut === undefined) return true;
    return cut === owner && (type === 'DS' || type === 'NSEC');
  }

  // ---- answering ---------------------------------------------------------------

  /** The deepest delegation (a name other than the apex with NS) at or above `name`. */
  private cutAt(name: string): string | undefined {
    let found: string | undefined;
    for (let n = name; n !== this.origin && isStrictSubdomain(n, this.origin); n = parentName(n)) {
      if (this.data.get(n)?.has('NS')) found = n;
    }
    return found;
  }

  private withSigs(rrset: ResourceRecord[], dnssecOk: boolean, owner = rrset[0]!.name): ResourceRecord[] {
    if (!dnssecOk) return rrset;
    const sigs = this.signatures(rrset[0]!.name, rrset[0]!.type).map((s) => ({ ...s, name: owner }));
    return [...rrset, ...sigs];
  }

  /** The answer to `qname`/`qtype`, as an authoritative server of this zone gives it. */
  respond(qname: string, qtype: string, dnssecOk: boolean): ZoneAnswer {
    const out: ZoneAnswer = { rcode: RCode.NOERROR, aa: true, answers: [], authorities: [], additionals: [] };
    const cut = this.cutAt(qname);
    // RFC 4035 §3.1.4.1: DS is answered by the parent side of the cut.
    if (cut !== undefined && !(cut === qname && qtype === 'DS')) return this.referral(cut, dnssecOk);
    const proof: ResourceRecord[] = [];
    let name = qname;
    for (let hops = 0; hops < 8; hops++) {
      const node = this.data.get(name);
      if (node) {
        const rrset = node.get(qtype);
        if (rrset) {
          out.answers.push(...this.withSigs(rrset, dnssecOk));
          break;
        }
        const cname = node.get('CNAME');
        if (cname && qtype !== 'CNAME') {
          out.answers.push(...this.withSigs(cname, dnssecOk));
          const target = normalizeName(cname[0]!.data as string);
          if (!isSubdomain(target, this.origin) || this.cutAt(target) !== undefined) break;
          name = target;
          continue;
        }
        this.negative(out, proof, dnssecOk, this.nodataProof(name));
        break;
      }
      if (this.isEmptyNonTerminal(name)) {
        this.negative(out, proof, dnssecOk, this.nodataProof(name));
        break;
      }
      const ce = this.closestEncloser(name);
      const wildcard = ce === ROOT ? '*' : `*.${ce}`;
      const wild = this.data.get(wildcard);
      if (!wild) {
        out.rcode = RCode.NXDOMAIN;
        this.negative(out, proof, dnssecOk, this.nxdomainProof(name, ce, wildcard));
        break;
      }
      // RFC 4035 §3.1.3.3: an expansion comes with the proof that `name` itself does not exist.
      const expansion = wild.get(qtype) ?? (qtype !== 'CNAME' ? wild.get('CNAME') : undefined);
      if (!expansion) {
        // RFC 4035 §3.1.3.4: wildcard NODATA.
        // RFC 5155 §7.2.5: with NSEC3, the closest encloser proof and the wildcard's own NSEC3.
        const noName = this.denial.kind === 'nsec3' ? this.nsec3ClosestEncloserProof(name, ce) : this.noSuchNameProof(name, ce);
        this.negative(out, proof, dnssecOk, [...noName, ...this.nodataProof(wildcard)]);
        break;
      }
      const records = expansion.map((rr) => ({ ...rr, name }));
      out.answers.push(...this.withSigs(expansion, dnssecOk, name).map((rr) => ({ ...rr, name })));
      for (const rr of this.noSuchNameProof(name, ce)) if (!proof.includes(rr)) proof.push(rr);
      if (records[0]!.type !== 'CNAME' || qtype === 'CNAME') break;
      const target = normalizeName(records[0]!.data as string);
      if (!isSubdomain(target, this.origin) || this.cutAt(target) !== undefined) break;
      name = target;
    }
    if (dnssecOk) out.authorities.push(...this.signedDenial(proof));
    return out;
  }

  private negative(out: ZoneAnswer, proof: ResourceRecord[], dnssecOk: boolean, denial: ResourceRecord[]): void {
    out.authorities.push(...this.withSigs(this.rrset(this.origin, 'SOA')!, dnssecOk));
    for (const rr of denial) if (!proof.includes(rr)) proof.push(rr);
  }

  /** NSEC/NSEC3 records (deduplicated) with their RRSIGs. */
  private signedDenial(records: ResourceRecord[]): ResourceRecord[] {
    const unique = [...new Set(records)];
    return unique.flatMap((rr) => [rr, ...this.signatures(rr.name, rr.type)]);
  }

  private referral(cut: string, dnssecOk: boolean): ZoneAnswer {
    const ns = this.rrset(cut, 'NS')!;
    const authorities = [...ns];
    if (dnssecOk) {
      const ds = this.rrset(cut, 'DS');
      // RFC 4035 §3.1.4: the DS and its RRSIG, or the proof that there is none.
      if (ds) authorities.push(...this.withSigs(ds, true));
      else authorities.push(...this.signedDenial(this.nodataProof(cut)));
    }
    const additionals = ns.flatMap((rr) => {
      const target = normalizeName(rr.data as string);
      return [...(this.rrset(target, 'A') ?? []), ...(this.rrset(target, 'AAAA') ?? [])];
    });
    return { rcode: RCode.NOERROR, aa: false, answers: [], authorities, additionals, referral: cut };
  }

  private isEmptyNonTerminal(name: string): boolean {
    for (const owner of this.data.keys()) if (isStrictSubdomain(owner, name)) return true;
    return false;
  }

  private exists(name: string): boolean {
    return this.data.has(name) || this.isEmptyNonTerminal(name);
  }

  private closestEncloser(name: string): string {
    let n = name;
    while (n !== this.origin && !this.exists(n)) n = parentName(n);
    return n;
  }

  /** NODATA at an existing name (RFC 4035 §3.1.3.1, RFC 5155 §7.2.3, §7.2.4). */
  private nodataProof(name: string): ResourceRecord[] {
    if (this.denial.kind === 'nsec') {
      const own = this.nsecs.find((rr) => rr.name === name);
      return [own ?? this.nsecCovering(name)];
    }
    if (this.denial.kind === 'nsec3') {
      const match = this.nsec3Matching(name);
      if (match) return [match];
      // An Opt-Out span: the closest encloser proof (RFC 5155 §7.2.4).
      return this.nsec3ClosestEncloserProof(name);
    }
    return [];
  }

  /** That `name` does not exist, below closest encloser `ce` (RFC 4035 §3.1.3.3, RFC 5155 §7.2.6). */
  private noSuchNameProof(name: string, ce: string): ResourceRecord[] {
    if (this.denial.kind === 'nsec') return [this.nsecCovering(name)];
    if (this.denial.kind === 'nsec3') return [this.nsec3Covering(nextCloser(name, ce))];
    return [];
  }

  /** RFC 4035 §3.1.3.2, RFC 5155 §7.2.2: the name and the wildcard at its closest encloser do not exist. */
  private nxdomainProof(name: string, ce: string, wildcard: string): ResourceRecord[] {
    if (this.denial.kind === 'nsec') return [this.nsecCovering(name), this.nsecCovering(wildcard)];
    if (this.denial.kind === 'nsec3') return [...this.nsec3ClosestEncloserProof(name, ce), this.nsec3Covering(wildcard)];
    return [];
  }

  private nsec3ClosestEncloserProof(name: string, ce = this.provableEncloser(name)): ResourceRecord[] {
    const match = this.nsec3Matching(ce);
    if (!match) throw new Error(`no NSEC3 matches the closest encloser ${ce} in ${this.origin}`);
    return [match, this.nsec3Covering(nextCloser(name, ce))];
  }

  /** The deepest ancestor of `name` with an NSEC3 of its own (Opt-Out leaves insecure cuts out). */
  private provableEncloser(name: string): string {
    let n = parentName(name);
    while (n !== this.origin && !this.nsec3Matching(n)) n = parentName(n);
    return n;
  }

  private nsecCovering(name: string): ResourceRecord {
    let found = this.nsecs[this.nsecs.length - 1]!;
    for (const rr of this.nsecs) if (compareCanonical(rr.name, name) < 0) found = rr;
    return found;
  }

  private hash(name: string): Buffer {
    const { salt, iterations } = this.nsec3Params;
    return nsec3Hash(name, salt === '-' || salt === '' ? Buffer.alloc(0) : Buffer.from(salt, 'hex'), iterations);
  }

  private nsec3Matching(name: string): ResourceRecord | undefined {
    const h = this.hash(name);
    return this.nsec3s.find((n) => n.hash.equals(h))?.rr;
  }

  private nsec3Covering(name: string): ResourceRecord {
    const h = this.hash(name);
    let found = this.nsec3s[this.nsec3s.length - 1]!.rr;
    for (const n of this.nsec3s) if (Buffer.compare(n.hash, h) < 0) found = n.rr;
    return found;
  }
}

/** The number of labels RRSIG counts for `name` (helper for tests that write RRSIG fields). */
export function ownerLabels(name: string): number {
  return labelCount(normalizeName(name));
}
