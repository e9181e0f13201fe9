// Test zone builder: the NSEC chain (RFC 4034 §4, RFC 4035 §2.3) or NSEC3
// chain (RFC 5155 §7.1) a signer would add to a zone, given the zone's
// owner names and their types, as ResourceRecords with raw RDATA exactly
// as the codec decodes it. No signatures: denial proofs take records whose
// RRSIGs the caller has already checked.
//
// What a signer does, and so this builder:
// - names below a delegation (glue, occluded data) get no NSEC/NSEC3;
// - NSEC bit maps list NSEC and RRSIG everywhere (the NSEC is signed);
//   NSEC3 bit maps list RRSIG where signed data is: every authoritative
//   name, a delegation only when it has DS (the NS RRset at a cut is not
//   signed), never an empty non-terminal;
// - NSEC3 gives empty non-terminals their own record, and with Opt-Out
//   leaves out insecure delegations (NS without DS) and the empty
//   non-terminals that only they gave rise to.

import type { ResourceRecord } from '../../src/dns/message.js';
import { normalizeName, parentName } from '../../src/dns/name.js';
import { base32hexEncode } from '../../src/dnssec/base32hex.js';
import { compareCanonical } from '../../src/dnssec/canonical-order.js';
import { isStrictSubdomain } from '../../src/dnssec/enclosers.js';
import { encodeNsecRdata } from '../../src/dnssec/nsec.js';
import { NSEC3_FLAG_OPT_OUT, encodeNsec3Rdata } from '../../src/dnssec/nsec3.js';
import { NSEC3_HASH_SHA1, nsec3Hash } from '../../src/dnssec/nsec3-hash.js';
import { typeCode } from './denial-text.js';

/** Owner name → type mnemonics of the RRsets it owns (without RRSIG, NSEC, NSEC3). */
export type ZoneNames = Record<string, readonly string[]>;

export interface Nsec3Params {
  /** Hex, '' or '-' for none. */
  salt: string;
  iterations: number;
  optOut?: boolean;
}

export function buildNsecChain(zone: string, names: ZoneNames, ttl = 3600): ResourceRecord[] {
  const apex = normalizeName(zone);
  const owners = authoritativeOwners(apex, names);
  const sorted = [...owners.keys()].sort(compareCanonical);
  return sorted.map((owner, i) => {
    const next = sorted[(i + 1) % sorted.length]!;
    // The NSEC RRset is signed everywhere, insecure delegations included.
    const types = [...owners.get(owner)!, 'NSEC', 'RRSIG'];
    return { name: owner, type: 'NSEC', class: 'IN', ttl, data: encodeNsecRdata(next, types.map(typeCode)) };
  });
}

export function buildNsec3Chain(zone: string, names: ZoneNames, params: Nsec3Params, ttl = 3600): ResourceRecord[] {
  const apex = normalizeName(zone);
  const owners = authoritativeOwners(apex, names);
  if (params.optOut) {
    for (const [owner, types] of owners) if (isInsecureDelegation(apex, owner, types)) owners.delete(owner);
  }
  // RFC 5155 §7.1: every empty non-terminal above a remaining name gets a record.
  for (const owner of [...owners.keys()]) {
    for (let n = owner; isStrictSubdomain(n, apex); ) {
      n = parentName(n);
      if (!owners.has(n)) owners.set(n, []);
    }
  }
  const salt = params.salt === '-' ? Buffer.alloc(0) : Buffer.from(params.salt, 'hex');
  const hashed = [...owners.keys()]
    .map((owner) => ({ owner, hash: nsec3Hash(owner, salt, params.iterations) }))
    .sort((a, b) => Buffer.compare(a.hash, b.hash));
  return hashed.map(({ owner, hash }, i) => {
    const types = [...owners.get(owner)!];
    if (types.length > 0 && isSigned(apex, owner, types)) types.push('RRSIG');
    const data = encodeNsec3Rdata({
      hashAlgorithm: NSEC3_HASH_SHA1,
      flags: params.optOut ? NSEC3_FLAG_OPT_OUT : 0,
      iterations: params.iterations,
      salt,
      nextHash: hashed[(i + 1) % hashed.length]!.hash,
      types: types.map(typeCode),
    });
    return { name: `${base32hexEncode(hash)}.${apex}`, type: 'NSEC3', class: 'IN', ttl, data };
  });
}

/** The apex and every name not below a delegation, with their types. */
function authoritativeOwners(apex: string, names: ZoneNames): Map<string, string[]> {
  const all = new Map<string, string[]>();
  for (const [name, types] of Object.entries(names)) {
    const owner = normalizeName(name);
    if (owner !== apex && !isStrictSubdomain(owner, apex)) throw new Error(`${owner} is not in ${apex}`);
    all.set(owner, [...new Set([...(all.get(owner) ?? []), ...types.map((t) => t.toUpperCase())])]);
  }
  if (!all.has(apex)) throw new Error(`the zone ${apex} has no apex entry`);
  const cuts = [...all].filter(([owner, types]) => owner !== apex && types.includes('NS')).map(([owner]) => owner);
  for (const owner of [...all.keys()]) {
    if (cuts.some((cut) => isStrictSubdomain(owner, cut))) all.delete(owner);
  }
  return all;
}

function isDelegation(apex: string, owner: string, types: readonly string[]): boolean {
  return owner !== apex && types.includes('NS');
}

function isInsecureDelegation(apex: string, owner: string, types: readonly string[]): boolean {
  return isDelegation(apex, owner, types) && !types.includes('DS');
}

/** RFC 4035 §2.2: everything authoritative is signed; at a cut only DS is. */
function isSigned(apex: string, owner: string, types: readonly string[]): boolean {
  return !isDelegation(apex, owner, types) || types.includes('DS');
}
