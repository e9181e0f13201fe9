// Configuration: every setting can come from a flag, a key in the config file
// (JSON or YAML) and a HOPS_… environment variable. Flags win over the
// environment, which wins over the file (issue #2). Validated once, here, into
// a typed object; every error names the setting and the bad value (STYLE 11).
//
// Names follow one pattern: config key `cache.minTtl` ↔ flag `--cache-min-ttl`
// ↔ environment `HOPS_CACHE_MIN_TTL`. Operators' scripts rely on these names.

import { isIP } from 'node:net';
import { networkInterfaces } from 'node:os';
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { LOG_LEVELS, type LogLevel } from './util/log.js';
import { parseCidr } from './util/cidr.js';
import { ForwardZones, ForwardZonesError, parseServer, parseZoneName, type ZoneServers } from './resolver/forward-zones.js';

export interface ListenAddress {
  host: string;
  port: number;
}

export interface Config {
  listen: ListenAddress[];
  zones: string;
  logLevel: LogLevel;
  recursion: boolean;
  rootHints: string;
  cache: { size: number; minTtl: number; maxTtl: number; maxNegativeTtl: number };
  queryLoopback: boolean;
  outgoingAddress: string[];
  ipv4Upstream: boolean;
  ipv6Upstream: boolean;
  /** RFC 9156 QNAME minimisation (relaxed). */
  qnameMinimisation: boolean;
  /** Client networks offered recursion (CIDR strings). */
  allow: string[];
  /** Who gets answers from local zones: everyone, or only the `allow` list. */
  localZonesAccess: 'all' | 'allowed';
  rateLimit: { responsesPerSecond: number; burst: number; slip: number };
  workers: number;
  /** Names sent to recursive servers with RD=1 (forwarders); names normalized, servers ADDRESS[@PORT]. */
  forwardZones: ZoneServers[];
  /** Names looked up from these authoritative servers (RD=0), referrals below followed. */
  stubZones: ZoneServers[];
  dnssec: {
    /** `validate` (RFC 4035 §5): answers for signed zones are checked; `off`: Hops is DNSSEC-oblivious. */
    mode: 'validate' | 'off';
    /** Files of DS or DNSKEY records (zone-file presentation), each a trust anchor (RFC 4035 §4.4). */
    trustAnchors: string[];
    /** Names below which validation is off (RFC 7646), normalized. */
    negativeTrustAnchors: string[];
  };
}

