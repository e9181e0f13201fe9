import { describe, expect, it } from 'vitest';
import { RCode } from '../../src/dns/message.js';
import { ZoneStore } from '../../src/zones/zone-store.js';
import { query, show, storeFrom, zoneFrom } from './helpers.js';

// SOA TTL 3600, MINIMUM 300: negative answers carry the SOA with TTL 300.
const EXAMPLE = `
$ORIGIN example.com.
$TTL 3600
@         SOA   ns1 hostmaster 1 7200 900 1209600 300
@         NS    ns1
@         NS    ns.example.net.
@         MX    10 mail
@         MX    20 mx.example.net.
ns1       A     192.0.2.1
mail      A     192.0.2.2
mail      AAAA  2001:db8::2
web       A     192.0.2.3
www       CNAME web
chain     CNAME www
ext       CNAME www.example.net.
loop1     CNAME loop2
loop2     CNAME loop1
dangling  CNAME missing
toent     CNAME c
a.b.c     A     192.0.2.4
_sip._tcp SRV   0 5 5060 sip
sip       A     192.0.2.5
nosrv     SRV   0 0 0 .
*.wild    A     192.0.2.6
*.wild    MX    10 mail
host.wild A     192.0.2.7
x.ent.wild A    192.0.2.8
*.cw      CNAME web
*.cwout   CNAME elsewhere.example.net.
deleg     NS    ns.deleg
deleg     NS    ns1
deleg     NS    ns.example.net.
deleg     DS    \\# 4 01020304
ns.deleg  A     192.0.2.53
ns.deleg  AAAA  2001:db8::53
intodeleg CNAME www.deleg
mxdeleg   MX    10 ns.deleg
`;

const SOA = 'example.com 300 SOA ns1.example.com hostmaster.example.com 1 7200 900 1209600 300';
const REFERRAL_NS = ['deleg.example.com 3600 NS ns.deleg.example.com', 'deleg.example.com 3600 NS ns1.example.com', 'deleg.example.com 3600 NS ns.example.net'];
const GLUE = ['ns.deleg.example.com 3600 A 192.0.2.53', 'ns.deleg.example.com 3600 AAAA 2001:db8::53', 'ns1.example.com 3600 A 192.0.2.1'];

interface Case {
  name: string;
  qname: string;
  qtype?: string;
  rcode?: number;
  aa?: boolean;
  answer?: string[];
  authority?: string[];
  additional?: string[];
}

