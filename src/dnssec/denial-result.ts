// What a denial-of-existence proof concludes. Outcomes are values: a proof
// that fails is an ordinary 'bogus' result the validator maps to EDE 12
// (NSEC Missing) or 6 (DNSSEC Bogus); only the caller's budget error is
// thrown, from DenialContext.chargeHash().

export interface DenialContext {
  /**
   * Called before every NSEC3 hash computation; throws the caller's budget
   * error once the per-query limit is reached (CVE-2023-50868).
   */
  chargeHash(): void;
}

export type DenialResult =
  /** Proven. `closestEncloser` is set for NXDOMAIN and wildcard proofs. */
  | { status: 'proven'; closestEncloser?: string }
  /** An opt-out span or NSEC3 iterations above the limit: the answer is insecure, not bogus. */
  | { status: 'insecure'; reason: string }
  /** The proof is missing or contradicts the answer. */
  | { status: 'bogus'; reason: string };

export type DsAbsence =
  /** The name is a delegation without DS (RFC 4035 §5.2): the child zone is insecure. */
  | { status: 'insecure-delegation' }
  /** The name exists without NS (or is an empty non-terminal): no DS, and no zone cut here. */
  | { status: 'no-delegation' }
  /** An opt-out span covers the name, or NSEC3 iterations are above the limit. */
  | { status: 'insecure'; reason: string }
  | { status: 'bogus'; reason: string };

export function proven(closestEncloser?: string): DenialResult {
  return closestEncloser === undefined ? { status: 'proven' } : { status: 'proven', closestEncloser };
}

export function insecure(reason: string): { status: 'insecure'; reason: string } {
  return { status: 'insecure', reason };
}

export function bogus(reason: string): { status: 'bogus'; reason: string } {
  return { status: 'bogus', reason };
}
