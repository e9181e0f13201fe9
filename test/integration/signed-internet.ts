// A DNSSEC-signed internet on loopback, signed at start-up by real signers,
// for the validator differential test (dnssec-real-signers.test.ts):
//
//   ${net}.0.1   NSD   .                 ldns-signzone: ECDSAP256SHA256 KSK + ZSK, NSEC
//   ${net}.1.1   Knot  example.          knotd signs it (dnssec-signing: on): ECDSAP256SHA256 CSK, NSEC
//   ${net}.1.2   Knot  knot.example.     knotd signs it: ED25519 CSK, NSEC3 (0 iterations, no salt)
//   ${net}.2.1   NSD   the ldns-signed zones under example. (zones() below), good and bogus
//   ${net}.3.1   NSD   unsigned zones: insecure.example., unsigned.optout.example.
//
// The TLD is `example.`, not `test.`: Unbound serves `test.` itself as a
// locally served zone by default (RFC 6761). Keys are made fresh on every run
// (ldns-keygen, keymgr) and signatures are dated from now, so nothing here
// goes stale; the bogus zones are bogus on purpose (zones() says how). Only
// loopback addresses are used: resolvers get root hints naming ${net}.0.1
// and a trust anchor for this root, never the real ones.

import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { checkNet, findBinary, LAB_DIR } from '../../lab/internet.mjs';
import { tcpAccepts, waitForZones } from '../helpers/authoritative.js';
import { startProcess, type HopsProcess } from '../helpers/hops-process.js';

const run = promisify(execFile);

/** The tools this file runs, with the Debian package of each. */
const TOOLS: Array<[string, string]> = [
  ['nsd', 'nsd'], ['knotd', 'knot'], ['keymgr', 'knot'], ['ldns-keygen', 'ldnsutils'], ['ldns-signzone', 'ldnsutils'],
  ['unbound', 'unbound'], ['dig', 'bind9-dnsutils'], ['delv', 'bind9-dnsutils'],
];

/** Why the signed internet cannot run here (empty when it can). */
export function missingSignedInternetTools(): string[] {
  const missing = process.getuid?.() === 0 ? [] : ['root (to bind port 53)'];
  for (const [bin, pkg] of TOOLS) {
    if (!findBinary(bin)) missing.push(`${bin} (Debian package ${pkg}; scripts/install-test-tools.sh installs it)`);
  }
  return missing;
}

// ---- the zones, as data --------------------------------------------------------

type ServerName = 'root' | 'tld' | 'knot-leaf' | 'leaves' | 'unsigned';

const SERVERS: Record<ServerName, { host: string; kind: 'nsd' | 'knot'; ns: string }> = {
  root: { host: '0.1', kind: 'nsd', ns: 'a.root-servers.' },
  tld: { host: '1.1', kind: 'knot', ns: 'ns.example.' },
  'knot-leaf': { host: '1.2', kind: 'knot', ns: 'ns-knot.example.' },
  leaves: { host: '2.1', kind: 'nsd', ns: 'ns-leaf.example.' },
  unsigned: { host: '3.1', kind: 'nsd', ns: 'ns-unsigned.example.' },
};

type Algorithm = 'ECDSAP256SHA256' | 'ED25519' | 'RSASHA256';

/** A key for ldns-keygen: a KSK (flags 257, has a DS) or a ZSK (256). */
interface KeySpec {
  algorithm: Algorithm;
  ksk: boolean;
  bits?: number;
}

/** One record of ldns-signzone's output: `owner ttl class type rdata` on one line. */
export interface SignedRecord {
  owner: string;
  type: string;
  /** For an RRSIG, the type it covers. */
  covers?: string;
  rdata: string;
  line: string;
}

