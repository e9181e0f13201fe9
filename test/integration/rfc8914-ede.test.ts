// Extended DNS Errors (RFC 8914) as a user sees them: a `hops` resolver on
// real sockets, asked with the real `dig`, which prints the reason of a
// SERVFAIL as "; EDE: 22 (No Reachable Authority): (…)".
//
// A tiny internet on loopback: a root served by Hops (--recursion off) that
// delegates `dead.` to two addresses where nothing listens, and holds a
// CNAME loop. Port 53 on 127.56.x.y (lab/README.md lists the bases in use;
// 127.86 and 127.96 when another run holds it). Needs root and dig.

import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findBinary } from '../../lab/internet.mjs';
import { dig } from '../helpers/dig.js';
import { HOPS_MAIN, startHops, waitForTcp, type HopsProcess } from '../helpers/hops-process.js';

const NETS = ['127.56', '127.86', '127.96'];

const missing = [
  ...(process.getuid?.() === 0 ? [] : ['root (to bind port 53)']),
  ...(findBinary('dig') ? [] : ['dig (Debian package bind9-dnsutils)']),
  ...(existsSync(HOPS_MAIN) ? [] : [`${HOPS_MAIN} (npm run build)`]),
];
if (missing.length > 0) console.warn(`test/integration/rfc8914-ede.test.ts skipped: needs ${missing.join('; ')}`);

function rootZone(net: string): string {
  return `$ORIGIN .
$TTL 86400
@                   SOA   a.root-servers.ede. hostmaster.root-servers.ede. 1 1800 900 604800 86400
@                   NS    a.root-servers.ede.
a.root-servers.ede. A     ${net}.0.1
; dead.: both servers are addresses where nothing listens.
dead.               NS    ns1.dead.
dead.               NS    ns2.dead.
ns1.dead.           A     ${net}.9.1
ns2.dead.           A     ${net}.9.2
; A CNAME loop (RFC 1034 §3.6.2).
a.loop.             CNAME b.loop.
b.loop.             CNAME a.loop.
`;
}

describe.skipIf(missing.length > 0)('RFC 8914 Extended DNS Errors through dig (real sockets)', () => {
  const procs: HopsProcess[] = [];
  let dir: string | undefined;
  let resolver = '';

  /** Starts the root and the resolver on `net`; throws an "in use" error when another run holds it. */
  async function startOn(net: string): Promise<void> {
    for (const host of [`${net}.0.1`, `${net}.100.1`]) {
      // Something already answering there would answer instead of ours.
      if (await waitForTcp(host, 53, 0).then(() => true, () => false)) throw new Error(`${host}:53 already in use`);
    }
    dir = mkdtempSync(join(tmpdir(), `hops-ede-${net}-`));
    mkdirSync(join(dir, 'root'));
    mkdirSync(join(dir, 'none'));
    writeFileSync(join(dir, 'root', 'root.zone'), rootZone(net));
    writeFileSync(join(dir, 'root.hints'), `. 3600000 NS a.root-servers.ede.\na.root-servers.ede. 3600000 A ${net}.0.1\n`);
    procs.push(await startHops(`${net}.0.1`, 53, ['--zones', join(dir, 'root'), '--recursion', 'off', '--log-level', 'warn']));
    resolver = `${net}.100.1`;
    procs.push(await startHops(resolver, 53, [
      '--recursion', 'on',
      '--zones', join(dir, 'none'),
      '--root-hints', join(dir, 'root.hints'), // never the real root: nothing leaves 127/8
      '--query-loopback', 'on',
      '--ipv6-upstream', 'off',
      '--log-level', 'warn',
    ]));
  }

  async function stopAll(): Promise<void> {
    await Promise.all(procs.splice(0).map((p) => p.stop()));
    if (dir) rmSync(dir, { recursive: true, force: true });
    dir = undefined;
  }

  beforeAll(async () => {
    for (const net of NETS) {
      try {
        await startOn(net);
        return;
      } catch (err) {
        await stopAll();
        if (!/EADDRINUSE|in use/i.test((err as Error).message) || net === NETS.at(-1)) throw err;
      }
    }
  }, 40_000);

  afterAll(stopAll, 20_000);

  it('§4.23: a zone whose servers are all down gives SERVFAIL with "EDE: 22 (No Reachable Authority)" naming the zone', async () => {
    const r = await dig(resolver, 53, ['www.dead', 'A']);
    expect(r.status, r.raw).toBe('SERVFAIL');
    expect(r.raw).toContain('; EDE: 22 (No Reachable Authority)');
    expect(r.ede, r.raw).toEqual([{ code: 22, name: 'No Reachable Authority', text: 'zone dead.: no server answered (unreachable: 2)' }]);
  });

  it('RFC 2308 §7.1: the repeat, answered from the failure cache, still says why', async () => {
    const r = await dig(resolver, 53, ['www.dead', 'A']);
    expect(r.status, r.raw).toBe('SERVFAIL');
    expect(r.ede, r.raw).toEqual([{ code: 22, name: 'No Reachable Authority', text: 'zone dead.: no server answered (unreachable: 2) (cached failure)' }]);
  });

  it('§3: without EDNS in the query (+noedns) there is no OPT, so no EDE', async () => {
    const r = await dig(resolver, 53, ['mail.dead', 'A', '+noedns']);
    expect(r.status, r.raw).toBe('SERVFAIL');
    expect(r.raw).not.toContain('OPT PSEUDOSECTION');
    expect(r.ede, r.raw).toEqual([]);
  });

  it('§4.1: a CNAME loop gives "EDE: 0 (Other)" saying where it loops', async () => {
    const r = await dig(resolver, 53, ['a.loop', 'A']);
    expect(r.status, r.raw).toBe('SERVFAIL');
    expect(r.ede, r.raw).toEqual([{ code: 0, name: 'Other', text: expect.stringMatching(/^CNAME loop at [ab]\.loop$/) }]);
  });
});
