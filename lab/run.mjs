// `npm run lab`: the simulated internet of lab/internet.mjs plus a Hops
// resolver on 127.53.100.1:53 that starts from lab/root.hints. Prints dig
// commands to try; Ctrl-C (or SIGTERM) stops everything and exits 0.
//
//   node lab/run.mjs [--net 127.N] [--no-resolver] [--log-level LEVEL]

import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { connect } from 'node:net';
import { join, relative, sep } from 'node:path';
import { HOPS_MAIN, REPO_DIR, DEFAULT_NET, missingPrerequisites, startInternet, checkNet } from './internet.mjs';

function parseArgs(argv) {
  const args = { net: DEFAULT_NET, resolver: true, logLevel: 'info' };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--net') args.net = argv[++i];
    else if (arg === '--no-resolver') args.resolver = false;
    else if (arg === '--log-level') args.logLevel = argv[++i];
    else if (arg === '--help' || arg === '-h') {
      process.stdout.write('usage: node lab/run.mjs [--net 127.N] [--no-resolver] [--log-level LEVEL]\n');
      process.exit(0);
    } else {
      process.stderr.write(`lab: unknown argument ${arg} (try --help)\n`);
      process.exit(2);
    }
  }
  try {
    checkNet(args.net ?? '');
  } catch (err) {
    process.stderr.write(`${err.message}\n`);
    process.exit(2);
  }
  if (!args.logLevel) {
    process.stderr.write('lab: --log-level needs a value\n');
    process.exit(2);
  }
  return args;
}

function waitForTcp(host, port, timeoutMs, alive) {
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    const attempt = () => {
      const socket = connect({ host, port });
      socket.once('connect', () => {
        socket.destroy();
        resolve();
      });
      socket.once('error', () => {
        socket.destroy();
        if (!alive()) reject(new Error(`the resolver exited before ${host}:${port} accepted TCP`));
        else if (Date.now() > deadline) reject(new Error(`nothing accepted TCP on ${host}:${port} within ${timeoutMs} ms`));
        else setTimeout(attempt, 50);
      });
    };
    attempt();
  });
}

function startResolver(internet, logLevel) {
  const zones = join(internet.dir, 'resolver-zones'); // empty: no local zones
  mkdirSync(zones);
  const hints = relative(process.cwd(), internet.rootHintsFile) || internet.rootHintsFile;
  const args = [HOPS_MAIN, '--listen', `${internet.resolverAddress}:53`, '--recursion', 'on', '--zones', zones,
    '--root-hints', hints, '--query-loopback', 'on', '--ipv6-upstream', 'off', '--log-level', logLevel,
    // The lab's zones are unsigned and its root is not the real one.
    '--dnssec', 'off'];
  // Own process group: our signal handler decides the order of shutdown.
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'inherit', 'inherit'], detached: true });
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal)));
  return {
    child,
    exited,
    alive: () => child.exitCode === null && child.signalCode === null,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** A path relative to the repository when it is inside it, else absolute. */
function shown(path) {
  const rel = relative(REPO_DIR, path);
  return rel.startsWith('..' + sep) || rel === '..' ? path : rel;
}

function tryThese(r, internet) {
  const d = `dig @${r}`;
  const lines = [
    ['host.example.com', 'A via referrals with glue: root → com (NSD) → example.com (Hops)'],
    ['www.example.net', 'glueless: example.net\'s server ns1.dns-host.org lives under org (Knot)'],
    ['www.example.com', 'CNAME across zones: www.example.com → www.example.net'],
    ['cdn.example.com', 'CNAME across zones into a Knot-served zone'],
    ['alias2.example.com', 'CNAME chain inside one zone: alias2 → alias → host'],
    ['nope.example.com', 'NXDOMAIN, SOA in the authority section'],
    ['host.example.com TXT', 'NODATA, SOA in the authority section'],
    ['big.example.com TXT', '~1.7 KB of TXT: the UDP reply is truncated, dig retries over TCP'],
    ['big.example.com TXT +ignore', 'the truncated UDP reply itself (flag tc)'],
    ['example.com MX', 'ns2.example.com is dead (nothing on ' + internet.dead[0].address + '): still answered'],
    ['www.example.org', 'ns2.example.org is silent (' + internet.silent[0].address + ' never answers): answered after a timeout'],
    ['host.example.com +norecurse', 'RD=0: answered from the cache only'],
  ];
  const width = Math.max(...lines.map(([q]) => q.length)) + d.length + 2;
  const out = lines.map(([q, why]) => `  ${(`${d} ${q}`).padEnd(width)} # ${why}`);
  return out.join('\n');
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const missing = missingPrerequisites();
  if (missing.length > 0) {
    process.stderr.write(`lab: cannot start, missing:\n${missing.map((m) => `  - ${m}`).join('\n')}\n`);
    return 1;
  }

  let internet;
  let resolver;
  let stopping;
  const stopAll = () => {
    stopping ??= (async () => {
      await resolver?.stop();
      await internet?.stop();
    })();
    return stopping;
  };
  const onSignal = (signal) => {
    process.stderr.write(`\nlab: ${signal}: stopping\n`);
    stopAll().then(() => process.exit(0), () => process.exit(1));
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, onSignal);
  // Whoever started us went away without a signal reaching us (e.g. a shell
  // between npm and node that died of SIGTERM): do not leave servers behind.
  const parent = process.ppid;
  setInterval(() => {
    if (process.ppid !== parent) onSignal('parent exited');
  }, 1000).unref();

  try {
    process.stderr.write(`lab: starting the lab internet on ${args.net}.x.y:53 ...\n`);
    internet = await startInternet({ net: args.net });
    if (stopping) return 0;
    const width = Math.max(...internet.servers.map((s) => s.name.length));
    const servers = internet.servers.map((s) => `  ${s.address.padEnd(15)} ${s.kind.padEnd(5)} ${s.name.padEnd(width)}  ${s.zones.join(' ')}`);
    const dead = internet.dead.map((s) => `  ${s.address.padEnd(15)} ${'dead'.padEnd(5)} ${s.name.padEnd(width)}  nothing listens`);
    const silent = internet.silent.map((s) => `  ${s.address.padEnd(15)} ${'hole'.padEnd(5)} ${s.name.padEnd(width)}  takes queries, never answers`);
    process.stdout.write(`lab internet up (${shown(internet.rootHintsFile)} lists the roots):\n${[...servers, ...dead, ...silent].join('\n')}\n`);

    if (args.resolver) {
      resolver = startResolver(internet, args.logLevel);
      await waitForTcp(internet.resolverAddress, 53, 15_000, resolver.alive);
      if (stopping) return 0;
      process.stdout.write(`\nHops resolver on ${internet.resolverAddress}:53. Try:\n${tryThese(internet.resolverAddress, internet)}\n\nCtrl-C stops everything.\n`);
      resolver.exited.then((code) => {
        if (stopping) return;
        process.stderr.write(`lab: the resolver exited unexpectedly (${code}); stopping\n`);
        stopAll().then(() => process.exit(1));
      });
    } else {
      process.stdout.write(`\nNo resolver started; point one at it with --root-hints ${internet.rootHintsFile} --query-loopback on.\nCtrl-C stops everything.\n`);
    }
    // Stay up until a signal arrives.
    return await new Promise(() => {});
  } catch (err) {
    process.stderr.write(`lab: ${err.message}\n`);
    await stopAll();
    return 1;
  }
}

main().then((code) => process.exit(code));
