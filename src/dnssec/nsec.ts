// NSEC records (RFC 4034 §4) one at a time: their RDATA, and what a single
// NSEC says about a name. These predicates are pure so an aggressive NSEC
// cache (RFC 8198 §5) can ask them of one cached record; the proofs over a
// response's set of NSECs are in nsec-proofs.ts.

import type { ResourceRecord } from '../dns/message.js';
import { labelCount } from '../dns/name.js';
import { compareCanonical } from './canonical-order.js';
import { commonAncestor, isStrictSubdomain, wildcardAt } from './enclosers.js';
import { RRType } from './rr-type.js';
import { decodeTypeBitmap, encodeTypeBitmap, type TypeSet } from './type-bitmap.js';
import { nameToWire, readWireName } from './wire-name.js';

export interface Nsec {
  owner: string;
  next: string;
  types: TypeSet;
}

/** The NSEC in a record, or undefined when it is not an NSEC or its RDATA is malformed. */
export function parseNsec(rr: ResourceRecord): Nsec | undefined {
  if (rr.type !== 'NSEC' || !Buffer.isBuffer(rr.data)) return undefined;
  return decodeNsecRdata(rr.name, rr.data);
}

/** RDATA: the next owner name, uncompressed (RFC 4034 §4.1.1), then the type bit maps. */
export function decodeNsecRdata(owner: string, rdata: Buffer): Nsec | undefined {
  const next = readWireName(rdata, 0);
  if (!next) return undefined;
  const types = decodeTypeBitmap(rdata, next.end);
  return types && { owner, next: next.name, types };
}

export function encodeNsecRdata(next: string, types: Iterable<number>): Buffer {
  return Buffer.concat([nameToWire(next), encodeTypeBitmap(types)]);
}

/**
 * True when `name` falls strictly between the NSEC's owner and next name in
 * canonical order (RFC 4035 §5.4). The last NSEC of a zone points back to
 * the apex; it covers every name after its owner that is inside the zone.
 */
export function nsecCovers(nsec: Nsec, name: string): boolean {
  if (compareCanonical(nsec.owner, name) >= 0) return false;
  if (compareCanonical(nsec.owner, nsec.next) < 0) return compareCanonical(name, nsec.next) < 0;
  return isStrictSubdomain(name, nsec.next);
}

/** NS without SOA: the parent side of a zone cut. */
export function isDelegation(types: TypeSet): boolean {
  return types.has(RRType.NS) && !types.has(RRType.SOA);
}

/**
 * RFC 6840 §4.1: an NSEC at a delegation (NS without SOA) or at a DNAME
 * says nothing about the names below its owner: they belong to another
 * zone, or are redirected.
 */
export function nsecCannotSpeakFor(nsec: Nsec, name: string): boolean {
  return isStrictSubdomain(name, nsec.owner) && (isDelegation(nsec.types) || nsec.types.has(RRType.DNAME));
}

/**
 * True when this NSEC shows that `name` does not exist: it covers the name,
 * the name is not an empty non-terminal (the next name is not below it),
 * and the NSEC is not at a delegation or DNAME above it (RFC 6840 §4.1).
 */
export function nsecProvesNonexistence(nsec: Nsec, name: string): boolean {
  return nsecCovers(nsec, name) && !isStrictSubdomain(nsec.next, name) && !nsecCannotSpeakFor(nsec, name);
}

/**
 * True when this NSEC shows that `name` is an empty non-terminal: it exists
 * (RFC 4592 §2.2.2) but owns no records, because the next name in the chain
 * lies below it.
 */
export function nsecProvesEmptyNonTerminal(nsec: Nsec, name: string): boolean {
  return nsecCovers(nsec, name) && isStrictSubdomain(nsec.next, name) && !nsecCannotSpeakFor(nsec, name);
}

/**
 * The closest encloser of a name this NSEC proves does not exist: the
 * deepest ancestor it shares with the NSEC's owner or next name, both of
 * which exist (RFC 4035 §5.4; RFC 4592 §3.3.1).
 */
export function nsecClosestEncloser(nsec: Nsec, name: string): string {
  const viaOwner = commonAncestor(name, nsec.owner);
  const viaNext = commonAncestor(name, nsec.next);
  // Both are ancestors of `name`, so one encloses the other: take the deeper.
  return labelCount(viaNext) > labelCount(viaOwner) ? viaNext : viaOwner;
}

/**
 * The wildcard that could have synthesised an answer for a `name` this
 * NSEC proves absent: `*.` + its closest encloser. An aggressive cache
 * (RFC 8198 §5.3, §5.4) must deny it too before synthesising NXDOMAIN, or
 * may answer from it if it holds it.
 */
export function nsecWildcardFor(nsec: Nsec, name: string): string {
  return wildcardAt(nsecClosestEncloser(nsec, name));
}

export type NsecTypeDenial = 'denied' | 'type-exists' | 'cname-exists' | 'child-side' | 'parent-side' | 'not-owner';

/**
 * What an NSEC at `name` says about `type` there (RFC 4035 §3.1.3.1,
 * §5.4): 'denied' when the bit map lacks both the type and CNAME (RFC 6840
 * §4.3). For DS the NSEC must come from the parent side: the child's apex
 * NSEC (with SOA) knows nothing of the parent's DS RRset (RFC 4035 §3.1.4.1);
 * for any other type the parent side of a delegation (NS without SOA) must
 * not be used (RFC 6840 §4.1).
 */
export function nsecTypeDenial(nsec: Nsec, name: string, type: number): NsecTypeDenial {
  if (nsec.owner !== name) return 'not-owner';
  if (nsec.types.has(type)) return 'type-exists';
  if (nsec.types.has(RRType.CNAME)) return 'cname-exists';
  if (type === RRType.DS) {
    if (nsec.types.has(RRType.SOA) && name !== '.') return 'child-side';
  } else if (isDelegation(nsec.types)) {
    return 'parent-side';
  }
  return 'denied';
}

/** RFC 8198 §5.3 convenience: true when the NSEC at `name` denies `type`. */
export function nsecProvesNodata(nsec: Nsec, name: string, type: number): boolean {
  return nsecTypeDenial(nsec, name, type) === 'denied';
}
