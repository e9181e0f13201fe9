// --workers N: N processes answering on the same address, started, restarted
// and stopped by a primary. Port 53 on 127.20.1.x (this file's block).

import { afterEach, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { REPO, spawnHops, startHops, type HopsProcess } from '../helpers/hops-process.js';
import { dig } from '../helpers/dig.js';

const isRoot = process.getuid?.() === 0;
const running: HopsProcess[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((p) => p.stop('SIGKILL')));
});

function childPids(pid: number): number[] {
  try {
    return execFileSync('pgrep', ['-P', String(pid)], { encoding: 'utf8' }).split('\n').filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

async function until<T>(what: () => T | undefined, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = what();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe.skipIf(!isRoot)('--workers', () => {
  it('runs N worker processes that all answer on the same address, UDP and TCP', async () => {
    const hops = await startHops('127.20.1.1', 53, ['--recursion', 'off', '--zones', join(REPO, 'zones'), '--workers', '2']);
    running.push(hops);
    await hops.waitForLog((l) => l.msg === 'all workers ready');
    expect(childPids(hops.child.pid!)).toHaveLength(2);
    const workersSeen = new Set(hops.logs().filter((l) => l.msg === 'hops started').map((l) => l.worker));
    expect(workersSeen).toEqual(new Set([1, 2]));
    for (let i = 0; i < 10; i++) {
      const r = await dig('127.20.1.1', 53, ['router.home.lan', i % 2 ? '+tcp' : '+notcp']);
      expect(r.answer[0]?.data).toBe('192.168.1.1');
    }
  });

  it('starts another worker when one dies, and keeps answering', async () => {
    const hops = await startHops('127.20.1.2', 53, ['--recursion', 'off', '--zones', join(REPO, 'zones'), '--workers', '2']);
    running.push(hops);
    await hops.waitForLog((l) => l.msg === 'all workers ready');
    const [victim] = childPids(hops.child.pid!);
    process.kill(victim, 'SIGKILL');
    await hops.waitForLog((l) => l.msg === 'a worker died; starting another');
    const now = await until(() => {
      const pids = childPids(hops.child.pid!);
      return pids.length === 2 && !pids.includes(victim) ? pids : undefined;
    });
    expect(now).toHaveLength(2);
    expect((await dig('127.20.1.2', 53, ['router.home.lan'])).answer[0]?.data).toBe('192.168.1.1');
  });

  it('SIGTERM stops every worker and exits 0', async () => {
    const hops = await startHops('127.20.1.3', 53, ['--recursion', 'off', '--zones', join(REPO, 'zones'), '--workers', '2']);
    await hops.waitForLog((l) => l.msg === 'all workers ready');
    const workers = childPids(hops.child.pid!);
    expect(await hops.stop('SIGTERM')).toBe(0);
    for (const pid of workers) expect(() => process.kill(pid, 0)).toThrow();
  });

  it('a worker that cannot bind stops the whole thing with exit 1, not a restart loop', async () => {
    const first = await startHops('127.20.1.4', 53, ['--recursion', 'off', '--zones', join(REPO, 'zones')]);
    running.push(first);
    const second = spawnHops(['--listen', '127.20.1.4:53', '--recursion', 'off', '--workers', '2']);
    running.push(second);
    expect(await second.exited).toBe(1);
    expect(second.stderr()).toMatch(/address is already in use/);
  });
});