interface ZoneSpec {
  origin: string;
  server: ServerName;
  signer:
    | { by: 'none' }
    | { by: 'knot'; algorithm: 'ecdsap256sha256' | 'ed25519'; nsec3: boolean }
    | {
      by: 'ldns';
      keys: KeySpec[];
      denial: 'nsec' | 'nsec3' | 'nsec3-opt-out';
      /** Signature validity window; `current` is one hour ago to 30 days on. */
      validity?: 'current' | 'expired' | 'future';
      /** The DS at the parent: of the zone's own KSK, or of a key the zone never publishes. */
      ds?: 'own' | 'unpublished-key';
      /** Applied to the signed file: returns the line to write, or null to drop it. */
      edit?: (rr: SignedRecord) => string | null;
    };
}

/** The address every `www` in the lab has (plain data: nothing listens there). */
export const wwwAddress = (net: string) => `${net}.200.80`;
/** What badsig's and nta's `www` A record says after signing. */
export const tamperedAddress = (net: string) => `${net}.200.66`;

type LdnsSigner = Extract<ZoneSpec['signer'], { by: 'ldns' }>;

const ecdsaCsk: KeySpec[] = [{ algorithm: 'ECDSAP256SHA256', ksk: true }];

function ldns(keys: KeySpec[], more: Partial<Omit<LdnsSigner, 'by' | 'keys'>> = {}): LdnsSigner {
  return { by: 'ldns', keys, denial: 'nsec', ...more };
}

/**
 * Every zone of the lab, parents before children. The test file's cases say
 * what a validator must make of each.
 */
function zones(net: string): ZoneSpec[] {
  // After signing, so the RRSIG no longer matches the RRset.
  const tamperWww = (zone: string) => (rr: SignedRecord) =>
    rr.owner === `www.${zone}` && rr.type === 'A' ? rr.line.replace(rr.rdata, tamperedAddress(net)) : rr.line;
  return [
    { origin: '.', server: 'root', signer: ldns([{ algorithm: 'ECDSAP256SHA256', ksk: true }, { algorithm: 'ECDSAP256SHA256', ksk: false }]) },
    { origin: 'example.', server: 'tld', signer: { by: 'knot', algorithm: 'ecdsap256sha256', nsec3: false } },
    { origin: 'knot.example.', server: 'knot-leaf', signer: { by: 'knot', algorithm: 'ed25519', nsec3: true } },
    { origin: 'secure.example.', server: 'leaves', signer: ldns(ecdsaCsk) },
    // RFC 9276 §3.1: NSEC3 with 0 extra iterations and no salt.
    { origin: 'secure3.example.', server: 'leaves', signer: ldns(ecdsaCsk, { denial: 'nsec3' }) },
    // RFC 5155 §6: opt-out; its NSEC3 chain skips the unsigned delegation below it.
    { origin: 'optout.example.', server: 'leaves', signer: ldns(ecdsaCsk, { denial: 'nsec3-opt-out' }) },
    { origin: 'unsigned.optout.example.', server: 'unsigned', signer: { by: 'none' } },
    { origin: 'rsa.example.', server: 'leaves', signer: ldns([{ algorithm: 'RSASHA256', ksk: true, bits: 2048 }, { algorithm: 'RSASHA256', ksk: false, bits: 1024 }]) },
    { origin: 'ed25519.example.', server: 'leaves', signer: ldns([{ algorithm: 'ED25519', ksk: true }]) },
    { origin: 'insecure.example.', server: 'unsigned', signer: { by: 'none' } },
    // Bogus on purpose, each in one way.
    { origin: 'expired.example.', server: 'leaves', signer: ldns(ecdsaCsk, { validity: 'expired' }) },
    { origin: 'future.example.', server: 'leaves', signer: ldns(ecdsaCsk, { validity: 'future' }) },
    { origin: 'badsig.example.', server: 'leaves', signer: ldns(ecdsaCsk, { edit: tamperWww('badsig.example.') }) },
    { origin: 'nokey.example.', server: 'leaves', signer: ldns(ecdsaCsk, { ds: 'unpublished-key' }) },
    { origin: 'nosig.example.', server: 'leaves', signer: ldns(ecdsaCsk, { edit: (rr) => (rr.owner === 'www.nosig.example.' && rr.covers === 'A' ? null : rr.line) }) },
    // Every NSEC (and its RRSIG) gone: negative answers come without proof.
    { origin: 'nonsec.example.', server: 'leaves', signer: ldns(ecdsaCsk, { edit: (rr) => (rr.type === 'NSEC' || rr.covers === 'NSEC' ? null : rr.line) }) },
    // Bogus like badsig; the resolvers hold a negative trust anchor for it (RFC 7646).
    { origin: 'nta.example.', server: 'leaves', signer: ldns(ecdsaCsk, { edit: tamperWww('nta.example.') }) },
  ];
}

