// Differential test of Hops' authoritative answers: the same zone file served
// by Hops and by an independent implementation must give the same replies.
// The root zone runs on Hops (root-a) and NSD (root-b); example.com on Hops
// (example-com) and Knot (example-com-mirror). Real sockets and real `dig`,
// on the lab internet at 127.55.x.y (lab/README.md). Needs root, nsd, knotd
// and dig; skipped otherwise.
//
// Where the RFCs leave servers a choice the comparison looks away: the
// additional section of positive answers (RFC 2181 §5.4.1 makes it optional;
// NSD adds the apex NS set and addresses, Hops and Knot do not), ANY queries
// (RFC 8482 lets a server answer with a subset) and the case of owner names
// (RFC 4343: case-insensitive; Knot copies the query's case, Hops does not).

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { labAddress, missingPrerequisites, startInternet, type LabInternet } from '../../lab/internet.mjs';
import { dig, type DigRecord, type DigResult } from '../helpers/dig.js';

// Its own address base (127.55; the next one if another run holds it).
const NETS = ['127.55', '127.65', '127.75'];
let net = NETS[0];
const at = (host: string) => labAddress(net, host);

const missing = missingPrerequisites();
if (missing.length > 0) {
  console.warn(`test/integration/authoritative-peers.test.ts skipped: needs ${missing.join('; ')}`);
}

const text = (records: DigRecord[]) => records.map((r) => `${r.name.toLowerCase()} ${r.ttl} ${r.class} ${r.type} ${r.data}`).sort();

/** What two correct authoritative servers must agree on. */
function comparable(r: DigResult) {
  const referral = r.answer.length === 0 && !r.flags.includes('aa') && r.authority.some((x) => x.type === 'NS');
  return {
    status: r.status,
    aa: r.flags.includes('aa'),
    tc: r.flags.includes('tc'),
    answer: text(r.answer),
    // Negative answers carry the SOA, referrals the NS set (RFC 1034 §4.3.2, RFC 2308 §3).
    authority: r.answer.length === 0 ? text(r.authority) : undefined,
    // Glue is part of a referral; elsewhere additional data is optional.
    glue: referral ? text(r.additional) : undefined,
  };
}

interface Case {
  query: string[];
  /** What both must say, so agreeing on something wrong still fails. */
  status: string;
  aa?: boolean;
  tc?: boolean;
}

const ROOT_CASES: Case[] = [
  { query: ['.', 'SOA'], status: 'NOERROR', aa: true },
  { query: ['.', 'NS'], status: 'NOERROR', aa: true },
  { query: ['com.', 'NS'], status: 'NOERROR', aa: false }, // referral
  { query: ['www.example.com', 'A'], status: 'NOERROR', aa: false }, // referral with glue
  { query: ['ns1.org', 'A'], status: 'NOERROR', aa: false }, // referral; the glue is the answer's address
  { query: ['a.gtld-servers.net', 'A'], status: 'NOERROR', aa: false }, // glue is not an answer
  { query: ['a.root-servers.lab', 'A'], status: 'NOERROR', aa: true },
  { query: ['a.root-servers.lab', 'AAAA'], status: 'NOERROR', aa: true }, // NODATA
  { query: ['root-servers.lab', 'A'], status: 'NOERROR', aa: true }, // empty non-terminal: NODATA
  { query: ['x.a.root-servers.lab', 'A'], status: 'NXDOMAIN', aa: true },
  { query: ['nosuch-tld', 'A'], status: 'NXDOMAIN', aa: true },
  { query: ['org.', 'DS'], status: 'NOERROR', aa: true }, // DS is the parent's: NODATA, not a referral
  { query: ['.', 'SOA', '+tcp'], status: 'NOERROR', aa: true },
];

