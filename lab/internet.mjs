// A simulated internet on loopback: root, TLD and leaf name servers, each on
// port 53 of its own 127.x.y.z address, served by Hops (authoritative-only),
// NSD and Knot so Hops' resolver is tested against servers other than itself.
// Plain JavaScript so it runs with nothing built but dist/. The address plan
// and the zones are documented in lab/README.md.
//
// Only ever binds and sends to 127.0.0.0/8: `net` must be 127.N.

import { spawn, execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync, accessSync, constants } from 'node:fs';
import { createSocket } from 'node:dgram';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const LAB_DIR = dirname(fileURLToPath(import.meta.url));
export const REPO_DIR = join(LAB_DIR, '..');
export const HOPS_MAIN = join(REPO_DIR, 'dist', 'main.js');
/** The address base of the committed zone files and root hints. */
export const DEFAULT_NET = '127.53';

/**
 * The servers. `host` is the last two octets under the address base; `zones`
 * are [origin, file under lab/zones/]. Both roots serve the same root zone.
 */
export const SERVERS = [
  { name: 'root-a', kind: 'hops', host: '0.1', zones: [['.', 'root/root.zone']] },
  { name: 'root-b', kind: 'nsd', host: '0.2', zones: [['.', 'root/root.zone']] },
  { name: 'tld-com-net', kind: 'nsd', host: '1.1', zones: [['com.', 'tld-com-net/com.zone'], ['net.', 'tld-com-net/net.zone']] },
  { name: 'tld-org', kind: 'knot', host: '2.1', zones: [['org.', 'tld-org/org.zone']] },
  { name: 'dns-host', kind: 'knot', host: '2.2', zones: [['dns-host.org.', 'dns-host/dns-host.org.zone'], ['example.org.', 'example-org/example.org.zone']] },
  { name: 'example-com', kind: 'hops', host: '3.1', zones: [['example.com.', 'example-com/example.com.zone']] },
  { name: 'example-net', kind: 'hops', host: '5.1', zones: [['example.net.', 'example-net/example.net.zone']] },
  // Not delegated to (no NS names it): the same example.com on Knot, so tests
  // can compare Hops' authoritative answers with another implementation's.
  { name: 'example-com-mirror', kind: 'knot', host: '3.3', zones: [['example.com.', 'example-com/example.com.zone']] },
];
/** Addresses the zones name as servers but where nothing listens. */
export const DEAD_SERVERS = [{ name: 'example-com-ns2', host: '3.2' }];
/** Addresses that take UDP queries and TCP connections and never answer. */
export const SILENT_SERVERS = [{ name: 'example-org-ns2', host: '4.2' }];
/** Where a resolver under test is expected to listen (not started here). */
export const RESOLVER_HOST = '100.1';

export function labAddress(net, host) {
  return `${net}.${host}`;
}

export function checkNet(net) {
  const m = /^127\.(\d{1,3})$/.exec(net);
  if (!m || Number(m[1]) > 255) throw new Error(`lab: address base ${JSON.stringify(net)} must be "127.N" (loopback only)`);
}

/** Moves the committed 127.53.x.y addresses onto another base. */
export function rewriteAddresses(text, net) {
  return net === DEFAULT_NET ? text : text.replace(/\b127\.53\.(\d{1,3})\.(\d{1,3})\b/g, `${net}.$1.$2`);
}

/** Finds a daemon in PATH or the sbin folders Debian installs to. */
export function findBinary(name) {
  const dirs = [...(process.env.PATH ?? '').split(delimiter), '/usr/sbin', '/usr/local/sbin', '/sbin'];
  for (const dir of dirs) {
    if (!dir) continue;
    const path = join(dir, name);
    try {
      accessSync(path, constants.X_OK);
      return path;
    } catch {
      // not here
    }
  }
  return undefined;
}

/** Reasons the lab cannot run here (empty when it can). */
export function missingPrerequisites({ hopsMain = HOPS_MAIN } = {}) {
  const missing = [];
  if (typeof process.getuid === 'function' && process.getuid() !== 0) missing.push('root (to bind port 53)');
  for (const [bin, pkg] of [['nsd', 'nsd'], ['knotd', 'knot'], ['dig', 'bind9-dnsutils']]) {
    if (!findBinary(bin)) missing.push(`${bin} (Debian package ${pkg}; scripts/install-test-tools.sh installs it)`);
  }
  if (!existsSync(hopsMain)) missing.push(`${hopsMain} (run npm run build)`);
  return missing;
}

