// Forward and stub zones (issue 8) on the fake internet. A forward zone's
// servers are forwarders (RFC 8499 §6), recursive resolvers asked with RD=1
// whose AA=0 replies are final: for those names Hops is a caching RFC 1034
// §5.3.1 stub resolver. A stub zone's servers are authoritative, asked with
// RD=0, and the referrals they give are followed as in RFC 1034 §5.3.3.

import { describe, expect, it } from 'vitest';
import { emptyMessage, RCode, type Message } from '../../src/dns/message.js';
import { parseZoneFile } from '../../src/zones/zone-file.js';
import { ZoneStore } from '../../src/zones/zone-store.js';
import type { FakeServerOptions } from '../fakes/fake-network.js';
import { rr } from '../fakes/records.js';
import { ADDRESSES, ZONES } from '../fakes/hierarchy.js';
import { firstChoice, harness, lines, trail, type HarnessOptions } from './harness.js';

const FWD1 = '10.8.0.53';
const FWD2 = '10.8.0.54';
const ROUTER = '192.168.1.1';
const LAB = '192.168.1.2';

const CORP = `
$ORIGIN corp.example.
$TTL 300
@       SOA ns hostmaster 1 3600 600 86400 60
@       NS  ns
ns      A   10.8.0.1
www     A   10.8.1.80
www     TXT "intranet"
web     CNAME www.example.com.
alias   CNAME www
`;

const REVERSE = `
$ORIGIN 168.192.in-addr.arpa.
$TTL 3600
@        SOA router.lan. hostmaster.lan. 1 3600 600 86400 300
@        NS  router.lan.
1.0      PTR router.lan.
1        NS  ns.lab.lan.
1        NS  ns.1
ns.1     A   192.168.1.2
`;

const REVERSE_LAB = `
$ORIGIN 1.168.192.in-addr.arpa.
$TTL 3600
@        SOA ns.lab.lan. hostmaster.lan. 1 3600 600 86400 300
@        NS  ns
ns       A   192.168.1.2
10       PTR printer.lab.lan.
`;

/**
 * A recursive server whose "cache" holds `zones`: it answers with AA=0 and
 * RA=1 (RFC 1035 §4.1.1), as Unbound does from its cache. `rd` records the
 * RD bit of every query it receives.
 */
function forwarder(zones: string[], rd: boolean[] = [], tweak?: (reply: Message) => Message): FakeServerOptions {
  const store = new ZoneStore(zones.map((text) => parseZoneFile(text, { file: 'forwarder', origin: '.' }).zone!));
  return {
    intercept(query) {
      rd.push(query.rd);
      const reply = store.respond(query) ?? { ...emptyMessage(query.id), qr: true, rcode: RCode.REFUSED, questions: query.questions };
      reply.aa = false;
      reply.ra = true;
      reply.rd = query.rd;
      return tweak ? tweak(reply) : reply;
    },
  };
}

/** A harness whose network also has `extra` servers (address → zones and behaviour). */
function setup(options: HarnessOptions['options'], extra: Record<string, FakeServerOptions & { zones?: string[]; port?: number }>,
  random = firstChoice) {
  const h = harness({ options, random });
  for (const [address, { zones, port, ...behaviour }] of Object.entries(extra)) h.network.addServer(address, zones ?? [], behaviour, port);
  return h;
}

const isFakeInternet = (server: string) => (Object.values(ADDRESSES) as string[]).includes(server);

