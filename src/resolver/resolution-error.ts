// A resolution that cannot produce an answer (every server failed, a CNAME
// loop, …). The Recursor turns it into SERVFAIL in one place; budget
// exhaustion has its own class (BudgetExceededError in ./budget.ts).

export class ResolutionError extends Error {
  readonly code = 'ERESOLUTION';
  constructor(message: string) {
    super(message);
    this.name = 'ResolutionError';
  }
}
