// What the container image relies on, outside Docker: a production install
// (package files, dist/, root-hints/, trust-anchors/, zones/ and `npm ci --omit=dev`, as the
// Dockerfile's runtime stage does) runs and answers; `hops health` tells a
// listener that answers from none; and configuration by environment
// variables (HOPS_LISTEN, HOPS_ZONES, HOPS_RECURSION, HOPS_CONFIG) and by the
// container's config file, hops.example.yaml.

import { cpSync, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { dig } from '../helpers/dig.js';
import { HOPS_MAIN, REPO, startProcess, type HopsProcess } from '../helpers/hops-process.js';
import { lanZone, runCommand, tempDir, writeRootHints } from './helpers.js';

const skip = process.getuid?.() !== 0 || !existsSync(HOPS_MAIN);
if (skip) console.warn(`test/lan/production-install.test.ts skipped: needs root (port 53) and ${HOPS_MAIN} (npm run build)`);

let app: string;
let main: string;
let customZones: string;
/** Every run recurses towards a root on loopback where nothing listens: tests never reach the internet. */
let safeEnv: NodeJS.ProcessEnv;
const running: HopsProcess[] = [];

beforeAll(async () => {
  if (skip) return;
  app = tempDir('install');
  for (const path of ['package.json', 'package-lock.json', 'dist', 'root-hints', 'trust-anchors', 'zones']) {
    cpSync(join(REPO, path), join(app, path), { recursive: true });
  }
  const npm = await runCommand('npm', ['ci', '--omit=dev', '--ignore-scripts', '--no-audit', '--no-fund'],
    { cwd: app, timeoutMs: 240_000 });
  if (npm.code !== 0) throw new Error(`npm ci failed (${npm.code}):\n${npm.stdout}${npm.stderr}`);
  main = join(app, 'dist', 'main.js');
  customZones = join(app, 'custom-zones');
  mkdirSync(customZones);
  writeFileSync(join(customZones, 'lan.test.zone'), lanZone('192.0.2.77'));
  safeEnv = { HOPS_ROOT_HINTS: writeRootHints(app, '127.66.0.9', 'loopback.hints') };
}, 300_000);
afterEach(async () => {
  await Promise.all(running.splice(0).map((p) => p.stop('SIGKILL')));
});
afterAll(() => {
  if (app) rmSync(app, { recursive: true, force: true });
});

/** `node dist/main.js …` from the install folder, ready when TCP on host:53 accepts. */
async function run(host: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<HopsProcess> {
  const proc = await startProcess(process.execPath, [main, ...args], host, 53, { cwd: app, env: { ...safeEnv, ...env } });
  running.push(proc);
  return proc;
}
const health = (args: string[], env: NodeJS.ProcessEnv = {}) =>
  runCommand(process.execPath, [main, 'health', ...args], { cwd: app, env, timeoutMs: 10_000 });

describe.skipIf(skip)('a production install (npm ci --omit=dev)', () => {
  it('has the runtime dependencies and none of the development ones', () => {
    for (const dep of ['pino', 'dns-packet', 'lru-cache', 'yaml']) expect(existsSync(join(app, 'node_modules', dep))).toBe(true);
    for (const dep of ['typescript', 'vitest', '@types/node']) expect(existsSync(join(app, 'node_modules', dep))).toBe(false);
  });

  it('serves its bundled zones/ with the default settings (root hints aside), validating from its own root anchors', async () => {
    // DNSSEC validation is the default; the test helpers turn it off, so this run asks for it by name.
    const proc = await run('127.66.8.1', ['--listen', '127.66.8.1:53'], { HOPS_DNSSEC: 'validate' });
    const reply = await dig('127.66.8.1', 53, ['router.home.lan', 'A']);
    expect([reply.status, reply.answer[0]?.data]).toEqual(['NOERROR', '192.168.1.1']);
    expect(proc.logs().find((l) => l.msg === 'hops started')).toMatchObject({
      recursion: true, rateLimit: 'off', dnssec: 'validate', trustAnchors: [join(app, 'trust-anchors', 'root.ds')],
    });
  });

  it('hops health: exit 0 when the listener answers, non-zero with a reason when nothing listens', async () => {
    await run('127.66.8.1', ['--listen', '127.66.8.1:53']);
    const ok = await health(['--listen', '127.66.8.1:53']);
    expect(ok.code).toBe(0);
    // RD=0 for the root NS: SERVFAIL here, with nothing cached and no root reachable; any answer is health.
    expect(ok.stdout).toMatch(/^127\.66\.8\.1 port 53 answered [A-Z]+ in \d+ ms\n$/);
    const down = await health(['--listen', '127.66.8.2:53']);
    expect(down.code).toBe(1);
    expect(down.stderr).toMatch(/ECONNREFUSED/);
  });

  it('is configured by HOPS_LISTEN, HOPS_ZONES and HOPS_RECURSION (and health reads the same)', async () => {
    const env = { HOPS_LISTEN: '127.66.8.3:53', HOPS_ZONES: customZones, HOPS_RECURSION: 'off' };
    await run('127.66.8.3', [], env);
    expect((await dig('127.66.8.3', 53, ['host.lan.test', 'A'])).answer[0]?.data).toBe('192.0.2.77');
    // The bundled zones/ is not served, and recursion is off: REFUSED, no RA.
    const other = await dig('127.66.8.3', 53, ['router.home.lan', 'A']);
    expect(other.status).toBe('REFUSED');
    expect(other.flags).not.toContain('ra');
    expect((await health([], env)).code).toBe(0);
  });

  it('is configured by a file named in HOPS_CONFIG, its relative paths resolved against the file', async () => {
    const config = join(app, 'hops.yaml');
    writeFileSync(config, 'listen: ["127.66.8.4:53"]\nzones: custom-zones\nrecursion: off\n');
    await run('127.66.8.4', [], { HOPS_CONFIG: config });
    expect((await dig('127.66.8.4', 53, ['host.lan.test', 'A'])).answer[0]?.data).toBe('192.0.2.77');
    expect((await health([], { HOPS_CONFIG: config })).code).toBe(0);
  });

  it("runs with the container's hops.example.yaml, the environment overriding its paths", async () => {
    const proc = await run('127.66.8.5', [], {
      HOPS_CONFIG: join(REPO, 'hops.example.yaml'), HOPS_LISTEN: '127.66.8.5:53', HOPS_ZONES: join(app, 'zones'),
    });
    expect((await dig('127.66.8.5', 53, ['router.home.lan', 'A'])).answer[0]?.data).toBe('192.168.1.1');
    expect(proc.logs().find((l) => l.msg === 'hops started')).toMatchObject({
      listen: ['127.66.8.5:53'], recursion: true, localZonesAccess: 'all', rateLimit: 'off',
    });
    // Nothing wrong with the file (the root being unreachable is this test's doing).
    expect(proc.logs().filter((l) => Number(l.level) >= 40 && !/priming/.test(String(l.msg)))).toEqual([]);
  });
});
