// The benchmark's data: a small simulated DNS (root, TLDs, leaf zones, a
// reverse zone) generated from a seed, rendered three ways from the same
// records: RFC 1035 zone files (Hops' local zones and the NSD servers of the
// hierarchy), Unbound local-data, and dnsperf-format query files.
//
// Every address a resolver is ever sent to is in 127.0.0.0/8 (the `net`
// base, "127.N"). The A/AAAA data itself uses 10/8 and 2001:db8::/32 and is
// never contacted.

import { createWriteStream } from 'node:fs';
import { once } from 'node:events';

/** Deterministic PRNG (mulberry32), so a seed names a data set. */
export function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Sampler over 0..n-1 with Zipf(s) popularity (rank 0 most popular). */
function zipf(n, s, random) {
  const cdf = new Float64Array(n);
  let sum = 0;
  for (let i = 0; i < n; i++) cdf[i] = sum += 1 / Math.pow(i + 1, s);
  return () => {
    const x = random() * sum;
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cdf[mid] < x) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
}

function shuffle(array, random) {
  for (let i = array.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [array[i], array[j]] = [array[j], array[i]];
  }
  return array;
}

const WORDS = ['acme', 'blue', 'cedar', 'delta', 'ember', 'fjord', 'granite', 'harbor', 'iris', 'juniper', 'kestrel',
  'lumen', 'maple', 'nimbus', 'orchid', 'pine', 'quartz', 'raven', 'sierra', 'tundra', 'umber', 'violet', 'willow',
  'xenon', 'yarrow', 'zephyr'];
const SERVICES = ['www', 'mail', 'api', 'cdn', 'smtp', 'vpn', 'git', 'shop', 'blog', 'static', 'auth', 'login', 'docs',
  'status', 'app', 'img', 'm', 'news', 'wiki', 'portal'];
const TLDS = ['com', 'net', 'org'];
const TTL = 86400;
const DELEGATION_TTL = 172800;

/** Query mix: share of each type in the query file (the rest of the design is in bench/README.md). */
export const MIX = { A: 0.55, AAAA: 0.25, PTR: 0.10, TXT: 0.05, MX: 0.05 };

function ipv4(k) {
  const n = k + 256; // 10.0.1.0 upwards: never .0.0
  return `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`;
}
function reverseName(ip) {
  return `${ip.split('.').reverse().join('.')}.in-addr.arpa.`;
}
function ipv6(k) {
  return `2001:db8:${((k >> 16) & 0xffff).toString(16)}::${(k & 0xffff).toString(16)}`;
}

/**
 * The simulated DNS. Servers (all port 53):
 *   ${net}.0.1      root (".")
 *   ${net}.1.1      com. net. org. in-addr.arpa.
 *   ${net}.2.1..L   the leaf zones, spread round-robin; 10.in-addr.arpa. and hosting.net. on the first
 *   ${net}.3.1      big.org. (memory benchmark only)
 * One leaf zone in five names its server by a name in hosting.net. (no glue),
 * so cold resolution includes glueless NS lookups.
 */