describe('forward zones: names under them go to the forwarders with RD=1', () => {
  it('answers from a forwarder (AA=0 accepted), caches it, and iterates for names outside the zone', async () => {
    const rd: boolean[] = [];
    const { ask, network } = setup({ forwardZones: [{ name: 'corp.example', servers: [FWD1] }] }, { [FWD1]: forwarder([CORP], rd) });
    const result = await ask('www.corp.example');
    expect(result.rcode).toBe(RCode.NOERROR);
    expect(lines(result.answers)).toEqual(['www.corp.example 300 A 10.8.1.80']);
    expect(trail(network.queries)).toEqual([`${FWD1} www.corp.example A`]);
    expect(rd).toEqual([true]);

    network.clear();
    expect(lines((await ask('www.corp.example')).answers)).toEqual(['www.corp.example 300 A 10.8.1.80']);
    expect(network.queries).toEqual([]); // from the cache

    // Outside the zone: iteration from the root, RD=0, nothing to the forwarder.
    expect(lines((await ask('www.example.com')).answers)).toEqual(['www.example.com 300 A 192.0.2.80']);
    expect(network.queries.every((q) => isFakeInternet(q.server))).toBe(true);
  });

  it('accepts NXDOMAIN and NODATA with AA=0 from a forwarder and caches them (RFC 2308 §5)', async () => {
    const { ask, network } = setup({ forwardZones: [{ name: 'corp.example', servers: [FWD1] }] }, { [FWD1]: forwarder([CORP]) });
    const nx = await ask('nope.corp.example');
    expect(nx.rcode).toBe(RCode.NXDOMAIN);
    expect(nx.authorities.map((r) => `${r.name} ${r.type} ${r.ttl}`)).toEqual(['corp.example SOA 60']);
    const nodata = await ask('www.corp.example', 'AAAA');
    expect(nodata.rcode).toBe(RCode.NOERROR);
    expect(nodata.answers).toEqual([]);
    expect(nodata.authorities.map((r) => r.type)).toEqual(['SOA']);
    network.clear();
    expect((await ask('nope.corp.example', 'TXT')).rcode).toBe(RCode.NXDOMAIN);
    expect((await ask('www.corp.example', 'AAAA')).authorities.map((r) => r.type)).toEqual(['SOA']);
    expect(network.queries).toEqual([]);
  });

  it('never asks the cache\'s NS sets or the root for a name under a forward zone', async () => {
    // The public internet has its own example.com; forwarding it sends even
    // names whose delegation is cached to the forwarder.
    const { ask, network } = setup({ forwardZones: [{ name: 'example.com', servers: [FWD1] }] },
      { [FWD1]: forwarder([ZONES.exampleCom.replace('www       A 192.0.2.80', 'www       A 10.0.0.80')]) });
    expect(lines((await ask('www.example.com')).answers)).toEqual(['www.example.com 300 A 10.0.0.80']);
    expect(trail(network.queries)).toEqual([`${FWD1} www.example.com A`]);
  });

  it('forward zone ".": every name goes to the forwarder, and priming asks no root server', async () => {
    const rd: boolean[] = [];
    const { ask, network, resolver } = setup({ forwardZones: [{ name: '.', servers: [FWD1] }] },
      { [FWD1]: forwarder([ZONES.exampleCom, ZONES.exampleNet], rd) });
    await resolver.prime();
    expect(network.queries).toEqual([]);
    expect(lines((await ask('www.example.com')).answers)).toEqual(['www.example.com 300 A 192.0.2.80']);
    expect(lines((await ask('www.example.net')).answers)).toEqual(['www.example.net 600 A 198.51.100.80']);
    expect(trail(network.queries)).toEqual([`${FWD1} www.example.com A`, `${FWD1} www.example.net A`]);
    expect(rd).toEqual([true, true]);
  });

  it('a CNAME leaving the forward zone is followed by iteration; the forwarder\'s copy of the target is scrubbed', async () => {
    const poisoned = (reply: Message): Message => ({ ...reply, answers: [...reply.answers, rr('www.example.com 300 A 6.6.6.6')] });
    const { ask, network } = setup({ forwardZones: [{ name: 'corp.example', servers: [FWD1] }] }, { [FWD1]: forwarder([CORP], [], poisoned) });
    const result = await ask('web.corp.example');
    expect(lines(result.answers)).toEqual(['web.corp.example 300 CNAME www.example.com', 'www.example.com 300 A 192.0.2.80']);
    expect(trail(network.queries).at(-1)).toMatch(/^192\.0\.2\.[12] www\.example\.com A$/);
  });

  it('a CNAME chain inside the forward zone is taken whole from the forwarder', async () => {
    const { ask, network } = setup({ forwardZones: [{ name: 'corp.example', servers: [FWD1] }] }, { [FWD1]: forwarder([CORP]) });
    const result = await ask('alias.corp.example');
    expect(lines(result.answers)).toEqual(['alias.corp.example 300 CNAME www.corp.example', 'www.corp.example 300 A 10.8.1.80']);
    expect(network.queries).toHaveLength(1);
  });

  it('scrubs a forwarder\'s records outside the forwarded zone (RFC 5452 §6), so they never reach the cache', async () => {
    const inject = (reply: Message): Message => ({
      ...reply,
      answers: [...reply.answers, rr('www.example.com 86400 A 6.6.6.6')],
      authorities: [rr('example.com 86400 NS ns.evil.test'), rr('corp.example 300 NS ns.corp.example')],
      additionals: [rr('ns.evil.test 86400 A 6.6.6.6'), rr('a.gtld-servers.net 86400 A 6.6.6.6')],
    });
    const { ask, network, resolver } = setup({ forwardZones: [{ name: 'corp.example', servers: [FWD1] }] },
      { [FWD1]: forwarder([CORP], [], inject) });
    expect(lines((await ask('www.corp.example')).answers)).toEqual(['www.corp.example 300 A 10.8.1.80']);
    for (const [name, type] of [['www.example.com', 'A'], ['example.com', 'NS'], ['ns.evil.test', 'A'], ['a.gtld-servers.net', 'A']]) {
      expect(resolver.cache.getRRset(name, type, 'IN'), `${name} ${type}`).toBeUndefined();
    }
    // A forwarder's authority section is its cache's copy: never an answer (RFC 2181 §5.4.1).
    expect(resolver.cache.lookup('corp.example', 'NS', 'IN')).toBeUndefined();
    network.clear();
    expect(lines((await ask('www.example.com')).answers)).toEqual(['www.example.com 300 A 192.0.2.80']);
    expect(network.queries.some((q) => q.server === '6.6.6.6')).toBe(false);
  });
});