const cases: Case[] = [
  // RFC 1034 §4.3.2 step 3a: exact match
  { name: 'exact match', qname: 'web.example.com', answer: ['web.example.com 3600 A 192.0.2.3'] },
  { name: 'names compare case-insensitively', qname: 'WeB.ExAmPlE.cOm', answer: ['web.example.com 3600 A 192.0.2.3'] },
  { name: 'apex NS, with in-zone server addresses as additional data', qname: 'example.com', qtype: 'NS',
    answer: ['example.com 3600 NS ns1.example.com', 'example.com 3600 NS ns.example.net'],
    additional: ['ns1.example.com 3600 A 192.0.2.1'] },
  { name: 'MX, with A and AAAA of in-zone exchanges only', qname: 'example.com', qtype: 'MX',
    answer: ['example.com 3600 MX 10 mail.example.com', 'example.com 3600 MX 20 mx.example.net'],
    additional: ['mail.example.com 3600 A 192.0.2.2', 'mail.example.com 3600 AAAA 2001:db8::2'] },
  { name: 'SRV, with the target address (RFC 2782)', qname: '_sip._tcp.example.com', qtype: 'SRV',
    answer: ['_sip._tcp.example.com 3600 SRV 0 5 5060 sip.example.com'], additional: ['sip.example.com 3600 A 192.0.2.5'] },
  { name: 'SRV target "." needs no additional data', qname: 'nosrv.example.com', qtype: 'SRV',
    answer: ['nosrv.example.com 3600 SRV 0 0 0 .'] },
  { name: 'no additional data from below a cut (it is not authoritative)', qname: 'mxdeleg.example.com', qtype: 'MX',
    answer: ['mxdeleg.example.com 3600 MX 10 ns.deleg.example.com'] },
  { name: 'ANY: every RRset at the name', qname: 'mail.example.com', qtype: 'ANY',
    answer: ['mail.example.com 3600 A 192.0.2.2', 'mail.example.com 3600 AAAA 2001:db8::2'] },

  // CNAME (RFC 1034 §3.6.2, §4.3.2 step 3a)
  { name: 'CNAME followed to in-zone data', qname: 'www.example.com',
    answer: ['www.example.com 3600 CNAME web.example.com', 'web.example.com 3600 A 192.0.2.3'] },
  { name: 'CNAME chain followed', qname: 'chain.example.com',
    answer: ['chain.example.com 3600 CNAME www.example.com', 'www.example.com 3600 CNAME web.example.com', 'web.example.com 3600 A 192.0.2.3'] },
  { name: 'CNAME query type returns just the CNAME', qname: 'www.example.com', qtype: 'CNAME',
    answer: ['www.example.com 3600 CNAME web.example.com'] },
  { name: 'ANY at a CNAME returns the CNAME without following it', qname: 'www.example.com', qtype: 'ANY',
    answer: ['www.example.com 3600 CNAME web.example.com'] },
  { name: 'CNAME out of zone: just the CNAME', qname: 'ext.example.com',
    answer: ['ext.example.com 3600 CNAME www.example.net'] },
  { name: 'CNAME loop: each CNAME once, then stop', qname: 'loop1.example.com',
    answer: ['loop1.example.com 3600 CNAME loop2.example.com', 'loop2.example.com 3600 CNAME loop1.example.com'] },
  { name: 'CNAME to a missing in-zone name: NXDOMAIN (RFC 6604 §3)', qname: 'dangling.example.com', rcode: RCode.NXDOMAIN,
    answer: ['dangling.example.com 3600 CNAME missing.example.com'], authority: [SOA] },
  { name: 'CNAME to a name without that type: NODATA', qname: 'www.example.com', qtype: 'TXT',
    answer: ['www.example.com 3600 CNAME web.example.com'], authority: [SOA] },
  { name: 'CNAME to an empty non-terminal: NODATA', qname: 'toent.example.com',
    answer: ['toent.example.com 3600 CNAME c.example.com'], authority: [SOA] },
  { name: 'CNAME into a delegated child stops at the cut', qname: 'intodeleg.example.com',
    answer: ['intodeleg.example.com 3600 CNAME www.deleg.example.com'] },

  // Negative answers (RFC 2308)
  { name: 'NXDOMAIN with the SOA, TTL = min(SOA TTL, MINIMUM) (RFC 2308 §3)', qname: 'nope.example.com', rcode: RCode.NXDOMAIN, authority: [SOA] },
  { name: 'NXDOMAIN below an existing name', qname: 'x.web.example.com', rcode: RCode.NXDOMAIN, authority: [SOA] },
  { name: 'NODATA: the name exists, the type does not (RFC 2308 §2.2)', qname: 'web.example.com', qtype: 'AAAA', authority: [SOA] },
  { name: 'empty non-terminal is NODATA, not NXDOMAIN', qname: 'b.c.example.com', authority: [SOA] },
  { name: 'empty non-terminal one level further up', qname: 'c.example.com', qtype: 'TXT', authority: [SOA] },

  // Delegations (RFC 1034 §4.3.2 step 3b)
  { name: 'referral at the cut: AA=0, NS in authority, glue in additional', qname: 'deleg.example.com', aa: false,
    authority: REFERRAL_NS, additional: GLUE },
  { name: 'referral below the cut, whatever the type', qname: 'a.b.deleg.example.com', qtype: 'MX', aa: false,
    authority: REFERRAL_NS, additional: GLUE },
  { name: 'glue names are below the cut too: referral', qname: 'ns.deleg.example.com', aa: false,
    authority: REFERRAL_NS, additional: GLUE },
  { name: 'DS at the cut is answered by the parent (RFC 4035 §3.1.4.1)', qname: 'deleg.example.com', qtype: 'DS',
    answer: ['deleg.example.com 3600 DS \\# 4 01020304'] },
  { name: 'DS below the cut is referred', qname: 'x.deleg.example.com', qtype: 'DS', aa: false,
    authority: REFERRAL_NS, additional: GLUE },

  // Wildcards (RFC 4592)
  { name: 'wildcard synthesizes the owner from the query name', qname: 'Any.Wild.example.com',
    answer: ['any.wild.example.com 3600 A 192.0.2.6'] },
  { name: 'wildcard matches several labels below the closest encloser', qname: 'a.b.wild.example.com',
    answer: ['a.b.wild.example.com 3600 A 192.0.2.6'] },
  { name: 'wildcard answer gets additional data too', qname: 'm.wild.example.com', qtype: 'MX',
    answer: ['m.wild.example.com 3600 MX 10 mail.example.com'],
    additional: ['mail.example.com 3600 A 192.0.2.2', 'mail.example.com 3600 AAAA 2001:db8::2'] },
  { name: 'wildcard NODATA for a type it does not have', qname: 'any.wild.example.com', qtype: 'TXT', authority: [SOA] },
  { name: 'wildcard does not match an existing name', qname: 'host.wild.example.com', qtype: 'MX', authority: [SOA] },
  { name: 'wildcard does not match an empty non-terminal (RFC 4592 §2.2.2)', qname: 'ent.wild.example.com', authority: [SOA] },
  { name: 'wildcard does not match below an existing name: closest encloser differs', qname: 'y.host.wild.example.com',
    rcode: RCode.NXDOMAIN, authority: [SOA] },
  { name: 'the wildcard name itself is answered like any name', qname: '*.wild.example.com',
    answer: ['*.wild.example.com 3600 A 192.0.2.6'] },
  { name: 'CNAME via wildcard, followed in zone', qname: 'foo.cw.example.com',
    answer: ['foo.cw.example.com 3600 CNAME web.example.com', 'web.example.com 3600 A 192.0.2.3'] },
  { name: 'CNAME via wildcard, out of zone', qname: 'foo.cwout.example.com',
    answer: ['foo.cwout.example.com 3600 CNAME elsewhere.example.net'] },
];