export function makeDataset({ net = '127.77', domains = 120, hostsPerDomain = 30, leafServers = 4, coldDomains = 0, seed = 1 } = {}) {
  const random = rng(seed);
  const leafAddress = (k) => `${net}.2.${k + 1}`;
  const zones = new Map(); // origin → { origin, server, records: [owner, ttl, type, rdata][] }
  const zone = (origin, server) => {
    const z = { origin, server, records: [] };
    zones.set(origin, z);
    return z;
  };
  const soa = (origin, mname) => [origin, TTL, 'SOA', `${mname} hostmaster.${origin === '.' ? '' : origin} 1 7200 3600 1209600 3600`];

  const root = zone('.', `${net}.0.1`);
  root.records.push(soa('.', 'a.root-servers.bench.'), ['.', TTL, 'NS', 'a.root-servers.bench.'],
    ['a.root-servers.bench.', TTL, 'A', `${net}.0.1`]);
  for (const tld of [...TLDS, 'in-addr.arpa']) {
    root.records.push([`${tld}.`, DELEGATION_TTL, 'NS', 'a.gtld-servers.net.']);
  }
  root.records.push(['a.gtld-servers.net.', DELEGATION_TTL, 'A', `${net}.1.1`]);
  const big = { origin: 'big.org.', address: `${net}.3.1` };

  const tldZones = {};
  for (const tld of TLDS) {
    const z = zone(`${tld}.`, `${net}.1.1`);
    z.records.push(soa(`${tld}.`, 'a.gtld-servers.net.'), [`${tld}.`, DELEGATION_TTL, 'NS', 'a.gtld-servers.net.']);
    tldZones[tld] = z;
  }
  tldZones.net.records.push(['a.gtld-servers.net.', DELEGATION_TTL, 'A', `${net}.1.1`]);
  tldZones.org.records.push([big.origin, DELEGATION_TTL, 'NS', `ns1.${big.origin}`], [`ns1.${big.origin}`, DELEGATION_TTL, 'A', big.address]);
  const arpa = zone('in-addr.arpa.', `${net}.1.1`);
  arpa.records.push(soa('in-addr.arpa.', 'a.gtld-servers.net.'), ['in-addr.arpa.', DELEGATION_TTL, 'NS', 'a.gtld-servers.net.'],
    ['10.in-addr.arpa.', DELEGATION_TTL, 'NS', 'ns1.10.in-addr.arpa.'], ['ns1.10.in-addr.arpa.', DELEGATION_TTL, 'A', leafAddress(0)]);

  // hosting.net: names for the leaf servers, for the glueless delegations.
  const hosting = zone('hosting.net.', leafAddress(0));
  hosting.records.push(soa('hosting.net.', 'ns1.hosting.net.'), ['hosting.net.', TTL, 'NS', 'ns1.hosting.net.']);
  for (let k = 0; k < leafServers; k++) hosting.records.push([`ns${k + 1}.hosting.net.`, TTL, 'A', leafAddress(k)]);
  tldZones.net.records.push(['hosting.net.', DELEGATION_TTL, 'NS', 'ns1.hosting.net.'], ['ns1.hosting.net.', DELEGATION_TTL, 'A', leafAddress(0)]);

  const reverse = zone('10.in-addr.arpa.', leafAddress(0));
  reverse.records.push(soa('10.in-addr.arpa.', 'ns1.10.in-addr.arpa.'), ['10.in-addr.arpa.', TTL, 'NS', 'ns1.10.in-addr.arpa.'],
    ['ns1.10.in-addr.arpa.', TTL, 'A', leafAddress(0)]);

  const hosts = []; // { name, domain, hasAaaa, hasTxt }
  const apexes = [];
  const leafZones = [];
  let k = 0;
  for (let d = 0; d < domains; d++) {
    const tld = TLDS[d % TLDS.length];
    const origin = `${WORDS[d % WORDS.length]}${Math.floor(d / WORDS.length) || ''}-${d}.${tld}.`;
    const serverIndex = d % leafServers;
    const z = zone(origin, leafAddress(serverIndex));
    leafZones.push(z);
    const glueless = d % 5 === 4;
    const ns = glueless ? `ns${serverIndex + 1}.hosting.net.` : `ns1.${origin}`;
    z.records.push(soa(origin, ns), [origin, TTL, 'NS', ns]);
    if (!glueless) z.records.push([ns, TTL, 'A', leafAddress(serverIndex)]);
    tldZones[tld].records.push([origin, DELEGATION_TTL, 'NS', ns]);
    if (!glueless) tldZones[tld].records.push([ns, DELEGATION_TTL, 'A', leafAddress(serverIndex)]);
    z.records.push([origin, TTL, 'MX', `10 mail.${origin}`], [origin, TTL, 'TXT', '"v=spf1 mx -all"']);
    apexes.push({ name: origin, hasTxt: true });
    for (let h = 0; h < hostsPerDomain; h++) {
      const label = h < SERVICES.length ? SERVICES[h] : `host-${String(h).padStart(3, '0')}`;
      const name = `${label}.${origin}`;
      const ip = ipv4(k);
      const hasAaaa = random() < 0.6;
      const hasTxt = random() < 0.25;
      z.records.push([name, TTL, 'A', ip]);
      if (hasAaaa) z.records.push([name, TTL, 'AAAA', ipv6(k)]);
      if (hasTxt) z.records.push([name, TTL, 'TXT', `"id=${k} owner=${WORDS[k % WORDS.length]}" "v=${Math.floor(random() * 1e9).toString(36)}"`]);
      reverse.records.push([reverseName(ip), TTL, 'PTR', name]);
      hosts.push({ name, ip, hasAaaa, hasTxt });
      k++;
    }
  }

  // Domains only the cold-resolution lists ask about (never warmed, never local): 5 hosts each.
  const coldZones = [];
  for (let d = 0; d < coldDomains; d++) {
    const tld = TLDS[d % TLDS.length];
    const origin = `c${d}-${WORDS[(d * 7) % WORDS.length]}.${tld}.`;
    const serverIndex = d % leafServers;
    const z = zone(origin, leafAddress(serverIndex));
    const glueless = d % 5 === 4;
    const ns = glueless ? `ns${serverIndex + 1}.hosting.net.` : `ns1.${origin}`;
    z.records.push(soa(origin, ns), [origin, TTL, 'NS', ns], [origin, TTL, 'MX', `10 mail.${origin}`], [origin, TTL, 'TXT', '"v=spf1 mx -all"']);
    if (!glueless) z.records.push([ns, TTL, 'A', leafAddress(serverIndex)]);
    tldZones[tld].records.push([origin, DELEGATION_TTL, 'NS', ns]);
    if (!glueless) tldZones[tld].records.push([ns, DELEGATION_TTL, 'A', leafAddress(serverIndex)]);
    const coldHosts = [];
    for (let h = 0; h < 5; h++) {
      const name = `${SERVICES[h]}.${origin}`;
      const ip = ipv4(k);
      const hasAaaa = random() < 0.6;
      const hasTxt = random() < 0.25;
      z.records.push([name, TTL, 'A', ip]);
      if (hasAaaa) z.records.push([name, TTL, 'AAAA', ipv6(k)]);
      if (hasTxt) z.records.push([name, TTL, 'TXT', `"id=${k}"`]);
      reverse.records.push([reverseName(ip), TTL, 'PTR', name]);
      coldHosts.push({ name, ip, hasAaaa, hasTxt });
      k++;
    }
    coldZones.push({ origin, hosts: coldHosts });
  }

  return {
    net, seed, zones, leafZones, reverse, hosting, root, big, hosts, apexes, coldZones,
    /** One NSD process per address of the hierarchy: { address, zones: Zone[] }. */
    servers() {
      const byAddress = new Map();
      for (const z of zones.values()) {
        if (!byAddress.has(z.server)) byAddress.set(z.server, []);
        byAddress.get(z.server).push(z);
      }
      return [...byAddress].map(([address, list]) => ({ address, zones: list }));
    },
    /** The zones a caching server's users ask about, for the local-zone benchmark. */
    localZones() {
      return [...leafZones, reverse];
    },
  };
}

