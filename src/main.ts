#!/usr/bin/env node
// The `hops` command: the composition root and the only reader of argv and
// the environment (DESIGN.md). Everything below receives typed config.

import cluster from 'node:cluster';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, INSTALL_DIR, loadConfig, parseArgs, unknownEnvironmentVariables, usage } from './config.js';
import { runServe } from './cli/serve.js';
import { runCheckZones } from './cli/check-zones-command.js';
import { runHealth } from './cli/health-command.js';

async function main(argv: string[]): Promise<number> {
  const args = parseArgs(argv);
  switch (args.command) {
    case 'help':
      process.stdout.write(usage() + '\n');
      return 0;
    case 'version': {
      const pkg = JSON.parse(readFileSync(join(INSTALL_DIR, 'package.json'), 'utf8')) as { version: string };
      process.stdout.write(`hops ${pkg.version}\n`);
      return 0;
    }
    case 'check-zones':
      return runCheckZones(args.positional);
    case 'health':
      return runHealth(loadConfig(args));
    case 'serve':
      return runServe(loadConfig(args), unknownEnvironmentVariables());
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    // A server keeps running on its own (returns -1); commands exit with their code.
    if (code >= 0) process.exitCode = code;
    // A cluster worker's IPC channel would keep it alive: leave explicitly.
    if (code >= 0 && cluster.isWorker) process.exit(code);
  },
  (err: unknown) => {
    if (err instanceof ConfigError) {
      process.stderr.write(`hops: ${err.message}\n`);
      process.exitCode = 2;
    } else {
      process.stderr.write(`hops: ${(err as Error)?.stack ?? String(err)}\n`);
      process.exitCode = 1;
    }
  },
);
