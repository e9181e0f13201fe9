// The `hops` process as an operator runs it on a LAN: access control and rate
// limiting seen from different loopback source addresses, SIGHUP reloads,
// SIGTERM/SIGINT with queries in flight, and configurations refused at start.
// Needs root (port 53 on 127.66.x.y), dig, and a built dist/.

import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { decodeMessage } from '../../src/dns/codec.js';
import { RCode } from '../../src/dns/message.js';
import { dig } from '../helpers/dig.js';
import { HOPS_MAIN, spawnHops, startHops, type HopsProcess } from '../helpers/hops-process.js';
import { query } from '../server/helpers.js';
import {
  lanZone, startBlackhole, tcpExchangeFrom, tempDir, udpExchangeFrom, writeRootHints,
} from './helpers.js';

const isRoot = process.getuid?.() === 0;
const haveDig = spawnSync('dig', ['-v'], { stdio: 'ignore' }).status === 0;
const skip = !isRoot || !haveDig || !existsSync(HOPS_MAIN);
if (skip) console.warn(`test/lan/serve.test.ts skipped: needs root, dig and ${HOPS_MAIN} (npm run build)`);

let dir: string;
let zonesDir: string;
let zoneFile: string;
/** Root hints pointing at 127.66.0.9, where nothing listens: recursion fails fast with SERVFAIL. */
let deadRootHints: string;
const running: HopsProcess[] = [];

