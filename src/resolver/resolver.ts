// The composition root of the recursive side: builds cache, server
// knowledge, upstream client and iterator around the injected seams
// (Transport, Clock, Random, Logger) and returns the Recursor.

import { systemClock, type Clock } from '../util/clock.js';
import { silentLogger, type Logger } from '../util/log.js';
import { cryptoRandom, type Random } from '../util/random.js';
import { DnsCache } from '../cache/dns-cache.js';
import { ServerInfra } from '../upstream/servers.js';
import type { Transport } from '../upstream/transport.js';
import { UpstreamClient } from '../upstream/upstream-client.js';
import { AddressPolicy } from './address-policy.js';
import { CacheWriter } from './cache-writer.js';
import { CachingRecursor } from './caching-recursor.js';
import { ForwardZones } from './forward-zones.js';
import { IterativeResolver } from './iterative.js';
import { resolverOptions, type ResolverOptions, type ResolverOptionsInput } from './options.js';
import type { Recursor } from './recursor.js';
import { TrustAnchors } from '../dnssec/anchors.js';
import type { KeyChain } from '../dnssec/key-chain.js';
import { ValidatingRecursor } from '../dnssec/validating-recursor.js';
import { AggressiveNsec } from '../dnssec/aggressive-nsec.js';

export interface ResolverDeps {
  transport: Transport;
  /** Wall clock by default (cache expiry follows the system time). */
  clock?: Clock;
  /** The CSPRNG by default: query ids defend against spoofing (RFC 5452). */
  random?: Random;
  logger?: Logger;
  options?: ResolverOptionsInput;
}

export interface Resolver extends Recursor {
  /** Primes the root NS set (RFC 8109); call once at start. Never rejects. */
  prime(): Promise<void>;
  readonly cache: DnsCache;
  /** The validator's chain of trust, when validating (for tests and, later, the admin plane). */
  readonly keys?: KeyChain;
  readonly options: ResolverOptions;
  /** What the resolver knows about upstream servers (for tests and, later, the admin plane). */
  readonly infra: ServerInfra;
}

/** Builds the resolver; call `prime()` once at start (RFC 8109). */
export function createResolver(deps: ResolverDeps): Resolver {
  const clock = deps.clock ?? systemClock;
  const random = deps.random ?? cryptoRandom;
  const logger = deps.logger ?? silentLogger;
  const options = resolverOptions(deps.options);

  const cache = new DnsCache(options.cache, clock);
  const infra = new ServerInfra(clock, random);
  const client = new UpstreamClient({ transport: deps.transport, random, clock, infra, port: options.upstreamPort, dnssecOk: options.dnssec.validate });
  const forwardZones = new ForwardZones(options);
  // Root hints and the servers of forward and stub zones come from the operator.
  const trusted = [...options.rootHints.addresses.map((rr) => rr.data as string), ...forwardZones.addresses()];
  const policy = new AddressPolicy(options, trusted);
  const writer = new CacheWriter(cache, options.cache);
  const iterative = new IterativeResolver({ cache, writer, client, infra, policy, options, forwardZones, clock, logger });
  // RFC 8198: validated NSEC ranges answer for every name inside them (validating only).
  const aggressive = options.dnssec.validate ? new AggressiveNsec(clock) : undefined;
  const recursor = new CachingRecursor({
    cache, iterative, budget: options.budget, clock, logger, synthesize: aggressive && ((q) => aggressive.answer(q)),
  });
  const prime = (): Promise<void> => recursor.prime();
  if (!options.dnssec.validate) return { resolve: recursor.resolve.bind(recursor), prime, cache, options, infra };
  const validator = new ValidatingRecursor({
    inner: recursor, cache, clock, logger, aggressive,
    anchors: new TrustAnchors(options.dnssec.trustAnchors, options.dnssec.negativeTrustAnchors),
  });
  return { resolve: validator.resolve.bind(validator), prime, cache, options, infra, keys: validator.keys };
}