// ---- small process helpers --------------------------------------------------

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function tcpAccepts(host, port, timeoutMs = 500) {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const done = (ok) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(ok);
    };
    const timer = setTimeout(() => done(false), timeoutMs);
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/** One `dig +tcp +norec SOA` to a server; resolves with status and flags. */
function digSoa(address, port, zone) {
  return new Promise((resolve) => {
    execFile('dig', [`@${address}`, '-p', String(port), '+tcp', '+norec', '+time=1', '+tries=1', zone, 'SOA'],
      { timeout: 3000 }, (err, stdout) => {
        const status = /status: (\w+)/.exec(stdout ?? '')?.[1];
        const flags = /;; flags: ([a-z ]*);/.exec(stdout ?? '')?.[1]?.trim().split(/\s+/) ?? [];
        resolve({ ok: !err && status === 'NOERROR' && flags.includes('aa'), status: status ?? String(err?.message ?? 'no reply'), flags });
      });
  });
}

function tail(text, max = 4000) {
  return text.length > max ? '…' + text.slice(-max) : text;
}

/**
 * Starts a daemon and keeps the last 64 KB of its output. It stays in our
 * process group on purpose: a Ctrl-C in the terminal reaches it too, so an
 * interrupted test run does not leave servers holding port 53. (NSD's main
 * process stops its helper processes itself on SIGTERM.)
 */
