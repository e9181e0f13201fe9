// DNSSEC validation as a decorator around the Recursor seam (DESIGN.md
// "Validation as a decorator"; Unbound's validator module above its
// iterator, hickory's DnssecDnsHandle): the inner recursor resolves and
// caches, this layer decides secure, insecure or bogus (RFC 4035 §4.3) and
// writes the verdict onto the cache entries, so a cache hit is never
// validated twice. Bogus answers become SERVFAIL with an Extended DNS Error
// (RFC 8914) unless the client set CD (RFC 4035 §3.2.2).

import { LRUCache } from 'lru-cache';
import type { Clock } from '../util/clock.js';
import type { Logger } from '../util/log.js';
import { EdeCode, type ExtendedError } from '../dns/ede.js';
import { RCode, type Question } from '../dns/message.js';
import { normalizeName } from '../dns/name.js';
import type { DnsCache } from '../cache/dns-cache.js';
import { Security, securityName } from '../cache/security.js';
import { BudgetExceededError, ValidationBudget, type ValidationLimits } from '../resolver/budget.js';
import type { RecursionOptions, RecursionResult, Recursor } from '../resolver/recursor.js';
import { questionKey } from '../resolver/walk-context.js';
import { KeyChain } from './key-chain.js';
import type { TrustAnchors } from './anchors.js';
import { validateAnswer } from './validate-answer.js';
import type { AggressiveNsec } from './aggressive-nsec.js';
import { applySentinel, rootAnchorKeyTags, sentinelQuery } from './key-sentinel.js';

/** Seconds bogus data and its reason are kept before being fetched and checked again (Unbound's val-bogus-ttl). */
export const BOGUS_TTL = 60;

/** Fresh fetches of an answer that failed validation, each avoiding the servers that sent the bogus copies. */
const MAX_RETRIES = 2;

export interface ValidatingRecursorDeps {
  /** The caching recursor: `cached` is its synchronous hit path. */
  inner: Recursor & { cached(question: Question, options: RecursionOptions): RecursionResult | undefined };
  cache: DnsCache;
  anchors: TrustAnchors;
  clock: Clock;
  logger: Logger;
  limits?: ValidationLimits;
  /** Fed with every secure NSEC denial (RFC 8198); the caching recursor answers from it. */
  aggressive?: AggressiveNsec;
}

const GENERIC_BOGUS: ExtendedError = Object.freeze({ code: EdeCode.DnssecBogus, text: 'DNSSEC validation failed (cached verdict)' });

export class ValidatingRecursor implements Recursor {
  readonly keys: KeyChain;
  /** The root KSK tags the key sentinel reports as trusted (RFC 8509). */
  private readonly rootKeyTags: ReadonlySet<number>;
  /** Why a question's answer was bogus, while its bogus data is kept. */
  private readonly bogusReasons = new LRUCache<string, ExtendedError>({ max: 10_000, ttl: BOGUS_TTL * 1000, ttlAutopurge: false });

  constructor(private readonly deps: ValidatingRecursorDeps) {
    const { inner, anchors, clock } = deps;
    this.rootKeyTags = rootAnchorKeyTags(anchors);
    this.keys = new KeyChain({
      fetch: (question, avoid) => inner.resolve(question, { cacheOnly: false, dnssec: true, refresh: avoid !== undefined, avoid }),
      anchors, clock, bogusTtl: BOGUS_TTL,
      delegationProof: (name) => deps.cache.getDelegationProof(name, 'IN'),
    });
  }

  resolve(question: Question, options: RecursionOptions): Promise<RecursionResult> {
    // RFC 8509: CD=1 turns the sentinel off with the rest of validation.
    const sentinel = options.checkingDisabled ? undefined : sentinelQuery(question);
    if (sentinel !== undefined) return this.answer(question, options).then((result) => applySentinel(sentinel, result, this.rootKeyTags));
    return this.answer(question, options);
  }

  /**
   * The hot path first: a cache hit whose verdict is known (or that the
   * client wants unchecked) costs one lookup and no extra async frame.
   */
  private answer(question: Question, options: RecursionOptions): Promise<RecursionResult> {
    const hit = this.deps.inner.cached(question, options);
    if (hit !== undefined && (options.checkingDisabled || hit.security === Security.Secure || hit.security === Security.Insecure)) {
      return Promise.resolve(hit);
    }
    return this.resolveAndValidate(question, options);
  }

