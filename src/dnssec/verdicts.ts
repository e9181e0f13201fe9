// Small shared steps of validation: a failed signature check as an Extended
// DNS Error (RFC 8914 §4), and the NSEC/NSEC3 records of a proof that the
// zone's keys really signed (RFC 4035 §5.4: only verified records prove).

import { EdeCode, type ExtendedError } from '../dns/ede.js';
import { groupRRsets, type ResourceRecord } from '../dns/message.js';
import { typeCovered } from '../dns/scrub.js';
import { verifyRrset, type BogusReason, type SignatureContext } from './verify-rrsig.js';

const EDE_FOR: Record<BogusReason, number> = {
  'signature-expired': EdeCode.SignatureExpired,
  'signature-not-yet-valid': EdeCode.SignatureNotYetValid,
  'dnskey-missing': EdeCode.DnskeyMissing,
  'rrsigs-missing': EdeCode.RrsigsMissing,
  'bad-signature': EdeCode.DnssecBogus,
  invalid: EdeCode.DnssecBogus,
};

export function bogusEde(reason: BogusReason, text: string): ExtendedError {
  return { code: EDE_FOR[reason], text };
}

export interface VerifiedProof {
  /** The NSEC and NSEC3 records whose RRSIGs verified with the zone's keys. */
  records: ResourceRecord[];
  /** Why some were left out, for the log when the proof then fails. */
  problem?: string;
  /** Lowest TTL the verified records may be kept (RFC 4035 §5.3.3). */
  ttl: number;
}

/** The NSEC/NSEC3 RRsets in `proof` signed by `zone`'s `keys`; the rest are dropped. */
export function verifiedProof(proof: readonly ResourceRecord[], zone: string, keys: ResourceRecord[], ctx: SignatureContext): VerifiedProof {
  const sigs = proof.filter((rr) => rr.type === 'RRSIG');
  const records: ResourceRecord[] = [];
  let problem: string | undefined;
  let ttl = Infinity;
  for (const set of groupRRsets(proof.filter((rr) => rr.type === 'NSEC' || rr.type === 'NSEC3'))) {
    const own = sigs.filter((s) => s.name === set[0].name && typeCovered(s) === set[0].type);
    const verdict = verifyRrset(set, own, zone, keys, ctx);
    if (verdict.ok) {
      records.push(...set);
      ttl = Math.min(ttl, verdict.ttl);
    } else {
      problem ??= `${set[0].type} ${set[0].name}: ${verdict.text}`;
    }
  }
  return { records, problem, ttl };
}
