#!/usr/bin/env node
// `npm run bench`: Hops against Unbound on loopback, in the same run, as
// ratios. Sections (bench/README.md has the details):
//   local   answers from local zones (Hops zone files ↔ Unbound local-data)
//   cache   answers from the cache, warmed through a simulated hierarchy (NSD)
//   cold    time to resolve a list of names with an empty cache
//   memory  RSS per cached RRset at 100k and 1M entries; idle RSS
//   profile node --cpu-prof of Hops under cache-hit (and local-zone) load
//   cold-signed, memory-signed  the same as cold and memory over a signed
//           hierarchy (ldns-signzone), both resolvers validating
// Each measured server is pinned to one core, the load generators to another;
// servers are measured alternately (A B A B …). Results go to bench/results/.
// Not a test: nothing here asserts on time.
//
//   node bench/run.mjs [--quick] [--rounds N] [--duration S] [--sections a,b] [--help]

import { copyFileSync, cpSync, existsSync, rmSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpus as osCpus, tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  bigQueries, distinct, makeColdLists, makeDataset, makeQueries, MIX, unboundLocalData, writeBigZone, zoneFileText,
} from './lib/dataset.mjs';
import {
  cpuSeconds, cpuSecondsExact, cpuTimes, dnsBusy, installSignalHandlers, keepTempDirs, probe, processTree, registerTempDir, rssBytes, run,
  setNiceness, sleep, start, stopAll, waitForDns, which,
} from './lib/procs.mjs';
import { rootHintsText, startHierarchy, startHops, startUnbound } from './lib/servers.mjs';
import { DENIALS, SIGNING_TOOLS, signHierarchy } from './lib/signing.mjs';
import { formatSummary, summarize } from './profile-summary.mjs';
import { renderMarkdown } from './lib/report.mjs';

const BENCH_DIR = dirname(fileURLToPath(import.meta.url));
const REPO = join(BENCH_DIR, '..');
/** The Hops entry point measured; --hops-main points at another build (e.g. of an older commit). */
let HOPS_MAIN = join(REPO, 'dist', 'main.js');
const SECTIONS = ['floor', 'local', 'cache', 'cold', 'memory', 'profile', 'cold-signed', 'memory-signed'];
/** The sections over the signed hierarchy, with both resolvers validating. */
const SIGNED_SECTIONS = ['cold-signed', 'memory-signed'];

// ---- options ------------------------------------------------------------------------

const HELP = `usage: npm run bench -- [options]     (or: node bench/run.mjs [options])

  --quick                  1 round × 3 s, 1,000-name cold list cut to 200, memory at 100k only
  --rounds N               measured rounds per server, alternating A B A B (default 3; env BENCH_ROUNDS)
  --duration S             seconds per measured run (default 10; env BENCH_DURATION)
  --sections LIST          comma-separated: ${SECTIONS.join(',')} (default all; env BENCH_SECTIONS)
                           floor: a Node UDP echo and a C echo, no DNS work, measured like the servers
                           cold-signed, memory-signed: cold and memory over a signed hierarchy, both validating
  --rate QPS               fixed rate of the latency runs (default 20000)
  --window N               UDP queries outstanding in saturation runs (default 128)
  --tcp CxP                TCP connections × pipelined queries each (default 16x16)
  --domains N --hosts N    size of the generated data (default 120 domains × 30 hosts)
  --queries N              lines in the query file (default 200000)
  --cold-names N           cold-resolution list size (default 500); --cold-window N outstanding (default 10)
  --memory LIST            cache sizes for the RSS measurement (default 100000,1000000; memory-signed too)
  --signed-denial KIND     nsec3 (default: no salt, 0 iterations, RFC 9276) or nsec, for the signed sections
  --no-unbound-memory      skip Unbound's RSS-per-entry measurement
  --no-dnsperf             loadgen only
  --workers LIST           Hops worker counts to run when Hops has --workers (default 1,2)
  --unbound-qname-minimisation   leave Unbound's QNAME minimisation on (default off: same algorithm as Hops)
  --server-cpu LIST --client-cpu LIST  cores (taskset -c lists) for the servers and the load generators (default 1 and 0)
  --nice N                 niceness of every process the bench starts (default -10: a shared machine disturbs less; 0 to leave)
  --net 127.N              loopback address base (default 127.77)
  --hops-main FILE         the Hops entry point to measure (default dist/main.js, rebuilt when stale)
  --keep                   keep the temporary folder (zone files, configs, query files)
  --out DIR                results folder (default bench/results)
`;

function parseOptions(argv) {
  const env = process.env;
  const o = {
    quick: false,
    rounds: Number(env.BENCH_ROUNDS ?? 3),
    duration: Number(env.BENCH_DURATION ?? 10),
    sections: (env.BENCH_SECTIONS ?? SECTIONS.join(',')).split(','),
    rate: 20000,
    window: 128,
    tcpConns: 16,
    tcpPipeline: 16,
    domains: 120,
    hosts: 30,
    queries: 200_000,
    coldNames: 500,
    coldWindow: 10,
    memory: [100_000, 1_000_000],
    signedDenial: 'nsec3',
    unboundMemory: true,
    dnsperf: true,
    workers: [1, 2],
    unboundQnameMinimisation: false,
    serverCpu: '1',
    clientCpu: '0',
    net: '127.77',
    nice: Number(env.BENCH_NICE ?? -10),
    keep: false,
    out: join(BENCH_DIR, 'results'),
    hopsMain: undefined,
  };
  const explicit = new Set();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const next = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    explicit.add(a);
    switch (a) {
      case '--quick': o.quick = true; break;
      case '--rounds': o.rounds = Number(next()); break;
      case '--duration': o.duration = Number(next()); break;
      case '--sections': o.sections = next().split(','); break;
      case '--rate': o.rate = Number(next()); break;
      case '--window': o.window = Number(next()); break;
      case '--tcp': [o.tcpConns, o.tcpPipeline] = next().split('x').map(Number); break;
      case '--domains': o.domains = Number(next()); break;
      case '--hosts': o.hosts = Number(next()); break;
      case '--queries': o.queries = Number(next()); break;
      case '--cold-names': o.coldNames = Number(next()); break;
      case '--cold-window': o.coldWindow = Number(next()); break;
      case '--memory': o.memory = next().split(',').map(Number).sort((x, y) => x - y); break;
      case '--signed-denial': o.signedDenial = next(); break;
      case '--no-unbound-memory': o.unboundMemory = false; break;
      case '--no-dnsperf': o.dnsperf = false; break;
      case '--workers': o.workers = next().split(',').map(Number); break;
      case '--unbound-qname-minimisation': o.unboundQnameMinimisation = true; break;
      case '--server-cpu': o.serverCpu = next(); break;
      case '--client-cpu': o.clientCpu = next(); break;
      case '--net': o.net = next(); break;
      case '--nice': o.nice = Number(next()); break;
      case '--keep': o.keep = true; break;
      case '--hops-main': o.hopsMain = next(); break;
      case '--out': o.out = next(); break;
      case '--help': case '-h': process.stdout.write(HELP); process.exit(0); break;
      default: throw new Error(`unknown option ${a} (try --help)`);
    }
  }
  if (o.quick) {
    if (!explicit.has('--rounds') && env.BENCH_ROUNDS === undefined) o.rounds = 1;
    if (!explicit.has('--duration') && env.BENCH_DURATION === undefined) o.duration = 3;
    if (!explicit.has('--memory')) o.memory = [100_000];
    if (!explicit.has('--cold-names')) o.coldNames = 200;
  }
  for (const [flag, v] of [['--server-cpu', o.serverCpu], ['--client-cpu', o.clientCpu]]) {
    if (!/^\d+(-\d+)?(,\d+(-\d+)?)*$/.test(String(v))) throw new Error(`${flag} ${v}: a core list such as 1 or 1-3`);
  }
  if (!/^127\.\d{1,3}$/.test(o.net) || Number(o.net.split('.')[1]) > 255) throw new Error(`--net ${o.net}: must be 127.N (loopback only)`);
  for (const s of o.sections) if (!SECTIONS.includes(s)) throw new Error(`--sections: unknown section ${s}`);
  if (!DENIALS.includes(o.signedDenial)) throw new Error(`--signed-denial ${o.signedDenial}: one of ${DENIALS.join(', ')}`);
  for (const [k, v] of Object.entries({ rounds: o.rounds, duration: o.duration, rate: o.rate, window: o.window })) {
    if (!(v > 0)) throw new Error(`--${k} must be positive`);
  }
  return o;
}

