// Forward and stub zones (issue 8) against real servers on loopback, with
// Hops started as an operator would and real `dig` as the client:
//
//   NSD      ${net}.1.1:53     "." and example.net; the root delegates nothing else,
//                              so iterating corp.example or 168.192.in-addr.arpa
//                              ends in NXDOMAIN
//   Knot     ${net}.3.1:53     corp.example and 168.192.in-addr.arpa (not delegated)
//   NSD      ${net}.4.1:53     1.168.192.in-addr.arpa, delegated by Knot's reverse zone
//   Unbound  ${net}.2.1:5353   a recursive server (the forwarder, RFC 8499 §6): it
//                              reaches corp.example through its own stub-zone, and
//                              everything else from NSD's root; answers AA=0 RA=1
//   Hops A   ${net}.100.1:53   --forward-zones corp.example=<dead>,<Unbound@5353>
//                              --stub-zones 168.192.in-addr.arpa=<Knot>, iterates the rest
//   Hops B   ${net}.100.2:53   a JSON config file as Deckard renders it: forward "."
//                              to Unbound; root hints pointing nowhere, loopback
//                              queries off (configured servers are allowed anyway)
//
// Needs root (port 53), nsd, knotd, unbound and dig (scripts/install-test-tools.sh);
// skipped otherwise. Its own address base, 127.58 (next ones if held).

import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findBinary, LAB_DIR, missingPrerequisites } from '../../lab/internet.mjs';
import { tcpAccepts, waitForZones } from '../helpers/authoritative.js';
import { dig, type DigRecord, type DigResult } from '../helpers/dig.js';
import { spawnHops, startHops, startProcess, type HopsProcess } from '../helpers/hops-process.js';
import { writeRootHints } from '../lan/helpers.js';

const NETS = ['127.58', '127.68', '127.78'];
const UNBOUND_PORT = 5353;

const missing = missingPrerequisites();
if (!findBinary('unbound')) missing.push('unbound (Debian package unbound; scripts/install-test-tools.sh installs it)');
if (missing.length > 0) console.warn(`test/integration/forward-zones.test.ts skipped: needs ${missing.join('; ')}`);

const rr = (records: DigRecord[]) => records.map((r) => `${r.name} ${r.type} ${r.data}`);

/** A recursive answer: qr rd ra, never aa (RFC 1035 §4.1.1). */
function expectRecursive(r: DigResult, status = 'NOERROR'): void {
  expect(r.status, r.raw).toBe(status);
  expect(r.flags, r.raw).toEqual(expect.arrayContaining(['qr', 'rd', 'ra']));
  expect(r.flags, r.raw).not.toContain('aa');
}

const fill = (template: string, fields: Record<string, string>) => template.replace(/\{\{(\w+)\}\}/g, (_, k: string) => fields[k]);

function zoneFiles(net: string): Record<string, string> {
  return {
    'root.zone': `$TTL 3600
@                     SOA a.root-servers.test. hostmaster.test. 1 3600 600 86400 300
@                     NS  a.root-servers.test.
a.root-servers.test.  A   ${net}.1.1
example.net.          NS  ns.example.net.
ns.example.net.       A   ${net}.1.1
`,
    'example.net.zone': `$TTL 3600
@     SOA ns hostmaster 1 3600 600 86400 300
@     NS  ns
ns    A   ${net}.1.1
host  A   192.0.2.80
`,
    'corp.example.zone': `$TTL 300
@     SOA ns hostmaster 1 3600 600 86400 60
@     NS  ns
ns    A   ${net}.3.1
www   A   10.8.1.80
www   TXT "intranet"
web   CNAME host.example.net.
`,
    '168.192.in-addr.arpa.zone': `$TTL 3600
@     SOA router.lan. hostmaster.lan. 1 3600 600 86400 300
@     NS  router.lan.
1.0   PTR router.lan.
1     NS  ns.1
ns.1  A   ${net}.4.1
`,
    '1.168.192.in-addr.arpa.zone': `$TTL 3600
@     SOA ns hostmaster.lan. 1 3600 600 86400 300
@     NS  ns
ns    A   ${net}.4.1
10    PTR printer.lab.lan.
`,
  };
}

