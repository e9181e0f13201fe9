// Priming (RFC 8109): the root hints may be stale, so before relying on them
// the resolver asks a root server for the current root NS set and uses that
// instead. It primes at start and whenever the cached root NS set has
// expired and a query needs the root; if priming fails the hints do the job.

import type { Logger } from '../util/log.js';
import type { Clock } from '../util/clock.js';
import type { Question } from '../dns/message.js';
import { ROOT } from '../dns/name.js';
import type { ResponseKind } from '../dns/classify.js';
import { Trust } from '../cache/trust.js';
import type { AddressPolicy } from './address-policy.js';
import { Budget, BudgetExceededError, type BudgetLimits } from './budget.js';
import type { CacheWriter } from './cache-writer.js';
import { ResolutionError } from './resolution-error.js';
import type { RootHints } from './root-hints.js';
import { ZoneCut } from './zone-cut.js';
import { questionKey, type WalkContext } from './walk-context.js';

/**
 * After a failed priming, use the hints for a while before trying again:
 * 5 s, doubling per failure up to 5 min. A device booting before its network
 * is up primes again within seconds of it coming up (issue 8); a root that
 * stays unreachable costs one priming query every few minutes.
 */
const RETRY_FIRST_MS = 5_000;
const RETRY_MAX_MS = 300_000;

const PRIMING_QUESTION: Question = { name: ROOT, type: 'NS', class: 'IN' };
const PRIMING_KEY = questionKey(ROOT, 'NS', 'IN');

/** Asks the servers of a cut one question (IterativeResolver.ask). */
export type AskZone = (cut: ZoneCut, question: Question, ctx: WalkContext) => Promise<ResponseKind>;

export interface PrimingDeps {
  hints: RootHints;
  policy: AddressPolicy;
  writer: CacheWriter;
  budget: BudgetLimits;
  clock: Clock;
  logger: Logger;
  ask: AskZone;
}

export class RootPriming {
  private inFlight?: Promise<ZoneCut | undefined>;
  private retryAfter = 0;
  private retryDelayMs = RETRY_FIRST_MS;

  constructor(private readonly deps: PrimingDeps) {}

  /** The root hints as a zone cut. */
  hintsCut(): ZoneCut {
    const { hints, policy } = this.deps;
    return ZoneCut.fromRecords(ROOT, hints.ns, hints.addresses, policy);
  }

  /**
   * For a walk that needs the root while no root NS set is cached: primed if
   * possible, else the hints. Sub-queries of the priming query itself (for a
   * root server's address) must not wait for priming: they use the hints.
   */
  async rootCut(ctx: WalkContext): Promise<ZoneCut> {
    const canPrime = !ctx.pending.has(PRIMING_KEY) && this.deps.clock.now() >= this.retryAfter;
    const primed = canPrime ? await this.prime() : undefined;
    return primed ?? this.hintsCut();
  }

  /**
   * Asks the hinted root servers for `. NS` and caches the answer (its
   * additional section gives the servers' addresses). Concurrent callers share
   * one priming query. Resolves to undefined on failure, never rejects.
   */
  prime(): Promise<ZoneCut | undefined> {
    this.inFlight ??= this.run().finally(() => {
      this.inFlight = undefined;
    });
    return this.inFlight;
  }

  private async run(): Promise<ZoneCut | undefined> {
    const { writer, policy, clock, logger } = this.deps;
    const ctx: WalkContext = { budget: new Budget(this.deps.budget, clock), depth: 0, pending: new Set([PRIMING_KEY]) };
    try {
      const reply = await this.deps.ask(this.hintsCut(), PRIMING_QUESTION, ctx);
      if (reply.kind !== 'answer' || reply.records.some((rr) => rr.type !== 'NS')) {
        throw new ResolutionError(`priming query got ${reply.kind} instead of the root NS set`);
      }
      const ns = writer.rrsets(reply.records, Trust.Answer);
      const glue = writer.rrsets(reply.glue, Trust.Glue);
      this.retryDelayMs = RETRY_FIRST_MS;
      logger.info({ servers: ns.length, addresses: glue.length }, 'primed the root name servers (RFC 8109)');
      return ZoneCut.fromRecords(ROOT, ns, glue, policy);
    } catch (err) {
      if (!(err instanceof ResolutionError || err instanceof BudgetExceededError)) throw err;
      this.retryAfter = clock.now() + this.retryDelayMs;
      logger.warn({ reason: err.message, retryInMs: this.retryDelayMs }, 'priming the root name servers failed; using the root hints');
      this.retryDelayMs = Math.min(RETRY_MAX_MS, this.retryDelayMs * 2);
      return undefined;
    }
  }
}