/** "1", "1-3", "0,2" → [1], [1, 2, 3], [0, 2] (taskset -c syntax). */
function cpuList(spec) {
  const out = [];
  for (const part of String(spec).split(',')) {
    const [a, b = a] = part.split('-').map(Number);
    for (let n = a; n <= b; n++) out.push(n);
  }
  return out;
}

// ---- prerequisites -------------------------------------------------------------------

function log(message) {
  process.stderr.write(`bench: ${message}\n`);
}

function ensureTools(o) {
  const needed = [['dnsperf', 'dnsperf'], ['unbound', 'unbound'], ['nsd', 'nsd'], ['cc', 'gcc'], ['taskset', 'util-linux']];
  if (o.sections.some((s) => SIGNED_SECTIONS.includes(s))) needed.push(...SIGNING_TOOLS.map((bin) => [bin, 'ldnsutils']));
  const missing = needed.filter(([bin]) => !which(bin));
  if (missing.length === 0) return;
  const packages = [...new Set(missing.map(([, pkg]) => pkg))];
  if (process.getuid?.() !== 0) {
    throw new Error(`missing ${missing.map(([b]) => b).join(', ')}: run as root, or install them: sudo apt-get install -y ${packages.join(' ')}`);
  }
  log(`installing ${packages.join(' ')} with apt-get …`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  execFileSync('apt-get', ['update'], { stdio: 'inherit', env });
  // Keep the distribution's services from starting on port 53 after the install.
  const policy = '/usr/sbin/policy-rc.d';
  const hadPolicy = existsSync(policy);
  if (!hadPolicy) writeFileSync(policy, '#!/bin/sh\nexit 101\n', { mode: 0o755 });
  try {
    execFileSync('apt-get', ['install', '-y', '--no-install-recommends', ...packages], { stdio: 'inherit', env });
  } finally {
    if (!hadPolicy) spawnSync('rm', ['-f', policy]);
  }
  const still = needed.filter(([bin]) => !which(bin));
  if (still.length) throw new Error(`still missing after apt-get: ${still.map(([b]) => b).join(', ')}`);
}

/** Compiles a C file of bench/ into the build folder when missing or older than its source. */
function compile(buildDir, source, name) {
  const out = join(buildDir, name);
  const src = join(BENCH_DIR, source);
  if (!existsSync(out) || statSync(out).mtimeMs < statSync(src).mtimeMs) {
    mkdirSync(buildDir, { recursive: true });
    execFileSync(which('cc'), ['-O2', '-Wall', '-o', out, src], { stdio: 'inherit' });
  }
  return out;
}

function versions() {
  const first = (cmd, args) => {
    const r = spawnSync(cmd, args, { encoding: 'utf8' });
    return `${r.stdout}${r.stderr}`.split('\n').map((l) => l.trim()).filter(Boolean);
  };
  let commit = 'unknown';
  let dirty = false;
  try {
    commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: REPO, encoding: 'utf8' }).trim();
    dirty = execFileSync('git', ['status', '--porcelain', '--', 'src'], { cwd: REPO, encoding: 'utf8' }).trim() !== '';
  } catch {
    // not a checkout
  }
  return {
    hops: { commit, srcModified: dirty },
    node: process.version,
    unbound: first('unbound', ['-V']).find((l) => l.startsWith('Version')) ?? '?',
    dnsperf: first('dnsperf', ['-h']).find((l) => l.startsWith('Version')) ?? '?',
    nsd: first(which('nsd'), ['-v'])[0] ?? '?',
    ldns: which('ldns-signzone') ? first(which('ldns-signzone'), ['-v'])[0] ?? '?' : undefined,
    kernel: first('uname', ['-r'])[0],
    cpu: osCpus()[0]?.model,
    cpus: osCpus().length,
  };
}

/**
 * Which Hops was measured: on a shared checkout src/ moves under the bench, so
 * the commit alone does not say. A hash of every .js file of the build, its
 * newest mtime, and the src/ files that differ from the commit.
 */
function buildFingerprint(main, note) {
  const root = dirname(main);
  const hash = createHash('sha256');
  let newest = 0;
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.js')) {
        hash.update(entry.name).update(readFileSync(path));
        newest = Math.max(newest, statSync(path).mtimeMs);
      }
    }
  };
  walk(root);
  let srcChanges = [];
  try {
    srcChanges = execFileSync('git', ['status', '--porcelain', '--', 'src'], { cwd: REPO, encoding: 'utf8' }).split('\n').filter(Boolean).map((l) => l.trim());
  } catch {
    // not a checkout
  }
  return { main: relative(REPO, main) || main, sha256: hash.digest('hex').slice(0, 16), built: new Date(newest).toISOString(), srcChanges, note };
}

// ---- one measurement ----------------------------------------------------------------

class Bench {
  constructor(o, dirs, loadgen) {
    this.o = o;
    this.dirs = dirs;
    this.loadgen = loadgen;
  }

  /** Runs loadgen against a server; adds RSS after the run and what else used the server's core. */
  async loadgenRun(server, args, { cpuPids, timeoutMs = 60_000 + this.o.duration * 3000 } = {}) {
    const pids = cpuPids ?? processTree(server.proc.pid);
    const before = cpuTimes();
    const r = await run(this.loadgen, ['-s', server.address, '-p', String(server.port), '-x', pids.join(','), ...args],
      { cpus: this.o.clientCpu, timeoutMs });
    const after = cpuTimes();
    if (r.code !== 0) throw new Error(`loadgen ${args.join(' ')} failed (${r.code}): ${r.stderr}`);
    const result = JSON.parse(r.stdout);
    result.rss = rssBytes(processTree(server.proc.pid));
    result.processes = pids.length;
    result.background = this.background(before, after, result.cpu.seconds);
    return result;
  }

