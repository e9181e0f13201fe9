// `--workers N`: N processes answering on the same addresses (Node's
// cluster). The primary binds nothing itself; each worker runs the whole of
// Hops (zones, cache, resolver) and the sockets are shared: for UDP every
// worker reads the same socket and the kernel hands each datagram to one of
// them; TCP connections are handed out by the primary.
//
// Caches are independent, one per worker: no locking or messaging on the
// hot path, at the price of each worker resolving (and holding) what it is
// asked on its own. For a LAN's working set that costs little memory and a
// few extra upstream queries per name, so sharing is not worth its cost.

import cluster, { type Worker } from 'node:cluster';
import type { Logger } from '../util/log.js';

/** A worker says so once its listeners accept queries. */
export const READY_MESSAGE = 'hops:ready';

/** How long the primary waits for workers to stop before giving up on them. */
const STOP_TIMEOUT_MS = 8_000;

/** Runs the primary: forks, restarts crashed workers, relays signals. Resolves with the exit code. */
export function runPrimary(workers: number, logger: Logger): Promise<number> {
  return new Promise((resolveExit) => {
    const ready = new Set<number>();
    let stopping = false;
    let exitCode = 0;

    const fork = (): Worker => {
      const worker = cluster.fork();
      worker.on('message', (message: unknown) => {
        if (message !== READY_MESSAGE) return;
        ready.add(worker.id);
        if (ready.size === workers) logger.info({ workers }, 'all workers ready');
      });
      return worker;
    };

    const stopAll = (signal: NodeJS.Signals) => {
      if (stopping) return;
      stopping = true;
      logger.info({ signal }, 'stopping workers');
      for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill(signal);
      setTimeout(() => {
        logger.error('workers did not stop in time; killing them');
        for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill('SIGKILL');
      }, STOP_TIMEOUT_MS).unref();
    };

    cluster.on('exit', (worker, code, signal) => {
      const wasReady = ready.delete(worker.id);
      if (!stopping && !wasReady) {
        // Failing before it was ready (a bind error, a bad root hints file)
        // would fail the same way again: give up, with the worker's code.
        logger.fatal({ worker: worker.id, code, signal }, 'a worker failed to start; stopping');
        exitCode = code || 1;
        stopAll('SIGTERM');
      } else if (!stopping) {
        logger.error({ worker: worker.id, code, signal }, 'a worker died; starting another');
        setTimeout(() => {
          if (!stopping) fork();
        }, 500);
      }
      if (stopping && Object.keys(cluster.workers ?? {}).length === 0) resolveExit(exitCode);
    });

    process.on('SIGTERM', () => stopAll('SIGTERM'));
    process.on('SIGINT', () => stopAll('SIGINT'));
    process.on('SIGHUP', () => {
      logger.info('SIGHUP: asking every worker to reload its zones');
      for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill('SIGHUP');
    });

    logger.info({ workers }, 'starting workers');
    for (let i = 0; i < workers; i++) fork();
  });
}

/** True in a process that should fork workers rather than serve. */
export function isPrimaryOf(workers: number): boolean {
  return workers > 1 && cluster.isPrimary;
}

/** In a worker: tells the primary this one is serving. */
export function reportReady(): void {
  if (cluster.isWorker) process.send?.(READY_MESSAGE);
}
