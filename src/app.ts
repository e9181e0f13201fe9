// Wires the pieces of a running Hops together from a validated Config: local
// zones, the resolver with its cache and the real network, who may ask and
// how fast, the query pipeline and the listeners. main.ts owns the process;
// this owns the parts.

import type { Config } from './config.js';
import { NetTransport } from './upstream/net-transport.js';
import { createResolver, type Resolver } from './resolver/resolver.js';
import { resolverOptions } from './resolver/options.js';
import { loadRootHintsFile } from './resolver/root-hints.js';
import { loadTrustAnchors } from './dnssec/trust-anchors.js';
import { AccessControl } from './server/acl.js';
import { QueryHandler } from './server/query-handler.js';
import { AnswerCache } from './server/answer-cache.js';
import { RateLimiter, reportRateLimiting } from './server/rate-limit.js';
import { startServer, type RunningServer } from './server/server.js';
import { loadZoneDirectory, type ZoneDirectory } from './zones/load-zones.js';
import { mergeZones, type ZoneReload } from './zones/zone-reload.js';
import { ZoneStore } from './zones/zone-store.js';
import { systemClock } from './util/clock.js';
import { cryptoRandom } from './util/random.js';
import type { Logger } from './util/log.js';

/**
 * Finished responses kept as wire bytes for the hot path. It is a front for
 * the resolver's cache, holding only recently asked questions, so it stays
 * small next to it (about 0.3 KB each): the RRset cache is what `cache.size` bounds.
 */
const ANSWER_CACHE_MAX_ENTRIES = 20_000;

export interface App {
  server: RunningServer;
  zones: ZoneStore;
  resolver?: Resolver;
  /**
   * Re-reads the zones folder and swaps the new set in at once, so no query
   * sees a half-loaded state; a zone whose file fails keeps its previous
   * version. Undefined when the folder itself could not be read (nothing changes).
   */
  reloadZones(): ZoneReload | undefined;
  /** Stops taking queries, lets those in flight finish for up to `graceMs`, closes the sockets. */
  close(graceMs?: number): Promise<void>;
}

/** A configuration that cannot work, found at start: one line for the operator, exit 1. */
export class StartupError extends Error {
  readonly code = 'ESTARTUP';
  constructor(message: string) {
    super(message);
    this.name = 'StartupError';
  }
}

