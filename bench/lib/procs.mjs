// Processes the benchmark starts, and what it reads about them from /proc.
// Every child runs in its own process group and is registered here, so a
// normal end, an error or Ctrl-C stops them all (SIGTERM, then SIGKILL) and
// removes the temporary folders. Only processes started here are signalled.

import { spawn, spawnSync } from 'node:child_process';
import { readFileSync, readdirSync, rmSync } from 'node:fs';
import dgram from 'node:dgram';

const children = new Set();
const tempDirs = new Set();
let keepTemp = false;

export function keepTempDirs(keep) {
  keepTemp = keep;
}
export function registerTempDir(dir) {
  tempDirs.add(dir);
  return dir;
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
export { sleep };

let niceness = 0;
/**
 * Niceness of every process started from now on (the benchmark raises its
 * own processes' priority so other work on a shared machine disturbs less).
 */
export function setNiceness(n) {
  niceness = n;
}

/**
 * Starts `command args` pinned to `cpus` (taskset -c) at the configured
 * niceness, in its own process group, output kept (last 64 KB). nice and
 * taskset exec the program, so the pid is the program's own.
 */
export function start(name, command, args, { cpus, cwd, env } = {}) {
  let argv = [command, ...args];
  if (cpus !== undefined) argv = ['taskset', '-c', String(cpus), ...argv];
  if (niceness !== 0) argv = ['nice', '-n', String(niceness), ...argv];
  const child = spawn(argv[0], argv.slice(1), { cwd, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const keep = (chunk) => {
    output += chunk.toString();
    if (output.length > 65536) output = output.slice(-65536);
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
  const proc = {
    name,
    pid: child.pid,
    child,
    exited,
    output: () => (spawnError ? `${spawnError.message}\n` : '') + output,
    running: () => child.exitCode === null && child.signalCode === null && spawnError === undefined,
    async stop(graceMs = 5000) {
      if (child.pid === undefined) return;
      if (proc.running()) {
        signalGroup(child.pid, 'SIGTERM');
        const timer = setTimeout(() => signalGroup(child.pid, 'SIGKILL'), graceMs);
        await exited;
        clearTimeout(timer);
      }
      signalGroup(child.pid, 'SIGKILL'); // helpers NSD forked, if any are left
      children.delete(proc);
    },
  };
  children.add(proc);
  return proc;
}

function signalGroup(pid, signal) {
  try {
    process.kill(-pid, signal);
  } catch {
    try {
      process.kill(pid, signal);
    } catch {
      // gone
    }
  }
}

/** Runs a command to completion (pinned when cpus is given); resolves { code, stdout, stderr }. */
export function run(command, args, { cpus, timeoutMs = 600_000, cwd } = {}) {
  const proc = start(command.split('/').pop(), command, args, { cpus, cwd });
  let stdout = '';
  let stderr = '';
  proc.child.stdout.on('data', (c) => { stdout += c; });
  proc.child.stderr.on('data', (c) => { stderr += c; });
  const timer = setTimeout(() => signalGroup(proc.pid, 'SIGKILL'), timeoutMs);
  // 'exit' can come before the last of the output has been read: wait for the pipes to close too.
  const drained = (stream) => new Promise((resolve) => {
    if (!stream || stream.closed) resolve();
    else stream.once('close', resolve);
  });
  return Promise.all([proc.exited, drained(proc.child.stdout), drained(proc.child.stderr)]).then(([code]) => {
    clearTimeout(timer);
    children.delete(proc);
    return { code, stdout, stderr };
  });
}

export async function stopAll() {
  await Promise.all([...children].map((p) => p.stop(3000)));
  if (!keepTemp) for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
  tempDirs.clear();
}

/** Last resort on process exit: no awaiting possible, so SIGKILL and remove. */
function killNow() {
  for (const p of children) if (p.pid) signalGroup(p.pid, 'SIGKILL');
  if (!keepTemp) for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
}

/** Ctrl-C, SIGTERM, SIGHUP: stop everything, then exit 130. */
export function installSignalHandlers(onInterrupt) {
  let stopping = false;
  const handler = (signal) => {
    if (stopping) {
      killNow();
      process.exit(130);
    }
    stopping = true;
    process.stderr.write(`\nbench: ${signal}: stopping every process and removing temporary files…\n`);
    Promise.resolve(onInterrupt?.())
      .catch(() => {})
      .then(() => stopAll())
      .finally(() => process.exit(130));
  };
  for (const s of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(s, handler);
  process.on('exit', killNow);
}

// ---- /proc --------------------------------------------------------------------

/** The pid and all its descendants (cluster workers, if any). */
export function processTree(pid) {
  const parents = new Map();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (!parents.has(ppid)) parents.set(ppid, []);
      parents.get(ppid).push(Number(entry));
    } catch {
      // exited meanwhile
    }
  }
  const out = [pid];
  for (let i = 0; i < out.length; i++) out.push(...(parents.get(out[i]) ?? []));
  return out;
}

/** utime+stime of the processes, in seconds. */
export function cpuSeconds(pids) {
  const hz = 100; // USER_HZ on Linux
  let ticks = 0;
  for (const pid of pids) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      // exited
    }
  }
  return ticks / hz;
}

/**
 * CPU time the processes' threads have run, in seconds, from
 * /proc/PID/task/TID/schedstat (nanoseconds): /proc/PID/stat counts in 10 ms
 * ticks, too coarse for a few hundred names. Threads that have exited are
 * not counted.
 */
export function cpuSecondsExact(pids) {
  let ns = 0;
  for (const pid of pids) {
    let tids;
    try {
      tids = readdirSync(`/proc/${pid}/task`);
    } catch {
      continue; // exited
    }
    for (const tid of tids) {
      try {
        ns += Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ')[0]);
      } catch {
        // exited meanwhile
      }
    }
  }
  return ns / 1e9;
}

/** Resident set size of the processes, bytes (VmRSS). */
export function rssBytes(pids) {
  let kb = 0;
  for (const pid of pids) {
    try {
      const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
      if (m) kb += Number(m[1]);
    } catch {
      // exited
    }
  }
  return kb * 1024;
}

/**
 * Jiffies of each CPU from /proc/stat: task time (user+nice+system), interrupt
 * time (irq+softirq: on loopback, much of the packet delivery), steal, total.
 */
export function cpuTimes() {
  const out = {};
  for (const line of readFileSync('/proc/stat', 'utf8').split('\n')) {
    const m = /^cpu(\d+) (.*)$/.exec(line);
    if (!m) continue;
    const v = m[2].trim().split(/\s+/).map(Number);
    const total = v.slice(0, 8).reduce((a, b) => a + b, 0);
    out[m[1]] = { task: v[0] + v[1] + v[2], irq: v[5] + v[6], steal: v[7], total };
  }
  return out;
}

export function which(name) {
  const r = spawnSync('sh', ['-c', `command -v ${name} || ls /usr/sbin/${name} 2>/dev/null`], { encoding: 'utf8' });
  const path = r.stdout.trim().split('\n')[0];
  return path || undefined;
}

// ---- a tiny DNS client for readiness probes --------------------------------------

const TYPES = { A: 1, NS: 2, SOA: 6, PTR: 12, MX: 15, TXT: 16, AAAA: 28 };

function encodeQuery(name, type, klass = 1, rd = true) {
  const labels = name === '.' ? [] : name.replace(/\.$/, '').split('.');
  const parts = [Buffer.from([0x12, 0x34, rd ? 0x01 : 0, 0, 0, 1, 0, 0, 0, 0, 0, 0])];
  for (const l of labels) parts.push(Buffer.from([l.length]), Buffer.from(l, 'ascii'));
  const code = TYPES[type] ?? type;
  parts.push(Buffer.from([0, code >> 8, code & 255, klass >> 8, klass & 255]));
  return Buffer.concat(parts);
}

/** One UDP query; resolves { rcode, ancount } or undefined on timeout. Loopback only. */
export function probe(address, port, name, type = 'A', { klass = 1, timeoutMs = 1000, rd = true } = {}) {
  if (!address.startsWith('127.')) throw new Error(`bench: refusing to query ${address} (loopback only)`);
  return new Promise((resolve) => {
    const socket = dgram.createSocket('udp4');
    const done = (value) => {
      clearTimeout(timer);
      socket.close();
      resolve(value);
    };
    const timer = setTimeout(() => done(undefined), timeoutMs);
    socket.on('message', (m) => {
      if (m.length >= 12) done({ rcode: m[3] & 15, ancount: m.readUInt16BE(6), tc: (m[2] & 2) !== 0 });
    });
    socket.on('error', () => done(undefined));
    socket.send(encodeQuery(name, type, klass, rd), port, address);
  });
}

/** Waits until a DNS server answers anything on address:port (CHAOS TXT id.server: no cache involved). */
export async function waitForDns(proc, address, port, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (!proc.running()) throw new Error(`${proc.name} exited during start-up:\n${proc.output().slice(-3000)}`);
    const r = await probe(address, port, 'id.server', 'TXT', { klass: 3, timeoutMs: 300 });
    if (r) return;
    if (Date.now() > deadline) throw new Error(`${proc.name} did not answer on ${address}:${port} within ${timeoutMs} ms:\n${proc.output().slice(-3000)}`);
    await sleep(100);
  }
}

/** True when something already answers there (another server would be measured instead of ours). */
export async function dnsBusy(address, port) {
  return (await probe(address, port, 'id.server', 'TXT', { klass: 3, timeoutMs: 200 })) !== undefined;
}