  private async resolveAndValidate(question: Question, options: RecursionOptions): Promise<RecursionResult> {
    const { inner } = this.deps;
    let result = await inner.resolve(question, options);
    // CD=1: the client checks for itself; it gets the data as it is, and
    // AD only if an earlier validation found it secure (RFC 6840 §5.9).
    if (options.checkingDisabled) return result;
    if (result.rcode !== RCode.NOERROR && result.rcode !== RCode.NXDOMAIN && result.rcode !== RCode.YXDOMAIN) return result;
    switch (result.security) {
      case Security.Secure:
      case Security.Insecure:
        return result;
      case Security.Bogus:
        return bogusResult(this.bogusReasons.get(this.key(question)) ?? GENERIC_BOGUS);
      default:
        break;
    }
    // RD=0 promises no upstream traffic, and validation may need some: such
    // an answer goes out unvalidated (no AD), as it would from a non-validating cache.
    if (options.cacheOnly) return result;
    if (!options.dnssec) result = await inner.resolve(question, { ...options, dnssec: true });
    const budget = new ValidationBudget(this.deps.limits);
    try {
      let verdict = await this.validate(question, result, budget);
      // Bogus data may be one server's fault (or a cached copy stored
      // without the RRSIGs another reply left out): ask again, from other
      // servers, as Unbound's validator does, a bounded number of times.
      const avoid = new Set<string>();
      for (let retry = 0; verdict.security === Security.Bogus && retry < MAX_RETRIES; retry++) {
        const before = avoid.size;
        for (const server of result.servers ?? []) avoid.add(server);
        if (retry > 0 && avoid.size === before) break;
        result = await inner.resolve(question, { ...options, dnssec: true, refresh: true, avoid: [...avoid] });
        if (result.rcode !== RCode.NOERROR && result.rcode !== RCode.NXDOMAIN && result.rcode !== RCode.YXDOMAIN) return result;
        verdict = await this.validate(question, result, budget);
      }
      if (verdict.security === Security.Bogus) {
        const ede = verdict.ede ?? GENERIC_BOGUS;
        this.bogusReasons.set(this.key(question), ede);
        this.deps.logger.info({ qname: question.name, qtype: question.type, zone: verdict.zone, reason: verdict.reason, ede: ede.code },
          'DNSSEC validation failed (bogus); answering SERVFAIL');
        return bogusResult(ede);
      }
      return { ...result, security: verdict.security };
    } catch (err) {
      if (!(err instanceof BudgetExceededError)) throw err;
      this.deps.logger.info({ qname: question.name, qtype: question.type, reason: err.reason }, 'DNSSEC validation budget exceeded; answering SERVFAIL');
      return bogusResult({ code: EdeCode.DnssecBogus, text: `validation ${err.message}` });
    }
  }

  /** Validates and records the verdict of every part on its cache entry. */
  private async validate(question: Question, result: RecursionResult, budget: ValidationBudget) {
    const { cache, clock } = this.deps;
    const verdict = await validateAnswer(question, result,
      { keys: this.keys, now: () => Math.floor(clock.now() / 1000), aggressive: this.deps.aggressive }, budget);
    const now = clock.now();
    const { logger } = this.deps;
    if (logger.isLevelEnabled('debug')) {
      logger.debug({
        qname: question.name, qtype: question.type, security: securityName(verdict.security),
        parts: verdict.parts.map((p) => `${p.ref.kind} ${p.ref.name} ${p.ref.type}: ${securityName(p.security)}`),
        ...(verdict.reason ? { reason: verdict.reason } : {}),
      }, 'DNSSEC validation');
    }
    for (const part of verdict.parts) {
      const seconds = part.security === Security.Bogus ? BOGUS_TTL : part.ttl;
      cache.setSecurity(part.ref, part.security, seconds === undefined ? undefined : now + seconds * 1000);
    }
    return verdict;
  }

  private key(question: Question): string {
    return questionKey(normalizeName(question.name), question.type, question.class);
  }
}

function bogusResult(ede: ExtendedError): RecursionResult {
  return { rcode: RCode.SERVFAIL, answers: [], authorities: [], ede, security: Security.Bogus };
}
