// `hops health`: exit 0 when the configured listener answers a real query
// (the container healthcheck). It reads the same config as the server, so
// `hops health` inside the container checks the address Hops listens on.

import type { Config } from '../config.js';
import { runHealthCheck } from './health.js';

export async function runHealth(config: Config): Promise<number> {
  // The first listen address; a wildcard (0.0.0.0 / ::) reaches loopback.
  const { host, port } = config.listen[0];
  const result = await runHealthCheck({ host, port, timeoutMs: 2000 });
  (result.ok ? process.stdout : process.stderr).write(`${result.message}\n`);
  return result.ok ? 0 : 1;
}
