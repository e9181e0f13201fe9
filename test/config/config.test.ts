import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, envName, flagName, loadConfig, parseArgs, parseListenAddress, unknownEnvironmentVariables, usage } from '../../src/config.js';

const load = (argv: string[], env: NodeJS.ProcessEnv = {}) => loadConfig(parseArgs(argv), env);

function tempFile(name: string, text: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'hops-config-'));
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
}

describe('names follow one pattern', () => {
  it.each([
    ['listen', '--listen', 'HOPS_LISTEN'],
    ['logLevel', '--log-level', 'HOPS_LOG_LEVEL'],
    ['rootHints', '--root-hints', 'HOPS_ROOT_HINTS'],
    ['cache.maxNegativeTtl', '--cache-max-negative-ttl', 'HOPS_CACHE_MAX_NEGATIVE_TTL'],
    ['ipv6Upstream', '--ipv6-upstream', 'HOPS_IPV6_UPSTREAM'],
    ['outgoingAddress', '--outgoing-address', 'HOPS_OUTGOING_ADDRESS'],
    ['forwardZones', '--forward-zones', 'HOPS_FORWARD_ZONES'],
    ['stubZones', '--stub-zones', 'HOPS_STUB_ZONES'],
  ])('%s ↔ %s ↔ %s', (key, flag, env) => {
    expect(flagName(key)).toBe(flag);
    expect(envName(key)).toBe(env);
  });
});

describe('defaults', () => {
  it('listens on 0.0.0.0:53 and [::]:53, serves zones/, logs at info, recursion on', () => {
    const c = load([]);
    expect(c.listen).toEqual([{ host: '0.0.0.0', port: 53 }, { host: '::', port: 53 }]);
    expect(c.zones).toBe(join(process.cwd(), 'zones'));
    expect(c.logLevel).toBe('info');
    expect(c.recursion).toBe(true);
    expect(c.cache).toEqual({ size: 100_000, minTtl: 0, maxTtl: 86_400, maxNegativeTtl: 3_600 });
    expect(c.queryLoopback).toBe(false);
    expect(c.rootHints.endsWith('root-hints/named.root')).toBe(true);
  });
});

describe('listen addresses', () => {
  it.each([
    ['127.0.0.1:5353', { host: '127.0.0.1', port: 5353 }],
    ['[::1]:53', { host: '::1', port: 53 }],
    ['[::]:5300', { host: '::', port: 5300 }],
    ['10.1.2.3', { host: '10.1.2.3', port: 53 }],
    ['::1', { host: '::1', port: 53 }],
  ])('%s', (text, expected) => expect(parseListenAddress(text)).toEqual(expected));

  it.each(['localhost:53', '127.0.0.1:99999', '1.2.3:53', '[::1]:x', ''])('rejects %j', (text) => {
    expect(() => parseListenAddress(text)).toThrow(ConfigError);
  });

  it('--listen is repeatable', () => {
    expect(load(['--listen', '127.0.0.1:5353', '--listen=[::1]:5353']).listen).toEqual([
      { host: '127.0.0.1', port: 5353 }, { host: '::1', port: 5353 },
    ]);
  });
});

describe('precedence: flags > environment > config file > defaults', () => {
  const file = tempFile('hops.yaml', 'listen: ["127.0.0.1:1053"]\nlogLevel: warn\nrecursion: false\ncache:\n  maxTtl: 600\n');

  it('reads the file', () => {
    const c = load(['--config', file]);
    expect(c.listen).toEqual([{ host: '127.0.0.1', port: 1053 }]);
    expect(c.logLevel).toBe('warn');
    expect(c.recursion).toBe(false);
    expect(c.cache.maxTtl).toBe(600);
  });

  it('HOPS_CONFIG names the file', () => {
    expect(load([], { HOPS_CONFIG: file }).logLevel).toBe('warn');
  });

  it('environment beats the file', () => {
    const c = load(['--config', file], { HOPS_LOG_LEVEL: 'debug', HOPS_LISTEN: '127.0.0.2:53, [::1]:53', HOPS_CACHE_MAX_TTL: '300' });
    expect(c.logLevel).toBe('debug');
    expect(c.listen).toEqual([{ host: '127.0.0.2', port: 53 }, { host: '::1', port: 53 }]);
    expect(c.cache.maxTtl).toBe(300);
  });

  it('flags beat the environment', () => {
    const c = load(['--config', file, '--log-level', 'error', '--recursion', 'on', '--listen', '127.0.0.3:53'],
      { HOPS_LOG_LEVEL: 'debug', HOPS_RECURSION: 'off', HOPS_LISTEN: '127.0.0.2:53' });
    expect(c.logLevel).toBe('error');
    expect(c.recursion).toBe(true);
    expect(c.listen).toEqual([{ host: '127.0.0.3', port: 53 }]);
  });

  it('JSON config files work too, and relative paths are relative to the file', () => {
    const json = tempFile('hops.json', JSON.stringify({ zones: 'my-zones', rootHints: '/etc/hints', cache: { size: 5 } }));
    const c = load(['--config', json]);
    expect(c.zones).toBe(join(json, '..', 'my-zones'));
    expect(c.rootHints).toBe('/etc/hints');
    expect(c.cache.size).toBe(5);
  });
});

