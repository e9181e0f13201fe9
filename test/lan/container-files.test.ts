// The container files, checked without a Docker engine: the Dockerfile's
// stages and the promises the compose file relies on (non-root user,
// capability, health check, port 53), .dockerignore not hiding what the
// Dockerfile copies, docker-compose.yml valid for docker-compose and
// consistent with the image, and hops.example.yaml a valid config whose
// values are the documented defaults.

import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { defaultConfig, loadConfig, parseArgs, unknownEnvironmentVariables } from '../../src/config.js';
import { REPO } from '../helpers/hops-process.js';

interface Instruction {
  keyword: string;
  args: string;
}

/** Dockerfile instructions, comments dropped and `\` continuations joined. */
function parseDockerfile(text: string): Instruction[][] {
  const joined = text.split('\n').filter((l) => !/^\s*#/.test(l)).join('\n').replace(/\\\n/g, ' ');
  const stages: Instruction[][] = [];
  for (const line of joined.split('\n')) {
    const m = /^\s*([A-Z]+)\s+(.*)$/.exec(line);
    if (!m) continue;
    if (m[1] === 'FROM') stages.push([]);
    stages[stages.length - 1].push({ keyword: m[1], args: m[2].trim() });
  }
  return stages;
}

const dockerfile = parseDockerfile(readFileSync(join(REPO, 'Dockerfile'), 'utf8'));
const [build, runtime] = [dockerfile[0], dockerfile[dockerfile.length - 1]];
const all = (stage: Instruction[], keyword: string) => stage.filter((i) => i.keyword === keyword).map((i) => i.args);

describe('Dockerfile', () => {
  it('builds in one stage with the dev dependencies and runs from a slim second one', () => {
    expect(dockerfile).toHaveLength(2);
    expect(all(build, 'FROM')).toEqual(['node:20-bookworm-slim AS build']);
    expect(all(runtime, 'FROM')[0]).toMatch(/^node:20-(bookworm-slim|alpine)\b/);
    expect(all(build, 'RUN').join('\n')).toMatch(/npm ci (?!.*--omit=dev)/);
    expect(all(build, 'RUN')).toContain('npm run build');
    expect(all(runtime, 'RUN').join('\n')).toMatch(/npm ci --omit=dev/);
    expect(all(runtime, 'COPY')).toContain('--from=build /app/dist ./dist');
  });

  it('runs as a non-root user holding only the capability to bind port 53', () => {
    const user = all(runtime, 'USER').at(-1);
    expect(user).toBeDefined();
    expect(user).not.toMatch(/^(root|0)(:|$)/);
    expect(all(runtime, 'RUN').join('\n')).toMatch(/setcap cap_net_bind_service=\+ep/);
    // Nothing after USER may need root.
    const afterUser = runtime.slice(runtime.findIndex((i) => i.keyword === 'USER'));
    expect(afterUser.filter((i) => i.keyword === 'RUN')).toEqual([]);
  });

  it('exposes 53 over UDP and TCP, checks health with `hops health`, and starts dist/main.js', () => {
    expect(all(runtime, 'EXPOSE').join(' ').split(/\s+/)).toEqual(expect.arrayContaining(['53/udp', '53/tcp']));
    expect(all(runtime, 'HEALTHCHECK')).toEqual([expect.stringMatching(/ CMD \["node", "dist\/main\.js", "health"\]$/)]);
    expect(all(runtime, 'ENTRYPOINT')).toEqual(['["node", "dist/main.js"]']);
  });

  it('copies root hints, the DNSSEC trust anchors and zones, from paths that exist and that .dockerignore keeps in the context', () => {
    const ignored = readFileSync(join(REPO, '.dockerignore'), 'utf8').split('\n').map((l) => l.trim())
      .filter((l) => l && !l.startsWith('#'));
    const isIgnored = (path: string) => ignored.some((p) => path === p || path.startsWith(`${p}/`) ||
      (p.startsWith('*') && path.endsWith(p.slice(1))));
    const sources = [...all(build, 'COPY'), ...all(runtime, 'COPY')].filter((a) => !a.startsWith('--from'))
      .flatMap((a) => a.split(/\s+/).slice(0, -1));
    expect(sources).toEqual(expect.arrayContaining(['root-hints', 'trust-anchors', 'zones', 'src', 'package-lock.json']));
    for (const source of sources) {
      expect(existsSync(join(REPO, source)), source).toBe(true);
      expect(isIgnored(source), `${source} is excluded by .dockerignore`).toBe(false);
    }
    for (const local of ['node_modules', 'dist', '.git']) expect(isIgnored(local), local).toBe(true);
  });
});

describe('docker-compose.yml', () => {
  const compose = parseYaml(readFileSync(join(REPO, 'docker-compose.yml'), 'utf8')) as {
    services: Record<string, Record<string, unknown>>;
  };
  const hops = compose.services.hops;

  it('runs the image read-only, with only NET_BIND_SERVICE, restarting, on port 53 UDP and TCP', () => {
    expect(hops).toMatchObject({
      build: '.', restart: 'unless-stopped', read_only: true, cap_drop: ['ALL'], cap_add: ['NET_BIND_SERVICE'],
      ports: ['53:53/udp', '53:53/tcp'],
    });
  });

  it('mounts the zones and the config file where the config and HOPS_CONFIG say', () => {
    expect(hops.volumes).toEqual(['./zones:/app/zones:ro', './hops.example.yaml:/etc/hops/hops.yaml:ro']);
    expect(hops.environment).toEqual({ HOPS_CONFIG: '/etc/hops/hops.yaml' });
    const config = loadConfig(parseArgs([]), { HOPS_CONFIG: join(REPO, 'hops.example.yaml') });
    expect(config.zones).toBe('/app/zones');
  });

  it('checks health the way the image does, and allows a stop longer than the 5 s drain', () => {
    expect(hops.healthcheck).toMatchObject({ test: ['CMD', 'node', 'dist/main.js', 'health'] });
    expect(hops.stop_grace_period).toBe('10s');
  });

  it('documents only environment variables that exist', () => {
    const text = readFileSync(join(REPO, 'docker-compose.yml'), 'utf8');
    const named = Object.fromEntries([...text.matchAll(/\bHOPS_[A-Z_]+/g)].map((m) => [m[0], 'x']));
    expect(Object.keys(named).length).toBeGreaterThan(5);
    expect(unknownEnvironmentVariables(named)).toEqual([]);
  });

  const haveCompose = spawnSync('docker-compose', ['version'], { stdio: 'ignore' }).status === 0;
  if (!haveCompose) console.warn('docker-compose validation skipped: docker-compose not installed (scripts/install-test-tools.sh installs it)');
  it.skipIf(!haveCompose)('is valid for docker-compose (config -q)', () => {
    expect(() => execFileSync('docker-compose', ['-f', 'docker-compose.yml', 'config', '-q'],
      { cwd: REPO, stdio: 'pipe', timeout: 30_000 })).not.toThrow();
  });
});

describe('hops.example.yaml', () => {
  it('is a valid config whose values are the defaults, except the container zones path', () => {
    const config = loadConfig(parseArgs([]), { HOPS_CONFIG: join(REPO, 'hops.example.yaml') });
    const defaults = defaultConfig();
    expect({ ...config, zones: defaults.zones }).toEqual(defaults);
    expect(config.zones).toBe('/app/zones');
  });
});
