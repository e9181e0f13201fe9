// Hops as a machine's resolver, the way the operating system uses it: in a
// network namespace of our own whose /etc/resolv.conf (via /etc/netns/NAME)
// says `nameserver 127.0.0.1`, glibc (getent: gethostbyname, getaddrinfo with
// A and AAAA sent in parallel from one socket) and Node's c-ares resolver
// ask Hops, which answers from a local zone or recurses into a two-server
// simulated internet (a root and `example.`, Hops with --recursion off)
// running inside the same namespace. Nothing leaves the namespace.

import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HOPS_MAIN, REPO, spawnProcess, type HopsProcess } from '../helpers/hops-process.js';
import { runCommand, tempDir, writeRootHints } from './helpers.js';

const NAME = `hops-test-${process.pid}`;
const NETNS_ETC = join('/etc/netns', NAME);

function unavailable(): string | undefined {
  if (process.getuid?.() !== 0) return 'needs root (to create a network namespace)';
  if (!existsSync(HOPS_MAIN)) return `needs ${HOPS_MAIN} (npm run build)`;
  try {
    execFileSync('ip', ['netns', 'list'], { stdio: 'ignore' });
    execFileSync('getent', ['--version'], { stdio: 'ignore' });
  } catch {
    return 'needs `ip netns` (iproute2) and getent (libc-bin)';
  }
  return undefined;
}
const reason = unavailable();
if (reason) console.warn(`test/lan/machine-resolver.test.ts skipped: ${reason}`);

const ROOT_ZONE = `$ORIGIN .
$TTL 86400
@                     SOA a.root-servers.test. hostmaster.root-servers.test. 1 1800 900 604800 86400
@                     NS  a.root-servers.test.
a.root-servers.test.  A   127.53.0.1
example.              NS  ns.example.
ns.example.           A   127.53.1.1
`;
const EXAMPLE_ZONE = `$TTL 3600
@    SOA ns hostmaster 1 3600 600 86400 300
     NS  ns
ns   A   127.53.1.1
www  A   192.0.2.80
     AAAA 2001:db8::80
`;

let dir: string | undefined;
let namespaceCreated = false;
const processes: HopsProcess[] = [];

/** `node dist/main.js …` inside the namespace, ready once it logs that it started. */
async function hopsInNamespace(args: string[]): Promise<void> {
  const proc = spawnProcess('ip', ['netns', 'exec', NAME, process.execPath, HOPS_MAIN, ...args]);
  processes.push(proc);
  await proc.waitForLog((l) => l.msg === 'hops started', 10_000);
}

const inNamespace = (command: string, ...args: string[]) => runCommand('ip', ['netns', 'exec', NAME, command, ...args]);

beforeAll(async () => {
  if (reason) return;
  dir = tempDir('netns');
  mkdirSync(join(dir, 'root'));
  writeFileSync(join(dir, 'root', 'root.zone'), ROOT_ZONE);
  mkdirSync(join(dir, 'example'));
  writeFileSync(join(dir, 'example', 'example.zone'), EXAMPLE_ZONE);
  cpSync(join(REPO, 'zones'), join(dir, 'lan'), { recursive: true });
  const hints = writeRootHints(dir, '127.53.0.1');

  execFileSync('ip', ['netns', 'add', NAME]);
  namespaceCreated = true;
  execFileSync('ip', ['-n', NAME, 'link', 'set', 'lo', 'up']);
  mkdirSync(NETNS_ETC, { recursive: true });
  // `ip netns exec` bind-mounts these over /etc inside the namespace.
  writeFileSync(join(NETNS_ETC, 'resolv.conf'), 'nameserver 127.0.0.1\noptions timeout:2 attempts:1\n');

  await hopsInNamespace(['--listen', '127.53.0.1:53', '--recursion', 'off', '--zones', join(dir, 'root')]);
  await hopsInNamespace(['--listen', '127.53.1.1:53', '--recursion', 'off', '--zones', join(dir, 'example')]);
  // The machine's resolver. --query-loopback: the simulated internet lives on 127.53.x.y.
  await hopsInNamespace(['--listen', '127.0.0.1:53', '--zones', join(dir, 'lan'), '--root-hints', hints,
    '--query-loopback', 'on']);
}, 60_000);

afterAll(async () => {
  await Promise.all(processes.map((p) => p.stop('SIGKILL')));
  if (namespaceCreated) execFileSync('ip', ['netns', 'del', NAME]);
  rmSync(NETNS_ETC, { recursive: true, force: true });
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe.skipIf(reason !== undefined)('Hops as the resolver in /etc/resolv.conf', () => {
  it('getent hosts: local-zone names, following a CNAME', async () => {
    expect(await inNamespace('getent', 'hosts', 'laptop.home.lan')).toMatchObject({ code: 0, stdout: '192.168.1.50    laptop.home.lan\n' });
    // getent hosts asks for AAAA first, and the CNAME's target is the canonical name.
    expect(await inNamespace('getent', 'hosts', 'gateway.home.lan')).toMatchObject({ code: 0, stdout: 'fd00::1         router.home.lan gateway.home.lan\n' });
  });

  it('getent ahosts (getaddrinfo: A and AAAA in parallel from one socket) gets both families', async () => {
    const result = await inNamespace('getent', 'ahosts', 'router.home.lan');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^fd00::1\s+STREAM router\.home\.lan$/m);
    expect(result.stdout).toMatch(/^192\.168\.1\.1\s+STREAM\s*$/m);
  });

  it('a name from the simulated internet, by recursion', async () => {
    expect(await inNamespace('getent', 'hosts', 'www.example')).toMatchObject({ code: 0, stdout: '2001:db8::80    www.example\n' });
    const both = await inNamespace('getent', 'ahosts', 'www.example');
    expect(both.stdout).toMatch(/^192\.0\.2\.80\s+STREAM/m);
  });

  it('an unknown name fails cleanly and quickly (exit 2: not found, no timeout)', async () => {
    for (const name of ['nosuch.home.lan', 'nosuch.example']) {
      const result = await inNamespace('getent', 'hosts', name);
      expect([name, result.code, result.stdout]).toEqual([name, 2, '']);
      expect(result.ms).toBeLessThan(1500); // a timeout would take the 2 s of resolv.conf
    }
  });

  it("Node's dns.promises.Resolver with setServers", async () => {
    const script = `
      import { promises as dns } from 'node:dns';
      const resolver = new dns.Resolver({ timeout: 2000, tries: 1 });
      resolver.setServers(['127.0.0.1']);
      const code = (p) => p.then(() => 'found', (e) => e.code);
      console.log(JSON.stringify({
        local: await resolver.resolve4('laptop.home.lan'),
        mx: await resolver.resolveMx('home.lan'),
        internet4: await resolver.resolve4('www.example'),
        internet6: await resolver.resolve6('www.example'),
        missing: await code(resolver.resolve4('nosuch.example')),
        lookup: await dns.lookup('www.example', { family: 4 }),
      }));`;
    const result = await inNamespace(process.execPath, '--input-type=module', '-e', script);
    expect(result.stderr).toBe('');
    expect(JSON.parse(result.stdout)).toEqual({
      local: ['192.168.1.50'],
      mx: [{ exchange: 'nas.home.lan', priority: 10 }],
      internet4: ['192.0.2.80'],
      internet6: ['2001:db8::80'],
      missing: 'ENOTFOUND',
      lookup: { address: '192.0.2.80', family: 4 },
    });
  });
});