/** Parent zone's name: one label less. */
function parentOf(origin: string): string {
  const dot = origin.indexOf('.');
  return dot === origin.length - 1 ? '.' : origin.slice(dot + 1);
}

function zoneText(zone: ZoneSpec, net: string): string {
  const at = (host: string) => `${net}.${host}`;
  const head = `$ORIGIN ${zone.origin}\n$TTL 300\n`;
  switch (zone.origin) {
    case '.':
      return `${head}@ SOA a.root-servers. hostmaster.root-servers. 1 1800 900 604800 86400
@ NS a.root-servers.
a.root-servers. A ${at(SERVERS.root.host)}
`;
    case 'example.':
      return `${head}@ SOA ns hostmaster 1 3600 600 86400 300
@ NS ns
${Object.values(SERVERS).filter((s) => s.ns.endsWith('.example.')).map((s) => `${s.ns} A ${at(s.host)}`).join('\n')}
`;
    default:
      return `${head}@ SOA ${SERVERS[zone.server].ns} hostmaster 1 3600 600 86400 300
@ NS ${SERVERS[zone.server].ns}
www A ${wwwAddress(net)}
*.wild TXT "wildcard of ${zone.origin}"
`;
  }
}

// ---- signing ---------------------------------------------------------------------

const DAY = 86_400;

function validityWindow(validity: 'current' | 'expired' | 'future' = 'current', now = Math.floor(Date.now() / 1000)): [number, number] {
  switch (validity) {
    case 'current':
      return [now - 3600, now + 30 * DAY];
    case 'expired':
      return [now - 60 * DAY, now - 30 * DAY];
    case 'future':
      return [now + 30 * DAY, now + 60 * DAY];
  }
}

/** ldns-keygen in `dir`; returns the key's base path (what ldns-signzone takes) and, for a KSK, its DS line. */
async function ldnsKey(dir: string, origin: string, key: KeySpec): Promise<{ base: string; ds?: string }> {
  const args = ['-a', key.algorithm, '-r', '/dev/urandom', ...(key.bits ? ['-b', String(key.bits)] : []), ...(key.ksk ? ['-k'] : []), origin];
  const { stdout } = await run('ldns-keygen', args, { cwd: dir, timeout: 20_000 });
  const base = join(dir, stdout.trim());
  return { base, ds: key.ksk ? readFileSync(`${base}.ds`, 'utf8').trim() : undefined };
}

function parseSigned(line: string): SignedRecord | undefined {
  if (line === '' || line.startsWith(';')) return undefined;
  const [owner, , , type, ...rest] = line.split(/\s+/);
  const rdata = rest.join(' ').replace(/\s*;.*$/, '');
  return { owner, type, covers: type === 'RRSIG' ? rest[0] : undefined, rdata, line };
}

