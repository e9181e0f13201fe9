// `hops` / `hops serve`: run until SIGTERM or SIGINT, then exit 0 once the
// queries in flight are answered; SIGHUP reloads the zone files.

import type { Config } from '../config.js';
import { startApp, StartupError, type App } from '../app.js';
import { BindError } from '../server/bind-error.js';
import { RootHintsError } from '../resolver/root-hints.js';
import { TrustAnchorError } from '../dnssec/trust-anchors.js';
import { ResolverOptionsError } from '../resolver/options.js';
import cluster from 'node:cluster';
import { createLogger, type Logger } from '../util/log.js';
import { isPrimaryOf, reportReady, runPrimary } from './workers.js';

/**
 * How long a stop waits for queries in flight. A stub resolver waits 5 s
 * before trying again (glibc's default `timeout:5`), so an answer later than
 * that helps nobody; and it stays under the 10 s `docker stop` allows before
 * SIGKILL. The resolver gives up on a query well within it.
 */
export const SHUTDOWN_GRACE_MS = 5_000;

/** Starts serving; returns -1 while running (the process stays up), else an exit code. */
export async function runServe(config: Config, unknownEnv: string[]): Promise<number> {
  const base = createLogger(config.logLevel);
  if (isPrimaryOf(config.workers)) {
    for (const name of unknownEnv) base.warn({ variable: name }, `unknown environment variable ${name} ignored`);
    return runPrimary(config.workers, base);
  }
  const logger = cluster.isWorker ? base.child({ worker: cluster.worker!.id }) : base;
  if (!cluster.isWorker) {
    for (const name of unknownEnv) logger.warn({ variable: name }, `unknown environment variable ${name} ignored`);
  }
  // Handlers go in before anything binds: a supervisor may signal as soon as
  // the port answers, and Node's default action would kill us with no exit code.
  const control = handleSignals(logger);
  let app: App;
  try {
    app = await startApp(config, logger);
  } catch (err) {
    // Start-up problems an operator can fix get one clear line, not a stack.
    if (err instanceof BindError || err instanceof RootHintsError || err instanceof ResolverOptionsError ||
      err instanceof StartupError || err instanceof TrustAnchorError) {
      logger.fatal({ code: err.code }, err.message);
      process.stderr.write(`hops: ${err.message}\n`);
      return 1;
    }
    throw err;
  }
  control.started(app);
  reportReady();
  return -1;
}

function handleSignals(logger: Logger): { started(app: App): void } {
  let app: App | undefined;
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    if (!app) return; // still starting: started() finishes the stop
    logger.info({ signal, inFlight: app.server.inFlight, graceMs: SHUTDOWN_GRACE_MS },
      'stopping: taking no new queries, finishing those in flight');
    const running = app;
    running.close(SHUTDOWN_GRACE_MS).then(
      () => {
        logger.info({ unanswered: running.server.inFlight }, 'stopped');
        process.exit(0);
      },
      (err: unknown) => {
        logger.error({ err }, 'error while stopping');
        process.exit(0);
      },
    );
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  // Only the zones are reloaded: listen addresses, the cache and the access
  // list are fixed for the life of the process (see docs/lan.md).
  process.on('SIGHUP', () => {
    if (stopping || !app) return;
    logger.info('SIGHUP: reloading zones');
    try {
      app.reloadZones();
    } catch (err) {
      logger.error({ err }, 'zone reload failed; the previous zones stay');
    }
  });
  return {
    started(started: App) {
      app = started;
      if (stopping) {
        stopping = false;
        stop('SIGTERM');
      }
    },
  };
}
