// A small signed internet, declared as data: zones (root, TLDs, their
// children) each served from its own address, delegations and DS records
// written into the parents automatically, signed at test time with
// test/dnssec/signer.ts. A validating Hops resolver (trust anchor: the test
// root's KSK) sits behind the real QueryHandler, so tests ask with the
// client's flags (DO, CD, AD, RD) and read the wire-level reply: RCODE, AD,
// RRSIGs, proofs and the Extended DNS Error (RFC 8914).

import { Writable } from 'node:stream';
import { pino } from 'pino';
import { decodeMessage, encodeMessage } from '../../../src/dns/codec.js';
import { EDE_OPTION_CODE, parseEdeOption, type ExtendedError } from '../../../src/dns/ede.js';
import { emptyMessage, type Message, type ResourceRecord } from '../../../src/dns/message.js';
import { isStrictSubdomain } from '../../../src/dnssec/enclosers.js';
import { normalizeName, ROOT } from '../../../src/dns/name.js';
import { createResolver } from '../../../src/resolver/resolver.js';
import type { ResolverOptionsInput } from '../../../src/resolver/options.js';
import { parseRootHints } from '../../../src/resolver/root-hints.js';
import { AnswerCache } from '../../../src/server/answer-cache.js';
import type { ClientInfo } from '../../../src/server/message-handler.js';
import { QueryHandler } from '../../../src/server/query-handler.js';
import { ManualClock } from '../../../src/util/clock.js';
import { parseZoneFile } from '../../../src/zones/zone-file.js';
import { FakeNetwork } from '../../fakes/fake-network.js';
import { firstChoice } from '../../resolver/harness.js';
import type { SigningKey } from '../signer.js';
import { signedServerScript, type SignedServerOptions } from './signed-server.js';
import { makeZoneKeys, SignedZone, type Denial, type SignatureWindow, type ZoneKeys } from './signed-zone.js';

export const ROOT_ADDRESS = '198.41.0.4';
const ROOT_NS = 'a.root-servers.net';
/** Valid from an hour ago for 30 days: what a signer's defaults give. */
export const DAY = 86_400;

export interface ZoneSpec {
  origin: string;
  /** The server's address; zones may share one. */
  address: string;
  /** Zone-file lines relative to the origin; SOA, apex NS, the server's address and delegations are added. */
  body?: string;
  ttl?: number;
  /** DNSSEC algorithm of its keys (default 13, ECDSAP256SHA256). */
  algorithm?: number;
  /** Keys made elsewhere (a test that needs them before the world). */
  keys?: ZoneKeys;
  unsigned?: boolean;
  denial?: Denial;
  window?: Partial<SignatureWindow>;
  /** What the parent publishes as DS: by default the KSK's (SHA-256); none for an unsigned child. */
  ds?: (keys: ZoneKeys) => ResourceRecord[];
  /** How the test breaks the zone once it is signed. */
  adjust?: (zone: SignedZone, world: { now: number }) => void;
}

export interface WorldSpec {
  zones: ZoneSpec[];
  /** Per address: a forwarder, or a tampering hook. */
  servers?: Record<string, SignedServerOptions>;
  /** Extra resolver options (forward zones…); DNSSEC options are merged. */
  options?: ResolverOptionsInput;
  negativeTrustAnchors?: string[];
  /** Zones a forwarder at this address holds besides those served from it. */
  forwarders?: Record<string, string[]>;
}

export interface DigFlags {
  /** EDNS with DO=1 (RFC 3225). */
  do?: boolean;
  /** AD=1 in the query (RFC 6840 §5.7). */
  ad?: boolean;
  cd?: boolean;
  /** RD, default 1. */
  rd?: boolean;
  /** Send an OPT (default: yes). */
  edns?: boolean;
}

export interface DigResult {
  reply: Message;
  ede: ExtendedError[];
  /** Answer section records of `type`, not RRSIGs. */
  records(type?: string): ResourceRecord[];
  rrsigs(section?: 'answers' | 'authorities'): ResourceRecord[];
}

const CLIENT: ClientInfo = { address: '192.0.2.53', port: 40000, transport: 'tcp' };

/** The zone text of `spec` with its SOA, apex NS, server address and the delegations to `children`. */
function zoneText(spec: ZoneSpec, children: ZoneSpec[]): string {
  const origin = normalizeName(spec.origin);
  const ns = origin === ROOT ? `${ROOT_NS}.` : `ns1.${origin}.`;
  const lines = [
    `$ORIGIN ${origin === ROOT ? '.' : `${origin}.`}`,
    `$TTL ${spec.ttl ?? 3600}`,
    `@ SOA ${ns} hostmaster.${origin === ROOT ? '' : `${origin}.`} 1 3600 600 86400 300`,
    `@ NS ${ns}`,
    `${ns} A ${spec.address}`,
  ];
  for (const child of children) {
    const name = `${normalizeName(child.origin)}.`;
    lines.push(`${name} NS ns1.${name}`, `ns1.${name} A ${child.address}`);
  }
  lines.push(spec.body ?? '');
  return lines.join('\n');
}

