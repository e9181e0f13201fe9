// Builds a resolver on the fake internet of test/fakes/hierarchy.ts.

import { ManualClock } from '../../src/util/clock.js';
import { silentLogger, type Logger } from '../../src/util/log.js';
import { seededRandom, type Random } from '../../src/util/random.js';
import type { RecursionResult } from '../../src/resolver/recursor.js';
import { createResolver } from '../../src/resolver/resolver.js';
import type { ResolverOptionsInput } from '../../src/resolver/options.js';
import type { FakeServerOptions } from '../fakes/fake-network.js';
import { buildInternet, TEST_HINTS } from '../fakes/hierarchy.js';

export interface HarnessOptions {
  servers?: Record<string, FakeServerOptions>;
  options?: ResolverOptionsInput;
  random?: Random;
  logger?: Logger;
}

/** Always picks the first candidate: makes server order follow the zone data. */
export const firstChoice: Random = { int: () => 0 };

export function harness(setup: HarnessOptions = {}) {
  const clock = new ManualClock();
  const network = buildInternet(clock, setup.servers);
  const resolver = createResolver({
    transport: network,
    clock,
    random: setup.random ?? seededRandom(7),
    logger: setup.logger ?? silentLogger,
    options: { rootHints: TEST_HINTS, ipv6Upstream: false, ...setup.options },
  });
  const ask = (name: string, type = 'A', cacheOnly = false): Promise<RecursionResult> =>
    resolver.resolve({ name, type, class: 'IN' }, { cacheOnly });
  return { clock, network, resolver, ask };
}

export { lines } from '../fakes/records.js';

/** The recorded queries as `server name type`. */
export function trail(queries: readonly { server: string; name: string; type: string }[]): string[] {
  return queries.map((q) => `${q.server} ${q.name} ${q.type}`);
}