  /**
   * What else ran on the measured cores: task time on the server's core not
   * spent by the server (other processes: the machine may be shared), its
   * interrupt time (loopback delivery, not charged to any process) and steal.
   */
  background(before, after, serverCpuSeconds) {
    const core = (list) => {
      const sum = { task: 0, irq: 0, steal: 0, total: 0 };
      for (const n of cpuList(list)) {
        const b = before[n];
        const a = after[n];
        if (!a || !b) return undefined;
        sum.task += (a.task - b.task) / 100;
        sum.irq += (a.irq - b.irq) / 100;
        sum.steal += (a.steal - b.steal) / 100;
        sum.total += (a.total - b.total) / 100;
      }
      return sum;
    };
    const s = core(this.o.serverCpu);
    const c = core(this.o.clientCpu);
    const pct = (x, of) => (of > 0 ? Math.round((x / of) * 1000) / 10 : null);
    return {
      serverCoreOthersPct: s ? pct(Math.max(0, s.task - serverCpuSeconds), s.total) : null,
      serverCoreIrqPct: s ? pct(s.irq, s.total) : null,
      serverCoreStealPct: s ? pct(s.steal, s.total) : null,
      clientCoreBusyPct: c ? pct(c.task + c.irq, c.total) : null,
    };
  }

  async dnsperfRun(server, queryFile, mode) {
    const pids = processTree(server.proc.pid);
    const cpu0 = cpuSeconds(pids);
    const t0 = performance.now();
    const args = ['-s', server.address, '-p', String(server.port), '-d', queryFile, '-l', String(this.o.duration), '-e', '-t', '2'];
    if (mode === 'tcp') args.push('-m', 'tcp', '-c', String(this.o.tcpConns), '-q', String(this.o.tcpConns * this.o.tcpPipeline));
    else args.push('-c', '8', '-q', String(this.o.window));
    const r = await run(which('dnsperf'), args, { cpus: this.o.clientCpu, timeoutMs: 60_000 + this.o.duration * 3000 });
    const seconds = (performance.now() - t0) / 1000;
    const cpu = cpuSeconds(pids) - cpu0;
    const num = (re) => {
      const m = re.exec(r.stdout);
      return m ? Number(m[1]) : null;
    };
    const completed = num(/Queries completed:\s+(\d+)/);
    return {
      tool: 'dnsperf',
      mode,
      qps: num(/Queries per second:\s+([\d.]+)/),
      sent: num(/Queries sent:\s+(\d+)/),
      answered: completed,
      lost: num(/Queries lost:\s+(\d+)/),
      avgLatencyUs: num(/Average Latency \(s\):\s+([\d.]+)/) !== null ? Math.round(num(/Average Latency \(s\):\s+([\d.]+)/) * 1e7) / 10 : null,
      stddevLatencyUs: num(/Latency StdDev \(s\):\s+([\d.]+)/) !== null ? Math.round(num(/Latency StdDev \(s\):\s+([\d.]+)/) * 1e7) / 10 : null,
      cpu: { seconds: cpu, us_per_answer: completed ? Math.round((cpu * 1e6 / completed) * 100) / 100 : null },
      wallSeconds: seconds,
      rss: rssBytes(processTree(server.proc.pid)),
      exitCode: r.code,
      error: r.code !== 0 ? r.stderr.slice(-500) : undefined,
    };
  }

  /** Saturation (loadgen UDP), fixed-rate latency, TCP pipelined, then dnsperf UDP and TCP. */
  async measure(server, queryFile) {
    const o = this.o;
    const d = String(o.duration);
    const results = {};
    results.udp = await this.loadgenRun(server, ['-m', 'udp', '-f', queryFile, '-d', d, '-W', '1', '-w', String(o.window), '-S', '8', '-t', '1000']);
    results.rate = await this.loadgenRun(server, ['-m', 'rate', '-f', queryFile, '-d', String(Math.min(o.duration, 5)), '-r', String(o.rate), '-S', '8', '-t', '1000']);
    results.tcp = await this.loadgenRun(server, ['-m', 'tcp', '-f', queryFile, '-d', d, '-W', '1', '-c', String(o.tcpConns), '-P', String(o.tcpPipeline), '-t', '2000']);
    if (o.dnsperf) {
      results.dnsperfUdp = await this.dnsperfRun(server, queryFile, 'udp');
      results.dnsperfTcp = await this.dnsperfRun(server, queryFile, 'tcp');
    }
    return results;
  }

  /** Asks both servers the same questions; returns the questions whose rcode or answer count differ. */
  async compareAnswers(servers, lines, sample = 300) {
    const step = Math.max(1, Math.floor(lines.length / sample));
    const differences = [];
    let asked = 0;
    for (let i = 0; i < lines.length && asked < sample; i += step, asked++) {
      const [name, type] = lines[i].split(' ');
      const answers = await Promise.all(servers.map((s) => probe(s.address, s.port, name, type, { timeoutMs: 2000 })));
      const shape = answers.map((a) => (a ? `${a.rcode}/${a.ancount}` : 'timeout'));
      if (new Set(shape).size > 1) differences.push({ question: lines[i], ...Object.fromEntries(servers.map((s, k) => [s.name, shape[k]])) });
    }
    return { asked, differences: differences.slice(0, 20), differing: differences.length };
  }

  /**
   * Queries each line once (window w); used to warm caches. dnssec: the DO bit
   * set, and every answer that is not NOERROR with AD listed (loadgen -D -A).
   */
  async once(server, file, { window = 50, timeoutMs = 3000, offset, limit, dnssec = false } = {}) {
    const args = ['-m', 'once', '-f', file, '-w', String(window), '-t', String(timeoutMs)];
    if (dnssec) args.push('-D', '-A');
    if (offset !== undefined) args.push('-o', String(offset));
    if (limit !== undefined) args.push('-n', String(limit));
    // Bounded, but a million names through a slow miss path take minutes.
    return this.loadgenRun(server, args, { timeoutMs: 30 * 60_000 });
  }
}

// ---- sections -----------------------------------------------------------------------

const median = (values) => {
  const v = values.filter((x) => typeof x === 'number' && Number.isFinite(x)).sort((a, b) => a - b);
  if (v.length === 0) return null;
  const m = v.length >> 1;
  return v.length % 2 ? v[m] : (v[m - 1] + v[m]) / 2;
};