describe('a forwarder that fails is treated like any failing server', () => {
  const zones = { forwardZones: [{ name: 'corp.example', servers: [FWD1, FWD2] }] };

  it('moves on to the second forwarder after a timeout, and skips the dead one afterwards', async () => {
    const { ask, network } = setup(zones, { [FWD1]: { dead: true }, [FWD2]: forwarder([CORP]) });
    expect(lines((await ask('www.corp.example')).answers)).toEqual(['www.corp.example 300 A 10.8.1.80']);
    expect(trail(network.queries)).toEqual([`${FWD1} www.corp.example A`, `${FWD2} www.corp.example A`]);
    network.clear();
    await ask('www.corp.example', 'TXT');
    expect(trail(network.queries)).toEqual([`${FWD2} www.corp.example TXT`]);
  });

  it.each([
    ['SERVFAIL', (reply: Message): Message => ({ ...reply, rcode: RCode.SERVFAIL, answers: [] })],
    ['REFUSED', (reply: Message): Message => ({ ...reply, rcode: RCode.REFUSED, answers: [] })],
    ['a referral (it does not recurse)', (reply: Message): Message => ({
      ...reply, answers: [], authorities: [rr('www.corp.example 300 NS ns.corp.example')], additionals: [rr('ns.corp.example 300 A 10.8.0.1')],
    })],
  ])('moves on to the second forwarder when the first answers with %s', async (_what, tweak) => {
    const { ask, network } = setup(zones, { [FWD1]: forwarder([CORP], [], tweak), [FWD2]: forwarder([CORP]) });
    expect(lines((await ask('www.corp.example')).answers)).toEqual(['www.corp.example 300 A 10.8.1.80']);
    expect(trail(network.queries)).toEqual([`${FWD1} www.corp.example A`, `${FWD2} www.corp.example A`]);
    expect(network.queries.some((q) => q.server === '10.8.0.1')).toBe(false);
  });

  it('a SERVFAIL speaks of one name: the forwarder is still asked about others', async () => {
    const failing = (reply: Message): Message => (reply.questions[0].name === 'www.corp.example'
      ? { ...reply, rcode: RCode.SERVFAIL, answers: [] } : reply);
    const { ask, network } = setup({ forwardZones: [{ name: '.', servers: [FWD1] }] }, { [FWD1]: forwarder([CORP], [], failing) });
    expect((await ask('www.corp.example')).rcode).toBe(RCode.SERVFAIL);
    expect(lines((await ask('ns.corp.example')).answers)).toEqual(['ns.corp.example 300 A 10.8.0.1']);
    expect(trail(network.queries)).toEqual([`${FWD1} www.corp.example A`, `${FWD1} ns.corp.example A`]);
  });

  it('answers SERVFAIL when every forwarder fails, without falling back to iteration', async () => {
    const { ask, network } = setup({ forwardZones: [{ name: 'example.com', servers: [FWD1, FWD2] }] },
      { [FWD1]: { dead: true }, [FWD2]: { lame: 'servfail' } });
    expect((await ask('www.example.com')).rcode).toBe(RCode.SERVFAIL);
    expect(network.queries.every((q) => q.server === FWD1 || q.server === FWD2)).toBe(true);
  });
});

