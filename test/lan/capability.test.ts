// Port 53 without root, as the container runs (USER node, and node carrying
// the file capability cap_net_bind_service=+ep): a copy of the node binary
// with the capability, run as `nobody`, binds 127.66.9.1:53 and answers; the
// same user with the plain binary gets the clear EACCES message and exit 1;
// and a container that dropped the capability (cap_drop ALL without cap_add)
// cannot start that binary at all.

import { chmodSync, copyFileSync, cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { dig } from '../helpers/dig.js';
import { HOPS_MAIN, REPO, startProcess, type HopsProcess } from '../helpers/hops-process.js';
import { lanZone, runCommand, tempDir } from './helpers.js';

function unavailable(): string | undefined {
  if (process.getuid?.() !== 0) return 'needs root (to setcap and switch users)';
  if (!existsSync(HOPS_MAIN)) return `needs ${HOPS_MAIN} (npm run build)`;
  for (const tool of ['setcap', 'setpriv']) {
    try {
      execFileSync('sh', ['-c', `command -v ${tool}`], { stdio: 'ignore' });
    } catch {
      return `needs ${tool} (Debian packages libcap2-bin, util-linux)`;
    }
  }
  // Where unprivileged users may bind low ports anyway, the test proves nothing.
  const start = Number(readFileSync('/proc/sys/net/ipv4/ip_unprivileged_port_start', 'utf8'));
  if (start <= 53) return `net.ipv4.ip_unprivileged_port_start is ${start}: any user may bind port 53 here`;
  return undefined;
}
const reason = unavailable();
if (reason) console.warn(`test/lan/capability.test.ts skipped: ${reason}`);

const AS_NOBODY = ['--reuid=nobody', '--regid=nogroup', '--clear-groups', '--'];
let dir: string;
let capableNode: string;
let zones: string;
/** dist/main.js of a copy of the app that `nobody` can read (the checkout may sit under a 0700 folder). */
let main: string;
const running: HopsProcess[] = [];

beforeAll(() => {
  if (reason) return;
  dir = tempDir('cap');
  chmodSync(dir, 0o755); // nobody must reach the binary and the zones
  capableNode = join(dir, 'node');
  copyFileSync(process.execPath, capableNode);
  chmodSync(capableNode, 0o755);
  execFileSync('setcap', ['cap_net_bind_service=+ep', capableNode]);
  const app = join(dir, 'app');
  for (const part of ['package.json', 'dist', 'root-hints', 'node_modules']) {
    cpSync(join(REPO, part), join(app, part), { recursive: true });
  }
  execFileSync('chmod', ['-R', 'a+rX', app]);
  main = join(app, 'dist', 'main.js');
  zones = join(dir, 'zones');
  mkdirSync(zones, { mode: 0o755 });
  writeFileSync(join(zones, 'lan.test.zone'), lanZone('192.0.2.53'), { mode: 0o644 });
});
afterEach(async () => {
  await Promise.all(running.splice(0).map((p) => p.stop('SIGKILL')));
});
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe.skipIf(reason !== undefined)('binding port 53 as an unprivileged user', () => {
  it('works with cap_net_bind_service on the node binary, configured from the environment', async () => {
    const proc = await startProcess('setpriv', [...AS_NOBODY, capableNode, main], '127.66.9.1', 53, {
      cwd: dir, env: { HOPS_LISTEN: '127.66.9.1:53', HOPS_ZONES: zones, HOPS_RECURSION: 'off' },
    });
    running.push(proc);
    const status = readFileSync(`/proc/${proc.child.pid}/status`, 'utf8');
    expect(status).toMatch(/^Uid:\s+65534\s+65534\s+65534\s+65534$/m);
    expect(status).toMatch(/^CapEff:\s+0000000000000400$/m); // CAP_NET_BIND_SERVICE (bit 10) and nothing else
    expect((await dig('127.66.9.1', 53, ['host.lan.test', 'A'])).answer[0]?.data).toBe('192.0.2.53');
    // The container's HEALTHCHECK runs as the same user, with the plain binary.
    const health = await runCommand('setpriv', [...AS_NOBODY, process.execPath, main, 'health', '--listen', '127.66.9.1:53'], { cwd: dir });
    expect([health.code, health.stdout]).toEqual([0, expect.stringMatching(/^127\.66\.9\.1 port 53 answered /)]);
  });

  it("needs the capability in the bounding set (compose's cap_add): without it the binary cannot even start", async () => {
    // capabilities(7), "safety checking for capability-dumb binaries": execve fails with EPERM.
    const result = await runCommand('setpriv', ['--bounding-set', '-all', ...AS_NOBODY, capableNode, '--version'], { cwd: dir });
    expect(result.code).toBe(126);
    expect(result.stderr).toMatch(/Operation not permitted/);
  });

  it('without the capability: the EACCES explanation and exit 1', async () => {
    const result = await runCommand('setpriv', [...AS_NOBODY, process.execPath, main,
      '--listen', '127.66.9.2:53', '--recursion', 'off', '--zones', zones], { cwd: dir });
    expect(result.code).toBe(1);
    expect(result.stderr).toBe('hops: cannot listen on 127.66.9.2:53 (udp): permission denied: ports below 1024 ' +
      'need root or CAP_NET_BIND_SERVICE, or use an unprivileged port, e.g. --listen 127.0.0.1:5353\n');
  });
});
