// `hops` / `hops serve`: run until SIGTERM or SIGINT, then exit 0.

import type { Config } from '../config.js';
import { startApp } from '../app.js';
import { BindError } from '../server/bind-error.js';
import { RootHintsError } from '../resolver/root-hints.js';
import { ResolverOptionsError } from '../resolver/options.js';
import { createLogger } from '../util/log.js';

/** Starts serving; returns -1 while running (the process stays up), else an exit code. */
export async function runServe(config: Config, unknownEnv: string[]): Promise<number> {
  const logger = createLogger(config.logLevel);
  for (const name of unknownEnv) logger.warn({ variable: name }, `unknown environment variable ${name} ignored`);
  let app;
  try {
    app = await startApp(config, logger);
  } catch (err) {
    // Start-up problems an operator can fix get one clear line, not a stack.
    if (err instanceof BindError || err instanceof RootHintsError || err instanceof ResolverOptionsError) {
      logger.fatal({ code: err.code }, err.message);
      process.stderr.write(`hops: ${err.message}\n`);
      return 1;
    }
    throw err;
  }

  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'stopping');
    app.close().then(
      () => process.exit(0),
      (err: unknown) => {
        logger.error({ err }, 'error while stopping');
        process.exit(0);
      },
    );
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  process.on('SIGHUP', () => {
    logger.info('SIGHUP: reloading zones');
    app.reloadZones().catch((err: unknown) => logger.error({ err }, 'zone reload failed'));
  });
  return -1;
}
