// The `hops` command as a user runs it: the built binary on a loopback
// address, queried with the real `dig`, checked on rcode, flags, sections
// and TTLs. Port 53 on 127.20.0.x (root; this file's own address block).

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { HOPS_MAIN, REPO, spawnHops, startHops, type HopsProcess } from '../helpers/hops-process.js';
import { dig } from '../helpers/dig.js';

const run = promisify(execFile);
const isRoot = process.getuid?.() === 0;
const HOST = '127.20.0.1';
const PORT = 53;

const BIG_TXT = Array.from({ length: 30 }, (_, i) => `big IN TXT "${'x'.repeat(60)}-${i}"`).join('\n');

function writeZones(dir: string): void {
  writeFileSync(join(dir, 'lab.test.zone'), `$TTL 300
@ IN SOA ns1 hostmaster 1 3600 600 86400 60
@ IN NS ns1
ns1 IN A 127.20.0.1
www IN A 192.0.2.10
${BIG_TXT}
`);
}

describe.skipIf(!isRoot)('hops serving zone files, queried with dig', () => {
  let hops: HopsProcess;
  let dir: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'hops-e2e-'));
    mkdirSync(join(dir, 'zones'));
    writeZones(join(dir, 'zones'));
    // Also serve the shipped example zones, as `npm start` would.
    await run('cp', [join(REPO, 'zones', 'home.lan.zone'), join(REPO, 'zones', '1.168.192.in-addr.arpa.zone'), join(dir, 'zones')]);
    hops = await startHops(HOST, PORT, ['--listen', '[::1]:5320', '--zones', join(dir, 'zones'), '--recursion', 'off', '--log-level', 'debug']);
  });

  afterAll(async () => {
    await hops?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('logs one info line at start with listen addresses and zones with record counts', async () => {
    const start = await hops.waitForLog((l) => l.msg === 'hops started');
    expect(start).toMatchObject({ level: 30, listen: ['127.20.0.1:53', '[::1]:5320'] });
    expect(start!.zones).toEqual(expect.arrayContaining([{ zone: 'home.lan', records: expect.any(Number) }, { zone: 'lab.test', records: 34 }]));
  });

  it('answers over UDP with AA, the record and its TTL, and echoes EDNS', async () => {
    const r = await dig(HOST, PORT, ['www.lab.test', 'A']);
    expect(r.status).toBe('NOERROR');
    expect(r.flags).toEqual(expect.arrayContaining(['qr', 'aa', 'rd']));
    expect(r.flags).not.toContain('ra');
    expect(r.answer).toEqual([{ name: 'www.lab.test.', ttl: 300, class: 'IN', type: 'A', data: '192.0.2.10' }]);
    expect(r.edns).toEqual({ version: 0, udp: 1232 });
  });

  it('answers over TCP', async () => {
    const r = await dig(HOST, PORT, ['www.lab.test', '+tcp']);
    expect(r.status).toBe('NOERROR');
    expect(r.answer.map((a) => a.data)).toEqual(['192.0.2.10']);
  });

  it('answers without EDNS, and then sends no OPT', async () => {
    const r = await dig(HOST, PORT, ['www.lab.test', '+noedns']);
    expect(r.status).toBe('NOERROR');
    expect(r.edns).toBeUndefined();
    expect(r.answer).toHaveLength(1);
  });

  it('answers from the shipped example zone: MX with its target address in additional', async () => {
    const r = await dig(HOST, PORT, ['home.lan', 'MX']);
    expect(r.status).toBe('NOERROR');
    expect(r.answer.length).toBeGreaterThan(0);
    expect(r.answer[0].type).toBe('MX');
    const target = r.answer[0].data.split(' ')[1];
    expect(r.additional.some((a) => a.name === target && (a.type === 'A' || a.type === 'AAAA'))).toBe(true);
  });

  it('answers reverse lookups from the example reverse zone', async () => {
    const r = await dig(HOST, PORT, ['-x', '192.168.1.1']);
    expect(r.status).toBe('NOERROR');
    expect(r.answer[0]).toMatchObject({ type: 'PTR', data: 'router.home.lan.' });
  });

  it('NXDOMAIN carries the SOA with TTL = min(SOA TTL, MINIMUM) (RFC 2308 §3)', async () => {
    const r = await dig(HOST, PORT, ['missing.lab.test']);
    expect(r.status).toBe('NXDOMAIN');
    expect(r.flags).toContain('aa');
    expect(r.authority).toHaveLength(1);
    expect(r.authority[0]).toMatchObject({ name: 'lab.test.', type: 'SOA', ttl: 60 });
  });

  it('NODATA is NOERROR with an empty answer and the SOA', async () => {
    const r = await dig(HOST, PORT, ['www.lab.test', 'AAAA']);
    expect(r.status).toBe('NOERROR');
    expect(r.answer).toEqual([]);
    expect(r.authority[0].type).toBe('SOA');
  });

  it('names outside every zone are REFUSED with recursion off', async () => {
    const r = await dig(HOST, PORT, ['example.org']);
    expect(r.status).toBe('REFUSED');
  });

  it('a big answer is truncated over UDP with +bufsize=512 (TC=1) …', async () => {
    const r = await dig(HOST, PORT, ['big.lab.test', 'TXT', '+bufsize=512', '+ignore']);
    expect(r.flags).toContain('tc');
    expect(r.answer).toEqual([]);
  });

  it('… and dig retries over TCP by itself and gets all 30 records', async () => {
    const r = await dig(HOST, PORT, ['big.lab.test', 'TXT', '+bufsize=512']);
    expect(r.raw).toMatch(/Truncated, retrying in TCP mode/);
    expect(r.flags).not.toContain('tc');
    expect(r.answer).toHaveLength(30);
  });

  it('without EDNS the limit is 512 bytes', async () => {
    const r = await dig(HOST, PORT, ['big.lab.test', 'TXT', '+noedns', '+ignore']);
    expect(r.flags).toContain('tc');
  });

  it('listens on IPv6 loopback too, UDP and TCP', async () => {
    for (const proto of ['+notcp', '+tcp']) {
      const r = await dig('::1', 5320, ['www.lab.test', proto]);
      expect(r.status).toBe('NOERROR');
      expect(r.answer[0].data).toBe('192.0.2.10');
    }
  });

  it('preserves the letter case of the question', async () => {
    const r = await dig(HOST, PORT, ['WwW.LaB.TeSt']);
    expect(r.raw).toMatch(/;WwW\.LaB\.TeSt\.\s+IN\s+A/);
    expect(r.status).toBe('NOERROR');
  });

  it('logs one debug line per query with client, name, type and rcode', async () => {
    await dig(HOST, PORT, ['debuglog.lab.test', 'MX']);
    const line = await hops.waitForLog((l) => l.level === 20 && l.qname === 'debuglog.lab.test');
    expect(line).toBeDefined();
    expect(line).toMatchObject({ qname: 'debuglog.lab.test', qtype: 'MX', rcode: 'NXDOMAIN', client: '127.0.0.1', transport: 'udp' });
    expect(typeof line!.ms).toBe('number');
  });
});

