// What one client query carries through its resolution, sub-queries included.

import type { Budget } from './budget.js';

export interface WalkContext {
  /** Shared by the whole client query (see ./budget.ts). */
  budget: Budget;
  /** 0 for the client's question, n for a sub-query nested n deep for server addresses. */
  depth: number;
  /**
   * Questions (questionKey) this resolution is already waiting on, outermost
   * first: asking one of them again would wait on itself (a glueless
   * dependency loop, e.g. example.com served only by ns.example.net and
   * example.net only by ns.example.com).
   */
  pending: ReadonlySet<string>;
  /**
   * Servers whose answer to this question failed validation: asked only
   * when no other server of the zone is left (Unbound's validator retry,
   * which blacklists the server that sent bogus data).
   */
  avoid?: ReadonlySet<string>;
}

export function questionKey(name: string, type: string, klass: string): string {
  return `${name}|${type}|${klass}`;
}
