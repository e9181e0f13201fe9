// A small fake internet, declared as data (STYLE.md habit 6): which address
// serves which zones, and the zones as zone-file text. Tests change a
// server's behaviour (dead, lame, lying…) through FakeNetwork.configure.
//
//   .            a.root-servers.net 198.41.0.4, b.root-servers.net 170.247.170.2
//   com, net     a.gtld-servers.net 192.5.6.30
//   org          a.org-servers.org 199.19.56.1
//   example.com  ns1 192.0.2.1 (and 2001:db8::1), ns2 192.0.2.2
//   example.net  ns1.example.net 198.51.100.1, which also serves
//   example.org  (delegated by org without glue: a server in another TLD)
//   lame.com     ns1 192.0.2.10, ns2 192.0.2.11
//   loopy.com    ns.loopy.com 127.0.0.53 (a loopback address learned from com)
//   test         ns.test 192.0.2.200: a.test and b.test are each served only by
//                a name inside the other, without glue (a dependency loop)

import type { ManualClock } from '../../src/util/clock.js';
import type { Message } from '../../src/dns/message.js';
import { parseRootHints, type RootHints } from '../../src/resolver/root-hints.js';
import { FakeNetwork, type FakeServerOptions } from './fake-network.js';

export const ADDRESSES = {
  rootA: '198.41.0.4',
  rootB: '170.247.170.2',
  gtld: '192.5.6.30',
  org: '199.19.56.1',
  exampleCom1: '192.0.2.1',
  exampleCom1v6: '2001:db8::1',
  exampleCom2: '192.0.2.2',
  exampleNet: '198.51.100.1',
  lame1: '192.0.2.10',
  lame2: '192.0.2.11',
  loopy: '127.0.0.53',
  test: '192.0.2.200',
} as const;

export const ZONES = {
  root: `
$ORIGIN .
$TTL 86400
@        IN SOA a.root-servers.net. nstld.verisign-grs.com. 2024010101 1800 900 604800 86400
@        518400 NS a.root-servers.net.
@        518400 NS b.root-servers.net.
com.     172800 NS a.gtld-servers.net.
net.     172800 NS a.gtld-servers.net.
org.     172800 NS a.org-servers.org.
test.    172800 NS ns.test.
ns.test. 172800 A 192.0.2.200
a.gtld-servers.net.  172800 A 192.5.6.30
a.org-servers.org.   172800 A 199.19.56.1
a.root-servers.net.  518400 A 198.41.0.4
b.root-servers.net.  518400 A 170.247.170.2
`,
  rootServersNet: `
$ORIGIN root-servers.net.
$TTL 3600000
@  SOA a.root-servers.net. nstld.verisign-grs.com. 1 14400 7200 1209600 3600000
@  NS a
@  NS b
a  A 198.41.0.4
b  A 170.247.170.2
`,
  com: `
$ORIGIN com.
$TTL 172800
@            86400 SOA a.gtld-servers.net. nstld.verisign-grs.com. 1 1800 900 604800 900
@            NS a.gtld-servers.net.
example      NS ns1.example
example      NS ns2.example
ns1.example  A 192.0.2.1
ns1.example  AAAA 2001:db8::1
ns2.example  A 192.0.2.2
lame         NS ns1.lame
lame         NS ns2.lame
ns1.lame     A 192.0.2.10
ns2.lame     A 192.0.2.11
loopy        NS ns.loopy
ns.loopy     A 127.0.0.53
`,
  net: `
$ORIGIN net.
$TTL 172800
@                86400 SOA a.gtld-servers.net. nstld.verisign-grs.com. 1 1800 900 604800 900
@                NS a.gtld-servers.net.
a.gtld-servers   A 192.5.6.30
root-servers     NS a.root-servers.net.
root-servers     NS b.root-servers.net.
a.root-servers   A 198.41.0.4
b.root-servers   A 170.247.170.2
example          NS ns1.example
ns1.example      A 198.51.100.1
`,
  org: `
$ORIGIN org.
$TTL 86400
@              SOA a.org-servers hostmaster.org. 1 1800 900 604800 900
@              NS a.org-servers
a.org-servers  A 199.19.56.1
example        NS ns1.example.net.
`,
  test: `
$ORIGIN test.
$TTL 3600
@     SOA ns hostmaster 1 3600 600 86400 300
@     NS ns
ns    A 192.0.2.200
a     NS ns.b.test.
b     NS ns.a.test.
`,
  exampleCom: `
$ORIGIN example.com.
$TTL 300
@         3600 SOA ns1 hostmaster 1 3600 600 86400 300
@         NS ns1
@         NS ns2
ns1       A 192.0.2.1
ns1       AAAA 2001:db8::1
ns2       A 192.0.2.2
www       A 192.0.2.80
www       AAAA 2001:db8::80
alias     CNAME www
external  CNAME www.example.net.
loop      CNAME loop.example.net.
dangling  CNAME nothing.example.net.
${Array.from({ length: 13 }, (_, i) => `c${i} CNAME c${i + 1}`).join('\n')}
c13       A 192.0.2.13
zero      0 A 192.0.2.99
big       TXT "${'x'.repeat(200)}" "${'y'.repeat(200)}"
big       TXT "${'z'.repeat(200)}" "${'w'.repeat(200)}"
`,
  exampleNet: `
$ORIGIN example.net.
$TTL 600
@     SOA ns1 hostmaster 1 3600 600 86400 600
@     NS ns1
ns1   A 198.51.100.1
www   A 198.51.100.80
loop  CNAME loop.example.com.
`,
  exampleOrg: `
$ORIGIN example.org.
$TTL 300
@    SOA ns1.example.net. hostmaster.example.net. 1 3600 600 86400 300
@    NS ns1.example.net.
www  A 203.0.113.80
`,
  lameCom: `
$ORIGIN lame.com.
$TTL 300
@    SOA ns1 hostmaster 1 3600 600 86400 300
@    NS ns1
@    NS ns2
ns1  A 192.0.2.10
ns2  A 192.0.2.11
www  A 192.0.2.180
`,
  loopyCom: `
$ORIGIN loopy.com.
$TTL 300
@    SOA ns hostmaster 1 3600 600 86400 300
@    NS ns
ns   A 127.0.0.53
www  A 192.0.2.53
`,
};