/** Median over rounds of the numbers that matter, per server. */
function summarizeRuns(runs) {
  const pick = (f) => median(runs.map((r) => { try { return f(r); } catch { return null; } }));
  return {
    udpQps: pick((r) => r.udp.qps),
    udpCpuUs: pick((r) => r.udp.cpu.us_per_answer),
    udpLost: pick((r) => r.udp.lost),
    udpSent: pick((r) => r.udp.sent),
    p50Us: pick((r) => r.rate.latency_us.p50),
    p99Us: pick((r) => r.rate.latency_us.p99),
    rateLost: pick((r) => r.rate.lost),
    rateCpuUs: pick((r) => r.rate.cpu.us_per_answer),
    tcpQps: pick((r) => r.tcp.qps),
    tcpCpuUs: pick((r) => r.tcp.cpu.us_per_answer),
    tcpLost: pick((r) => r.tcp.lost),
    dnsperfUdpQps: pick((r) => r.dnsperfUdp?.qps),
    dnsperfUdpCpuUs: pick((r) => r.dnsperfUdp?.cpu.us_per_answer),
    dnsperfUdpAvgUs: pick((r) => r.dnsperfUdp?.avgLatencyUs),
    dnsperfUdpLost: pick((r) => r.dnsperfUdp?.lost),
    dnsperfTcpQps: pick((r) => r.dnsperfTcp?.qps),
    rss: Math.max(...runs.map((r) => Math.max(r.udp.rss, r.tcp.rss))),
    serverCoreOthersPct: pick((r) => r.udp.background.serverCoreOthersPct),
    serverCoreIrqPct: pick((r) => r.udp.background.serverCoreIrqPct),
    rcodes: runs[0]?.udp.rcodes,
    processes: runs[0]?.udp.processes,
  };
}

/** Starts the servers, then rounds × servers alternately, each through Bench.measure. */
async function compareSection(bench, name, starters, queryFile, lines, prepare) {
  const o = bench.o;
  const section = { servers: {}, rounds: [], checks: {} };
  const servers = [];
  try {
    for (const s of starters) {
      log(`${name}: starting ${s.label}`);
      const server = await s.start();
      server.label = s.label;
      servers.push(server);
      await sleep(1000);
      section.servers[s.label] = { startRss: rssBytes(processTree(server.proc.pid)), processes: processTree(server.proc.pid).length, runs: [] };
    }
    if (prepare) await prepare(servers, section);
    section.checks.sameAnswers = await bench.compareAnswers(servers, lines);
    if (section.checks.sameAnswers.differing > 0) {
      log(`${name}: WARNING: ${section.checks.sameAnswers.differing} of ${section.checks.sameAnswers.asked} sampled questions get different answers: ${JSON.stringify(section.checks.sameAnswers.differences.slice(0, 3))}`);
    }
    for (let round = 1; round <= o.rounds; round++) {
      for (const server of servers) {
        log(`${name}: round ${round}/${o.rounds}: ${server.label}`);
        const result = await bench.measure(server, queryFile);
        section.servers[server.label].runs.push({ round, ...result });
        log(`${name}:   ${server.label}: loadgen ${Math.round(result.udp.qps)} q/s, ${result.udp.cpu.us_per_answer} µs CPU/q, ` +
          `p50/p99 ${result.rate.latency_us.p50}/${result.rate.latency_us.p99} µs @${o.rate}/s, TCP ${Math.round(result.tcp.qps)} q/s` +
          (result.dnsperfUdp ? `, dnsperf ${Math.round(result.dnsperfUdp.qps)} q/s` : '') +
          ` (others on server core: ${result.udp.background.serverCoreOthersPct}%)`);
      }
    }
    for (const server of servers) section.servers[server.label].summary = summarizeRuns(section.servers[server.label].runs);
  } finally {
    for (const s of servers) await s.proc.stop();
  }
  return section;
}

function hopsStarters(bench, base, workersList) {
  return workersList.map((w, i) => ({
    label: w > 1 ? `hops ×${w} workers` : 'hops',
    start: () => startHops({ ...base, name: `hops-w${w}`, address: `${bench.o.net}.100.${10 + i}`, dir: join(bench.dirs.tmp, `${base.tag}-hops-w${w}`), workers: w > 1 ? w : undefined }),
  }));
}

/**
 * The floors under the comparison, measured exactly like Hops and Unbound:
 * a Node UDP echo (no DNS work: the least a single Node process can spend per
 * query with node:dgram), the same with a synchronous address lookup, and a
 * C echo (one recvfrom + one sendto: the kernel's share).
 */
async function floorSection(bench, files, echoC) {
  const o = bench.o;
  const address = `${o.net}.100.20`;
  const kinds = [
    ['node echo (dgram, as Hops sends)', process.execPath, [join(BENCH_DIR, 'floor', 'echo.mjs'), address, '53', 'plain']],
    ['node echo (dgram, sync lookup)', process.execPath, [join(BENCH_DIR, 'floor', 'echo.mjs'), address, '53', 'sync-lookup']],
    ['C echo (recvfrom/sendto)', echoC, [address, '53']],
  ];
  const section = { servers: {} };
  for (const [label] of kinds) section.servers[label] = { runs: [] };
  for (let round = 1; round <= o.rounds; round++) {
    for (const [label, command, args] of kinds) {
      const proc = start(label, command, args, { cpus: o.serverCpu });
      try {
        await waitForDns(proc, address, 53);
        const server = { proc, address, port: 53 };
        const r = await bench.loadgenRun(server, ['-m', 'udp', '-f', files.queries, '-d', String(o.duration), '-W', '1', '-w', String(o.window), '-S', '8', '-t', '1000']);
        section.servers[label].runs.push({ round, qps: r.qps, cpuUs: r.cpu.us_per_answer, lost: r.lost, rss: r.rss, background: r.background });
        log(`floor: round ${round}: ${label}: ${Math.round(r.qps)} q/s, ${r.cpu.us_per_answer} µs CPU/q`);
      } finally {
        await proc.stop();
      }
    }
  }
  for (const entry of Object.values(section.servers)) {
    entry.summary = { qps: median(entry.runs.map((r) => r.qps)), cpuUs: median(entry.runs.map((r) => r.cpuUs)) };
  }
  return section;
}

async function localSection(bench, data, files, workersList) {
  const o = bench.o;
  const zonesDir = join(bench.dirs.tmp, 'local-zones');
  mkdirSync(zonesDir, { recursive: true });
  for (const z of data.localZones()) writeFileSync(join(zonesDir, `${z.origin.replace(/\.$/, '')}.zone`), zoneFileText(z));
  const starters = [
    ...hopsStarters(bench, { tag: 'local', hopsMain: HOPS_MAIN, mode: 'local', zonesDir, cpus: o.serverCpu }, workersList),
    {
      label: 'unbound',
      start: () => startUnbound({ dir: join(bench.dirs.tmp, 'local-unbound'), address: `${o.net}.100.2`, mode: 'local', localData: unboundLocalData(data.localZones()), cpus: o.serverCpu }),
    },
  ];
  return compareSection(bench, 'local', starters, files.queries, files.warmLines);
}

