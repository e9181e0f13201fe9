// Runs the built `hops` command (dist/main.js) as a child process, the way an
// operator would, and waits until it is ready: the issue defines "ready" as
// "TCP accepts" on the listen address (UDP is bound before TCP).

import { spawn, type ChildProcess } from 'node:child_process';
import { connect } from 'node:net';
import { join } from 'node:path';

export const REPO = join(import.meta.dirname, '..', '..');
export const HOPS_MAIN = join(REPO, 'dist', 'main.js');

export interface HopsProcess {
  child: ChildProcess;
  /** Everything written to stdout so far (pino JSON lines). */
  stdout(): string;
  stderr(): string;
  /** Parsed JSON log lines. */
  logs(): Array<Record<string, unknown>>;
  /** Resolves with the first log line matching `match`, waiting for it (bounded). */
  waitForLog(match: (line: Record<string, unknown>) => boolean, timeoutMs?: number): Promise<Record<string, unknown>>;
  /** SIGTERM and wait for exit; resolves with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
  exited: Promise<number | null>;
}

/**
 * Runs any command that ends up running Hops (the built binary, another node
 * binary, under setpriv, inside a network namespace) as a HopsProcess. The
 * environment is ours minus HOPS_ variables (so the runner's own settings
 * cannot leak into a test), plus HOPS_DNSSEC=off, plus `env`. Validation is
 * on by default and anchored at the real root, which the simulated
 * hierarchies of the tests are not: tests of validation say `--dnssec
 * validate` and `--trust-anchor FILE` (flags win over the environment).
 */
export function spawnProcess(command: string, args: string[], options: { env?: NodeJS.ProcessEnv; cwd?: string } = {}): HopsProcess {
  const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('HOPS_')));
  const child = spawn(command, args, {
    cwd: options.cwd ?? REPO,
    env: { ...base, HOPS_DNSSEC: 'off', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  // Complete lines only: the last one may still be arriving.
  const logs = () => out.split('\n').filter((l) => l.startsWith('{') && l.endsWith('}')).map((l) => JSON.parse(l) as Record<string, unknown>);
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    logs,
    exited,
    // The process's stdout reaches us through a pipe, possibly after it
    // already accepts queries, so log assertions wait for their line.
    async waitForLog(match, timeoutMs = 5000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const line = logs().find(match);
        if (line) return line;
        if (Date.now() > deadline) throw new Error(`no matching log line within ${timeoutMs} ms; stdout:\n${out}`);
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    async stop(signal: NodeJS.Signals = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  };
}

/** The built `hops` command (dist/main.js) with `args`. */
export function spawnHops(args: string[], options: { env?: NodeJS.ProcessEnv; cwd?: string } = {}): HopsProcess {
  return spawnProcess(process.execPath, [HOPS_MAIN, ...args], options);
}

/** Resolves once a TCP connection to host:port succeeds (bounded). */
export async function waitForTcp(host: string, port: number, timeoutMs = 10_000, alive?: () => boolean): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const s = connect({ host, port });
      s.once('connect', () => { s.destroy(); resolve(true); });
      s.once('error', () => resolve(false));
    });
    if (ok) return;
    if (alive && !alive()) throw new Error(`process exited before ${host}:${port} accepted TCP`);
    if (Date.now() > deadline) throw new Error(`nothing accepted TCP on ${host}:${port} within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** spawnProcess, then waits until TCP on host:port accepts (bounded); kills it and throws if not. */
export async function startProcess(command: string, args: string[], host: string, port: number,
  options: { env?: NodeJS.ProcessEnv; cwd?: string } = {}): Promise<HopsProcess> {
  const proc = spawnProcess(command, args, options);
  try {
    await waitForTcp(host, port, 10_000, () => proc.child.exitCode === null);
  } catch (err) {
    await proc.stop('SIGKILL');
    throw new Error(`${(err as Error).message}\nstdout: ${proc.stdout()}\nstderr: ${proc.stderr()}`);
  }
  return proc;
}

/** Starts hops listening on `host:port` and waits until it is ready there. */
export function startHops(host: string, port: number, args: string[], options: { env?: NodeJS.ProcessEnv; cwd?: string } = {}): Promise<HopsProcess> {
  const listen = host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
  return startProcess(process.execPath, [HOPS_MAIN, '--listen', listen, ...args], host, port, options);
}