export async function startApp(config: Config, logger: Logger): Promise<App> {
  const initial = readZones(config.zones, logger);
  if (initial.unreadable) {
    // With recursion on, Hops is still useful, and a folder mounted late can
    // be loaded with SIGHUP; without recursion it could only refuse.
    if (!config.recursion) {
      throw new StartupError(`${initial.unreadable} — with recursion off there would be nothing to serve`);
    }
    logger.warn({ zones: config.zones }, `${initial.unreadable}; serving recursion only (fix it, then send SIGHUP)`);
  }
  const zones = new ZoneStore(initial.zones);

  let resolver: Resolver | undefined;
  if (config.recursion) {
    // Read the hints before binding anything: a config that cannot work fails at once.
    const rootHints = loadRootHintsFile(config.rootHints);
    const validate = config.dnssec.mode === 'validate';
    // A missing or broken anchor file stops start-up naming it (TrustAnchorError).
    const trustAnchors = validate ? loadTrustAnchors(config.dnssec.trustAnchors) : [];
    resolver = createResolver({
      transport: new NetTransport({ outgoingAddresses: config.outgoingAddress, logger }),
      clock: systemClock,
      random: cryptoRandom,
      logger,
      options: resolverOptions({
        rootHints,
        cache: config.cache,
        queryLoopback: config.queryLoopback,
        ipv4Upstream: config.ipv4Upstream,
        ipv6Upstream: config.ipv6Upstream,
        qnameMinimisation: config.qnameMinimisation,
        forwardZones: config.forwardZones,
        stubZones: config.stubZones,
        dnssec: { validate, trustAnchors, negativeTrustAnchors: config.dnssec.negativeTrustAnchors },
      }),
    });
  } else if (config.forwardZones.length + config.stubZones.length > 0) {
    logger.warn('forwardZones and stubZones are ignored: recursion is off');
  }

  const access = new AccessControl(config.allow, config.localZonesAccess);
  if (config.recursion && access.open) {
    logger.warn({ allow: config.allow },
      'open resolver: recursion is offered to every address (allow contains 0.0.0.0/0 or ::/0); ' +
      'on a network reachable from the internet this will be abused for reflection attacks');
  }
  const rateLimiter = config.rateLimit.responsesPerSecond > 0 ? new RateLimiter(config.rateLimit) : undefined;

  const answerCache = new AnswerCache(systemClock, Math.min(config.cache.size, ANSWER_CACHE_MAX_ENTRIES));
  const handler = new QueryHandler({ zones, recursor: resolver, recursion: config.recursion, access, rateLimiter, answerCache, logger });
  const server = await startServer({ listen: config.listen, handler, logger });
  const stopReporting = rateLimiter && reportRateLimiting(rateLimiter, logger);
  logger.info({
    listen: server.addresses.map((a) => (a.host.includes(':') ? `[${a.host}]:${a.port}` : `${a.host}:${a.port}`)),
    recursion: config.recursion,
    allow: config.allow,
    localZonesAccess: config.localZonesAccess,
    rateLimit: rateLimiter ? config.rateLimit : 'off',
    ...(config.recursion && config.forwardZones.length > 0 && { forwardZones: config.forwardZones }),
    ...(config.recursion && config.stubZones.length > 0 && { stubZones: config.stubZones }),
    ...(config.recursion && {
      dnssec: config.dnssec.mode,
      ...(config.dnssec.mode === 'validate' && { trustAnchors: config.dnssec.trustAnchors }),
      ...(config.dnssec.negativeTrustAnchors.length > 0 && { negativeTrustAnchors: config.dnssec.negativeTrustAnchors }),
    }),
    zones: zones.zones.map((z) => ({ zone: z.apex, records: z.records.length })),
  }, 'hops started');
  // RFC 8109: prime in the background; until it lands the hints are used.
  void resolver?.prime();

  return {
    server,
    zones,
    resolver,
    reloadZones: () => {
      const reload = reloadZones(config.zones, zones, logger);
      handler.zonesChanged();
      return reload;
    },
    async close(graceMs = 0) {
      stopReporting?.();
      await server.close(graceMs);
    },
  };
}

interface ZonesRead {
  zones: ZoneDirectory['zones'];
  /** Why the folder itself could not be read, if it could not. */
  unreadable?: string;
}

/** Loads the folder, logging every warning and error with its file and line. */
function readZones(dir: string, logger: Logger): ZonesRead {
  const result = loadZoneDirectory(dir);
  for (const w of result.warnings) logger.warn({ file: w.file, line: w.line, reason: w.reason }, `zone warning: ${w.toString()}`);
  for (const e of result.errors) logger.error({ file: e.file, line: e.line, reason: e.reason }, `zone error: ${e.toString()}`);
  // The loader reports an unreadable folder as an error on the folder itself.
  const folderError = result.errors.find((e) => e.file === dir && e.line === 0);
  return { zones: result.zones, unreadable: folderError?.toString() };
}

function reloadZones(dir: string, store: ZoneStore, logger: Logger): ZoneReload | undefined {
  const read = readZones(dir, logger);
  if (read.unreadable) {
    logger.error({ zones: dir }, 'zone reload: the zones folder cannot be read; every zone keeps its previous version');
    return undefined;
  }
  const reload = mergeZones(store.zones, read.zones);
  store.replace(reload.zones);
  for (const zone of reload.kept) {
    logger.warn({ zone: zone.apex, file: zone.file }, `zone ${zone.apex} keeps its previous version: ${zone.file} has errors`);
  }
  logger.info({
    changed: reload.changed,
    added: reload.added.map((z) => ({ zone: z.apex, file: z.file, records: z.records.length })),
    removed: reload.removed.map((z) => ({ zone: z.apex, file: z.file })),
    kept: reload.kept.map((z) => ({ zone: z.apex, file: z.file })),
    unchanged: reload.unchanged,
  }, `zones reloaded: ${reload.changed.length} changed, ${reload.added.length} added, ` +
    `${reload.removed.length} removed, ${reload.kept.length} kept at their previous version, ${reload.unchanged} unchanged`);
  return reload;
}