async function cacheSection(bench, data, files, workersList) {
  const o = bench.o;
  const starters = [
    ...hopsStarters(bench, { tag: 'cache', hopsMain: HOPS_MAIN, mode: 'recursive', rootHints: files.rootHints, cpus: o.serverCpu }, workersList),
    {
      label: 'unbound',
      start: () => startUnbound({ dir: join(bench.dirs.tmp, 'cache-unbound'), address: `${o.net}.100.2`, mode: 'recursive', rootHints: files.rootHints, qnameMinimisation: o.unboundQnameMinimisation, cpus: o.serverCpu }),
    },
  ];
  const prepare = async (servers, section) => {
    section.warm = {};
    for (const server of servers) {
      log(`cache: warming ${server.label} with ${files.warmLines.length} questions through the hierarchy`);
      const first = await bench.once(server, files.warm, { window: 50, timeoutMs: 3000 });
      const second = await bench.once(server, files.warm, { window: 50, timeoutMs: 3000 });
      const upstreamCpu0 = cpuSeconds(bench.hierarchyPids);
      const third = await bench.once(server, files.warm, { window: 50, timeoutMs: 3000 });
      const upstreamCpu = cpuSeconds(bench.hierarchyPids) - upstreamCpu0;
      section.warm[server.label] = {
        first: pickOnce(first), second: pickOnce(second), third: pickOnce(third),
        upstreamCpuSecondsDuringThirdPass: upstreamCpu,
      };
      log(`cache:   ${server.label}: first pass ${first.seconds}s (${first.answered}/${first.sent} answered, ${JSON.stringify(first.rcodes)}), ` +
        `second pass p50 ${second.latency_us.p50} µs, hierarchy CPU during the third pass ${upstreamCpu}s`);
    }
  };
  return compareSection(bench, 'cache', starters, files.queries, files.warmLines, prepare);
}

function pickOnce(r) {
  const picked = { seconds: r.seconds, sent: r.sent, answered: r.answered, lost: r.lost, rcodes: r.rcodes, latency_us: r.latency_us, cpuSeconds: r.cpu.seconds, cpuExactSeconds: r.cpuExactSeconds, rss: r.rss };
  // Validating runs (loadgen -A): answers that were NOERROR with AD, and those that were not (or never came).
  if (r.not_secure !== undefined) Object.assign(picked, { secure: r.noerror_ad, notSecure: r.not_secure, notSecureExamples: r.not_secure_examples, truncated: r.truncated });
  return picked;
}

/**
 * The signed sections' check: every question answered NOERROR with the AD
 * bit. A validating bench that measured failures would measure the wrong
 * thing, so any answer that is not is counted, logged and reported.
 */
class SecureCheck {
  constructor(name) {
    this.name = name;
    this.asked = 0;
    this.secure = 0;
    this.notSecure = 0;
    this.examples = [];
  }

  add(label, what, r) {
    this.asked += r.sent;
    this.secure += r.noerror_ad;
    this.notSecure += r.not_secure;
    if (r.not_secure > 0) {
      this.examples.push(...r.not_secure_examples.slice(0, 5).map((e) => `${label}, ${what}: ${e}`));
      log(`${this.name}: WARNING: ${label}, ${what}: ${r.not_secure} of ${r.sent} answers not NOERROR with AD, e.g. ${r.not_secure_examples.slice(0, 3).join('; ')}`);
    }
  }

  result() {
    return { asked: this.asked, secure: this.secure, notSecure: this.notSecure, examples: this.examples.slice(0, 20) };
  }
}

/**
 * Cold resolution, two ways, each server the same:
 *   fresh: a new process per round (empty cache, nothing JIT-compiled yet), list 0;
 *   warm process: one process per server, its code warmed on list 1, then
 *     round r resolves list r+1, names it has never seen (root and TLD
 *     delegations are cached by then, as in a resolver that has been running).
 * Every list has its own domains, so nothing of one list is cached by another.
 */
async function coldSection(bench, files, { name = 'cold', dnssec } = {}) {
  const o = bench.o;
  const startServer = (label, dir, procName) => (label === 'hops'
    ? startHops({ hopsMain: HOPS_MAIN, dir, name: procName, address: `${o.net}.100.1`, mode: 'recursive', rootHints: files.rootHints, cpus: o.serverCpu, dnssec })
    : startUnbound({ dir, name: procName, address: `${o.net}.100.2`, mode: 'recursive', rootHints: files.rootHints, qnameMinimisation: o.unboundQnameMinimisation, cpus: o.serverCpu, dnssec }));
  // Signed: every question asked with DO=1, every answer checked for NOERROR with AD.
  const check = dnssec ? new SecureCheck(name) : undefined;
  const resolveList = async (server, label, what, file) => {
    const pids = processTree(server.proc.pid);
    const cpu0 = cpuSecondsExact(pids);
    const r = await bench.once(server, file, { window: o.coldWindow, timeoutMs: 5000, dnssec: Boolean(dnssec) });
    // The server is idle before and after the list, so this is the list's CPU, to the nanosecond.
    r.cpuExactSeconds = cpuSecondsExact(pids) - cpu0;
    check?.add(label, what, r);
    return r;
  };
  // Both start from primed root NS (Hops primes at start; Unbound on its first query).
  const prime = async (server) => {
    await probe(server.address, server.port, '.', 'NS', { timeoutMs: 3000 });
    await sleep(500);
  };
  const section = {
    names: files.coldLists[0].length, window: o.coldWindow, dnssec: Boolean(dnssec),
    fresh: { hops: { runs: [] }, unbound: { runs: [] } },
    warm: { hops: { runs: [] }, unbound: { runs: [] } },
  };
  for (let round = 1; round <= o.rounds; round++) {
    for (const label of ['hops', 'unbound']) {
      const server = await startServer(label, join(bench.dirs.tmp, `${name}-${label}-${round}`), `${label}-${name}`);
      try {
        await prime(server);
        const r = await resolveList(server, label, `fresh process, round ${round}`, files.cold[0]);
        section.fresh[label].runs.push({ round, ...pickOnce(r) });
        log(`${name} (fresh process): round ${round}: ${label}: ${r.answered}/${r.sent} in ${r.seconds}s, p50 ${r.latency_us.p50} µs, p99 ${r.latency_us.p99} µs, ${JSON.stringify(r.rcodes)}` +
          (dnssec ? `, NOERROR+AD ${r.noerror_ad}` : ''));
      } finally {
        await server.proc.stop();
      }
    }
  }
  const servers = {};
  try {
    for (const label of ['hops', 'unbound']) {
      servers[label] = await startServer(label, join(bench.dirs.tmp, `${name}-warm-${label}`), `${label}-${name}-warm`);
      await prime(servers[label]);
      const r = await resolveList(servers[label], label, 'code warm-up', files.cold[1]);
      log(`${name} (warm process): ${label}: code warm-up on list 1: ${r.seconds}s`);
    }
    for (let round = 1; round <= o.rounds; round++) {
      for (const label of ['hops', 'unbound']) {
        const r = await resolveList(servers[label], label, `running process, round ${round}`, files.cold[round + 1]);
        section.warm[label].runs.push({ round, ...pickOnce(r) });
        log(`${name} (warm process): round ${round}: ${label}: ${r.answered}/${r.sent} in ${r.seconds}s, p50 ${r.latency_us.p50} µs, p99 ${r.latency_us.p99} µs, ${JSON.stringify(r.rcodes)}` +
          (dnssec ? `, NOERROR+AD ${r.noerror_ad}` : ''));
      }
    }
  } finally {
    for (const s of Object.values(servers)) await s.proc.stop();
  }
  for (const kind of ['fresh', 'warm']) {
    for (const label of ['hops', 'unbound']) {
      const runs = section[kind][label].runs;
      section[kind][label].summary = {
        seconds: median(runs.map((r) => r.seconds)),
        p50Us: median(runs.map((r) => r.latency_us.p50)),
        p99Us: median(runs.map((r) => r.latency_us.p99)),
        answered: median(runs.map((r) => r.answered)),
        lost: median(runs.map((r) => r.lost)),
        cpuUsPerName: median(runs.map((r) => (r.cpuSeconds * 1e6) / Math.max(1, r.answered))),
        cpuUsPerNameExact: median(runs.map((r) => (r.cpuExactSeconds * 1e6) / Math.max(1, r.answered))),
        namesPerSecond: median(runs.map((r) => r.answered / Math.max(r.seconds, 0.001))),
        rcodes: runs[0]?.rcodes,
        secure: dnssec ? median(runs.map((r) => r.secure)) : undefined,
      };
    }
  }
  if (check) section.checks = { secure: check.result() };
  return section;
}