async function ldnsSign(file: string, origin: string, keyBases: string[], signer: LdnsSigner): Promise<string> {
  const [inception, expiration] = validityWindow(signer.validity);
  const denial = signer.denial === 'nsec' ? [] : ['-n', '-t', '0', ...(signer.denial === 'nsec3-opt-out' ? ['-p'] : [])];
  const out = `${file}.signed`;
  await run('ldns-signzone', [...denial, '-i', String(inception), '-e', String(expiration), '-o', origin, '-f', out, file, ...keyBases], { timeout: 20_000 });
  if (signer.edit) {
    const edit = signer.edit;
    const lines = readFileSync(out, 'utf8').split('\n').map((line) => {
      const rr = parseSigned(line);
      return rr ? edit(rr) : line;
    });
    writeFileSync(out, lines.filter((l) => l !== null).join('\n'));
  }
  return out;
}

// ---- servers ---------------------------------------------------------------------

const fill = (template: string, fields: Record<string, string>) => template.replace(/\{\{(\w+)\}\}/g, (_, k: string) => fields[k]);

function nsdConfig(name: string, address: string, dir: string, files: Array<[string, string]>): string {
  return fill(readFileSync(join(LAB_DIR, 'nsd.conf.in'), 'utf8'), {
    ADDRESS: address, PORT: '53', DIR: dir, NAME: name,
    ZONES: files.map(([origin, file]) => `zone:\n    name: "${origin}"\n    zonefile: "${file}"\n`).join('\n'),
  });
}

/**
 * Knot with one signing policy. Like lab/knot.conf.in (everything in `dir`,
 * zones loaded whole, nothing written back), plus `dnssec-signing: on`: knotd
 * signs when it loads the zone. `manual: on` makes it use the key keymgr made
 * before start-up (so the parent's DS is known in advance) and never roll it.
 */
function knotConfig(name: string, address: string, dir: string, zone: ZoneSpec, file: string): string {
  if (zone.signer.by !== 'knot') throw new Error(`${zone.origin} is not signed by Knot`);
  const nsec3 = zone.signer.nsec3 ? 'on\n    nsec3-iterations: 0\n    nsec3-salt-length: 0\n    nsec3-opt-out: off' : 'off';
  return `server:
    identity: "${name}"
    version: ""
    rundir: "${dir}"
    pidfile: "${dir}/knot.pid"
    listen: ${address}@53
    udp-workers: 1
    tcp-workers: 1
    background-workers: 1

control:
    listen: "${dir}/knot.sock"

database:
    storage: "${dir}/db"

log:
  - target: stderr
    any: warning

policy:
  - id: lab
    algorithm: ${zone.signer.algorithm}
    manual: on
    nsec3: ${nsec3}

template:
  - id: default
    storage: "${dir}"
    zonefile-load: whole
    zonefile-sync: -1
    journal-content: none
    semantic-checks: off

zone:
  - domain: "${zone.origin}"
    file: "${file}"
    dnssec-signing: on
    dnssec-policy: lab
`;
}

export interface SignedInternet {
  /** Address base, "127.N". */
  net: string;
  /** Temporary folder (removed by stop()). */
  dir: string;
  rootHintsFile: string;
  /** The root KSK's DS, in zone-file format with a `;` comment: Unbound's trust-anchor-file, Hops' --trust-anchor. */
  trustAnchorFile: string;
  /** The same DS as BIND's `trust-anchors { . static-ds … ; };`, for `delv -a`. */
  bindKeysFile: string;
  /** `${net}.${host}` */
  at(host: string): string;
  servers: Array<{ name: string; address: string; output(): string }>;
  /** Stops every server (SIGTERM, then SIGKILL) and removes the folder. Idempotent. */
  stop(): Promise<void>;
}

/**
 * Makes keys, signs the zones and starts the servers on the first base of
 * `nets` where nothing answers yet on the plan's addresses (nor on
 * `alsoFree`, hosts the caller will use, e.g. its resolvers'). Moves on to
 * the next base when another run takes an address first.
 */