describe('the hops command line', () => {
  it('an unknown flag exits non-zero naming it', async () => {
    const p = spawnHops(['--no-such-flag', 'x']);
    expect(await p.exited).toBe(2);
    expect(p.stderr()).toMatch(/unknown flag --no-such-flag/);
  });

  it('a bad value exits non-zero naming the setting and the value', async () => {
    const p = spawnHops(['--listen', 'nowhere']);
    expect(await p.exited).toBe(2);
    expect(p.stderr()).toMatch(/--listen: invalid value "nowhere"/);
  });

  it('an unreadable root hints file stops start-up with a clear message', async () => {
    const p = spawnHops(['--listen', '127.20.0.9:5399', '--root-hints', '/nonexistent/named.root']);
    expect(await p.exited).toBe(1);
    expect(p.stderr()).toMatch(/\/nonexistent\/named\.root/);
    expect(p.stderr()).not.toMatch(/\n\s+at /); // a message, not a stack trace
  });

  it.skipIf(!isRoot)('an address in use is reported with a clear message and exit 1', async () => {
    const first = await startHops('127.20.0.2', 53, ['--recursion', 'off', '--zones', join(REPO, 'zones')]);
    try {
      const second = spawnHops(['--listen', '127.20.0.2:53', '--recursion', 'off']);
      expect(await second.exited).toBe(1);
      expect(second.stderr()).toMatch(/cannot listen on 127\.20\.0\.2:53 \(udp\): the address is already in use/);
    } finally {
      await first.stop();
    }
  });

  it.each(['SIGTERM', 'SIGINT'] as const)('%s ends the process with exit code 0', async (signal) => {
    const p = await startHops('127.20.0.3', isRoot ? 53 : 5353, ['--recursion', 'off', '--zones', join(REPO, 'zones')]);
    expect(await p.stop(signal)).toBe(0);
  });

  it('--help lists every flag', async () => {
    const { stdout } = await run(process.execPath, [HOPS_MAIN, '--help']);
    for (const flag of ['--config', '--listen', '--zones', '--log-level', '--recursion', '--root-hints', '--cache-size']) {
      expect(stdout).toContain(flag);
    }
  });
});

describe('hops check-zones', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'hops-check-'));
    mkdirSync(join(dir, 'good'));
    mkdirSync(join(dir, 'mixed'));
    writeZones(join(dir, 'good'));
    writeZones(join(dir, 'mixed'));
    writeFileSync(join(dir, 'mixed', 'broken.test.zone'), '$TTL 60\n@ IN SOA ns1 h 1 1 1 1 1\n@ IN NS ns1\nns1 IN A 999.1.1.1\n');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('exits 0 and summarises good zones', async () => {
    const { stdout } = await run(process.execPath, [HOPS_MAIN, 'check-zones', join(dir, 'good')]);
    expect(stdout).toMatch(/lab\.test: 34 records/);
  });

  it('prints file, line and reason and exits 1 when a zone is bad', async () => {
    const err = await run(process.execPath, [HOPS_MAIN, 'check-zones', join(dir, 'mixed')]).then(() => undefined, (e: { code: number; stdout: string }) => e);
    expect(err?.code).toBe(1);
    expect(err?.stdout).toMatch(new RegExp(`${join(dir, 'mixed', 'broken.test.zone').replace(/[.]/g, '\\.')}:4: .*999\\.1\\.1\\.1`));
    expect(err?.stdout).toMatch(/lab\.test: 34 records/);
  });

  it('the shipped example zones are valid', async () => {
    await expect(run(process.execPath, [HOPS_MAIN, 'check-zones', join(REPO, 'zones')])).resolves.toBeDefined();
  });
});
