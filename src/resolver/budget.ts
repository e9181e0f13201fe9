// Every loop the resolver runs on data from the network is bounded here, in
// one place (STYLE.md habit 5). One Budget is shared by everything a client
// query causes: its referrals, CNAME hops, glueless sub-queries and upstream
// queries, so no answer from the network can make one question cost more.

import type { Clock } from '../util/clock.js';
import { EdeCode, type ExtendedError } from '../dns/ede.js';

export interface BudgetLimits {
  /** Referrals followed, over the whole query including CNAME targets and sub-queries. */
  maxReferrals: number;
  /** CNAMEs followed (RFC 1034 §3.6.2 lets a chain be long; a loop makes it endless). */
  maxCnameHops: number;
  /** Sub-queries for the addresses of name servers that came without glue. */
  maxGluelessQueries: number;
  /** Nesting of those sub-queries (a server name whose servers need a sub-query, …). */
  maxGluelessDepth: number;
  /** Queries sent upstream, retries, TCP and no-EDNS retries included. */
  maxUpstreamQueries: number;
  /** Milliseconds before giving up; below the 5 s a typical stub waits, so it gets SERVFAIL rather than silence. */
  totalTimeMs: number;
  /** Milliseconds to wait for the first try of a query… */
  tryTimeoutMs: number;
  /** …doubling per further try up to this (kept under 1 s so a dead server costs little). */
  maxTryTimeoutMs: number;
}

export const DEFAULT_BUDGET: BudgetLimits = {
  maxReferrals: 30,
  maxCnameHops: 12,
  maxGluelessQueries: 10,
  maxGluelessDepth: 3,
  maxUpstreamQueries: 32,
  totalTimeMs: 3500,
  tryTimeoutMs: 400,
  maxTryTimeoutMs: 900,
};

export type BudgetReason = 'referrals' | 'CNAME hops' | 'glueless sub-queries' | 'glueless depth' | 'upstream queries' | 'time'
  | 'signature checks' | 'DNSKEY and DS fetches' | 'NSEC3 hashes';

export class BudgetExceededError extends Error {
  readonly code = 'EBUDGET';
  /** RFC 8914 has no code for a resolver's own limits: "Other" (§4.1), saying which one. */
  readonly ede: ExtendedError;
  constructor(readonly reason: BudgetReason) {
    super(`resolution budget exceeded: ${reason}`);
    this.name = 'BudgetExceededError';
    this.ede = { code: EdeCode.Other, text: this.message };
  }
}

export class Budget {
  private referrals = 0;
  private cnameHops = 0;
  private glueless = 0;
  private queries = 0;
  private readonly deadline: number;

  constructor(private readonly limits: BudgetLimits, private readonly clock: Clock) {
    this.deadline = clock.now() + limits.totalTimeMs;
  }

  spendReferral(): void {
    if (++this.referrals > this.limits.maxReferrals) throw new BudgetExceededError('referrals');
  }

  spendCnameHop(): void {
    if (++this.cnameHops > this.limits.maxCnameHops) throw new BudgetExceededError('CNAME hops');
  }

  /** `depth` is the nesting level of the sub-query about to start (1 for the first). */
  spendGlueless(depth: number): void {
    if (depth > this.limits.maxGluelessDepth) throw new BudgetExceededError('glueless depth');
    if (++this.glueless > this.limits.maxGluelessQueries) throw new BudgetExceededError('glueless sub-queries');
  }

  /**
   * Accounts for one query about to be sent as try number `attempt` (0-based)
   * to a zone's servers, and returns how long to wait for it: exponential
   * back-off, never beyond the overall deadline.
   */
  spendQuery(attempt: number): number {
    if (++this.queries > this.limits.maxUpstreamQueries) throw new BudgetExceededError('upstream queries');
    const left = this.deadline - this.clock.now();
    if (left <= 0) throw new BudgetExceededError('time');
    const backoff = Math.min(this.limits.maxTryTimeoutMs, this.limits.tryTimeoutMs * 2 ** attempt);
    return Math.min(backoff, left);
  }

  /** Throws once the overall deadline has passed. */
  checkTime(): void {
    if (this.clock.now() >= this.deadline) throw new BudgetExceededError('time');
  }
}

/**
 * What validating one client's answer may cost (KeyTrap, CVE-2023-50387;
 * NSEC3 hash floods, CVE-2023-50868): an honest answer needs a handful of
 * signature checks per zone on its chain, a DS and a DNSKEY fetch per zone,
 * and a few NSEC3 hashes per proof. The limits leave room for long chains
 * and several algorithms, and none for a zone built to make us work.
 */
export interface ValidationLimits {
  /** Public-key signature verifications. */
  maxSignatureChecks: number;
  /** DS and DNSKEY RRsets fetched to build chains of trust. */
  maxKeyFetches: number;
  /** NSEC3 hash computations (each is 1 + iterations SHA-1 rounds). */
  maxNsec3Hashes: number;
}

export const DEFAULT_VALIDATION_LIMITS: ValidationLimits = {
  maxSignatureChecks: 48,
  maxKeyFetches: 40,
  maxNsec3Hashes: 64,
};

/** The validation work of one client query, charged as it is done; throws BudgetExceededError past a limit. */
export class ValidationBudget {
  private signatures = 0;
  private fetches = 0;
  private hashes = 0;

  constructor(private readonly limits: ValidationLimits = DEFAULT_VALIDATION_LIMITS) {}

  chargeVerification(): void {
    if (++this.signatures > this.limits.maxSignatureChecks) throw new BudgetExceededError('signature checks');
  }

  chargeKeyFetch(): void {
    if (++this.fetches > this.limits.maxKeyFetches) throw new BudgetExceededError('DNSKEY and DS fetches');
  }

  chargeHash(): void {
    if (++this.hashes > this.limits.maxNsec3Hashes) throw new BudgetExceededError('NSEC3 hashes');
  }

  /** Work done so far (for tests and logs). */
  get spent(): { signatures: number; fetches: number; hashes: number } {
    return { signatures: this.signatures, fetches: this.fetches, hashes: this.hashes };
  }
}