export function zoneFileText(z) {
  const lines = [`; generated by bench/lib/dataset.mjs`, `$ORIGIN ${z.origin}`, `$TTL ${TTL}`];
  for (const [owner, ttl, type, rdata] of z.records) lines.push(`${owner} ${ttl} IN ${type} ${rdata}`);
  return lines.join('\n') + '\n';
}

/** Unbound local-zone/local-data lines serving the same records. */
export function unboundLocalData(zoneList) {
  const lines = [];
  for (const z of zoneList) {
    lines.push(`    local-zone: "${z.origin}" static`);
    for (const [owner, ttl, type, rdata] of z.records) lines.push(`    local-data: '${owner} ${ttl} IN ${type} ${rdata}'`);
  }
  return lines.join('\n') + '\n';
}

/**
 * Query file lines (`name TYPE`), `count` of them, drawn with the MIX and a
 * Zipf(0.9) popularity over a shuffled population, so a few names are hot
 * and most are not. AAAA is asked for every host, so hosts without one give
 * NODATA (as in real traffic); the other types are asked where they exist.
 */
export function makeQueries(data, count, seed = data.seed + 1) {
  const random = rng(seed);
  const populations = {
    A: shuffle(data.hosts.map((h) => h.name), random),
    AAAA: shuffle(data.hosts.map((h) => h.name), random),
    PTR: shuffle(data.hosts.map((h) => reverseName(h.ip)), random),
    TXT: shuffle([...data.hosts.filter((h) => h.hasTxt).map((h) => h.name), ...data.apexes.map((a) => a.name)], random),
    MX: shuffle(data.apexes.map((a) => a.name), random),
  };
  const samplers = Object.fromEntries(Object.entries(populations).map(([t, p]) => [t, zipf(p.length, 0.9, random)]));
  const types = Object.keys(MIX);
  const cumulative = [];
  let sum = 0;
  for (const t of types) cumulative.push(sum += MIX[t]);
  const lines = new Array(count);
  for (let i = 0; i < count; i++) {
    const x = random() * sum;
    const type = types[cumulative.findIndex((c) => x < c)] ?? types[0];
    lines[i] = `${populations[type][samplers[type]()]} ${type}`;
  }
  return lines;
}

