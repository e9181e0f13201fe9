// Recursion over real sockets: a `hops` resolver iterates through the lab
// internet (lab/internet.mjs: root on Hops and NSD, com/net on NSD, org on
// Knot, leaf zones on Hops and Knot, all on 127.54.x.y:53) and real `dig`
// checks what a client sees. Needs root (port 53), nsd, knotd and dig; CI has
// them (scripts/install-test-tools.sh), elsewhere the suite is skipped.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { labAddress, missingPrerequisites, startInternet, type LabInternet } from '../../lab/internet.mjs';
import { dig, type DigRecord, type DigResult } from '../helpers/dig.js';
import { startHops, type HopsProcess } from '../helpers/hops-process.js';

// 127.53 is `npm run lab`'s; the tests use their own base so both can run at
// once, and move to the next base when another run of this file holds it.
const NETS = ['127.54', '127.64', '127.74'];
let net = NETS[0];
const at = (host: string) => labAddress(net, host);

const missing = missingPrerequisites();
if (missing.length > 0) {
  console.warn(`test/integration/recursion.test.ts skipped: needs ${missing.join('; ')}`);
}

const rr = (records: DigRecord[]) => records.map((r) => `${r.name} ${r.type} ${r.data}`);

/** A recursive answer: qr rd ra, never aa (RFC 1035 §4.1.1: we are not the authority). */
function expectRecursive(r: DigResult, status = 'NOERROR'): void {
  expect(r.status, r.raw).toBe(status);
  expect(r.flags, r.raw).toEqual(expect.arrayContaining(['qr', 'rd', 'ra']));
  expect(r.flags, r.raw).not.toContain('aa');
  expect(r.flags, r.raw).not.toContain('tc');
}

