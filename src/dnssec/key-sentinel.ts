// The root key trust anchor sentinel (RFC 8509): a client (or a measurement
// such as APNIC's) learns which root KSKs this resolver trusts by asking for
// `root-key-sentinel-is-ta-<tag>.…` or `root-key-sentinel-not-ta-<tag>.…`
// A or AAAA. A secure answer is turned into SERVFAIL when the claim the
// label makes is false, so a client that can fetch only one of the two names
// knows the tag's standing. Unbound, Knot Resolver and BIND answer it.

import { RCode, type Question } from '../dns/message.js';
import { ROOT } from '../dns/name.js';
import type { RecursionResult } from '../resolver/recursor.js';
import { Security } from '../cache/security.js';
import type { TrustAnchors } from './anchors.js';
import { parseDnskey, parseDs } from './dnssec-rdata.js';
import { keyTag } from './key-tag.js';

export interface SentinelQuery {
  /** `is-ta`: the tag is a root trust anchor; `not-ta`: it is not. */
  claimsTrusted: boolean;
  keyTag: number;
}

/** RFC 8509 §2: the label, case-insensitive, with a key tag of exactly five decimal digits. */
const SENTINEL_LABEL = /^root-key-sentinel-(is|not)-ta-(\d{5})(?:\.|$)/i;

/** 'r' or 'R': lets every other query skip the pattern with one comparison. */
const LOWER_R = 0x72;

/** The sentinel a question carries, if any (RFC 8509 §3.1: QTYPE A or AAAA only). */
export function sentinelQuery(question: Question): SentinelQuery | undefined {
  if ((question.name.charCodeAt(0) | 0x20) !== LOWER_R) return undefined;
  if (question.type !== 'A' && question.type !== 'AAAA') return undefined;
  const match = SENTINEL_LABEL.exec(question.name);
  if (!match) return undefined;
  const tag = Number(match[2]);
  if (tag > 0xffff) return undefined;
  return { claimsTrusted: match[1]!.toLowerCase() === 'is', keyTag: tag };
}

/** The key tags of the root's trust anchors: a DS anchor's tag, or the tag computed from a DNSKEY anchor. */
export function rootAnchorKeyTags(anchors: TrustAnchors): ReadonlySet<number> {
  const tags = new Set<number>();
  for (const ds of anchors.dsFor(ROOT)) {
    const data = parseDs(ds.data);
    if (data) tags.add(data.keyTag);
  }
  for (const key of anchors.dnskeysFor(ROOT)) {
    if (Buffer.isBuffer(key.data) && parseDnskey(key.data)) tags.add(keyTag(key.data));
  }
  return tags;
}

/**
 * RFC 8509 §3.2: only a secure answer is judged; it stands when the label's
 * claim about the tag is true, and becomes SERVFAIL when it is false.
 */
export function applySentinel(sentinel: SentinelQuery, result: RecursionResult, rootTags: ReadonlySet<number>): RecursionResult {
  if (result.security !== Security.Secure) return result;
  if (rootTags.has(sentinel.keyTag) === sentinel.claimsTrusted) return result;
  // No EDE and no AD: RFC 8509 defines neither; the SERVFAIL is the answer, not a failure.
  return { rcode: RCode.SERVFAIL, answers: [], authorities: [] };
}