export function signedWorld(spec: WorldSpec) {
  const clock = new ManualClock();
  const now = Math.floor(clock.now() / 1000);
  const specs = spec.zones.map((z) => ({ ...z, origin: normalizeName(z.origin) }));
  if (!specs.some((z) => z.origin === ROOT)) throw new Error('a signed world needs a root zone');
  const keys = new Map<string, ZoneKeys>();
  for (const z of specs) if (!z.unsigned) keys.set(z.origin, z.keys ?? makeZoneKeys(z.origin, z.algorithm));
  const parentOf = (origin: string): ZoneSpec | undefined => {
    let best: ZoneSpec | undefined;
    for (const z of specs) {
      if (z.origin !== origin && (z.origin === ROOT || isStrictSubdomain(origin, z.origin))) {
        if (!best || best.origin === ROOT || (z.origin !== ROOT && z.origin.length > best.origin.length)) best = z;
      }
    }
    return best;
  };

  const zones: SignedZone[] = [];
  for (const z of specs) {
    const children = specs.filter((c) => c.origin !== ROOT && parentOf(c.origin) === z);
    const parsed = parseZoneFile(zoneText(z, children), { file: `signed-world ${z.origin}`, origin: '.' });
    if (!parsed.zone) throw new Error(`zone ${z.origin} does not parse:\n${parsed.errors.join('\n')}`);
    const records = [...parsed.zone.records];
    for (const child of children) {
      const childKeys = keys.get(child.origin);
      const ds = child.ds ? child.ds(childKeys!) : childKeys ? [childKeys.ksk.ds()] : [];
      records.push(...ds.map((rr) => ({ ...rr, name: child.origin })));
    }
    const window = { inception: now - 3600, expiration: now + 30 * DAY, ...z.window };
    const zone = new SignedZone(z.origin, records, keys.get(z.origin), window, z.denial);
    z.adjust?.(zone, { now });
    zones.push(zone);
  }

  const network = new FakeNetwork(clock);
  const addresses = new Map<string, SignedZone[]>();
  specs.forEach((z, i) => addresses.set(z.address, [...(addresses.get(z.address) ?? []), zones[i]!]));
  for (const [address, held] of Object.entries(spec.forwarders ?? {})) {
    addresses.set(address, [...(addresses.get(address) ?? []), ...held.map((o) => zones.find((z) => z.origin === normalizeName(o))!)]);
  }
  const servers = new Map([...addresses].map(([address, held]) =>
    [address, network.addScriptedServer(address, signedServerScript(held, spec.servers?.[address]))]));

  const logs: Array<Record<string, unknown>> = [];
  const logger = pino({ level: 'info' }, new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split('\n')) if (line) logs.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  }));
  const rootKeys = keys.get(ROOT)!;
  const resolver = createResolver({
    transport: network, clock, random: firstChoice, logger,
    options: {
      rootHints: parseRootHints(`. 3600000 NS ${ROOT_NS}.\n${ROOT_NS}. 3600000 A ${ROOT_ADDRESS}\n`, 'signed-world.hints'),
      ipv6Upstream: false,
      ...spec.options,
      dnssec: { validate: true, trustAnchors: [rootKeys.ksk.ds()], negativeTrustAnchors: spec.negativeTrustAnchors ?? [] },
    },
  });
  const handler = new QueryHandler({
    zones: { respond: () => undefined }, recursor: resolver, recursion: true, logger, answerCache: new AnswerCache(clock, 1000),
  });

  let id = 1;
  /** One query through the whole pipeline, as a client sends it. */
  const dig = async (name: string, type = 'A', flags: DigFlags = {}): Promise<DigResult> => {
    const query = emptyMessage(id++ & 0xffff);
    query.rd = flags.rd ?? true;
    query.cd = flags.cd ?? false;
    query.ad = flags.ad ?? false;
    query.questions = [{ name, type, class: 'IN' }];
    if (flags.edns ?? true) query.edns = { udpSize: 1232, version: 0, dnssecOk: flags.do ?? false, extendedRcode: 0, options: [] };
    const wire = await handler.handle(encodeMessage(query), CLIENT);
    if (!wire) throw new Error('no reply');
    const reply = decodeMessage(wire);
    const ede = (reply.edns?.options ?? []).filter((o) => o.code === EDE_OPTION_CODE).map((o) => parseEdeOption(o.data!)!);
    return {
      reply, ede,
      records: (t = type) => reply.answers.filter((rr) => rr.type === t),
      rrsigs: (section = 'answers') => reply[section].filter((rr) => rr.type === 'RRSIG'),
    };
  };

  return {
    clock, network, resolver, handler, logs, dig, now,
    zone: (origin: string) => zones.find((z) => z.origin === normalizeName(origin))!,
    keys: (origin: string) => keys.get(normalizeName(origin))!,
    server: (address: string) => servers.get(address)!,
    /** Upstream queries of `type` (and to `address`), counted from the network's log. */
    queriesOf: (type?: string, address?: string) =>
      network.queries.filter((q) => (type === undefined || q.type === type) && (address === undefined || q.server === address)),
    /** Info lines the resolver logged about validation failures. */
    bogusLogs: () => logs.filter((l) => typeof l.msg === 'string' && (l.msg as string).startsWith('DNSSEC validation')),
  };
}

export type SignedWorld = ReturnType<typeof signedWorld>;

/** The usual three levels: the root, `tld`, and `example.tld` with the given body. */
export function threeLevels(example: Partial<ZoneSpec> = {}, extra: ZoneSpec[] = [], world: Omit<WorldSpec, 'zones'> = {}): SignedWorld {
  return signedWorld({
    ...world,
    zones: [
      { origin: '.', address: ROOT_ADDRESS },
      { origin: 'tld', address: '192.0.2.10' },
      { origin: 'example.tld', address: '192.0.2.20', body: EXAMPLE_BODY, ...example },
      ...extra,
    ],
  });
}

/** What example.tld holds unless a test says otherwise. */
export const EXAMPLE_BODY = `
www 3600 A 192.0.2.80
www 3600 TXT "hello"
alias 3600 CNAME www
*.wild 3600 A 192.0.2.99
deep.ent.sub 3600 A 192.0.2.81
`;

export type { SigningKey };
