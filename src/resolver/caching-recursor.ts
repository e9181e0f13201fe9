// The Recursor the query pipeline talks to: cache first, then one shared
// iterative resolution per distinct question, failures mapped to SERVFAIL in
// this one place (STYLE.md habit 3).

import type { Clock } from '../util/clock.js';
import type { Logger } from '../util/log.js';
import { EdeCode, type ExtendedError } from '../dns/ede.js';
import { RCode, type Question, type ResourceRecord } from '../dns/message.js';
import { normalizeName } from '../dns/name.js';
import type { CachedAnswer, DnsCache } from '../cache/dns-cache.js';
import { Security, weakest } from '../cache/security.js';
import { Budget, BudgetExceededError, type BudgetLimits } from './budget.js';
import { walkCache } from './cache-walk.js';
import type { IterativeResolver, Resolution } from './iterative.js';
import type { RecursionOptions, RecursionResult, Recursor } from './recursor.js';
import { ResolutionError } from './resolution-error.js';
import { questionKey } from './walk-context.js';
import { cachedAddresses, closestCachedNs } from './zone-cut.js';

/** Zone transfers are between primaries and secondaries, never through a resolver (Unbound refuses them too). */
const NOT_RECURSIVE_TYPES = new Set(['AXFR', 'IXFR']);

const failure = (rcode: number, ede?: ExtendedError): RecursionResult => ({ rcode, answers: [], authorities: [], ede });

/**
 * RD=0 with not even the root NS set cached. RFC 8914 has no code for "not
 * in the cache": 14 (Not Ready) would suggest waiting helps, 20 (Not
 * Authoritative) belongs to REFUSED, so 0 (Other) with what happened.
 */
const NOTHING_CACHED: ExtendedError = Object.freeze({
  code: EdeCode.Other, text: 'RD=0 (answer from the cache only) and no delegation cached for this name, not even the root',
});

export interface CachingRecursorDeps {
  cache: DnsCache;
  iterative: IterativeResolver;
  budget: BudgetLimits;
  clock: Clock;
  logger: Logger;
  /**
   * Answers a question the cache holds no entry for from what the cache
   * proves anyway (RFC 8198: validated NSEC ranges), before any upstream query.
   */
  synthesize?: (question: Question) => RecursionResult | undefined;
}

export class CachingRecursor implements Recursor {
  /** Resolutions under way, by question: concurrent clients asking the same thing share one. */
  private readonly inFlight = new Map<string, Promise<RecursionResult>>();

  constructor(private readonly deps: CachingRecursorDeps) {}

  /** Primes the root NS set (RFC 8109); call once at start. Never rejects. */
  prime(): Promise<void> {
    return this.deps.iterative.prime();
  }

  /**
   * Results may be shared between callers (cache hits copy records, shared
   * resolutions do not): treat them as read-only.
   */
  /**
   * The hit path, synchronous (decorators above answer from it without
   * another promise): one LRU get and a copy of the records with their TTL
   * left; undefined on a miss.
   */
  cached(question: Question, options: RecursionOptions): RecursionResult | undefined {
    if (options.refresh === true) return undefined;
    const hit = this.deps.cache.lookup(normalizeName(question.name), question.type, question.class, options.dnssec);
    return hit === undefined ? undefined : cachedResult(NO_CHAIN, NO_CHAIN, hit, Security.Secure);
  }

  async resolve(question: Question, options: RecursionOptions): Promise<RecursionResult> {
    const hit = this.cached(question, options);
    if (hit !== undefined) return hit;
    const { cache } = this.deps;
    const name = normalizeName(question.name);
    const { type, class: klass } = question;
    const refresh = options.refresh === true;

    // Only the Internet class has a root to iterate from.
    if (klass !== 'IN' || NOT_RECURSIVE_TYPES.has(type)) return failure(RCode.REFUSED);
    if (options.cacheOnly) return this.fromCacheOnly(name, type, klass, options.dnssec === true);
    // RFC 2308 §7.1: a question that just failed fails again at once, saying
    // why it did (RFC 8914) and that this is the remembered failure.
    const failed = refresh ? undefined : cache.getFailure(name, type, klass);
    if (failed) return failure(RCode.SERVFAIL, cachedFailure(failed));
    const synthesised = refresh ? undefined : this.deps.synthesize?.({ name, type, class: klass });
    if (synthesised) return synthesised;

    const key = questionKey(name, type, klass);
    const flightKey = refresh ? `${key}|refresh|${options.avoid?.join(',') ?? ''}` : key;
    let shared = this.inFlight.get(flightKey);
    if (!shared) {
      const avoid = refresh && options.avoid?.length ? new Set(options.avoid) : undefined;
      shared = this.resolveNow({ name, type, class: klass }, key, refresh, avoid).finally(() => this.inFlight.delete(flightKey));
      this.inFlight.set(flightKey, shared);
    }
    return shared;
  }