export async function startSignedInternet(nets: string[], alsoFree: string[] = []): Promise<SignedInternet> {
  nets.forEach(checkNet);
  for (const net of nets) {
    const hosts = [...Object.values(SERVERS).map((s) => s.host), ...alsoFree];
    const held = await Promise.all(hosts.map((h) => tcpAccepts(`${net}.${h}`, 53)));
    if (held.includes(true)) continue;
    try {
      return await startOn(net);
    } catch (err) {
      if (!/address already in use|EADDRINUSE/i.test((err as Error).message)) throw err;
    }
  }
  throw new Error(`signed internet: every address base is in use (${nets.join(', ')})`);
}

async function startOn(net: string): Promise<SignedInternet> {
  const at = (host: string) => `${net}.${host}`;
  const dir = mkdtempSync(join(tmpdir(), `hops-signed-${net}-`));
  const procs: Array<{ name: string; address: string; proc: HopsProcess }> = [];
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    await Promise.all(procs.map((p) => p.proc.stop()));
    rmSync(dir, { recursive: true, force: true });
  };

  try {
    const specs = zones(net);
    const keysDir = join(dir, 'keys');
    mkdirSync(keysDir);
    const serverDir = (name: ServerName) => join(dir, name);
    for (const name of Object.keys(SERVERS) as ServerName[]) mkdirSync(serverDir(name));

    // 1. Keys, and the DS each signed zone's parent will publish.
    const keyBases = new Map<string, string[]>();
    const dsOf = new Map<string, string[]>();
    for (const zone of specs) {
      const signer = zone.signer;
      if (signer.by === 'ldns') {
        const keys = await Promise.all(signer.keys.map((k) => ldnsKey(keysDir, zone.origin, k)));
        keyBases.set(zone.origin, keys.map((k) => k.base));
        const ksk = signer.ds === 'unpublished-key' ? await ldnsKey(keysDir, zone.origin, signer.keys[0]) : keys.find((k) => k.ds);
        dsOf.set(zone.origin, [ksk!.ds!]);
      } else if (signer.by === 'knot') {
        const sdir = serverDir(zone.server);
        mkdirSync(join(sdir, 'db'));
        writeFileSync(join(sdir, 'knot.conf'), knotConfig(zone.server, at(SERVERS[zone.server].host), sdir, zone, join(sdir, 'zone')));
        const conf = ['-c', join(sdir, 'knot.conf'), zone.origin];
        await run(findBinary('keymgr')!, [...conf, 'generate', `algorithm=${signer.algorithm}`, 'ksk=yes', 'zsk=yes'], { timeout: 20_000 });
        const { stdout } = await run(findBinary('keymgr')!, [...conf, 'ds'], { timeout: 20_000 });
        // SHA-256 only, like the ldns zones (keymgr also prints SHA-384).
        dsOf.set(zone.origin, stdout.split('\n').filter((l) => / DS \d+ \d+ 2 /.test(l)));
      }
    }

    // 2. Zone texts, each parent with its children's delegations (and DS).
    const texts = new Map(specs.map((z) => [z.origin, zoneText(z, net)]));
    for (const zone of specs.filter((z) => z.origin !== '.')) {
      const ns = SERVERS[zone.server].ns;
      const glue = ns.endsWith(`.${zone.origin}`) ? `${ns} A ${at(SERVERS[zone.server].host)}\n` : '';
      const ds = (dsOf.get(zone.origin) ?? []).map((l) => `${l}\n`).join('');
      const parent = parentOf(zone.origin);
      texts.set(parent, `${texts.get(parent)}${zone.origin} NS ${ns}\n${glue}${ds}`);
    }

    // 3. Sign (ldns) or hand over to Knot, per server.
    const served = new Map<ServerName, Array<[string, string]>>();
    for (const zone of specs) {
      const sdir = serverDir(zone.server);
      const file = join(sdir, zone.signer.by === 'knot' ? 'zone' : `${zone.origin === '.' ? 'root.' : zone.origin}zone`);
      writeFileSync(file, texts.get(zone.origin)!);
      const final = zone.signer.by === 'ldns' ? await ldnsSign(file, zone.origin, keyBases.get(zone.origin)!, zone.signer) : file;
      served.set(zone.server, [...(served.get(zone.server) ?? []), [zone.origin, final]]);
    }

    // 4. Trust anchor and root hints.
    const rootDs = dsOf.get('.')![0].split(/\s+/); // ". IN DS tag alg digest-type digest"
    const [tag, alg, digestType, digest] = rootDs.slice(-4);
    const trustAnchorFile = join(dir, 'root.ds');
    writeFileSync(trustAnchorFile, `; The lab root's KSK (test/integration/signed-internet.ts), made ${new Date().toISOString()}\n. IN DS ${tag} ${alg} ${digestType} ${digest}\n`);
    const bindKeysFile = join(dir, 'bind.keys');
    writeFileSync(bindKeysFile, `trust-anchors {\n    . static-ds ${tag} ${alg} ${digestType} "${digest}";\n};\n`);
    const rootHintsFile = join(dir, 'root.hints');
    writeFileSync(rootHintsFile, `. 3600000 NS ${SERVERS.root.ns}\n${SERVERS.root.ns} 3600000 A ${at(SERVERS.root.host)}\n`);

    // 5. Servers, all at once; then wait until each serves all its zones.
    const starting = (Object.entries(SERVERS) as Array<[ServerName, (typeof SERVERS)[ServerName]]>).map(async ([name, server]) => {
      const sdir = serverDir(name);
      const address = at(server.host);
      const conf = join(sdir, `${server.kind}.conf`);
      if (server.kind === 'nsd') writeFileSync(conf, nsdConfig(name, address, sdir, served.get(name)!));
      const bin = findBinary(server.kind === 'nsd' ? 'nsd' : 'knotd')!;
      const proc = await startProcess(bin, server.kind === 'nsd' ? ['-d', '-c', conf] : ['-c', conf], address, 53, { cwd: sdir });
      procs.push({ name, address, proc });
      await waitForZones(proc, address, served.get(name)!.map(([origin]) => origin));
    });
    const results = await Promise.allSettled(starting);
    const failed = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed.length > 0) throw new Error(failed.map((r) => (r.reason as Error).message).join('\n\n'));

    return {
      net,
      dir,
      rootHintsFile,
      trustAnchorFile,
      bindKeysFile,
      at,
      servers: procs.map((p) => ({ name: p.name, address: p.address, output: () => p.proc.stdout() + p.proc.stderr() })),
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}