describe('ZoneStore.respond (RFC 1034 §4.3.2, RFC 2308, RFC 4592)', () => {
  const store = storeFrom(EXAMPLE);
  it.each(cases)('$name', (c) => {
    const reply = store.respond(query(c.qname, c.qtype ?? 'A'))!;
    expect(reply).toBeDefined();
    expect({
      rcode: reply.rcode,
      aa: reply.aa,
      answer: reply.answers.map(show),
      authority: reply.authorities.map(show),
      additional: reply.additionals.map(show),
    }).toEqual({
      rcode: c.rcode ?? RCode.NOERROR,
      aa: c.aa ?? true,
      answer: c.answer ?? [],
      authority: c.authority ?? [],
      additional: c.additional ?? [],
    });
  });
});

describe('ZoneStore response header', () => {
  const store = storeFrom(EXAMPLE);

  it('copies id, opcode, RD and the question exactly as written; sets QR and AA; adds no EDNS', () => {
    const q = query('WwW.ExAmPlE.CoM', 'A', 0xbeef);
    q.rd = false;
    q.cd = true;
    const reply = store.respond(q)!;
    expect(reply).toMatchObject({ id: 0xbeef, qr: true, opcode: 0, aa: true, tc: false, rd: false, ra: false, rcode: 0 });
    expect(reply.questions).toEqual([{ name: 'WwW.ExAmPlE.CoM', type: 'A', class: 'IN' }]);
    expect(reply.questions[0]).not.toBe(q.questions[0]);
    expect(reply.edns).toBeUndefined();
    expect(store.respond(query('web.example.com'))!.rd).toBe(true);
  });

  it('uses min(SOA TTL, MINIMUM) when the SOA TTL is the smaller one (RFC 2308 §3)', () => {
    const low = storeFrom('$ORIGIN low.test.\n@ 60 SOA ns h 1 2 3 4 300\n@ 60 NS ns\nns 60 A 192.0.2.1\n');
    expect(low.respond(query('nope.low.test'))!.authorities.map(show)).toEqual(['low.test 60 SOA ns.low.test h.low.test 1 2 3 4 300']);
  });

  it('answers nothing for names outside every zone, other classes, or several questions', () => {
    expect(store.respond(query('example.net'))).toBeUndefined();
    expect(store.respond(query('com', 'NS'))).toBeUndefined();
    const chaos = query('example.com', 'TXT');
    chaos.questions[0].class = 'CH';
    expect(store.respond(chaos)).toBeUndefined();
    const two = query('example.com');
    two.questions.push({ name: 'web.example.com', type: 'A', class: 'IN' });
    expect(store.respond(two)).toBeUndefined();
  });
});