  private async resolveNow(question: Question, key: string, refresh: boolean, avoid?: ReadonlySet<string>): Promise<RecursionResult> {
    const { iterative, cache, budget, clock, logger } = this.deps;
    try {
      return toResult(await iterative.resolve(question, { budget: new Budget(budget, clock), depth: 0, pending: new Set([key]), avoid }, refresh));
    } catch (err) {
      if (err instanceof BudgetExceededError) {
        logger.info({ qname: question.name, qtype: question.type, reason: err.reason }, 'resolution budget exceeded; answering SERVFAIL');
      } else if (err instanceof ResolutionError) {
        logger.info({ qname: question.name, qtype: question.type, reason: err.message }, 'resolution failed; answering SERVFAIL');
      } else {
        throw err;
      }
      // RFC 2308 §7.1: remember the failure briefly, so repeats fail fast
      // instead of hammering servers that just failed.
      cache.putFailure(question.name, question.type, question.class, err.ede);
      const chain = err instanceof ResolutionError ? err.chain : [];
      return { ...failure(RCode.SERVFAIL, err.ede), answers: [...chain] };
    }
  }

  /**
   * RD=0: never send a query upstream. As Unbound (daemon/worker.c
   * answer_norec_from_cache, iterator.c processInitRequest3): answer from the
   * cache, else refer the client to the closest delegation the cache holds
   * (NOERROR, NS in authority, their addresses in additional). With nothing
   * cached at all, not even the root NS set, SERVFAIL (Unbound would iterate
   * there; we keep the promise of no upstream traffic).
   */
  private fromCacheOnly(name: string, type: string, klass: string, withDnssec: boolean): RecursionResult {
    const { cache, budget } = this.deps;
    const walked = walkCache(cache, name, type, klass, budget.maxCnameHops, withDnssec);
    if (walked.answer) return cachedResult(walked.chain, walked.sigs, walked.answer, walked.security);
    const cut = closestCachedNs(cache, walked.name, klass);
    if (!cut) return failure(RCode.SERVFAIL, NOTHING_CACHED);
    return { rcode: RCode.NOERROR, answers: walked.chain, authorities: cut.ns, additionals: cachedAddresses(cache, cut.ns, klass) };
  }
}

const NO_CHAIN: readonly ResourceRecord[] = [];

/** The original reason, marked as coming from the failure cache. */
function cachedFailure(ede: ExtendedError): ExtendedError {
  return { code: ede.code, text: ede.text ? `${ede.text} (cached failure)` : 'cached failure' };
}

/**
 * A cache hit as a result. The DO=0 hit path (no chain, no DNSSEC records
 * asked for) builds nothing beyond the records and one status.
 */
function cachedResult(chain: readonly ResourceRecord[], chainSigs: readonly ResourceRecord[], answer: CachedAnswer,
  chainSecurity: Security): RecursionResult {
  const security = weakest(chainSecurity, answer.security);
  if (answer.kind === 'rrset') {
    const answers = chain.length === 0 ? answer.records : [...chain, ...answer.records];
    if (answer.sigs === undefined && chainSigs.length === 0 && answer.proof === undefined) {
      return { rcode: RCode.NOERROR, answers, authorities: [], security };
    }
    return {
      rcode: RCode.NOERROR, answers, authorities: [], security,
      signatures: [...chainSigs, ...(answer.sigs ?? [])], proof: answer.proof,
    };
  }
  return {
    rcode: answer.kind === 'nxdomain' ? RCode.NXDOMAIN : RCode.NOERROR, answers: [...chain], authorities: [answer.soa], security,
    signatures: chainSigs.length > 0 ? [...chainSigs] : undefined, proof: answer.proof,
  };
}

function toResult(resolution: Resolution): RecursionResult {
  const dnssec = { signatures: resolution.sigs, proof: resolution.proof, security: resolution.security, servers: resolution.servers };
  switch (resolution.kind) {
    case 'answer':
      return { rcode: RCode.NOERROR, answers: [...resolution.chain, ...resolution.records], authorities: [], ...dnssec };
    case 'nxdomain':
    case 'nodata':
      return {
        rcode: resolution.kind === 'nxdomain' ? RCode.NXDOMAIN : RCode.NOERROR,
        answers: resolution.chain,
        authorities: soaList(resolution.soa),
        ...dnssec,
      };
    case 'yxdomain':
      return { rcode: RCode.YXDOMAIN, answers: resolution.chain, authorities: [], ...dnssec };
  }
}

function soaList(soa: ResourceRecord | undefined): ResourceRecord[] {
  return soa ? [soa] : [];
}