describe.skipIf(missing.length > 0)('forward and stub zones with Unbound, NSD and Knot on loopback', () => {
  const procs: HopsProcess[] = [];
  let dir: string | undefined;
  let net = NETS[0];
  let hopsA: HopsProcess;
  let hopsB: HopsProcess;
  const at = (host: string) => `${net}.${host}`;
  const askA = (...args: string[]) => dig(at('100.1'), 53, args);
  const askB = (...args: string[]) => dig(at('100.2'), 53, args);

  beforeAll(async () => {
    // Another run of this file may hold the first base.
    for (const candidate of NETS) {
      net = candidate;
      const held = await Promise.all([`${net}.1.1`, `${net}.100.1`].map((a) => tcpAccepts(a, 53)));
      if (!held.includes(true)) break;
    }
    dir = mkdtempSync(join(tmpdir(), `hops-forward-${net}-`));
    try {
      const files = zoneFiles(net);
      for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
      const emptyZones = join(dir, 'hops-zones');
      mkdirSync(emptyZones);

      const startNsd = async (name: string, host: string, zones: string[][]) => {
        const nsdDir = join(dir!, name);
        mkdirSync(nsdDir);
        writeFileSync(join(nsdDir, 'nsd.conf'), fill(readFileSync(join(LAB_DIR, 'nsd.conf.in'), 'utf8'), {
          ADDRESS: at(host), PORT: '53', DIR: nsdDir, NAME: name,
          ZONES: zones.map(([origin, file]) => `zone:\n    name: "${origin}"\n    zonefile: "${join(dir!, file)}"\n`).join('\n'),
        }));
        const proc = await startProcess(findBinary('nsd')!, ['-d', '-c', join(nsdDir, 'nsd.conf')], at(host), 53);
        procs.push(proc);
        await waitForZones(proc, at(host), zones.map(([origin]) => origin));
      };
      await startNsd('nsd-root', '1.1', [['.', 'root.zone'], ['example.net.', 'example.net.zone']]);
      await startNsd('nsd-lab', '4.1', [['1.168.192.in-addr.arpa.', '1.168.192.in-addr.arpa.zone']]);

      const knotDir = join(dir, 'knot');
      mkdirSync(join(knotDir, 'db'), { recursive: true });
      const knotZones = ['corp.example.', '168.192.in-addr.arpa.'];
      writeFileSync(join(knotDir, 'knot.conf'), fill(readFileSync(join(LAB_DIR, 'knot.conf.in'), 'utf8'), {
        ADDRESS: at('3.1'), PORT: '53', DIR: knotDir, NAME: 'knot',
        ZONES: knotZones.map((origin) => `  - domain: "${origin}"\n    file: "${join(dir!, `${origin}zone`)}"`).join('\n'),
      }));
      const knot = await startProcess(findBinary('knotd')!, ['-c', join(knotDir, 'knot.conf')], at('3.1'), 53);
      procs.push(knot);
      await waitForZones(knot, at('3.1'), knotZones);

      // Unbound as a plain recursive server: iterator only, everything from
      // NSD (its root hints), corp.example through a stub-zone as a company's
      // resolver would have it.
      const unboundDir = join(dir, 'unbound');
      mkdirSync(unboundDir);
      writeRootHints(unboundDir, at('1.1'));
      writeFileSync(join(unboundDir, 'unbound.conf'), `server:
    interface: ${at('2.1')}@${UNBOUND_PORT}
    port: ${UNBOUND_PORT}
    do-ip4: yes
    do-ip6: no
    num-threads: 1
    username: ""
    chroot: ""
    directory: "${unboundDir}"
    pidfile: "${unboundDir}/unbound.pid"
    use-syslog: no
    logfile: ""
    verbosity: 1
    module-config: "iterator"
    root-hints: "${unboundDir}/root.hints"
    do-not-query-localhost: no
    access-control: 127.0.0.0/8 allow
    qname-minimisation: no
stub-zone:
    name: "corp.example."
    stub-addr: ${at('3.1')}@53
remote-control:
    control-enable: no
`);
      procs.push(await startProcess(findBinary('unbound')!, ['-d', '-c', join(unboundDir, 'unbound.conf')], at('2.1'), UNBOUND_PORT));

      const hints = writeRootHints(dir, at('1.1'));
      hopsA = await startHops(at('100.1'), 53, [
        '--recursion', 'on', '--zones', emptyZones, '--root-hints', hints, '--ipv6-upstream', 'off', '--log-level', 'debug',
        // Knot's address comes as glue from NSD: a learned loopback address.
        '--query-loopback', 'on',
        // The first forwarder is dead (nothing listens there): it is skipped like any failing server.
        '--forward-zones', `corp.example=${at('2.9')}@${UNBOUND_PORT},${at('2.1')}@${UNBOUND_PORT}`,
        '--stub-zones', `168.192.in-addr.arpa=${at('3.1')}`,
      ]);
      procs.push(hopsA);

      // Deckard's template renders exactly this shape.
      const config = join(dir, 'hops-b.json');
      writeFileSync(config, JSON.stringify({ forwardZones: [{ name: '.', servers: [`${at('2.1')}@${UNBOUND_PORT}`] }] }));
      const nowhere = join(dir, 'nowhere.hints');
      writeFileSync(nowhere, `. 3600000 NS a.root-servers.test.\na.root-servers.test. 3600000 A ${at('9.9')}\n`);
      hopsB = await startHops(at('100.2'), 53, [
        '--config', config, '--recursion', 'on', '--zones', emptyZones, '--root-hints', nowhere,
        '--ipv6-upstream', 'off', '--log-level', 'debug',
      ]);
      procs.push(hopsB);
    } catch (err) {
      await Promise.all(procs.map((p) => p.stop()));
      throw err;
    }
  }, 60_000);

  afterAll(async () => {
    await Promise.all(procs.map((p) => p.stop()));
    if (dir) rmSync(dir, { recursive: true, force: true });
  }, 20_000);

  describe('a forward zone (Hops A: corp.example to Unbound, RD=1)', () => {
    it('answers from the forwarder, though the root does not know corp.example', async () => {
      const r = await askA('www.corp.example', 'A');
      expectRecursive(r);
      expect(rr(r.answer)).toEqual(['www.corp.example. A 10.8.1.80']);
      // Iterating instead would have ended at the root: NXDOMAIN.
      const root = await dig(at('1.1'), 53, ['+norec', 'www.corp.example', 'A']);
      expect(root.status, root.raw).toBe('NXDOMAIN');
    });

    it('passes on NODATA and NXDOMAIN with the zone\'s SOA (RFC 2308 §3)', async () => {
      const nodata = await askA('www.corp.example', 'AAAA');
      expectRecursive(nodata);
      expect(nodata.answer).toEqual([]);
      expect(nodata.authority.map((x) => `${x.name} ${x.type}`), nodata.raw).toEqual(['corp.example. SOA']);
      const nx = await askA('nope.corp.example', 'A');
      expectRecursive(nx, 'NXDOMAIN');
      expect(nx.authority.map((x) => `${x.name} ${x.type}`), nx.raw).toEqual(['corp.example. SOA']);
    });

    it('follows a CNAME that leaves the forward zone by iterating (example.net from NSD\'s root)', async () => {
      const r = await askA('web.corp.example', 'A');
      expectRecursive(r);
      expect(rr(r.answer)).toEqual(['web.corp.example. CNAME host.example.net.', 'host.example.net. A 192.0.2.80']);
    });

    it('skips the dead forwarder listed first: every name is answered', async () => {
      // Untried servers are tried first, so by now the dead one has been (ICMP port unreachable).
      const r = await askA('www.corp.example', 'TXT');
      expectRecursive(r);
      expect(rr(r.answer)).toEqual(['www.corp.example. TXT "intranet"']);
      await hopsA.waitForLog((l) => String(l.msg).includes(`${at('2.9')}@${UNBOUND_PORT}`));
    });
  });

  describe('a stub zone (Hops A: 168.192.in-addr.arpa at Knot, RD=0)', () => {
    it('answers from the stub\'s authoritative server, though the root does not delegate it', async () => {
      const r = await askA('1.0.168.192.in-addr.arpa', 'PTR');
      expectRecursive(r);
      expect(rr(r.answer)).toEqual(['1.0.168.192.in-addr.arpa. PTR router.lan.']);
      const root = await dig(at('1.1'), 53, ['+norec', '1.0.168.192.in-addr.arpa', 'PTR']);
      expect(root.status, root.raw).toBe('NXDOMAIN');
    });

    it('follows the referral below it to another NSD', async () => {
      const r = await askA('10.1.168.192.in-addr.arpa', 'PTR');
      expectRecursive(r);
      expect(rr(r.answer)).toEqual(['10.1.168.192.in-addr.arpa. PTR printer.lab.lan.']);
      const nx = await askA('99.1.168.192.in-addr.arpa', 'PTR');
      expectRecursive(nx, 'NXDOMAIN');
      expect(nx.authority.map((x) => x.name)).toEqual(['1.168.192.in-addr.arpa.']);
    });

    it('names under no configured zone are still iterated from the root hints', async () => {
      const r = await askA('host.example.net', 'A');
      expectRecursive(r);
      expect(rr(r.answer)).toEqual(['host.example.net. A 192.0.2.80']);
    });
  });

  describe('forward "." from a JSON config file (Hops B)', () => {
    it('sends every name to Unbound, a loopback forwarder, with --query-loopback off', async () => {
      const r = await askB('host.example.net', 'A');
      expectRecursive(r);
      expect(rr(r.answer)).toEqual(['host.example.net. A 192.0.2.80']);
      const corp = await askB('web.corp.example', 'A');
      expectRecursive(corp);
      expect(rr(corp.answer)).toEqual(['web.corp.example. CNAME host.example.net.', 'host.example.net. A 192.0.2.80']);
    });

    it('passes on the forwarder\'s NXDOMAIN, and never primes from the (unreachable) root hints', async () => {
      const nx = await askB('nosuch.example.net', 'A');
      expectRecursive(nx, 'NXDOMAIN');
      expect(nx.authority.map((x) => `${x.name} ${x.type}`), nx.raw).toEqual(['example.net. SOA']);
      expect(hopsB.logs().filter((l) => /prim/i.test(String(l.msg)))).toEqual([]);
      expect(hopsB.logs().find((l) => l.msg === 'hops started')).toMatchObject({
        forwardZones: [{ name: '.', servers: [`${at('2.1')}@${UNBOUND_PORT}`] }],
      });
    });
  });

  describe('a bad entry stops start-up with a message naming it', () => {
    it('as a flag', async () => {
      const bad = spawnHops(['--listen', `${at('100.3')}:53`, '--stub-zones', `168.192.in-addr.arpa=${at('1.1')},router.lan`]);
      expect(await bad.exited).toBe(2);
      expect(bad.stderr()).toContain('hops: --stub-zones[0].servers[1]: invalid value "router.lan"');
    });

    it('in a config file', async () => {
      const config = join(dir!, 'bad.json');
      writeFileSync(config, JSON.stringify({ forwardZones: [{ name: '.', servers: ['1.2.3.4'] }, { name: 'corp example', servers: ['10.8.0.53'] }] }));
      const bad = spawnHops(['--listen', `${at('100.3')}:53`, '--config', config]);
      expect(await bad.exited).toBe(2);
      expect(bad.stderr()).toContain(`hops: config file ${config}: key "forwardZones[1].name": invalid value "corp example"`);
    });
  });
});