beforeAll(() => {
  dir = tempDir('serve');
  zonesDir = join(dir, 'zones');
  mkdirSync(zonesDir);
  zoneFile = join(zonesDir, 'lan.test.zone');
  writeFileSync(zoneFile, lanZone('192.0.2.10'));
  deadRootHints = writeRootHints(dir, '127.66.0.9');
});
afterEach(async () => {
  await Promise.all(running.splice(0).map((p) => p.stop('SIGKILL')));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function hops(host: string, args: string[]): Promise<HopsProcess> {
  const proc = await startHops(host, 53, ['--zones', zonesDir, '--root-hints', deadRootHints, ...args]);
  running.push(proc);
  return proc;
}

const from = (source: string, ...args: string[]) => ['-b', source, ...args];

describe.skipIf(skip)('access control, from different loopback sources', () => {
  it('--allow 127.0.0.1/32: recursion for that address only; others get REFUSED without RA', async () => {
    await hops('127.66.1.1', ['--allow', '127.0.0.1/32']);
    const inside = await dig('127.66.1.1', 53, from('127.0.0.1', 'www.example.org', 'A'));
    expect(inside.status).toBe('SERVFAIL'); // it recursed (to a dead root)
    expect(inside.flags).toContain('ra');
    const outside = await dig('127.66.1.1', 53, from('127.66.1.3', 'www.example.org', 'A'));
    expect(outside.status).toBe('REFUSED');
    expect(outside.flags).not.toContain('ra');
    // localZonesAccess all (the default): the local zone answers everyone.
    const local = await dig('127.66.1.1', 53, from('127.66.1.3', 'host.lan.test', 'A'));
    expect([local.status, local.answer[0]?.data]).toEqual(['NOERROR', '192.0.2.10']);
    const localTcp = await dig('127.66.1.1', 53, from('127.66.1.3', 'host.lan.test', 'A', '+tcp'));
    expect(localTcp.status).toBe('NOERROR');
  });

  it('--local-zones-access allowed: local zones only for the allowed networks', async () => {
    await hops('127.66.1.2', ['--allow', '127.0.0.1/32', '--local-zones-access', 'allowed']);
    expect((await dig('127.66.1.2', 53, from('127.66.1.3', 'host.lan.test', 'A'))).status).toBe('REFUSED');
    expect((await dig('127.66.1.2', 53, from('127.66.1.3', 'host.lan.test', 'A', '+tcp'))).status).toBe('REFUSED');
    expect((await dig('127.66.1.2', 53, from('127.0.0.1', 'host.lan.test', 'A'))).status).toBe('NOERROR');
  });

  it('by default every loopback (and LAN) client may recurse, and no open-resolver warning is logged', async () => {
    const proc = await hops('127.66.1.4', []);
    expect((await dig('127.66.1.4', 53, from('127.66.1.3', 'www.example.org', 'A'))).status).toBe('SERVFAIL');
    expect(proc.logs().filter((l) => /open resolver/.test(String(l.msg)))).toEqual([]);
  });

  it('warns at start when the allow list admits everything', async () => {
    const proc = await hops('127.66.1.5', ['--allow', '0.0.0.0/0']);
    const line = await proc.waitForLog((l) => /open resolver/.test(String(l.msg)));
    expect(line.level).toBe(40);
  });
});

describe.skipIf(skip)('rate limiting over UDP, per /24', () => {
  const ask = (id: number) => query('host.lan.test', 'A', { id });

  it('answers a burst, then drops and slips TC=1; another /24 and TCP are not limited', async () => {
    const proc = await hops('127.66.2.1', ['--recursion', 'off', '--log-level', 'debug',
      '--rate-limit-responses-per-second', '1', '--rate-limit-burst', '5', '--rate-limit-slip', '2']);
    const replies = (await udpExchangeFrom('127.66.2.3', '127.66.2.1', 53, Array.from({ length: 30 }, (_, i) => ask(i))))
      .map((r) => decodeMessage(r));
    const full = replies.filter((r) => !r.tc);
    const truncated = replies.filter((r) => r.tc);
    // 5 from the burst (perhaps one more refilled, at 1/s, while sending); of the rest, every 2nd slips.
    expect(full.length).toBeGreaterThanOrEqual(5);
    expect(full.length).toBeLessThanOrEqual(6);
    for (const r of full) expect(r.answers[0]?.data).toBe('192.0.2.10');
    expect(truncated.length).toBe(Math.floor((30 - full.length) / 2));
    for (const r of truncated) expect([r.rcode, r.answers.length, r.questions[0]?.name]).toEqual([RCode.NOERROR, 0, 'host.lan.test']);
    expect(replies.length).toBeLessThan(20); // the rest were dropped

    // A client in another /24 has its own bucket.
    expect(await udpExchangeFrom('127.66.3.3', '127.66.2.1', 53, [ask(100)], 500)).toHaveLength(1);
    // TCP from the limited address: every query answered.
    const tcp = await tcpExchangeFrom('127.66.2.3', '127.66.2.1', 53, Array.from({ length: 10 }, (_, i) => ask(200 + i)));
    expect(tcp.map((r) => decodeMessage(r).tc)).toEqual(Array(10).fill(false));
    // One debug line per event.
    await proc.waitForLog((l) => l.reason === 'rate limit: drop');
    await proc.waitForLog((l) => l.reason === 'rate limit: slip');
  });

  it('slip 1: a limited dig client gets TC=1 and retries over TCP successfully', async () => {
    await hops('127.66.4.1', ['--recursion', 'off', '--rate-limit-responses-per-second', '1', '--rate-limit-slip', '1']);
    await udpExchangeFrom('127.66.4.3', '127.66.4.1', 53, Array.from({ length: 5 }, (_, i) => ask(i)), 200);
    const out = await dig('127.66.4.1', 53, from('127.66.4.3', 'host.lan.test', 'A'));
    expect(out.raw).toContain('Truncated, retrying in TCP mode.');
    expect(out.answer[0]?.data).toBe('192.0.2.10');
  });
});

describe.skipIf(skip)('SIGHUP reloads the zone files', () => {
  it('picks up an edit, keeps the previous zone on a broken edit (logging file:line), and drops no query', async () => {
    writeFileSync(zoneFile, lanZone('192.0.2.10'));
    const proc = await hops('127.66.5.1', ['--recursion', 'off']);
    const answer = async () => (await dig('127.66.5.1', 53, ['host.lan.test', 'A'])).answer[0]?.data;
    expect(await answer()).toBe('192.0.2.10');

    writeFileSync(zoneFile, lanZone('192.0.2.11'));
    proc.child.kill('SIGHUP');
    const reloaded = await proc.waitForLog((l) => String(l.msg).startsWith('zones reloaded: 1 changed'));
    expect(reloaded.changed).toEqual([{ zone: 'lan.test', file: zoneFile, serial: [1, 1], records: [4, 4] }]);
    expect(await answer()).toBe('192.0.2.11');

    // Line 5 gets an address that is not one.
    writeFileSync(zoneFile, lanZone('192.0.2.999'));
    proc.child.kill('SIGHUP');
    const error = await proc.waitForLog((l) => l.level === 50 && l.file === zoneFile);
    expect(error.line).toBe(5);
    expect(String(error.msg)).toContain(`${zoneFile}:5:`);
    await proc.waitForLog((l) => String(l.msg) === `zone lan.test keeps its previous version: ${zoneFile} has errors`);
    await proc.waitForLog((l) => String(l.msg).startsWith('zones reloaded: 0 changed, 0 added, 0 removed, 1 kept'));
    expect(await answer()).toBe('192.0.2.11');

    // Queries keep being answered, correctly, while reloads happen.
    writeFileSync(zoneFile, lanZone('192.0.2.12'));
    const wires = Array.from({ length: 200 }, (_, i) => query('host.lan.test', 'A', { id: i }));
    const replies: Buffer[] = [];
    for (let batch = 0; batch < 10; batch++) {
      const got = udpExchangeFrom('127.0.0.1', '127.66.5.1', 53, wires.slice(batch * 20, batch * 20 + 20), 300);
      proc.child.kill('SIGHUP');
      replies.push(...await got);
    }
    expect(replies).toHaveLength(200);
    for (const reply of replies.map((r) => decodeMessage(r))) {
      expect(reply.rcode).toBe(RCode.NOERROR);
      expect(reply.answers).toHaveLength(1);
    }
    expect(await answer()).toBe('192.0.2.12');
  });
});

describe.skipIf(skip)('SIGTERM and SIGINT', () => {
  it('SIGTERM: takes no new query, answers the one in flight, then exits 0', async () => {
    const blackhole = await startBlackhole('127.66.6.9');
    try {
      const hints = writeRootHints(dir, '127.66.6.9', 'blackhole.hints');
      const proc = await startHops('127.66.6.1', 53, ['--zones', zonesDir, '--root-hints', hints]);
      running.push(proc);
      // Recursion to a root that never answers: in flight until the resolver gives up (SERVFAIL).
      const slow = dig('127.66.6.1', 53, ['slow.example', 'A', '+time=9']);
      const before = blackhole.received();
      for (let i = 0; i < 100 && blackhole.received() === before; i++) await new Promise((r) => setTimeout(r, 20));
      expect(blackhole.received()).toBeGreaterThan(before);
      proc.child.kill('SIGTERM');
      const stopping = await proc.waitForLog((l) => String(l.msg).startsWith('stopping'));
      expect(stopping.inFlight).toBe(1);
      // A new query, even for a local zone, is not answered any more.
      expect(await udpExchangeFrom('127.0.0.1', '127.66.6.1', 53, [query('host.lan.test', 'A')], 500)).toEqual([]);
      expect(proc.child.exitCode).toBeNull();
      expect((await slow).status).toBe('SERVFAIL');
      expect(await proc.exited).toBe(0);
      expect(proc.logs().find((l) => l.msg === 'stopped')?.unanswered).toBe(0);
    } finally {
      await blackhole.close();
    }
  });

  it('SIGINT with nothing in flight exits 0 at once', async () => {
    const proc = await hops('127.66.6.2', ['--recursion', 'off']);
    const started = Date.now();
    proc.child.kill('SIGINT');
    expect(await proc.exited).toBe(0);
    expect(Date.now() - started).toBeLessThan(2000);
  });
});

describe.skipIf(skip)('start-up refuses what cannot work, in one line, with a non-zero exit', () => {
  async function exitOf(args: string[]): Promise<{ code: number | null; stderr: string }> {
    const proc = spawnHops(args);
    const timer = setTimeout(() => proc.child.kill('SIGKILL'), 10_000);
    const code = await proc.exited;
    clearTimeout(timer);
    return { code, stderr: proc.stderr() };
  }

  it('an unreadable zones folder with recursion off: nothing to serve', async () => {
    const missing = join(dir, 'no-such-folder');
    const { code, stderr } = await exitOf(['--listen', '127.66.7.1:53', '--recursion', 'off', '--zones', missing]);
    expect(code).toBe(1);
    expect(stderr).toMatch(new RegExp(`^hops: ${missing}: cannot read the zone directory: .*ENOENT.* nothing to serve\\n$`));
  });

  it('an unreadable zones folder with recursion on: a warning, then recursion only', async () => {
    const proc = await startHops('127.66.7.2', 53, ['--zones', join(dir, 'no-such-folder'), '--root-hints', deadRootHints]);
    running.push(proc);
    await proc.waitForLog((l) => l.level === 40 && /serving recursion only/.test(String(l.msg)));
    expect((await dig('127.66.7.2', 53, ['host.lan.test', 'A'])).status).toBe('SERVFAIL');
  });

  it('unreadable root hints', async () => {
    const { code, stderr } = await exitOf(['--listen', '127.66.7.3:53', '--zones', zonesDir, '--root-hints', join(dir, 'nope.hints')]);
    expect(code).toBe(1);
    expect(stderr).toContain('nope.hints');
  });

  it('a listen address already in use', async () => {
    await hops('127.66.7.4', ['--recursion', 'off']);
    const { code, stderr } = await exitOf(['--listen', '127.66.7.4:53', '--recursion', 'off', '--zones', zonesDir]);
    expect(code).toBe(1);
    expect(stderr).toBe('hops: cannot listen on 127.66.7.4:53 (udp): the address is already in use (is another DNS server running?)\n');
  });
});
