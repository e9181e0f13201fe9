// The resolver's settings with their defaults. The CLI/config layer validates
// user input; `resolverOptions` fills in defaults and rejects values the
// resolver cannot work with, naming the setting.

import type { CachePolicy } from '../cache/dns-cache.js';
import type { ResourceRecord } from '../dns/message.js';
import { DEFAULT_BUDGET, type BudgetLimits } from './budget.js';
import { ForwardZones, ForwardZonesError, type ZoneServers } from './forward-zones.js';
import { DEFAULT_ROOT_HINTS_PATH, loadRootHintsFile, type RootHints } from './root-hints.js';

export interface ResolverOptions {
  /** Where iteration starts until priming succeeds (default: root-hints/named.root). */
  rootHints: RootHints;
  cache: CachePolicy;
  /**
   * Send queries to loopback and unspecified addresses (127.0.0.0/8, ::1,
   * 0.0.0.0/8, ::) learned from the network. Off by default, as Unbound's
   * do-not-query-localhost: a hostile zone could otherwise point the resolver
   * at services on its own host. Root hints addresses are always allowed.
   */
  queryLoopback: boolean;
  /** Query servers over IPv4 (use A glue). */
  ipv4Upstream: boolean;
  /** Query servers over IPv6 (use AAAA glue). */
  ipv6Upstream: boolean;
  /** Port of upstream servers (53; other values are for test setups). */
  upstreamPort: number;
  /**
   * RFC 9156 QNAME minimisation, relaxed: each server is asked only for the
   * name one label below its zone until the zone that holds the name is found.
   */
  qnameMinimisation: boolean;
  budget: BudgetLimits;
  /** Zones whose names are sent to these recursive servers, RD=1 (./forward-zones.ts); names normalized. */
  forwardZones: ZoneServers[];
  /** Zones whose names are looked up from these authoritative servers, RD=0; names normalized. */
  stubZones: ZoneServers[];
  dnssec: DnssecOptions;
}

export interface DnssecOptions {
  /** Validate answers (RFC 4035 §5) and ask servers for DNSSEC records (DO=1). */
  validate: boolean;
  /** DS or DNSKEY records trusted without proof (RFC 4035 §4.4); needed when validating. */
  trustAnchors: ResourceRecord[];
  /** Names below which nothing is validated (RFC 7646), normalized. */
  negativeTrustAnchors: string[];
}

/** Off unless asked for: a library user's hierarchy is unsigned unless it says otherwise (the CLI turns it on). */
const DNSSEC_OFF: DnssecOptions = Object.freeze({ validate: false, trustAnchors: [], negativeTrustAnchors: [] }) as unknown as DnssecOptions;

export const DEFAULT_CACHE_POLICY: CachePolicy = {
  size: 100_000, // entries (RRsets and negative answers), not bytes
  minTtl: 0,
  maxTtl: 86_400,
  maxNegativeTtl: 3_600,
  servfailTtl: 5,
};

export interface ResolverOptionsInput {
  rootHints?: RootHints;
  cache?: Partial<CachePolicy>;
  queryLoopback?: boolean;
  ipv4Upstream?: boolean;
  ipv6Upstream?: boolean;
  upstreamPort?: number;
  qnameMinimisation?: boolean;
  budget?: Partial<BudgetLimits>;
  /** Zones whose names are sent to these recursive servers (RD=1). */
  forwardZones?: ZoneServers[];
  /** Zones whose names are looked up from these authoritative servers (RD=0). */
  stubZones?: ZoneServers[];
  dnssec?: DnssecOptions;
}

export class ResolverOptionsError extends Error {
  readonly code = 'ERESOLVEROPTIONS';
  constructor(message: string) {
    super(message);
    this.name = 'ResolverOptionsError';
  }
}

/** Defaults filled in and checked; throws ResolverOptionsError naming the bad setting. */
export function resolverOptions(input: ResolverOptionsInput = {}): ResolverOptions {
  const options: ResolverOptions = {
    rootHints: input.rootHints ?? loadRootHintsFile(DEFAULT_ROOT_HINTS_PATH),
    cache: { ...DEFAULT_CACHE_POLICY, ...input.cache },
    queryLoopback: input.queryLoopback ?? false,
    ipv4Upstream: input.ipv4Upstream ?? true,
    ipv6Upstream: input.ipv6Upstream ?? true,
    upstreamPort: input.upstreamPort ?? 53,
    qnameMinimisation: input.qnameMinimisation ?? true,
    budget: { ...DEFAULT_BUDGET, ...input.budget },
    ...configuredZones(input),
    dnssec: input.dnssec ?? DNSSEC_OFF,
  };
  const { cache, budget } = options;
  for (const [name, value] of Object.entries({ ...prefixed('cache', cache), ...prefixed('budget', budget), upstreamPort: options.upstreamPort })) {
    if (!Number.isInteger(value) || value < 0) throw new ResolverOptionsError(`${name} must be a whole number ≥ 0, got ${value}`);
  }
  if (cache.size < 1) throw new ResolverOptionsError(`cache.size must be at least 1, got ${cache.size}`);
  if (cache.minTtl > cache.maxTtl) {
    throw new ResolverOptionsError(`cache.minTtl (${cache.minTtl}) must not exceed cache.maxTtl (${cache.maxTtl})`);
  }
  if (budget.tryTimeoutMs < 1 || budget.maxTryTimeoutMs < budget.tryTimeoutMs) {
    throw new ResolverOptionsError(`budget.tryTimeoutMs (${budget.tryTimeoutMs}) must be ≥ 1 and ≤ budget.maxTryTimeoutMs (${budget.maxTryTimeoutMs})`);
  }
  if (options.upstreamPort < 1 || options.upstreamPort > 65535) {
    throw new ResolverOptionsError(`upstreamPort must be 1-65535, got ${options.upstreamPort}`);
  }
  if (options.dnssec.validate && options.dnssec.trustAnchors.length === 0) {
    throw new ResolverOptionsError('dnssec: validation needs at least one trust anchor');
  }
  if (!options.ipv4Upstream && !options.ipv6Upstream) {
    throw new ResolverOptionsError('ipv4Upstream and ipv6Upstream cannot both be off');
  }
  return options;
}

/** Forward and stub zones checked (ForwardZones names the bad entry) and normalized. */
function configuredZones(input: ResolverOptionsInput): { forwardZones: ZoneServers[]; stubZones: ZoneServers[] } {
  try {
    const zones = new ForwardZones({ forwardZones: input.forwardZones, stubZones: input.stubZones }).zones;
    const list = (kind: string) => zones.filter((z) => z.kind === kind).map(({ name, servers }) => ({ name, servers }));
    return { forwardZones: list('forward'), stubZones: list('stub') };
  } catch (err) {
    if (err instanceof ForwardZonesError) throw new ResolverOptionsError(err.message);
    throw err;
  }
}

function prefixed(prefix: string, values: object): Record<string, number> {
  return Object.fromEntries(Object.entries(values).map(([k, v]) => [`${prefix}.${k}`, v as number]));
}
