// A small fake internet written per test, for the scenarios that need their
// own zone data (parent and child disagreeing, broken servers…): the root
// zone is served at 198.41.0.4 (`a.root-servers.net`, the hints' only server)
// and every other address serves the zones the test gives it.

import { ManualClock } from '../../src/util/clock.js';
import { silentLogger, type Logger } from '../../src/util/log.js';
import { parseRootHints } from '../../src/resolver/root-hints.js';
import { createResolver } from '../../src/resolver/resolver.js';
import type { ResolverOptionsInput } from '../../src/resolver/options.js';
import type { RecursionResult } from '../../src/resolver/recursor.js';
import { FakeNetwork, type FakeServerOptions } from '../fakes/fake-network.js';
import { firstChoice } from './harness.js';

export const ROOT_ADDRESS = '198.41.0.4';

/** `$ORIGIN .` zone text for the root: SOA and NS at the apex are added. */
export function rootZone(body: string): string {
  return `
$ORIGIN .
$TTL 86400
@ SOA a.root-servers.net. hostmaster.root. 1 1800 900 604800 86400
@ NS a.root-servers.net.
a.root-servers.net. A ${ROOT_ADDRESS}
${body}`;
}

/** Zone text for `origin` with an SOA; `body` holds the rest, NS records included. */
export function zone(origin: string, body: string, ttl = 3600): string {
  return `
$ORIGIN ${origin}.
$TTL ${ttl}
@ SOA ns hostmaster 1 3600 600 86400 300
${body}`;
}

export interface WorldSpec {
  root: string;
  /** Zone texts served by each address. */
  servers: Record<string, string[]>;
  behaviour?: Record<string, FakeServerOptions>;
  options?: ResolverOptionsInput;
  logger?: Logger;
}

export function world(spec: WorldSpec) {
  const clock = new ManualClock();
  const network = new FakeNetwork(clock);
  network.addServer(ROOT_ADDRESS, [spec.root], spec.behaviour?.[ROOT_ADDRESS]);
  for (const [address, zones] of Object.entries(spec.servers)) network.addServer(address, zones, spec.behaviour?.[address]);
  const resolver = createResolver({
    transport: network,
    clock,
    random: firstChoice,
    logger: spec.logger ?? silentLogger,
    options: {
      rootHints: parseRootHints(`. 3600000 NS a.root-servers.net.\na.root-servers.net. 3600000 A ${ROOT_ADDRESS}\n`, 'world.hints'),
      ipv6Upstream: false,
      ...spec.options,
    },
  });
  const ask = (name: string, type = 'A'): Promise<RecursionResult> => resolver.resolve({ name, type, class: 'IN' }, { cacheOnly: false });
  return { clock, network, resolver, ask };
}