const EXAMPLE_COM_CASES: Case[] = [
  { query: ['example.com', 'SOA'], status: 'NOERROR', aa: true },
  { query: ['example.com', 'NS'], status: 'NOERROR', aa: true },
  { query: ['example.com', 'A'], status: 'NOERROR', aa: true },
  { query: ['example.com', 'MX'], status: 'NOERROR', aa: true },
  { query: ['host.example.com', 'AAAA'], status: 'NOERROR', aa: true },
  { query: ['alias2.example.com', 'A'], status: 'NOERROR', aa: true }, // in-zone CNAME chain, followed
  { query: ['alias.example.com', 'CNAME'], status: 'NOERROR', aa: true },
  { query: ['www.example.com', 'A'], status: 'NOERROR', aa: true }, // CNAME out of the zone: not followed
  { query: ['dangling.example.com', 'A'], status: 'NOERROR', aa: true },
  { query: ['nope.example.com', 'A'], status: 'NXDOMAIN', aa: true },
  { query: ['x.host.example.com', 'A'], status: 'NXDOMAIN', aa: true },
  { query: ['host.example.com', 'TXT'], status: 'NOERROR', aa: true }, // NODATA
  { query: ['loop1.example.com', 'A'], status: 'NOERROR', aa: true }, // CNAME loop: each record once
  { query: ['x.wild.example.com', 'TXT'], status: 'NOERROR', aa: true }, // RFC 4592 wildcard
  { query: ['a.b.wild.example.com', 'A'], status: 'NOERROR', aa: true }, // more than one label
  { query: ['x.wild.example.com', 'MX'], status: 'NOERROR', aa: true }, // wildcard NODATA
  { query: ['exists.wild.example.com', 'TXT'], status: 'NOERROR', aa: true }, // existing name: no wildcard
  { query: ['wild.example.com', 'A'], status: 'NOERROR', aa: true }, // empty non-terminal
  { query: ['*.wild.example.com', 'A'], status: 'NOERROR', aa: true },
  { query: ['HoSt.ExAmPlE.cOm', 'A'], status: 'NOERROR', aa: true },
  { query: ['big.example.com', 'TXT', '+ignore', '+notcp'], status: 'NOERROR', aa: true, tc: true }, // > 1232 octets
  { query: ['big.example.com', 'TXT', '+ignore', '+notcp', '+noedns'], status: 'NOERROR', aa: true, tc: true }, // > 512
  { query: ['big.example.com', 'TXT', '+tcp'], status: 'NOERROR', aa: true, tc: false },
  { query: ['example.com', 'A', '+noedns'], status: 'NOERROR', aa: true },
  { query: ['www.example.org', 'A'], status: 'REFUSED', aa: false }, // not our zone
  { query: ['example.com', 'SOA', '-c', 'CH'], status: 'REFUSED', aa: false },
];

describe.skipIf(missing.length > 0)('authoritative answers: Hops agrees with NSD and Knot on the same zone files', () => {
  let internet: LabInternet | undefined;

  beforeAll(async () => {
    internet = await startInternet({ net: NETS, timeoutMs: 15_000 });
    net = internet.net;
  }, 30_000);

  afterAll(async () => {
    await internet?.stop();
  }, 20_000);

  async function compare(hops: string, peer: string, c: Case) {
    const [mine, theirs] = await Promise.all([dig(hops, 53, ['+norec', ...c.query]), dig(peer, 53, ['+norec', ...c.query])]);
    const a = comparable(mine);
    const b = comparable(theirs);
    expect(a, `Hops:\n${mine.raw}\npeer:\n${theirs.raw}`).toEqual(b);
    expect(a.status).toBe(c.status);
    if (c.aa !== undefined) expect(a.aa).toBe(c.aa);
    expect(a.tc).toBe(c.tc ?? false);
    expect(mine.flags).toContain('qr');
    expect(mine.flags).not.toContain('ra'); // --recursion off
  }

  it.each(ROOT_CASES.map((c) => [c.query.join(' '), c] as const))('root zone, Hops vs NSD: %s', async (_, c) => {
    await compare(at('0.1'), at('0.2'), c);
  });

  it.each(EXAMPLE_COM_CASES.map((c) => [c.query.join(' '), c] as const))('example.com, Hops vs Knot: %s', async (_, c) => {
    await compare(at('3.1'), at('3.3'), c);
  });
});