describe('ZoneStore.lookup result kinds', () => {
  const store = storeFrom(EXAMPLE);
  const lookup = (name: string, type = 'A') => store.lookup({ name, type, class: 'IN' });

  it('answer, with the target left to the caller when a CNAME leaves the zone', () => {
    expect(lookup('web.example.com')).toMatchObject({ kind: 'answer', zone: 'example.com' });
    expect(lookup('web.example.com')).not.toHaveProperty('unresolvedTarget');
    expect(lookup('ext.example.com')).toMatchObject({ kind: 'answer', unresolvedTarget: 'www.example.net' });
    expect(lookup('intodeleg.example.com')).toMatchObject({ kind: 'answer', unresolvedTarget: 'www.deleg.example.com' });
    expect(lookup('loop1.example.com')).not.toHaveProperty('unresolvedTarget');
  });

  it('referral, nodata, nxdomain, and undefined outside the zones', () => {
    expect(lookup('x.deleg.example.com')).toMatchObject({ kind: 'referral', zone: 'example.com', cut: 'deleg.example.com' });
    expect(lookup('web.example.com', 'MX')).toMatchObject({ kind: 'nodata', answers: [] });
    expect(lookup('nope.example.com')).toMatchObject({ kind: 'nxdomain', answers: [] });
    expect(lookup('example.org')).toBeUndefined();
  });

  it('stops a long in-zone CNAME chain', () => {
    const links = Array.from({ length: 30 }, (_, i) => `c${i} CNAME c${i + 1}`).join('\n');
    const long = storeFrom(`$ORIGIN long.test.\n$TTL 60\n@ SOA ns h 1 2 3 4 5\n@ NS ns\nns A 192.0.2.1\n${links}\nc30 A 192.0.2.2\n`);
    const result = long.lookup({ name: 'c0.long.test', type: 'A', class: 'IN' });
    expect(result).toMatchObject({ kind: 'answer' });
    expect(result!.kind === 'answer' && result!.answers.length).toBe(17);
  });
});

describe('ZoneStore with several zones', () => {
  const CHILD = `
$ORIGIN deleg.example.com.
$TTL 600
@    SOA ns hostmaster 7 1 2 3 60
@    NS  ns
ns   A   192.0.2.53
www  A   192.0.2.80
`;
  const OTHER = `
$ORIGIN example.org.
$TTL 600
@    SOA ns hostmaster 1 1 2 3 60
@    NS  ns
ns   A   192.0.2.99
`;
  const store = new ZoneStore([zoneFrom(EXAMPLE), zoneFrom(CHILD), zoneFrom(OTHER)]);

  it('the most specific zone answers names in a nested zone', () => {
    const reply = store.respond(query('www.deleg.example.com'))!;
    expect(reply.aa).toBe(true);
    expect(reply.answers.map(show)).toEqual(['www.deleg.example.com 600 A 192.0.2.80']);
    expect(store.respond(query('nope.deleg.example.com'))!.authorities.map(show))
      .toEqual(['deleg.example.com 60 SOA ns.deleg.example.com hostmaster.deleg.example.com 7 1 2 3 60']);
  });

  it('the child answers at its own apex, the parent answers DS there', () => {
    expect(store.respond(query('deleg.example.com', 'NS'))!).toMatchObject({ aa: true });
    expect(store.respond(query('deleg.example.com', 'NS'))!.answers.map(show)).toEqual(['deleg.example.com 600 NS ns.deleg.example.com']);
    expect(store.respond(query('deleg.example.com', 'DS'))!.answers.map(show)).toEqual(['deleg.example.com 3600 DS \\# 4 01020304']);
  });

  it('DS at the apex of a zone whose parent we do not serve: NODATA from the zone itself', () => {
    expect(store.lookup({ name: 'example.org', type: 'DS', class: 'IN' })).toMatchObject({ kind: 'nodata', zone: 'example.org' });
  });

  it('sibling zones stay apart', () => {
    expect(store.respond(query('ns.example.org'))!.answers.map(show)).toEqual(['ns.example.org 600 A 192.0.2.99']);
    expect(store.zones.map((z) => z.apex)).toEqual(['example.com', 'deleg.example.com', 'example.org']);
  });

  it('refuses two zones with one apex, and replace() swaps the whole set', () => {
    expect(() => new ZoneStore([zoneFrom(OTHER), zoneFrom(OTHER)])).toThrow(/two zones with the apex example.org/);
    const swapped = new ZoneStore([zoneFrom(EXAMPLE)]);
    swapped.replace([zoneFrom(OTHER)]);
    expect(swapped.respond(query('web.example.com'))).toBeUndefined();
    expect(swapped.respond(query('ns.example.org'))!.answers).toHaveLength(1);
    expect(() => swapped.replace([zoneFrom(EXAMPLE), zoneFrom(EXAMPLE)])).toThrow();
    expect(swapped.respond(query('ns.example.org'))!.answers).toHaveLength(1);
  });

  it('a root zone works too', () => {
    const root = storeFrom('$ORIGIN .\n$TTL 60\n@ SOA a.root-servers.net. h.example. 1 2 3 4 5\n@ NS a.root-servers.net.\ncom NS a.gtld-servers.net.\n');
    expect(root.lookup({ name: 'www.example.com', type: 'A', class: 'IN' })).toMatchObject({ kind: 'referral', zone: '.', cut: 'com' });
    expect(root.lookup({ name: 'nonexistent', type: 'A', class: 'IN' })).toMatchObject({ kind: 'nxdomain', zone: '.' });
  });
});