function startProcess(name, command, args, options) {
  const child = spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const keep = (chunk) => {
    output += chunk.toString();
    if (output.length > 65_536) output = output.slice(-65_536);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  let spawnError;
  const exited = new Promise((resolve) => {
    child.once('error', (err) => {
      spawnError = err;
      resolve(null);
    });
    child.once('exit', (code, signal) => resolve(code ?? signal));
  });
  // 'close' comes after the last output; a helper holding the pipe may delay it.
  const closed = new Promise((resolve) => child.once('close', resolve));
  const running = () => child.exitCode === null && child.signalCode === null && spawnError === undefined;
  return {
    name,
    child,
    output: () => (spawnError ? `${spawnError.message}\n` : '') + output,
    running,
    exited,
    /** Exited, and its last words read (bounded: helpers may hold the pipe). */
    settled: () => Promise.race([exited.then(() => closed), sleep(500)]),
    async stop(graceMs = 3000) {
      if (child.pid === undefined || !running()) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => {
        if (running()) child.kill('SIGKILL');
      }, graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
}

/**
 * A black hole on address:port, in this process: reads UDP queries and holds
 * TCP connections open without ever answering, so resolvers must time out.
 */
async function startSilent(name, address, port) {
  const udp = createSocket('udp4');
  udp.on('message', () => {});
  const connections = new Set();
  const tcp = createServer((socket) => {
    connections.add(socket);
    socket.on('error', () => {});
    socket.on('close', () => connections.delete(socket));
    socket.resume(); // read and drop
  });
  const listening = (emitter, start) => new Promise((resolve, reject) => {
    emitter.once('error', reject);
    start(() => {
      emitter.off('error', reject);
      resolve();
    });
  });
  try {
    await listening(udp, (cb) => udp.bind(port, address, cb));
    await listening(tcp, (cb) => tcp.listen(port, address, cb));
  } catch (err) {
    try {
      udp.close();
    } catch {
      // not bound
    }
    tcp.close();
    const message = `lab: ${name} (silent on ${address}:${port}) cannot bind: ${err.message}`;
    throw err.code === 'EADDRINUSE' ? new LabBusyError(message) : new Error(message);
  }
  udp.on('error', () => {});
  tcp.on('error', () => {});
  return {
    name,
    async stop() {
      for (const socket of connections) socket.destroy();
      await Promise.all([new Promise((r) => udp.close(() => r())), new Promise((r) => tcp.close(() => r()))]);
    },
  };
}

// ---- configuration files ----------------------------------------------------

function fill(template, fields) {
  return template.replace(/\{\{(\w+)\}\}/g, (all, key) => {
    if (!(key in fields)) throw new Error(`lab: template field ${all} has no value`);
    return fields[key];
  });
}

function nsdConfig(server, dir, port, files) {
  const zones = server.zones.map(([origin], i) => `zone:\n    name: "${origin}"\n    zonefile: "${files[i]}"\n`).join('\n');
  return fill(readFileSync(join(LAB_DIR, 'nsd.conf.in'), 'utf8'), { ADDRESS: server.address, PORT: String(port), DIR: dir, NAME: server.name, ZONES: zones });
}

function knotConfig(server, dir, port, files) {
  const zones = server.zones.map(([origin], i) => `  - domain: "${origin}"\n    file: "${files[i]}"`).join('\n');
  return fill(readFileSync(join(LAB_DIR, 'knot.conf.in'), 'utf8'), { ADDRESS: server.address, PORT: String(port), DIR: dir, NAME: server.name, ZONES: zones });
}

/** Environment for Hops children: no HOPS_* settings leak in from the caller. */
function cleanEnv() {
  return Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('HOPS_')));
}

function launch(server, dir, port, options) {
  // Zone files are copied with their addresses moved onto this run's base.
  const files = server.zones.map(([, file]) => {
    const name = file.split('/').pop();
    writeFileSync(join(dir, name), rewriteAddresses(readFileSync(join(LAB_DIR, 'zones', file), 'utf8'), options.net));
    return name;
  });
  switch (server.kind) {
    case 'hops':
      return startProcess(server.name, process.execPath, [options.hopsMain,
        '--listen', `${server.address}:${port}`, '--zones', dir, '--recursion', 'off', '--log-level', options.hopsLogLevel,
      ], { cwd: REPO_DIR, env: cleanEnv() });
    case 'nsd': {
      const conf = join(dir, 'nsd.conf');
      writeFileSync(conf, nsdConfig(server, dir, port, files));
      return startProcess(server.name, options.nsd, ['-d', '-c', conf], { cwd: dir });
    }
    case 'knot': {
      const conf = join(dir, 'knot.conf');
      mkdirSync(join(dir, 'db'));
      writeFileSync(conf, knotConfig(server, dir, port, files));
      return startProcess(server.name, options.knotd, ['-c', conf], { cwd: dir });
    }
    default:
      throw new Error(`lab: unknown server kind ${server.kind}`);
  }
}

async function waitReady(server, proc, port, deadline) {
  let last = 'not tried';
  for (;;) {
    if (!proc.running()) {
      await proc.settled();
      throw new Error(`lab: ${server.name} (${server.kind} on ${server.address}:${port}) exited during start-up:\n${tail(proc.output())}`);
    }
    if (await tcpAccepts(server.address, port)) {
      const results = await Promise.all(server.zones.map(([origin]) => digSoa(server.address, port, origin)));
      if (results.every((r) => r.ok)) return;
      last = results.map((r, i) => `${server.zones[i][0]} SOA: ${r.status} flags ${r.flags.join(' ')}`).join('; ');
    } else {
      last = 'TCP connect refused';
    }
    if (Date.now() > deadline) {
      throw new Error(`lab: ${server.name} (${server.kind} on ${server.address}:${port}) not serving its zones in time (${last}); output:\n${tail(proc.output())}`);
    }
    await sleep(100);
  }
}

/**
 * Starts the whole internet and resolves once every server answers an
 * authoritative SOA for each of its zones over TCP. Throws (after stopping
 * whatever it started) when something cannot start.
 *
 * options.net        address base "127.N" (default 127.53; the tests use 127.54),
 *                    or a list of them: the first one not already in use
 * options.baseDir    parent of the temporary folder (default the OS temp dir)
 * options.port       port of every server (default 53)
 * options.hopsMain   the hops entry point (default dist/main.js)
 * options.hopsLogLevel  log level of the Hops servers (default warn)
 * options.timeoutMs  start-up bound (default 20 s)
 */
export async function startInternet(options = {}) {
  const nets = Array.isArray(options.net) ? options.net : [options.net ?? DEFAULT_NET];
  if (nets.length === 0) throw new Error('lab: no address base given');
  nets.forEach(checkNet);
  let busy;
  for (const net of nets) {
    try {
      return await startInternetOn(net, options);
    } catch (err) {
      if (!(err instanceof LabBusyError)) throw err;
      busy = err; // someone else's lab (another test run?) is there: try the next base
    }
  }
  throw busy;
}

/** Another lab (or anything) already answers on one of the plan's addresses. */
export class LabBusyError extends Error {
  constructor(message) {
    super(message);
    this.name = 'LabBusyError';
    this.code = 'ELABBUSY';
  }
}

async function startInternetOn(net, options) {
  const port = options.port ?? 53;
  const opts = {
    net,
    hopsMain: options.hopsMain ?? HOPS_MAIN,
    hopsLogLevel: options.hopsLogLevel ?? 'warn',
    nsd: findBinary('nsd'),
    knotd: findBinary('knotd'),
  };
  const timeoutMs = options.timeoutMs ?? 20_000;
  const missing = [];
  if (!opts.nsd) missing.push('nsd (apt-get install nsd)');
  if (!opts.knotd) missing.push('knotd (apt-get install knot)');
  if (!findBinary('dig')) missing.push('dig (apt-get install bind9-dnsutils)');
  if (!existsSync(opts.hopsMain)) missing.push(`${opts.hopsMain} (npm run build)`);
  if (missing.length > 0) throw new Error(`lab: missing ${missing.join(', ')}`);

  const servers = SERVERS.map((s) => ({ ...s, address: labAddress(net, s.host), zones: s.zones }));
  const dead = DEAD_SERVERS.map((s) => ({ name: s.name, address: labAddress(net, s.host) }));
  const silent = SILENT_SERVERS.map((s) => ({ name: s.name, address: labAddress(net, s.host) }));

  // A previous lab still running would answer instead of ours: refuse early.
  const busy = [];
  for (const s of [...servers, ...dead, ...silent]) {
    if (await tcpAccepts(s.address, port, 300)) busy.push(`${s.address}:${port}`);
  }
  if (busy.length > 0) {
    throw new LabBusyError(`lab: already in use: ${busy.join(', ')} (another lab running? see: ss -ltnp 'sport = :${port}')`);
  }

  const root = mkdtempSync(join(options.baseDir ?? tmpdir(), `hops-lab-${net}-`));
  const procs = [];
  const holes = [];
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    await Promise.all([...procs.map((p) => p.stop()), ...holes.map((h) => h.stop())]);
    rmSync(root, { recursive: true, force: true });
  };

  try {
    // Root hints: the committed file when nothing moves, else a rewritten copy.
    const hintsText = readFileSync(join(LAB_DIR, 'root.hints'), 'utf8');
    let rootHintsFile = join(LAB_DIR, 'root.hints');
    if (net !== DEFAULT_NET) {
      rootHintsFile = join(root, 'root.hints');
      writeFileSync(rootHintsFile, rewriteAddresses(hintsText, net));
    }

    for (const server of servers) {
      const dir = join(root, server.name);
      mkdirSync(dir);
      procs.push(launch(server, dir, port, opts));
    }
    for (const s of silent) holes.push(await startSilent(s.name, s.address, port));
    const deadline = Date.now() + timeoutMs;
    const results = await Promise.allSettled(servers.map((s, i) => waitReady(s, procs[i], port, deadline)));
    const failures = results.filter((r) => r.status === 'rejected').map((r) => r.reason.message);
    if (failures.length > 0) {
      const message = failures.join('\n\n');
      // Lost a race for the addresses with another lab starting at the same time.
      throw /already in use|EADDRINUSE/i.test(message) ? new LabBusyError(message) : new Error(message);
    }

    return {
      net,
      port,
      dir: root,
      rootHintsFile,
      resolverAddress: labAddress(net, RESOLVER_HOST),
      servers: servers.map((s, i) => ({
        name: s.name,
        address: s.address,
        kind: s.kind,
        zones: s.zones.map(([origin]) => origin),
        output: () => procs[i].output(),
      })),
      dead,
      silent,
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}