describe('errors name the setting and the value', () => {
  it.each([
    [['--bogus', 'x'], /unknown flag --bogus/],
    [['--log-level', 'loud'], /--log-level: invalid value "loud"/],
    [['--recursion', 'maybe'], /--recursion: invalid value "maybe"/],
    [['--cache-max-ttl', '-1'], /--cache-max-ttl: invalid value "-1"/],
    [['--listen'], /--listen needs a value/],
    [['--listen', 'nowhere:53'], /--listen: invalid value "nowhere:53"/],
    [['--cache-min-ttl', '100', '--cache-max-ttl', '10'], /cache.minTtl \(100\) is above cache.maxTtl/],
    [['stray'], /unknown command "stray"/],
  ])('%j', (argv, message) => {
    expect(() => load(argv as string[])).toThrow(message);
  });

  it('bad environment values name the variable', () => {
    expect(() => load([], { HOPS_RECURSION: 'perhaps' })).toThrow(/environment HOPS_RECURSION: invalid value "perhaps"/);
  });

  it('unknown config-file keys are rejected with the key', () => {
    const file = tempFile('bad.yaml', 'listen: ["127.0.0.1:53"]\nlisten_addr: 1\n');
    expect(() => load(['--config', file])).toThrow(/unknown key "listen_addr"/);
    const nested = tempFile('bad2.yaml', 'cache:\n  sise: 10\n');
    expect(() => load(['--config', nested])).toThrow(/unknown key "cache.sise"/);
  });

  it('a missing config file is named', () => {
    expect(() => load(['--config', '/nonexistent/hops.yaml'])).toThrow(/cannot read config file \/nonexistent\/hops.yaml: ENOENT/);
  });

  it('unknown HOPS_ variables are reported so main can warn about typos', () => {
    expect(unknownEnvironmentVariables({ HOPS_LISTNE: 'x', HOPS_LISTEN: 'y', PATH: '/bin' })).toEqual(['HOPS_LISTNE']);
  });
});