/** RFC 2308 §3: a negative answer carries the zone's SOA in the authority section. */
function expectSoaAuthority(r: DigResult, zone: string, maxTtl: number): void {
  const soa = r.authority.filter((x) => x.type === 'SOA');
  expect(soa.map((x) => x.name), r.raw).toEqual([zone]);
  // RFC 2308 §5: the negative TTL is min(SOA TTL, SOA MINIMUM), counting down.
  expect(soa[0].ttl, r.raw).toBeLessThanOrEqual(maxTtl);
  expect(soa[0].ttl, r.raw).toBeGreaterThan(maxTtl - 30);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.skipIf(missing.length > 0)('recursion through a lab internet of Hops, NSD and Knot (real sockets, dig)', () => {
  let internet: LabInternet | undefined;
  const resolvers: HopsProcess[] = [];
  let zonesDir: string | undefined;

  const resolverArgs = () => [
    '--recursion', 'on',
    '--zones', zonesDir!, // empty: every answer comes from the lab, none from local zones
    '--root-hints', internet!.rootHintsFile, // never the real root: nothing leaves 127/8
    '--query-loopback', 'on',
    '--ipv6-upstream', 'off',
    '--log-level', 'debug',
  ];
  const ask = (name: string, type = 'A', ...extra: string[]) => dig(at('100.1'), 53, [name, type, ...extra]);

  beforeAll(async () => {
    try {
      internet = await startInternet({ net: NETS, timeoutMs: 15_000 });
      net = internet.net;
      zonesDir = mkdtempSync(join(tmpdir(), 'hops-recursion-zones-'));
      resolvers.push(await startHops(at('100.1'), 53, resolverArgs()));
    } catch (err) {
      await Promise.all(resolvers.map((r) => r.stop()));
      await internet?.stop();
      throw err;
    }
  }, 40_000);

  afterAll(async () => {
    await Promise.all(resolvers.map((r) => r.stop()));
    await internet?.stop();
    if (zonesDir) rmSync(zonesDir, { recursive: true, force: true });
  }, 20_000);

  it('answers an A record found through referrals with glue (root → com on NSD → example.com on Hops)', async () => {
    const r = await ask('host.example.com');
    expectRecursive(r);
    expect(rr(r.answer)).toEqual([`host.example.com. A ${at('3.10')}`]);
    expect(r.answer[0].ttl).toBeLessThanOrEqual(3600);
    expect(r.answer[0].ttl).toBeGreaterThan(3590);
  });

  it('answers AAAA and MX from the same zone', async () => {
    const aaaa = await ask('host.example.com', 'AAAA');
    expectRecursive(aaaa);
    expect(rr(aaaa.answer)).toEqual(['host.example.com. AAAA 2001:db8::10']);
    const mx = await ask('example.com', 'MX');
    expectRecursive(mx);
    expect(rr(mx.answer)).toEqual(['example.com. MX 10 mail.example.com.']);
  });

  it('follows a glueless delegation: example.net is served by ns1.dns-host.org, under org on Knot', async () => {
    const r = await ask('www.example.net');
    expectRecursive(r);
    expect(rr(r.answer)).toEqual([`www.example.net. A ${at('5.80')}`]);
  });

  it('returns a CNAME chain inside one zone whole, in order', async () => {
    const r = await ask('alias2.example.com');
    expectRecursive(r);
    expect(rr(r.answer)).toEqual([
      'alias2.example.com. CNAME alias.example.com.',
      'alias.example.com. CNAME host.example.com.',
      `host.example.com. A ${at('3.10')}`,
    ]);
  });

  it('returns a CNAME chain across zones whole (example.com on Hops → example.net on Hops)', async () => {
    const r = await ask('www.example.com');
    expectRecursive(r);
    expect(rr(r.answer)).toEqual([
      'www.example.com. CNAME www.example.net.',
      `www.example.net. A ${at('5.80')}`,
    ]);
  });

  it('returns a CNAME chain across zones whole (example.com on Hops → dns-host.org on Knot)', async () => {
    const r = await ask('cdn.example.com');
    expectRecursive(r);
    expect(rr(r.answer)).toEqual([
      'cdn.example.com. CNAME edge.dns-host.org.',
      `edge.dns-host.org. A ${at('2.80')}`,
    ]);
  });

  it('answers NXDOMAIN with the SOA of the zone that denies the name (Hops, NSD, Knot and the root)', async () => {
    for (const [name, zone, maxTtl] of [
      ['nope.example.com', 'example.com.', 300], // Hops; SOA TTL 3600, MINIMUM 300
      ['nope.com', 'com.', 900], // NSD
      ['nope.dns-host.org', 'dns-host.org.', 300], // Knot
      ['nope-tld', '.', 3600], // a root; SOA TTL and MINIMUM 86400, capped by --cache-max-negative-ttl (default 3600)
    ] as const) {
      const r = await ask(name);
      expectRecursive(r, 'NXDOMAIN');
      expect(r.answer, r.raw).toEqual([]);
      expectSoaAuthority(r, zone, maxTtl);
    }
  });

  it('answers NODATA (NOERROR, empty answer) with the SOA in the authority section', async () => {
    for (const [name, type, zone] of [
      ['host.example.com', 'TXT', 'example.com.'], // Hops
      ['edge.dns-host.org', 'AAAA', 'dns-host.org.'], // Knot
    ] as const) {
      const r = await ask(name, type);
      expectRecursive(r);
      expect(r.answer, r.raw).toEqual([]);
      expectSoaAuthority(r, zone, 300);
    }
  });

  it('answers a CNAME to a name that does not exist with the chain and NXDOMAIN (RFC 6604)', async () => {
    const r = await ask('dangling.example.com');
    expectRecursive(r, 'NXDOMAIN');
    expect(rr(r.answer)).toEqual(['dangling.example.com. CNAME nothing.example.net.']);
    expectSoaAuthority(r, 'example.net.', 300);
  });

  it('answers SERVFAIL, promptly, for a CNAME loop', async () => {
    const started = Date.now();
    const r = await ask('loop1.example.com');
    expect(r.status, r.raw).toBe('SERVFAIL');
    expect(r.flags, r.raw).toEqual(expect.arrayContaining(['qr', 'rd', 'ra']));
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('answers SERVFAIL, promptly, for broken delegations: all servers lame, a glueless cycle, a server name that does not exist', async () => {
    for (const name of ['www.lame.com', 'www.cycle-a.com', 'www.no-ns-address.net']) {
      const started = Date.now();
      const r = await ask(name, 'A', '+time=6');
      expect(r.status, `${name}\n${r.raw}`).toBe('SERVFAIL');
      expect(r.flags, r.raw).toEqual(expect.arrayContaining(['qr', 'rd', 'ra']));
      expect(r.answer, r.raw).toEqual([]);
      // Well inside the resolver's per-query time budget: nothing here needs a timeout.
      expect(Date.now() - started, name).toBeLessThan(2000);
    }
  });

  it('answers names synthesised from a wildcard (RFC 4592)', async () => {
    const txt = await ask('anything.wild.example.com', 'TXT');
    expectRecursive(txt);
    expect(rr(txt.answer)).toEqual(['anything.wild.example.com. TXT "wildcard"']);
    const a = await ask('a.b.wild.example.com', 'A');
    expectRecursive(a);
    expect(rr(a.answer)).toEqual([`a.b.wild.example.com. A ${at('3.42')}`]);
    const existing = await ask('exists.wild.example.com', 'TXT'); // the wildcard does not apply
    expectRecursive(existing);
    expect(existing.answer, existing.raw).toEqual([]);
    expectSoaAuthority(existing, 'example.com.', 300);
  });

  it('answers the second time from the cache, with the TTL counting down', async () => {
    const first = await ask('mail.example.com');
    expectRecursive(first);
    expect(rr(first.answer)).toEqual([`mail.example.com. A ${at('3.25')}`]);
    await sleep(1100);
    const second = await ask('mail.example.com');
    expectRecursive(second);
    expect(rr(second.answer)).toEqual(rr(first.answer));
    expect(second.answer[0].ttl).toBeLessThan(first.answer[0].ttl);
    expect(second.answer[0].ttl).toBeGreaterThanOrEqual(first.answer[0].ttl - 3);
  });

  it('sets TC on a UDP reply too big for 1232 octets; dig then retries over TCP and gets it whole', async () => {
    // +ignore: show the truncated UDP reply instead of retrying.
    const udp = await ask('big.example.com', 'TXT', '+ignore', '+notcp');
    expect(udp.status, udp.raw).toBe('NOERROR');
    expect(udp.flags, udp.raw).toEqual(expect.arrayContaining(['qr', 'tc', 'rd', 'ra']));
    expect(udp.answer.length, udp.raw).toBeLessThan(8);
    expect(udp.raw).toMatch(/\(UDP\)/);

    const retried = await ask('big.example.com', 'TXT');
    expectRecursive(retried);
    expect(retried.raw).toMatch(/Truncated, retrying in TCP mode/);
    expect(retried.raw).toMatch(/SERVER: [\d.]+#53\([\d.]+\) \(TCP\)/);
    expect(retried.answer.map((x) => x.data.slice(1, 7)).sort()).toEqual(
      ['big-01', 'big-02', 'big-03', 'big-04', 'big-05', 'big-06', 'big-07', 'big-08'],
    );
    for (const txt of retried.answer) expect(txt.data).toHaveLength(202); // 200 octets and the quotes
  });

  it('answers with RD=0 from the cache', async () => {
    const r = await ask('host.example.com', 'A', '+norecurse');
    expect(r.status, r.raw).toBe('NOERROR');
    expect(r.flags, r.raw).toEqual(expect.arrayContaining(['qr', 'ra']));
    expect(r.flags, r.raw).not.toContain('rd');
    expect(r.flags, r.raw).not.toContain('aa');
    expect(rr(r.answer)).toEqual([`host.example.com. A ${at('3.10')}`]);
    expect(r.answer[0].ttl).toBeLessThan(3600);
  });

  it('does not go upstream for an RD=0 query it has no answer for', async () => {
    const before = await ask('txt.example.com', 'TXT', '+norecurse');
    expect(before.status, before.raw).not.toBe('NXDOMAIN');
    expect(before.status, before.raw).not.toBe('SERVFAIL');
    expect(before.answer, before.raw).toEqual([]);
    expect(before.flags, before.raw).not.toContain('aa');
    // Had it asked upstream (even in the background), the answer would now be cached.
    await sleep(200);
    const again = await ask('txt.example.com', 'TXT', '+norecurse');
    expect(again.answer, again.raw).toEqual([]);
    // The name does exist: once asked with RD=1 it is cached, and RD=0 sees it.
    const recursive = await ask('txt.example.com', 'TXT');
    expectRecursive(recursive);
    expect(rr(recursive.answer)).toEqual(['txt.example.com. TXT "hello from example.com"']);
    const after = await ask('txt.example.com', 'TXT', '+norecurse');
    expect(rr(after.answer), after.raw).toEqual(rr(recursive.answer));
  });

  it('answers every name in example.org although ns2.example.org never answers (UDP or TCP)', async () => {
    const started = Date.now();
    const cases: Array<[string, string, string, string]> = [
      ['www.example.org', 'A', 'NOERROR', `www.example.org. A ${at('4.80')}`],
      ['example.org', 'MX', 'NOERROR', 'example.org. MX 10 mail.example.org.'],
      ['mail.example.org', 'A', 'NOERROR', `mail.example.org. A ${at('4.25')}`],
      ['example.org', 'A', 'NOERROR', `example.org. A ${at('4.80')}`],
      ['nope.example.org', 'A', 'NXDOMAIN', ''],
      ['www.example.org', 'TXT', 'NOERROR', ''],
    ];
    for (const [name, type, status, first] of cases) {
      const r = await ask(name, type, '+time=5');
      expectRecursive(r, status);
      expect(rr(r.answer)[0] ?? '', `${name} ${type}\n${r.raw}`).toBe(first);
      if (first === '') expectSoaAuthority(r, 'example.org.', 300);
    }
    // At most one upstream timeout per query, and the silent server is soon avoided.
    expect(Date.now() - started).toBeLessThan(15_000);
  }, 30_000);

  it('resolves with --workers 2: each worker gets its own upstream replies', async () => {
    // Cluster workers share bound sockets unless told not to; an upstream
    // socket shared that way hands replies to the wrong worker (SERVFAIL).
    const address = at('100.3');
    const workers = await startHops(address, 53, [...resolverArgs(), '--workers', '2', '--log-level', 'info']);
    resolvers.push(workers);
    await workers.waitForLog((l) => l.msg === 'all workers ready');
    const names = ['host.example.com', 'mail.example.com', 'www.example.org', 'mail.example.org', 'www.example.net', 'example.com'];
    const replies = await Promise.all(names.flatMap((name) => [1, 2, 3].map(() => dig(address, 53, [name, 'A']))));
    for (const r of replies) {
      expectRecursive(r);
      expect(r.answer.length, r.raw).toBeGreaterThan(0);
    }
  }, 30_000);

  it('answers every name in example.com although ns2.example.com is dead (nothing listens there)', async () => {
    // A resolver with an empty cache, so the dead server is met during this test.
    const freshResolver = at('100.2');
    const fresh = await startHops(freshResolver, 53, resolverArgs());
    resolvers.push(fresh);
    const started = Date.now();
    const cases: Array<[string, string, string]> = [
      ['example.com', 'A', `example.com. A ${at('3.80')}`],
      ['host.example.com', 'A', `host.example.com. A ${at('3.10')}`],
      ['mail.example.com', 'A', `mail.example.com. A ${at('3.25')}`],
      ['ns1.example.com', 'A', `ns1.example.com. A ${at('3.1')}`],
      ['txt.example.com', 'TXT', 'txt.example.com. TXT "hello from example.com"'],
      ['example.com', 'MX', 'example.com. MX 10 mail.example.com.'],
      ['host.example.com', 'AAAA', 'host.example.com. AAAA 2001:db8::10'],
      ['alias.example.com', 'A', 'alias.example.com. CNAME host.example.com.'],
    ];
    for (const [name, type, first] of cases) {
      const r = await dig(freshResolver, 53, [name, type, '+time=5']);
      expectRecursive(r);
      expect(rr(r.answer)[0], `${name} ${type}\n${r.raw}`).toBe(first);
    }
    // Each query may wait out one upstream timeout on ns2, not more.
    expect(Date.now() - started).toBeLessThan(20_000);
  }, 30_000);
});