/**
 * Quiet time before reading RSS: V8's memory reducer runs a full GC a few
 * seconds after allocation stops, so what is read is the live heap's
 * footprint rather than the garbage of the fill.
 */
const SETTLE_MS = 10_000;

/**
 * signed ({ signer, trustAnchor }): big.org. is signed with the keys whose DS
 * the signed org. carries, both servers validate, and every name is asked with
 * DO=1 so that the cache holds each RRset with its RRSIG.
 */
async function memorySection(bench, data, files, { name = 'memory', signed } = {}) {
  const o = bench.o;
  const max = o.memory[o.memory.length - 1];
  const dnssec = signed ? { trustAnchor: signed.trustAnchor } : undefined;
  const check = signed ? new SecureCheck(name) : undefined;
  const section = { sizes: o.memory, servers: {}, dnssec: Boolean(signed) };
  log(`${name}: writing big.org. with ${max} names${signed ? ', signing it' : ''} and starting NSD for it`);
  const bigDir = join(bench.dirs.tmp, name === 'memory' ? 'big' : `big-${name}`);
  mkdirSync(bigDir, { recursive: true });
  let zoneFile = join(bigDir, 'big.org.zone');
  await writeBigZone(data, max, zoneFile);
  if (signed) {
    const signedFile = `${zoneFile}.signed`;
    section.signSeconds = Math.round(await signed.signer.signFile(data.big.origin, zoneFile, signedFile) * 10) / 10;
    section.signedZoneBytes = statSync(signedFile).size;
    log(`${name}: signed big.org. (${max} names) in ${section.signSeconds} s, ${(section.signedZoneBytes / 2 ** 20).toFixed(0)} MiB`);
    zoneFile = signedFile;
  }
  const bigQueriesFile = join(bigDir, 'big.txt');
  writeFileSync(bigQueriesFile, bigQueries(data, max).join('\n') + '\n');
  const t0 = performance.now();
  const nsd = await startHierarchy({ dir: bigDir, servers: [{ address: data.big.address, zones: [{ origin: data.big.origin, file: zoneFile }] }], cpus: o.clientCpu });
  section.nsdLoadSeconds = Math.round((performance.now() - t0) / 100) / 10;
  const fill = async (label, server) => {
    const entry = { steps: [] };
    // Idle: started, primed, nothing else cached.
    await probe(server.address, server.port, '.', 'NS', { timeoutMs: 3000 });
    await sleep(SETTLE_MS);
    entry.idleRss = rssBytes(processTree(server.proc.pid));
    let done = 0;
    let answered = 0;
    for (const size of o.memory) {
      log(`${name}: ${label}: filling to ${size} names`);
      const r = await bench.once(server, bigQueriesFile, { window: 100, timeoutMs: 3000, offset: done, limit: size - done, dnssec: Boolean(signed) });
      check?.add(label, `names ${done}–${size - 1}`, r);
      answered += r.rcodes.NOERROR ?? 0;
      done = size;
      await sleep(SETTLE_MS);
      const rss = rssBytes(processTree(server.proc.pid));
      // Still cached? For Hops, RD=0 asks the cache only (RFC 1034 §4.3.1). Unbound keys its
      // message cache by the RD bit, so the check means nothing there and is skipped.
      const cached = async (name) => (label === 'hops' ? ((await probe(server.address, server.port, name, 'A', { rd: false, timeoutMs: 2000 }))?.ancount ?? 0) > 0 : null);
      const firstCached = await cached(`n0.${data.big.origin}`);
      const lastCached = await cached(`n${size - 1}.${data.big.origin}`);
      const step = {
        // fillQps: this step's answers over this step's time (answered is the running total).
        names: size, answered, lost: r.lost, fillSeconds: r.seconds, fillQps: Math.round((r.rcodes.NOERROR ?? 0) / Math.max(r.seconds, 0.001)),
        rss, bytesPerEntry: Math.round((rss - entry.idleRss) / Math.max(1, answered)),
        firstStillCached: firstCached, lastCached,
      };
      if (signed) step.secure = (entry.steps.at(-1)?.secure ?? 0) + r.noerror_ad;
      entry.steps.push(step);
      log(`${name}: ${label}: ${size} names: RSS ${(rss / 2 ** 20).toFixed(1)} MiB, ${step.bytesPerEntry} B per entry (idle ${(entry.idleRss / 2 ** 20).toFixed(1)} MiB), ${step.fillQps} names/s`);
    }
    return entry;
  };
  try {
    const hops = await startHops({ hopsMain: HOPS_MAIN, dir: join(bench.dirs.tmp, `${name}-hops`), name: `hops-${name}`, address: `${o.net}.100.1`, mode: 'recursive', rootHints: files.rootHints, cacheSize: Math.max(2 * max, 200_000), cpus: o.serverCpu, dnssec });
    try {
      section.servers.hops = await fill('hops', hops);
      section.servers.hops.cacheSize = Math.max(2 * max, 200_000);
    } finally {
      await hops.proc.stop();
    }
    // Idle RSS with the defaults: recursion on, no zones, default cache size (validating, when signed).
    const idle = await startHops({ hopsMain: HOPS_MAIN, dir: join(bench.dirs.tmp, `${name}-idle-hops`), name: `hops-idle-${name}`, address: `${o.net}.100.1`, mode: 'recursive', rootHints: files.rootHints, cpus: o.serverCpu, dnssec });
    try {
      await probe(idle.address, idle.port, '.', 'NS', { timeoutMs: 3000 });
      await sleep(SETTLE_MS);
      section.hopsIdleRssDefaults = rssBytes(processTree(idle.proc.pid));
    } finally {
      await idle.proc.stop();
    }
    if (o.unboundMemory) {
      const unbound = await startUnbound({ dir: join(bench.dirs.tmp, `${name}-unbound`), address: `${o.net}.100.2`, mode: 'recursive', rootHints: files.rootHints, msgCache: '1024m', rrsetCache: '2048m', cpus: o.serverCpu, dnssec });
      try {
        section.servers.unbound = await fill('unbound', unbound);
        section.servers.unbound.cacheConfig = 'msg-cache-size 1024m, rrset-cache-size 2048m';
      } finally {
        await unbound.proc.stop();
      }
    }
  } finally {
    for (const p of nsd) await p.stop();
  }
  if (check) section.checks = { secure: check.result() };
  return section;
}