describe('forward and stub zones (issue 8)', () => {
  it('default to none', () => {
    const c = load([]);
    expect(c.forwardZones).toEqual([]);
    expect(c.stubZones).toEqual([]);
  });

  it('read a YAML list of { name, servers }, names and servers normalized', () => {
    const file = tempFile('zones.yaml', [
      'forwardZones:',
      '  - { name: Corp.Example., servers: ["10.8.0.53", "10.8.0.54@5353"] }',
      '  - { name: ".", servers: ["192.0.2.53"] }',
      'stubZones:',
      '  - name: 168.192.in-addr.arpa',
      '    servers:',
      '      - 192.168.1.1',
      '      - "[fd00::1]:5300"',
    ].join('\n'));
    const c = load(['--config', file]);
    expect(c.forwardZones).toEqual([
      { name: 'corp.example', servers: ['10.8.0.53', '10.8.0.54@5353'] },
      { name: '.', servers: ['192.0.2.53'] },
    ]);
    expect(c.stubZones).toEqual([{ name: '168.192.in-addr.arpa', servers: ['192.168.1.1', 'fd00::1@5300'] }]);
  });

  it('read the JSON Deckard renders', () => {
    const file = tempFile('deckard.json', JSON.stringify({ forwardZones: [{ name: '.', servers: ['1.2.3.4'] }] }));
    expect(load(['--config', file]).forwardZones).toEqual([{ name: '.', servers: ['1.2.3.4'] }]);
  });

  it('flags take NAME=SERVER[,SERVER…], repeatable, and replace the environment', () => {
    const c = load(['--forward-zones', 'corp.example=10.8.0.53,10.8.0.54', '--forward-zones=.=192.0.2.53@5353',
      '--stub-zones', '168.192.in-addr.arpa=192.168.1.1'], { HOPS_FORWARD_ZONES: 'other.example=10.0.0.1' });
    expect(c.forwardZones).toEqual([
      { name: 'corp.example', servers: ['10.8.0.53', '10.8.0.54'] },
      { name: '.', servers: ['192.0.2.53@5353'] },
    ]);
    expect(c.stubZones).toEqual([{ name: '168.192.in-addr.arpa', servers: ['192.168.1.1'] }]);
  });

  it('the environment separates zones with ";"', () => {
    const c = load([], { HOPS_FORWARD_ZONES: 'corp.example=10.8.0.53, 10.8.0.54 ; .=192.0.2.53', HOPS_STUB_ZONES: 'lan=192.168.1.1' });
    expect(c.forwardZones).toEqual([
      { name: 'corp.example', servers: ['10.8.0.53', '10.8.0.54'] },
      { name: '.', servers: ['192.0.2.53'] },
    ]);
    expect(c.stubZones).toEqual([{ name: 'lan', servers: ['192.168.1.1'] }]);
  });

  it('--help lists them', () => {
    expect(usage()).toMatch(/--forward-zones VALUE +\(key forwardZones, env HOPS_FORWARD_ZONES\), repeatable/);
    expect(usage()).toMatch(/--stub-zones VALUE +\(key stubZones, env HOPS_STUB_ZONES\), repeatable/);
  });

  describe('a bad entry stops start-up with a message naming it', () => {
    it.each([
      ['forwardZones:\n  - { name: corp.example, servers: ["10.8.0.53"] }\n  - { name: lan, servers: ["10.8.0.x"] }\n',
        /config file .*: key "forwardZones\[1\]\.servers\[0\]": invalid value "10\.8\.0\.x" \(expected an IP address with an optional port/],
      ['forwardZones:\n  - { name: "corp..example", servers: ["10.8.0.53"] }\n',
        /key "forwardZones\[0\]\.name": invalid value "corp\.\.example" \(expected a domain name/],
      ['stubZones:\n  - { name: lan, servers: [] }\n', /key "stubZones\[0\]\.servers": invalid value \[\] \(expected a non-empty list of servers/],
      ['stubZones:\n  - { name: lan }\n', /key "stubZones\[0\]\.servers": invalid value undefined/],
      ['stubZones:\n  - { name: lan, server: ["192.168.1.1"] }\n', /key "stubZones\[0\]\.server": unknown key \(an entry has name and servers\)/],
      ['forwardZones: 5\n', /key "forwardZones": invalid value 5/],
      ['forwardZones:\n  - 5\n', /key "forwardZones\[0\]": invalid value 5/],
      ['forwardZones:\n  - { name: a.test, servers: ["10.0.0.1"] }\n  - { name: A.test., servers: ["10.0.0.2"] }\n',
        /forwardZones\[1\]: "a\.test" is listed twice in forwardZones/],
      ['forwardZones:\n  - { name: lan, servers: ["10.0.0.1"] }\nstubZones:\n  - { name: lan, servers: ["10.0.0.2"] }\n',
        /stubZones\[0\]: "lan" is both a forward zone and a stub zone/],
    ])('%j', (text, message) => {
      expect(() => load(['--config', tempFile('bad-zones.yaml', text)])).toThrow(message);
    });

    it.each([
      [['--forward-zones', 'corp.example'], /--forward-zones\[0\]: invalid value "corp\.example" \(expected NAME=SERVER\[,SERVER…\]/],
      [['--forward-zones', 'corp.example=10.8.0.53', '--forward-zones', 'lan=router.lan'], /--forward-zones\[1\]\.servers\[0\]: invalid value "router\.lan"/],
      [['--stub-zones', 'lan='], /--stub-zones\[0\]\.servers: invalid value ""/],
      [['--stub-zones', 'lan=192.168.1.1@99999'], /--stub-zones\[0\]\.servers\[0\]: invalid value "192\.168\.1\.1@99999"/],
    ])('%j', (argv, message) => {
      expect(() => load(argv as string[])).toThrow(message);
    });

    it('in the environment', () => {
      expect(() => load([], { HOPS_STUB_ZONES: 'lan=192.168.1.1;bad name=192.168.1.2' }))
        .toThrow(/environment HOPS_STUB_ZONES\[1\]\.name: invalid value "bad name"/);
    });
  });
});

describe('subcommands', () => {
  it('check-zones takes a folder', () => {
    const a = parseArgs(['check-zones', 'zones/']);
    expect(a.command).toBe('check-zones');
    expect(a.positional).toEqual(['zones/']);
  });
});
