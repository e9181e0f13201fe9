// A resolution that cannot produce an answer (every server failed, a CNAME
// loop, …). The Recursor turns it into SERVFAIL in one place; budget
// exhaustion has its own class (BudgetExceededError in ./budget.ts). Each
// carries the Extended DNS Error (RFC 8914) the client is told.

import { EdeCode, type ExtendedError } from '../dns/ede.js';

export class ResolutionError extends Error {
  readonly code = 'ERESOLUTION';
  /** Without a more precise one: RFC 8914 §4.1 "Other", the message as EXTRA-TEXT. */
  constructor(message: string, readonly ede: ExtendedError = { code: EdeCode.Other, text: message }) {
    super(message);
    this.name = 'ResolutionError';
  }
}