async function profileSection(bench, files, localZonesDir) {
  const o = bench.o;
  const section = {};
  // cache-hit: saturation over the warmed query file; local-zone: the same over local zones;
  // cold-miss: names never seen (the upstream path), after warming the code on another list.
  const kinds = [['cache-hit', 'recursive'], ['local-zone', 'local'], ['cold-miss', 'recursive']];
  for (const [kind, mode] of kinds) {
    if (mode === 'local' && !localZonesDir) continue;
    const profDir = join(bench.dirs.tmp, `prof-${kind}`);
    mkdirSync(profDir, { recursive: true });
    log(`profile: ${kind}: node --cpu-prof`);
    const server = await startHops({ hopsMain: HOPS_MAIN, dir: join(bench.dirs.tmp, `prof-${kind}-hops`), name: `hops-prof-${kind}`, address: `${o.net}.100.4`,
      mode, rootHints: files.rootHints, zonesDir: mode === 'local' ? localZonesDir : undefined, cpus: o.serverCpu, cpuProfDir: profDir });
    let load;
    try {
      if (kind === 'cold-miss') {
        await bench.once(server, files.cold[1], { window: o.coldWindow, timeoutMs: 5000 });
        load = await bench.once(server, files.coldProfile, { window: o.coldWindow, timeoutMs: 5000 });
      } else {
        if (mode === 'recursive') {
          await bench.once(server, files.warm, { window: 50 });
          await bench.once(server, files.warm, { window: 50 });
        }
        load = await bench.loadgenRun(server, ['-m', 'udp', '-f', files.queries, '-d', String(o.duration), '-W', '1', '-w', String(o.window), '-S', '8', '-t', '1000']);
      }
    } finally {
      await server.proc.stop(); // SIGTERM: Hops exits and node writes the profile
    }
    const written = readdirSync(profDir).filter((f) => f.endsWith('.cpuprofile'));
    if (written.length === 0) {
      section[kind] = { error: `no .cpuprofile written (Hops output: ${server.proc.output().slice(-500)})` };
      continue;
    }
    const file = join(bench.dirs.profiles, `${bench.stamp}-${kind}.cpuprofile`);
    copyFileSync(join(profDir, written[0]), file);
    // Only the measured window: the process's start-up and the cache warm-up are left out.
    const [fromUs, toUs] = load.window_mono_us;
    const summary = summarize(JSON.parse(readFileSync(file, 'utf8')), { top: 25, fromUs, toUs });
    section[kind] = { file: relative(REPO, file), qpsWhileProfiled: Math.round(load.qps), cpuUsPerQuery: load.cpu.us_per_answer, summary };
    log(`profile: ${kind}: ${Math.round(load.qps)} q/s while profiled; top self time:\n${formatSummary(summary, relative(REPO, file)).split('\n').slice(0, 16).join('\n')}`);
  }
  return section;
}

/**
 * Hops lists --workers: does it start more processes? A count that gives one
 * process measures nothing new and is dropped (and said so in the results).
 */
async function workersThatWork(o, dirs, list) {
  const out = [];
  workersNote = [];
  for (const w of list) {
    if (w <= 1) {
      out.push(w);
      continue;
    }
    const server = await startHops({ hopsMain: HOPS_MAIN, dir: join(dirs.tmp, `workers-probe-${w}`), name: `hops-probe-w${w}`, address: `${o.net}.100.10`, mode: 'local', cpus: o.serverCpu, workers: w });
    await sleep(1500);
    const count = processTree(server.proc.pid).length;
    await server.proc.stop();
    if (count > 1) out.push(w);
    workersNote.push({ workers: w, processes: count, measured: count > 1 });
    log(`--workers ${w}: ${count} process(es)${count > 1 ? '' : ': not measured (the flag has no effect yet)'}`);
  }
  return out;
}
let workersNote = [];

// ---- main ---------------------------------------------------------------------------