describe('stub zones: their authoritative servers are asked with RD=0', () => {
  // Full-name iteration keeps the trails below short; minimisation inside a stub zone is as anywhere (rfc9156 tests).
  const stub = { stubZones: [{ name: '168.192.in-addr.arpa', servers: [ROUTER] }], qnameMinimisation: false };
  const servers = { [ROUTER]: { zones: [REVERSE] }, [LAB]: { zones: [REVERSE_LAB] } };

  it('answers from the stub\'s server, follows its referral below, and starts there next time', async () => {
    const { ask, network } = setup(stub, servers);
    const sent: boolean[] = [];
    const exchange = network.exchange.bind(network);
    network.exchange = (server, query, options) => {
      sent.push(query.rd);
      return exchange(server, query, options);
    };
    expect(lines((await ask('1.0.168.192.in-addr.arpa', 'PTR')).answers)).toEqual(['1.0.168.192.in-addr.arpa 3600 PTR router.lan']);
    expect(lines((await ask('10.1.168.192.in-addr.arpa', 'PTR')).answers)).toEqual(['10.1.168.192.in-addr.arpa 3600 PTR printer.lab.lan']);
    expect(trail(network.queries)).toEqual([
      `${ROUTER} 1.0.168.192.in-addr.arpa PTR`,
      `${ROUTER} 10.1.168.192.in-addr.arpa PTR`, // referral to 1.168.192.in-addr.arpa
      `${LAB} 10.1.168.192.in-addr.arpa PTR`,
    ]);
    expect(sent.every((rd) => !rd)).toBe(true);

    // The cut below the stub zone is cached: the next name under it starts there.
    network.clear();
    expect((await ask('99.1.168.192.in-addr.arpa', 'PTR')).rcode).toBe(RCode.NXDOMAIN);
    expect(trail(network.queries)).toEqual([`${LAB} 99.1.168.192.in-addr.arpa PTR`]);
    // Elsewhere in the stub zone: its own server again, never the root.
    network.clear();
    expect((await ask('5.2.168.192.in-addr.arpa', 'PTR')).rcode).toBe(RCode.NXDOMAIN);
    expect(trail(network.queries)).toEqual([`${ROUTER} 5.2.168.192.in-addr.arpa PTR`]);
  });

  it('a stub server that refuses leaves SERVFAIL: no fallback to the root', async () => {
    const { ask, network } = setup(stub, { [ROUTER]: { zones: [REVERSE], lame: 'refused' } });
    expect((await ask('1.0.168.192.in-addr.arpa', 'PTR')).rcode).toBe(RCode.SERVFAIL);
    expect(network.queries.every((q) => q.server === ROUTER)).toBe(true);
  });

  it('uses a configured loopback server on its own port, with --query-loopback off', async () => {
    const { ask, network } = setup({ stubZones: [{ name: '168.192.in-addr.arpa', servers: ['127.0.0.1@5300'] }], queryLoopback: false, qnameMinimisation: false },
      { '127.0.0.1': { zones: [REVERSE], port: 5300 } });
    expect(lines((await ask('1.0.168.192.in-addr.arpa', 'PTR')).answers)).toEqual(['1.0.168.192.in-addr.arpa 3600 PTR router.lan']);
    expect(network.queries.map((q) => `${q.server} ${q.port}`)).toEqual(['127.0.0.1 5300']);
  });
});

describe('the deepest configured zone wins', () => {
  it('a stub zone inside a forward zone, and DS asked at the parent side', async () => {
    const lab = `
$ORIGIN lab.corp.example.
$TTL 300
@    SOA ns hostmaster 1 3600 600 86400 60
@    NS  ns
ns   A   192.168.1.2
host A   192.168.1.20
`;
    const { ask, network } = setup(
      { forwardZones: [{ name: 'corp.example', servers: [FWD1] }], stubZones: [{ name: 'lab.corp.example', servers: [LAB] }] },
      { [FWD1]: forwarder([CORP]), [LAB]: { zones: [lab] } });
    expect(lines((await ask('host.lab.corp.example')).answers)).toEqual(['host.lab.corp.example 300 A 192.168.1.20']);
    expect(lines((await ask('www.corp.example')).answers)).toEqual(['www.corp.example 300 A 10.8.1.80']);
    // RFC 4035 §3.1.4.1: DS is the parent's, so DS lab.corp.example goes to corp.example's forwarder.
    await ask('lab.corp.example', 'DS');
    expect(trail(network.queries)).toEqual([
      `${LAB} host.lab.corp.example A`,
      `${FWD1} www.corp.example A`,
      `${FWD1} lab.corp.example DS`,
    ]);
  });
});