export class ConfigError extends Error {
  readonly code = 'ECONFIG';
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

/** Where Hops is installed (the folder holding package.json). */
export const INSTALL_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** RFC 1918, RFC 6598, loopback, link-local, IPv6 ULA and link-local. */
export const DEFAULT_ALLOW = [
  '127.0.0.0/8', '10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '100.64.0.0/10', '169.254.0.0/16',
  '::1/128', 'fc00::/7', 'fe80::/10',
];

// ---- value parsers ----------------------------------------------------------

type Parser<T> = (raw: unknown, where: string) => T;

function fail(where: string, raw: unknown, expected: string): never {
  throw new ConfigError(`${where}: invalid value ${JSON.stringify(raw)} (expected ${expected})`);
}

const parseBoolean: Parser<boolean> = (raw, where) => {
  if (typeof raw === 'boolean') return raw;
  if (typeof raw === 'string') {
    const v = raw.trim().toLowerCase();
    if (['on', 'true', 'yes', '1'].includes(v)) return true;
    if (['off', 'false', 'no', '0'].includes(v)) return false;
  }
  return fail(where, raw, 'on or off');
};

function integerParser(min: number, max: number): Parser<number> {
  return (raw, where) => {
    const n = typeof raw === 'number' ? raw : typeof raw === 'string' && /^\s*\d+\s*$/.test(raw) ? Number(raw) : NaN;
    if (!Number.isInteger(n) || n < min || n > max) return fail(where, raw, `an integer from ${min} to ${max}`);
    return n;
  };
}

const parseString: Parser<string> = (raw, where) => {
  if (typeof raw !== 'string' || raw.trim() === '') return fail(where, raw, 'a non-empty string');
  return raw.trim();
};

const parseLogLevel: Parser<LogLevel> = (raw, where) => {
  const v = typeof raw === 'string' ? raw.trim().toLowerCase() : raw;
  if (typeof v === 'string' && (LOG_LEVELS as readonly string[]).includes(v)) return v as LogLevel;
  return fail(where, raw, LOG_LEVELS.join(', '));
};

/** "ADDR:PORT", "[V6]:PORT"; a bare address means port 53. */
export function parseListenAddress(raw: string, where = '--listen'): ListenAddress {
  const text = raw.trim();
  let host: string;
  let port = '53';
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(text);
  if (bracketed) {
    host = bracketed[1];
    if (bracketed[2] !== undefined) port = bracketed[2];
  } else if (isIP(text) === 6) {
    host = text;
  } else {
    const colon = text.lastIndexOf(':');
    host = colon < 0 ? text : text.slice(0, colon);
    if (colon >= 0) port = text.slice(colon + 1);
  }
  if (isIP(host) === 0) return fail(where, raw, 'ADDR:PORT with an IP address, e.g. 127.0.0.1:53 or [::1]:53');
  const n = Number(port);
  if (!/^\d+$/.test(port) || n < 0 || n > 65535) return fail(where, raw, 'a port from 0 to 65535');
  return { host, port: n };
}

function listParser<T>(item: (raw: string, where: string) => T): Parser<T[]> {
  return (raw, where) => {
    const items = typeof raw === 'string' ? raw.split(',').map((s) => s.trim()).filter(Boolean) : raw;
    if (!Array.isArray(items)) return fail(where, raw, 'a list');
    return items.map((v) => (typeof v === 'string' ? item(v, where) : fail(where, v, 'a string')));
  };
}

const parseIpAddress = (raw: string, where: string): string => (isIP(raw) ? raw : fail(where, raw, 'an IP address'));
const parseCidrString = (raw: string, where: string): string => {
  try {
    parseCidr(raw);
    return raw;
  } catch {
    return fail(where, raw, 'a CIDR such as 192.168.0.0/16 or fd00::/8');
  }
};

const parseDnssecMode: Parser<'validate' | 'off'> = (raw, where) =>
  raw === 'validate' || raw === 'off' ? raw : fail(where, raw, 'validate or off');

const parseNtaName = (raw: string, where: string): string =>
  parseZoneName(raw) ?? fail(where, raw, 'a domain name such as example.com');

const parseAccess: Parser<'all' | 'allowed'> = (raw, where) =>
  raw === 'all' || raw === 'allowed' ? raw : fail(where, raw, 'all or allowed');

/** `where` with a path inside the value: `key "forwardZones"` + `[1].name` → `key "forwardZones[1].name"`. */
function inside(where: string, path: string): string {
  return where.endsWith('"') ? `${where.slice(0, -1)}${path}"` : `${where}${path}`;
}

const SERVER_SYNTAX = 'an IP address with an optional port: 192.0.2.53, 192.0.2.53@5353 or [2001:db8::53]:5353';
const ZONE_ENTRY_SYNTAX = 'NAME=SERVER[,SERVER…], e.g. corp.example=10.8.0.53,10.8.0.54@5353';

/**
 * forwardZones / stubZones. In a config file, a list of `{ name, servers }`
 * mappings; as a flag or environment variable, `NAME=SERVER[,SERVER…]`
 * entries separated by ";" (a flag may also be repeated). Entries are
 * numbered from 0 in errors: `forwardZones[1].servers[0]`.
 */
const parseZoneServersList: Parser<ZoneServers[]> = (raw, where) => {
  const entries = (typeof raw === 'string' ? [raw] : Array.isArray(raw) ? raw : fail(where, raw, `a list of { name, servers } entries, or ${ZONE_ENTRY_SYNTAX}`))
    .flatMap((item: unknown) => (typeof item === 'string' ? item.split(';').map((s) => s.trim()).filter(Boolean) : [item]));
  return entries.map((item, i) => parseZoneServers(item, inside(where, `[${i}]`)));
};

function parseZoneServers(item: unknown, where: string): ZoneServers {
  let name: unknown;
  let servers: unknown;
  if (typeof item === 'string') {
    const eq = item.indexOf('=');
    if (eq < 0) return fail(where, item, ZONE_ENTRY_SYNTAX);
    name = item.slice(0, eq);
    servers = item.slice(eq + 1);
  } else if (item !== null && typeof item === 'object' && !Array.isArray(item)) {
    for (const key of Object.keys(item)) {
      if (key !== 'name' && key !== 'servers') throw new ConfigError(`${inside(where, `.${key}`)}: unknown key (an entry has name and servers)`);
    }
    ({ name, servers } = item as { name?: unknown; servers?: unknown });
  } else {
    return fail(where, item, `a { name, servers } mapping or ${ZONE_ENTRY_SYNTAX}`);
  }
  const zone = typeof name === 'string' ? parseZoneName(name) : undefined;
  if (zone === undefined) return fail(inside(where, '.name'), name, 'a domain name such as corp.example, or "." for every name');
  const list = typeof servers === 'string' ? servers.split(',').map((s) => s.trim()).filter(Boolean) : servers;
  if (!Array.isArray(list) || list.length === 0) return fail(inside(where, '.servers'), servers, `a non-empty list of servers, each ${SERVER_SYNTAX}`);
  return {
    name: zone,
    servers: list.map((s: unknown, j) => (typeof s === 'string' ? parseServer(s) : undefined) ?? fail(inside(where, `.servers[${j}]`), s, SERVER_SYNTAX)),
  };
}

// ---- the settings table -----------------------------------------------------

interface Setting {
  /** Dotted config-file key, e.g. "cache.minTtl". */
  key: string;
  parse: Parser<unknown>;
  /** Repeatable flag: each occurrence adds an item (flags replace env/file lists). */
  repeatable?: boolean;
  /** Resolve relative paths (a string, or each string of a list) against the config file's folder (file) or cwd. */
  path?: boolean;
  /** A flag name other than the one derived from the key (issue texts name a few: `--dnssec`). */
  flag?: string;
  /** An environment variable other than the one derived from the key. */
  env?: string;
}

const SETTINGS: Setting[] = [
  { key: 'listen', parse: listParser(parseListenAddress), repeatable: true },
  { key: 'zones', parse: parseString, path: true },
  { key: 'logLevel', parse: parseLogLevel },
  { key: 'recursion', parse: parseBoolean },
  { key: 'rootHints', parse: parseString, path: true },
  { key: 'cache.size', parse: integerParser(1, 100_000_000) },
  { key: 'cache.minTtl', parse: integerParser(0, 604_800) },
  { key: 'cache.maxTtl', parse: integerParser(0, 2_147_483_647) },
  { key: 'cache.maxNegativeTtl', parse: integerParser(0, 2_147_483_647) },
  { key: 'queryLoopback', parse: parseBoolean },
  { key: 'outgoingAddress', parse: listParser(parseIpAddress), repeatable: true },
  { key: 'ipv4Upstream', parse: parseBoolean },
  { key: 'ipv6Upstream', parse: parseBoolean },
  { key: 'qnameMinimisation', parse: parseBoolean },
  { key: 'allow', parse: listParser(parseCidrString), repeatable: true },
  { key: 'localZonesAccess', parse: parseAccess },
  { key: 'rateLimit.responsesPerSecond', parse: integerParser(0, 10_000_000) },
  { key: 'rateLimit.burst', parse: integerParser(0, 10_000_000) },
  { key: 'rateLimit.slip', parse: integerParser(0, 100) },
  { key: 'workers', parse: integerParser(1, 64) },
  { key: 'forwardZones', parse: parseZoneServersList, repeatable: true },
  { key: 'stubZones', parse: parseZoneServersList, repeatable: true },
  { key: 'dnssec.mode', parse: parseDnssecMode, flag: '--dnssec', env: 'HOPS_DNSSEC' },
  { key: 'dnssec.trustAnchors', parse: listParser(parseString), repeatable: true, path: true, flag: '--trust-anchor' },
  { key: 'dnssec.negativeTrustAnchors', parse: listParser(parseNtaName), repeatable: true, flag: '--negative-trust-anchor' },
];

const settingFlag = (s: Setting): string => s.flag ?? flagName(s.key);
const settingEnv = (s: Setting): string => s.env ?? envName(s.key);

/** `cache.minTtl` → `--cache-min-ttl` */
export function flagName(key: string): string {
  return '--' + key.replace(/\./g, '-').replace(/[A-Z]/g, (c) => '-' + c.toLowerCase());
}
/** `cache.minTtl` → `HOPS_CACHE_MIN_TTL` */
export function envName(key: string): string {
  return 'HOPS_' + key.replace(/\./g, '_').replace(/[A-Z]/g, (c) => '_' + c).toUpperCase();
}

export function hasGlobalIpv6(): boolean {
  for (const list of Object.values(networkInterfaces())) {
    for (const a of list ?? []) {
      if (a.family !== 'IPv6' || a.internal) continue;
      const first = parseInt(a.address.split(':')[0] || '0', 16);
      // fe80::/10 link-local and fc00::/7 ULA do not reach the internet.
      if ((first & 0xffc0) === 0xfe80 || (first & 0xfe00) === 0xfc00) continue;
      return true;
    }
  }
  return false;
}

export function defaultConfig(): Config {
  return {
    listen: [{ host: '0.0.0.0', port: 53 }, { host: '::', port: 53 }],
    zones: resolve('zones'),
    logLevel: 'info',
    recursion: true,
    rootHints: resolve(INSTALL_DIR, 'root-hints/named.root'),
    cache: { size: 100_000, minTtl: 0, maxTtl: 86_400, maxNegativeTtl: 3_600 },
    queryLoopback: false,
    outgoingAddress: [],
    ipv4Upstream: true,
    ipv6Upstream: hasGlobalIpv6(),
    qnameMinimisation: true,
    allow: [...DEFAULT_ALLOW],
    localZonesAccess: 'all',
    rateLimit: { responsesPerSecond: 0, burst: 0, slip: 2 },
    workers: 1,
    forwardZones: [],
    stubZones: [],
    dnssec: {
      mode: 'validate',
      trustAnchors: [resolve(INSTALL_DIR, 'trust-anchors/root.ds')],
      negativeTrustAnchors: [],
    },
  };
}

// ---- command line -----------------------------------------------------------

export interface ParsedArgs {
  command: 'serve' | 'check-zones' | 'health' | 'help' | 'version';
  /** Positional arguments after the command (e.g. the check-zones folder). */
  positional: string[];
  configFile?: string;
  /** Raw flag values by config key; repeatable flags collect arrays. */
  flags: Map<string, unknown>;
}

const COMMANDS = new Set(['serve', 'check-zones', 'health']);

export function parseArgs(argv: string[]): ParsedArgs {
  const result: ParsedArgs = { command: 'serve', positional: [], flags: new Map() };
  const byFlag = new Map(SETTINGS.map((s) => [settingFlag(s), s]));
  let i = 0;
  if (argv[0] !== undefined && COMMANDS.has(argv[0])) {
    result.command = argv[0] as ParsedArgs['command'];
    i = 1;
  }
  for (; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--help' || arg === '-h') return { ...result, command: 'help' };
    if (arg === '--version' || arg === '-v') return { ...result, command: 'version' };
    if (!arg.startsWith('--')) {
      if (result.command === 'serve') throw new ConfigError(`unknown command ${JSON.stringify(arg)} (try --help)`);
      result.positional.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = eq < 0 ? arg : arg.slice(0, eq);
    let value: string | undefined = eq < 0 ? undefined : arg.slice(eq + 1);
    const takeValue = (): string => {
      if (value !== undefined) return value;
      const next = argv[i + 1];
      if (next === undefined || next.startsWith('--')) throw new ConfigError(`${name} needs a value`);
      i++;
      return next;
    };
    if (name === '--config') {
      result.configFile = takeValue();
      continue;
    }
    const setting = byFlag.get(name);
    if (!setting) throw new ConfigError(`unknown flag ${name} (try --help)`);
    value = takeValue();
    if (setting.repeatable) {
      const list = (result.flags.get(setting.key) as string[] | undefined) ?? [];
      list.push(value);
      result.flags.set(setting.key, list);
    } else {
      result.flags.set(setting.key, value);
    }
  }
  return result;
}

// ---- layering ---------------------------------------------------------------

function readConfigFile(file: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new ConfigError(`cannot read config file ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  let data: unknown;
  try {
    // YAML 1.2 is a superset of JSON, so one parser reads both formats.
    data = text.trim() === '' ? {} : parseYaml(text);
  } catch (err) {
    throw new ConfigError(`config file ${file}: ${(err as Error).message.split('\n')[0]}`);
  }
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    throw new ConfigError(`config file ${file}: expected a mapping of settings at the top level`);
  }
  return data as Record<string, unknown>;
}

/** Flattens nested config-file objects to dotted keys, rejecting unknown ones. */
function flattenFileSettings(data: Record<string, unknown>, file: string): Map<string, unknown> {
  const known = new Set(SETTINGS.map((s) => s.key));
  const groups = new Set(SETTINGS.filter((s) => s.key.includes('.')).map((s) => s.key.split('.')[0]));
  const out = new Map<string, unknown>();
  for (const [k, v] of Object.entries(data)) {
    if (groups.has(k)) {
      if (v === null || typeof v !== 'object' || Array.isArray(v)) {
        throw new ConfigError(`config file ${file}: "${k}" must be a mapping`);
      }
      for (const [sub, sv] of Object.entries(v as Record<string, unknown>)) {
        if (!known.has(`${k}.${sub}`)) throw new ConfigError(`config file ${file}: unknown key "${k}.${sub}"`);
        out.set(`${k}.${sub}`, sv);
      }
    } else if (known.has(k)) {
      out.set(k, v);
    } else {
      throw new ConfigError(`config file ${file}: unknown key "${k}"`);
    }
  }
  return out;
}

function setPath(target: Record<string, unknown>, key: string, value: unknown): void {
  const parts = key.split('.');
  let obj = target;
  for (const p of parts.slice(0, -1)) obj = obj[p] as Record<string, unknown>;
  obj[parts[parts.length - 1]] = value;
}

/**
 * Builds the Config from defaults, the config file (--config or HOPS_CONFIG),
 * the environment and the flags, in increasing order of precedence.
 */
export function loadConfig(args: ParsedArgs, env: NodeJS.ProcessEnv = process.env): Config {
  const config = defaultConfig();
  const configFile = args.configFile ?? (env.HOPS_CONFIG?.trim() || undefined);
  const layers: Array<{ values: Map<string, unknown>; describe: (key: string) => string; base: string }> = [];
  if (configFile) {
    const file = resolve(configFile);
    layers.push({
      values: flattenFileSettings(readConfigFile(file), file),
      describe: (key) => `config file ${file}: key "${key}"`,
      base: dirname(file),
    });
  }
  const envValues = new Map<string, unknown>();
  const envOf = new Map(SETTINGS.map((s) => [s.key, settingEnv(s)]));
  const flagOf = new Map(SETTINGS.map((s) => [s.key, settingFlag(s)]));
  for (const s of SETTINGS) {
    const v = env[settingEnv(s)];
    if (v !== undefined && v !== '') envValues.set(s.key, v);
  }
  layers.push({ values: envValues, describe: (key) => `environment ${envOf.get(key)}`, base: process.cwd() });
  layers.push({ values: args.flags, describe: (key) => flagOf.get(key)!, base: process.cwd() });

  for (const layer of layers) {
    for (const s of SETTINGS) {
      if (!layer.values.has(s.key)) continue;
      let value = s.parse(layer.values.get(s.key), layer.describe(s.key));
      if (s.path) value = Array.isArray(value) ? value.map((v: string) => resolve(layer.base, v)) : resolve(layer.base, value as string);
      setPath(config as unknown as Record<string, unknown>, s.key, value);
    }
  }
  validate(config);
  return config;
}

function validate(config: Config): void {
  if (config.listen.length === 0) throw new ConfigError('listen: at least one address is needed');
  if (config.cache.minTtl > config.cache.maxTtl) {
    throw new ConfigError(`cache.minTtl (${config.cache.minTtl}) is above cache.maxTtl (${config.cache.maxTtl})`);
  }
  if (config.recursion && !config.ipv4Upstream && !config.ipv6Upstream) {
    throw new ConfigError('ipv4Upstream and ipv6Upstream are both off: recursion could reach no server');
  }
  try {
    // Names listed twice, or as both a forward and a stub zone.
    new ForwardZones(config);
  } catch (err) {
    if (err instanceof ForwardZonesError) throw new ConfigError(err.message);
    throw err;
  }
}

/** HOPS_… variables that name no setting: likely typos, worth a warning. */
export function unknownEnvironmentVariables(env: NodeJS.ProcessEnv = process.env): string[] {
  const known = new Set([...SETTINGS.map(settingEnv), 'HOPS_CONFIG']);
  return Object.keys(env).filter((name) => name.startsWith('HOPS_') && !known.has(name));
}

/** Lines of --help, generated from the settings table so they cannot drift. */
export function usage(): string {
  const lines = [
    'Usage: hops [serve] [flags]         run the resolver',
    '       hops check-zones DIR          parse every zone file in DIR and report errors',
    '       hops health [--listen A:P]    query the local listener; exit 0 when it answers',
    '',
    'Flags (each also a config-file key and a HOPS_… environment variable):',
    `  --config FILE                      (env HOPS_CONFIG) JSON or YAML config file`,
  ];
  for (const s of SETTINGS) {
    lines.push(`  ${(settingFlag(s) + ' VALUE').padEnd(34)} (key ${s.key}, env ${settingEnv(s)})${s.repeatable ? ', repeatable' : ''}`);
  }
  lines.push('', 'Precedence: flags > environment > config file > defaults. See README.md.');
  return lines.join('\n');
}