async function main() {
  let o;
  try {
    o = parseOptions(process.argv.slice(2));
  } catch (err) {
    log(err.message);
    process.exit(2);
  }
  if (process.getuid?.() !== 0) throw new Error('run as root: the simulated hierarchy listens on port 53 of 127.x addresses');
  ensureTools(o);
  keepTempDirs(o.keep);
  setNiceness(o.nice);
  const results = { meta: {}, sections: {} };
  const stamp = new Date().toISOString().replace(/[:]/g, '-').replace(/\..*/, '');
  mkdirSync(o.out, { recursive: true });
  const dirs = {
    tmp: registerTempDir(mkdtempSync(join(tmpdir(), 'hops-bench-'))),
    build: join(BENCH_DIR, '.build'),
    profiles: join(o.out, 'profiles'),
  };
  mkdirSync(dirs.profiles, { recursive: true });
  let finished = false;
  const save = (partial) => {
    results.meta.finished = new Date().toISOString();
    results.meta.partial = partial;
    const md = renderMarkdown(results);
    writeFileSync(join(o.out, `${stamp}.json`), JSON.stringify(results, null, 2) + '\n');
    writeFileSync(join(o.out, `${stamp}.md`), md);
    writeFileSync(join(o.out, 'latest.json'), JSON.stringify(results, null, 2) + '\n');
    writeFileSync(join(o.out, 'latest.md'), md);
    return md;
  };
  installSignalHandlers(() => {
    if (!finished && Object.keys(results.sections).length > 0) save(true);
  });

  let buildNote;
  let hopsBuild;
  if (o.hopsMain) {
    HOPS_MAIN = resolve(process.cwd(), o.hopsMain);
    if (!existsSync(HOPS_MAIN)) throw new Error(`--hops-main ${o.hopsMain}: no such file`);
    hopsBuild = buildFingerprint(HOPS_MAIN);
  } else {
    log('building dist/ if stale …');
    try {
      execFileSync(process.execPath, [join(REPO, 'scripts', 'build-if-needed.mjs')], { stdio: 'inherit', cwd: REPO });
    } catch (err) {
      // src/ may be mid-edit on a shared checkout: measure the dist/ that is there, and say so.
      if (!existsSync(HOPS_MAIN)) throw err;
      buildNote = 'the build of src/ failed; measured the existing dist/';
      log(`WARNING: ${buildNote}`);
    }
    // A snapshot, so a rebuild of dist/ by someone else during the run cannot change what is
    // measured half-way. Inside the repository, so node_modules/ still resolves.
    hopsBuild = buildFingerprint(HOPS_MAIN, buildNote);
    hopsBuild.snapshot = true;
    const snapshot = registerTempDir(join(dirs.build, `hops-dist-${process.pid}`));
    rmSync(snapshot, { recursive: true, force: true });
    cpSync(join(REPO, 'dist'), snapshot, { recursive: true });
    HOPS_MAIN = join(snapshot, 'main.js');
  }
  log('compiling loadgen …');
  const loadgen = compile(dirs.build, 'loadgen.c', 'loadgen');
  const echoC = compile(dirs.build, 'floor/echo.c', 'echo-c');
  const help = execFileSync(process.execPath, [HOPS_MAIN, '--help'], { encoding: 'utf8' });

  // Nothing of ours may already be listening on the addresses we use.
  for (const host of ['0.1', '1.1', '2.1', '3.1', '100.1', '100.2', '100.4', '100.10', '100.11', '100.20']) {
    if (await dnsBusy(`${o.net}.${host}`, 53)) throw new Error(`${o.net}.${host}:53 already answers (another bench running? try --net 127.N)`);
  }
  const workersList = help.includes('--workers') ? await workersThatWork(o, dirs, o.workers) : [1];

  const coldListCount = o.rounds + 2;
  const data = makeDataset({ net: o.net, domains: o.domains, hostsPerDomain: o.hosts, coldDomains: Math.ceil(o.coldNames / 5) * coldListCount });
  const queryLines = makeQueries(data, o.queries);
  const warmLines = distinct(queryLines);
  const coldLists = makeColdLists(data, o.coldNames, coldListCount);
  const files = {
    queries: join(dirs.tmp, 'queries.txt'),
    warm: join(dirs.tmp, 'warm.txt'),
    cold: coldLists.map((_, i) => join(dirs.tmp, `cold-${i}.txt`)),
    coldProfile: join(dirs.tmp, 'cold-profile.txt'),
    rootHints: join(dirs.tmp, 'root.hints'),
    warmLines,
    coldLists,
  };
  writeFileSync(files.queries, queryLines.join('\n') + '\n');
  writeFileSync(files.warm, warmLines.join('\n') + '\n');
  coldLists.forEach((lines, i) => writeFileSync(files.cold[i], lines.join('\n') + '\n'));
  writeFileSync(files.coldProfile, coldLists.slice(2).flat().join('\n') + '\n');
  writeFileSync(files.rootHints, rootHintsText(data));
  const typeCounts = {};
  for (const l of queryLines) {
    const t = l.split(' ')[1];
    typeCounts[t] = (typeCounts[t] ?? 0) + 1;
  }
  results.meta = {
    started: new Date().toISOString(),
    versions: versions(),
    hopsBuild,
    options: { ...o, out: relative(REPO, o.out) },
    workersTried: workersList,
    workersProbe: workersNote,
    hopsHasWorkersFlag: help.includes('--workers'),
    dataset: {
      domains: o.domains, hostsPerDomain: o.hosts, hosts: data.hosts.length,
      queryFileLines: queryLines.length, distinctQuestions: warmLines.length,
      distinctNames: new Set(warmLines.map((l) => l.split(' ')[0])).size,
      mix: MIX, typeCounts, coldNames: coldLists[0].length, coldDomainsPerList: Math.ceil(o.coldNames / 5),
    },
  };
  log(`data: ${data.hosts.length} hosts in ${o.domains} domains; ${queryLines.length} queries, ${warmLines.length} distinct questions over ${results.meta.dataset.distinctNames} names`);

  const bench = new Bench(o, dirs, loadgen);
  bench.stamp = stamp;
  const want = (s) => o.sections.includes(s);
  const sectionError = (name, err) => {
    log(`${name}: FAILED: ${err.stack ?? err}`);
    results.sections[name] = { error: String(err.message ?? err) };
  };

  if (want('floor')) {
    try {
      results.sections.floor = await floorSection(bench, files, echoC);
    } catch (err) {
      sectionError('floor', err);
    }
    save(true);
  }

  if (want('local')) {
    try {
      results.sections.local = await localSection(bench, data, files, workersList);
    } catch (err) {
      sectionError('local', err);
    }
    save(true);
  }

  const needHierarchy = ['cache', 'cold', 'memory', 'profile'].some(want);
  if (needHierarchy) {
    log('starting the simulated hierarchy (NSD) …');
    const hierarchy = await startHierarchy({ dir: join(dirs.tmp, 'hierarchy'), servers: data.servers(), cpus: o.clientCpu });
    bench.hierarchyPids = hierarchy.map((p) => p.pid);
    try {
      if (want('cache')) {
        try {
          results.sections.cache = await cacheSection(bench, data, files, workersList);
        } catch (err) {
          sectionError('cache', err);
        }
        save(true);
      }
      if (want('profile')) {
        try {
          const zonesDir = join(dirs.tmp, 'local-zones');
          if (!existsSync(zonesDir)) {
            mkdirSync(zonesDir, { recursive: true });
            for (const z of data.localZones()) writeFileSync(join(zonesDir, `${z.origin.replace(/\.$/, '')}.zone`), zoneFileText(z));
          }
          results.sections.profile = await profileSection(bench, files, zonesDir);
        } catch (err) {
          sectionError('profile', err);
        }
        save(true);
      }
      if (want('cold')) {
        try {
          results.sections.cold = await coldSection(bench, files);
        } catch (err) {
          sectionError('cold', err);
        }
        save(true);
      }
      if (want('memory')) {
        try {
          results.sections.memory = await memorySection(bench, data, files);
        } catch (err) {
          sectionError('memory', err);
        }
      }
    } finally {
      for (const p of hierarchy) await p.stop();
    }
  }

  if (SIGNED_SECTIONS.some(want)) {
    // The same hierarchy on the same addresses, signed, once the unsigned one has stopped: the
    // root, the TLDs, hosting.net., 10.in-addr.arpa. and the cold domains (the zones the signed
    // sections walk), plus big.org.'s keys for memory-signed. The 120 leaf zones of the
    // other sections stay unsigned (insecure delegations), as nothing here asks about them.
    let signedHierarchy;
    try {
      log(`signing the simulated hierarchy (ldns-signzone, ${o.signedDenial}) …`);
      const warmLeaves = new Set(data.leafZones);
      const signed = await signHierarchy({
        dir: join(dirs.tmp, 'signed'), data, shouldSign: (z) => !warmLeaves.has(z), extraChildren: want('memory-signed') ? [data.big.origin] : [],
        denial: o.signedDenial, cpus: o.clientCpu, log,
      });
      results.meta.signing = { ...signed.signer.describe(), ...signed.stats };
      log('starting the signed hierarchy (NSD) …');
      signedHierarchy = await startHierarchy({ dir: join(dirs.tmp, 'signed-hierarchy'), servers: signed.servers, cpus: o.clientCpu });
      bench.hierarchyPids = signedHierarchy.map((p) => p.pid);
      if (want('cold-signed')) {
        try {
          results.sections['cold-signed'] = await coldSection(bench, files, { name: 'cold-signed', dnssec: { trustAnchor: signed.trustAnchor } });
        } catch (err) {
          sectionError('cold-signed', err);
        }
        save(true);
      }
      if (want('memory-signed')) {
        try {
          results.sections['memory-signed'] = await memorySection(bench, data, files, { name: 'memory-signed', signed });
        } catch (err) {
          sectionError('memory-signed', err);
        }
      }
    } catch (err) {
      for (const s of SIGNED_SECTIONS.filter(want)) if (!results.sections[s]) sectionError(s, err);
    } finally {
      for (const p of signedHierarchy ?? []) await p.stop();
    }
  }

  finished = true;
  const md = save(false);
  process.stdout.write(md);
  log(`results: ${relative(process.cwd(), join(o.out, `${stamp}.md`))} (and .json, latest.md, latest.json)`);
}

main().then(
  async () => {
    await stopAll();
    process.exit(0);
  },
  async (err) => {
    log(err.stack ?? String(err));
    await stopAll();
    process.exit(1);
  },
);
