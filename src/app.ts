// Wires the pieces of a running Hops together from a validated Config: local
// zones, the resolver with its cache and the real network, the query
// pipeline and the listeners. main.ts owns the process; this owns the parts.

import type { Config } from './config.js';
import { NetTransport } from './upstream/net-transport.js';
import { createResolver, type Resolver } from './resolver/resolver.js';
import { resolverOptions } from './resolver/options.js';
import { loadRootHintsFile } from './resolver/root-hints.js';
import { QueryHandler } from './server/query-handler.js';
import { startServer, type RunningServer } from './server/server.js';
import { loadZoneDirectory } from './zones/load-zones.js';
import { ZoneStore } from './zones/zone-store.js';
import { systemClock } from './util/clock.js';
import { cryptoRandom } from './util/random.js';
import type { Logger } from './util/log.js';

export interface App {
  server: RunningServer;
  zones: ZoneStore;
  resolver?: Resolver;
  /** Re-reads the zones folder; a zone that fails keeps its previous version. */
  reloadZones(): Promise<void>;
  close(): Promise<void>;
}

export async function startApp(config: Config, logger: Logger): Promise<App> {
  const zones = new ZoneStore([]);
  await loadZones(config.zones, zones, logger);

  let resolver: Resolver | undefined;
  if (config.recursion) {
    // Read the hints before binding anything: a config that cannot work fails at once.
    const rootHints = loadRootHintsFile(config.rootHints);
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
      }),
    });
  }

  const handler = new QueryHandler({ zones, recursor: resolver, recursion: config.recursion, logger });
  const server = await startServer({ listen: config.listen, handler, logger });
  logger.info({
    listen: server.addresses.map((a) => (a.host.includes(':') ? `[${a.host}]:${a.port}` : `${a.host}:${a.port}`)),
    recursion: config.recursion,
    zones: zones.zones.map((z) => ({ zone: z.apex, records: z.records.length })),
  }, 'hops started');
  // RFC 8109: prime in the background; until it lands the hints are used.
  void resolver?.prime();

  return {
    server,
    zones,
    resolver,
    reloadZones: () => loadZones(config.zones, zones, logger),
    async close() {
      await server.close();
    },
  };
}

async function loadZones(dir: string, store: ZoneStore, logger: Logger): Promise<void> {
  const result = await loadZoneDirectory(dir);
  for (const w of result.warnings) logger.warn({ file: w.file, line: w.line, reason: w.reason }, `zone warning: ${w.toString()}`);
  for (const e of result.errors) logger.error({ file: e.file, line: e.line, reason: e.reason }, `zone error: ${e.toString()}`);
  store.replace(result.zones);
}