/** Distinct lines in first-seen order. */
export function distinct(lines) {
  return [...new Set(lines)];
}

/**
 * Cold-resolution lists: `lists` lists of about `count` distinct questions
 * each, every list over its own cold domains (none shared between lists or
 * with the query file), one question per host in the MIX (MX and TXT at the
 * apex when the host has none).
 */
export function makeColdLists(data, count, lists, seed = data.seed + 2) {
  const random = rng(seed);
  const perList = Math.ceil(count / 5);
  if (data.coldZones.length < perList * lists) throw new Error(`dataset: ${lists} cold lists of ${count} need ${perList * lists} cold domains`);
  const types = Object.keys(MIX);
  const out = [];
  for (let l = 0; l < lists; l++) {
    const seen = new Set();
    const lines = [];
    for (const z of data.coldZones.slice(l * perList, (l + 1) * perList)) {
      for (const h of z.hosts) {
        if (lines.length >= count) break;
        const x = random();
        let acc = 0;
        let type = 'A';
        for (const t of types) if (x < (acc += MIX[t])) { type = t; break; }
        let line;
        if (type === 'PTR') line = `${reverseName(h.ip)} PTR`;
        else if (type === 'MX') line = `${z.origin} MX`;
        else if (type === 'TXT') line = `${h.hasTxt ? h.name : z.origin} TXT`;
        else line = `${h.name} ${type}`;
        if (seen.has(line)) line = `${h.name} A`;
        seen.add(line);
        lines.push(line);
      }
    }
    out.push(shuffle(lines, random));
  }
  return out;
}

/** big.org.: `count` A records n0…n{count-1}, streamed to `path` (a 1M-name zone is ~35 MB). */
export async function writeBigZone(data, count, path) {
  const out = createWriteStream(path);
  const origin = data.big.origin;
  const write = async (text) => {
    if (!out.write(text)) await once(out, 'drain');
  };
  await write(`$ORIGIN ${origin}\n$TTL ${TTL}\n@ SOA ns1 hostmaster 1 7200 3600 1209600 3600\n@ NS ns1\nns1 A ${data.big.address}\n`);
  let chunk = '';
  for (let i = 0; i < count; i++) {
    chunk += `n${i} A ${ipv4(i)}\n`;
    if (chunk.length > 1 << 16) {
      await write(chunk);
      chunk = '';
    }
  }
  await write(chunk);
  out.end();
  await once(out, 'finish');
}

export function bigQueries(data, count) {
  const lines = new Array(count);
  for (let i = 0; i < count; i++) lines[i] = `n${i}.${data.big.origin} A`;
  return lines;
}