/** Which zones each address serves. */
export const SERVERS: Record<string, string[]> = {
  [ADDRESSES.rootA]: [ZONES.root, ZONES.rootServersNet],
  [ADDRESSES.rootB]: [ZONES.root, ZONES.rootServersNet],
  [ADDRESSES.gtld]: [ZONES.com, ZONES.net],
  [ADDRESSES.org]: [ZONES.org],
  [ADDRESSES.exampleCom1]: [ZONES.exampleCom],
  [ADDRESSES.exampleCom1v6]: [ZONES.exampleCom],
  [ADDRESSES.exampleCom2]: [ZONES.exampleCom],
  [ADDRESSES.exampleNet]: [ZONES.exampleNet, ZONES.exampleOrg],
  [ADDRESSES.lame1]: [ZONES.lameCom],
  [ADDRESSES.lame2]: [ZONES.lameCom],
  [ADDRESSES.loopy]: [ZONES.loopyCom],
  [ADDRESSES.test]: [ZONES.test],
};

/** Root hints naming one root server; priming learns the second. */
export const HINTS_TEXT = `
.                    3600000 NS a.root-servers.net.
a.root-servers.net.  3600000 A  198.41.0.4
`;

export const TEST_HINTS: RootHints = parseRootHints(HINTS_TEXT, 'test.hints');

/**
 * Real root servers also serve root-servers.net, so their priming response
 * (RFC 8109 §3) carries the servers' addresses; a ZoneStore only adds
 * additional data from the zone that answers, so the fake adds them here.
 */
function primingWithGlue(query: Message): Message | undefined {
  const q = query.questions[0];
  if (q.name !== '.' || q.type !== 'NS') return undefined;
  const rr = (name: string, type: string, data: string) => ({ name, type, class: 'IN', ttl: 518400, data });
  return {
    ...query, qr: true, aa: true,
    answers: [rr('.', 'NS', 'a.root-servers.net'), rr('.', 'NS', 'b.root-servers.net')],
    authorities: [],
    additionals: [rr('a.root-servers.net', 'A', ADDRESSES.rootA), rr('b.root-servers.net', 'A', ADDRESSES.rootB)],
  };
}

const ROOT_SERVER: FakeServerOptions = { intercept: primingWithGlue };

/** The fake internet above on a fresh network, with some servers misbehaving. */
export function buildInternet(clock: ManualClock, behaviour: Record<string, FakeServerOptions> = {}): FakeNetwork {
  const network = new FakeNetwork(clock);
  const defaults: Record<string, FakeServerOptions> = { [ADDRESSES.rootA]: ROOT_SERVER, [ADDRESSES.rootB]: ROOT_SERVER };
  for (const [address, zones] of Object.entries(SERVERS)) network.addServer(address, zones, behaviour[address] ?? defaults[address]);
  return network;
}