/**
 * Unbound as the reference validator: validator + iterator from the lab's
 * root with the lab's trust anchor, unprivileged settings (no chroot, no user
 * switch, foreground), validation failures logged (val-log-level 2) and
 * Extended DNS Errors on (`ede`, Unbound ≥ 1.16). `domainInsecure` is
 * Unbound's negative trust anchor (RFC 7646).
 */
export async function startUnbound(lab: SignedInternet, address: string, domainInsecure: string[] = []): Promise<HopsProcess> {
  const dir = join(lab.dir, `unbound-${address}`);
  mkdirSync(dir);
  const conf = join(dir, 'unbound.conf');
  writeFileSync(conf, `server:
    interface: ${address}@53
    port: 53
    do-ip4: yes
    do-ip6: no
    num-threads: 1
    username: ""
    chroot: ""
    directory: "${dir}"
    pidfile: "${dir}/unbound.pid"
    use-syslog: no
    logfile: ""
    verbosity: 1
    val-log-level: 2
    module-config: "validator iterator"
    root-hints: "${lab.rootHintsFile}"
    trust-anchor-file: "${lab.trustAnchorFile}"
${domainInsecure.map((name) => `    domain-insecure: "${name}"\n`).join('')}    trust-anchor-signaling: no
    root-key-sentinel: no
    do-not-query-localhost: no
    access-control: 127.0.0.0/8 allow
    ede: yes
    prefetch: no
    serve-expired: no
remote-control:
    control-enable: no
`);
  return startProcess(findBinary('unbound')!, ['-d', '-c', conf], address, 53, { cwd: dir });
}
