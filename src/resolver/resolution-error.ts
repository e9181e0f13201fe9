// A resolution that cannot produce an answer (every server failed, a CNAME
// loop, …). The Recursor turns it into SERVFAIL in one place; budget
// exhaustion has its own class (BudgetExceededError in ./budget.ts). Each
// carries the Extended DNS Error (RFC 8914) the client is told.

import { EdeCode, type ExtendedError } from '../dns/ede.js';
import type { ResourceRecord } from '../dns/message.js';

export class ResolutionError extends Error {
  readonly code = 'ERESOLUTION';
  /**
   * The alias chain followed before the failure (a CNAME or DNAME loop):
   * the SERVFAIL shows it, so `dig` shows where the loop is (as Knot Resolver).
   */
  chain: readonly ResourceRecord[] = [];
  /** Without a more precise one: RFC 8914 §4.1 "Other", the message as EXTRA-TEXT. */
  constructor(message: string, readonly ede: ExtendedError = { code: EdeCode.Other, text: message }) {
    super(message);
    this.name = 'ResolutionError';
  }
}
