// DNSSEC validation over real sockets, against zones signed by real signers
// at test time (Knot DNS and ldns-signzone, see signed-internet.ts), with
// Unbound as the reference validator:
//
//   ${net}.0.1 … ${net}.3.1   the signed internet: root, example. (Knot), leaves
//   ${net}.100.1:53           Hops  --dnssec validate --trust-anchor <root DS>
//   ${net}.100.2:53           Unbound, validator + iterator, same root hints and anchor
//
// Every case is asked of both with `dig`; each must give the expected status,
// AD flag and RRSIGs, Hops also the Extended DNS Error (RFC 8914) of bogus
// answers, and Hops must agree with Unbound. `delv`, validating by itself
// through each resolver, checks that what they pass on is complete enough to
// validate. The Unbound half proves the lab is what it claims (secure zones
// validate, each bogus zone is bogus for its own reason).
//
// Needs root (port 53), nsd, knotd/keymgr, ldns-keygen/ldns-signzone
// (ldnsutils), unbound, dig and delv (scripts/install-test-tools.sh); skipped
// otherwise. Address base 127.57 (127.67, 127.87 when held).

import { execFile } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dig, type DigRecord, type DigResult } from '../helpers/dig.js';
import { HOPS_MAIN, startHops, type HopsProcess } from '../helpers/hops-process.js';
import { missingSignedInternetTools, startSignedInternet, startUnbound, tamperedAddress, wwwAddress, type SignedInternet } from './signed-internet.js';

const NETS = ['127.57', '127.67', '127.87'];
const HOPS_HOST = '100.1';
const UNBOUND_HOST = '100.2';
/** Bogus like badsig.example, but both resolvers hold a negative trust anchor for it. */
const NTA = 'nta.example.';

const missing = missingSignedInternetTools();
if (!existsSync(HOPS_MAIN)) missing.push(`${HOPS_MAIN} (npm run build)`);
if (missing.length > 0) console.warn(`test/integration/dnssec-real-signers.test.ts skipped: needs ${missing.join('; ')}`);

interface Case {
  /** What the case pins, and where the rule comes from. */
  why: string;
  /** dig arguments: name, type, flags. */
  query: string[];
  status: 'NOERROR' | 'NXDOMAIN' | 'SERVFAIL';
  ad: boolean;
  /** The answer section without RRSIGs, as "name type data" (`net` fills in addresses). */
  answer?: (net: string) => string[];
  /** Signed data (validated or not): with DO, every answer RRset comes with its RRSIG. */
  signed?: boolean;
  /** The denial of existence a DO query must get in the authority section, with RRSIGs. */
  denial?: 'NSEC' | 'NSEC3';
  /** RFC 8914 §4: the Extended DNS Error of the SERVFAIL. */
  ede?: number;
}

const www = (zone: string) => `www.${zone}.example`;
const wwwA = (zone: string) => (net: string) => [`${www(zone)}. A ${wwwAddress(net)}`];
const tamperedA = (zone: string) => (net: string) => [`${www(zone)}. A ${tamperedAddress(net)}`];

const SECURE: Case[] = [
  { why: 'the TLD, signed by knotd (ECDSAP256SHA256, NSEC)', query: ['example', 'SOA', '+dnssec'], status: 'NOERROR', ad: true, signed: true },
  { why: 'RFC 4035 §5 + RFC 6840 §5.8: ldns, ECDSAP256SHA256, NSEC; DO gets AD and RRSIGs', query: [www('secure'), 'A', '+dnssec'], status: 'NOERROR', ad: true, signed: true, answer: wwwA('secure') },
  { why: 'RFC 6840 §5.7: AD=1 without DO still gets AD, but no RRSIGs (RFC 4035 §3.2.1)', query: [www('secure'), 'A', '+adflag'], status: 'NOERROR', ad: true, signed: false, answer: wwwA('secure') },
  { why: 'RFC 6840 §5.8: neither DO nor AD in the query: no AD, no RRSIGs', query: [www('secure'), 'A', '+noadflag'], status: 'NOERROR', ad: false, signed: false, answer: wwwA('secure') },
  { why: 'RFC 4035 §5.4: NXDOMAIN proven by NSEC', query: ['nope.secure.example', 'A', '+dnssec'], status: 'NXDOMAIN', ad: true, signed: true, denial: 'NSEC', answer: () => [] },
  { why: 'RFC 4035 §5.4: NODATA proven by NSEC', query: [www('secure'), 'TXT', '+dnssec'], status: 'NOERROR', ad: true, signed: true, denial: 'NSEC', answer: () => [] },
  { why: 'RFC 4035 §5.3.4: a wildcard expansion, with the NSEC that proves no closer match', query: ['x.wild.secure.example', 'TXT', '+dnssec'], status: 'NOERROR', ad: true, signed: true, denial: 'NSEC', answer: () => ['x.wild.secure.example. TXT "wildcard of secure.example."'] },
  { why: 'RFC 9276 §3.1: NSEC3, 0 iterations, no salt (ldns)', query: [www('secure3'), 'A', '+dnssec'], status: 'NOERROR', ad: true, signed: true, answer: wwwA('secure3') },
  { why: 'RFC 5155 §8.4: NXDOMAIN proven by NSEC3 (closest encloser, next closer, wildcard)', query: ['nope.secure3.example', 'A', '+dnssec'], status: 'NXDOMAIN', ad: true, signed: true, denial: 'NSEC3', answer: () => [] },
  { why: 'RFC 5155 §8.8: a wildcard expansion under NSEC3', query: ['x.wild.secure3.example', 'TXT', '+dnssec'], status: 'NOERROR', ad: true, signed: true, denial: 'NSEC3', answer: () => ['x.wild.secure3.example. TXT "wildcard of secure3.example."'] },
  { why: 'NSEC3 opt-out zone: its own data is secure', query: [www('optout'), 'A', '+dnssec'], status: 'NOERROR', ad: true, signed: true, answer: wwwA('optout') },
  { why: 'RFC 5155 §8.9 and §6: an unsigned delegation inside an opt-out span is insecure: no AD', query: ['www.unsigned.optout.example', 'A', '+dnssec'], status: 'NOERROR', ad: false, signed: false, answer: (net) => [`www.unsigned.optout.example. A ${wwwAddress(net)}`] },
  { why: 'RSASHA256 (RFC 5702), KSK 2048 + ZSK 1024 bits (ldns)', query: [www('rsa'), 'A', '+dnssec'], status: 'NOERROR', ad: true, signed: true, answer: wwwA('rsa') },
  { why: 'ED25519 (RFC 8080), signed by ldns', query: [www('ed25519'), 'A', '+dnssec'], status: 'NOERROR', ad: true, signed: true, answer: wwwA('ed25519') },
  { why: 'ED25519 with NSEC3, signed by knotd', query: [www('knot'), 'A', '+dnssec'], status: 'NOERROR', ad: true, signed: true, answer: wwwA('knot') },
  { why: 'RFC 5155 §8.4: NXDOMAIN proven by Knot\'s NSEC3', query: ['nope.knot.example', 'A', '+dnssec'], status: 'NXDOMAIN', ad: true, signed: true, denial: 'NSEC3', answer: () => [] },
];

const INSECURE: Case[] = [
  { why: 'RFC 4035 §5.2: no DS, proven by the NSEC of example.: insecure, no AD', query: [www('insecure'), 'A', '+dnssec'], status: 'NOERROR', ad: false, signed: false, answer: wwwA('insecure') },
  { why: 'RFC 7646 §2: a negative trust anchor turns a bogus zone insecure: the data as served, no AD', query: [www('nta'), 'A', '+dnssec'], status: 'NOERROR', ad: false, signed: true, answer: tamperedA('nta') },
];

// RFC 4035 §5.5: bogus data gets SERVFAIL (RCODE 2); RFC 8914 §4 says which EDE.
const BOGUS: Case[] = [
  { why: 'EDE 7 Signature Expired (RFC 8914 §4.8): every RRSIG expired 30 days ago', query: [www('expired'), 'A', '+dnssec'], status: 'SERVFAIL', ad: false, ede: 7 },
  { why: 'EDE 8 Signature Not Yet Valid (§4.9): every RRSIG incepts in 30 days', query: [www('future'), 'A', '+dnssec'], status: 'SERVFAIL', ad: false, ede: 8 },
  { why: 'EDE 6 DNSSEC Bogus (§4.7): the A record was changed after signing', query: [www('badsig'), 'A', '+dnssec'], status: 'SERVFAIL', ad: false, ede: 6 },
  { why: 'EDE 6 without DO: validation does not depend on the client asking for it', query: [www('badsig'), 'A', '+noadflag'], status: 'SERVFAIL', ad: false, ede: 6 },
  { why: 'EDE 9 DNSKEY Missing (§4.10): the parent\'s DS names a key the zone does not publish', query: [www('nokey'), 'A', '+dnssec'], status: 'SERVFAIL', ad: false, ede: 9 },
  { why: 'EDE 10 RRSIGs Missing (§4.11): the answer\'s RRSIG was removed', query: [www('nosig'), 'A', '+dnssec'], status: 'SERVFAIL', ad: false, ede: 10 },
  { why: 'EDE 12 NSEC Missing (§4.13): NXDOMAIN from a signed zone without any NSEC', query: ['nope.nonsec.example', 'A', '+dnssec'], status: 'SERVFAIL', ad: false, ede: 12 },
];

// RFC 4035 §3.2.2 and §4.2: CD=1 gets the data unvalidated, with its RRSIGs;
// bogus data is not authentic, so no AD (§3.2.3).
const CHECKING_DISABLED: Case[] = [
  { why: 'CD=1 on a bad signature: the tampered record, with its RRSIG', query: [www('badsig'), 'A', '+dnssec', '+cd'], status: 'NOERROR', ad: false, signed: true, answer: tamperedA('badsig') },
  { why: 'CD=1 on expired signatures: the record, with its RRSIG', query: [www('expired'), 'A', '+dnssec', '+cd'], status: 'NOERROR', ad: false, signed: true, answer: wwwA('expired') },
];

const CASES = [...SECURE, ...INSECURE, ...BOGUS, ...CHECKING_DISABLED];
const title = (c: Case) => `${c.query.join(' ')}: ${c.status}${c.ad ? ' AD' : ''}${c.ede !== undefined ? ` EDE ${c.ede}` : ''} (${c.why})`;

const rr = (records: DigRecord[]) => records.filter((r) => r.type !== 'RRSIG').map((r) => `${r.name} ${r.type} ${r.data}`);
/** Types covered by the RRSIGs among `records`. */
const signedTypes = (records: DigRecord[]) => new Set(records.filter((r) => r.type === 'RRSIG').map((r) => r.data.split(' ')[0]));

/** What every validating resolver must answer, Hops or Unbound. */
function expectCase(r: DigResult, c: Case, net: string): void {
  expect(r.status, r.raw).toBe(c.status);
  expect(r.flags.includes('ad'), `AD flag\n${r.raw}`).toBe(c.ad);
  if (c.status === 'SERVFAIL') {
    expect(r.answer, r.raw).toEqual([]);
    return;
  }
  if (c.answer) expect(rr(r.answer), r.raw).toEqual(c.answer(net));
  const dnssecOk = c.query.includes('+dnssec');
  if (dnssecOk && c.signed) {
    // RFC 4035 §3.2.1: with DO, the RRSIGs come along with the data.
    const covered = signedTypes(r.answer);
    for (const type of new Set(r.answer.filter((x) => x.type !== 'RRSIG').map((x) => x.type))) {
      expect(covered.has(type), `RRSIG over ${type}\n${r.raw}`).toBe(true);
    }
    if (r.answer.length === 0) expect(signedTypes(r.authority).has('SOA'), `RRSIG over the SOA\n${r.raw}`).toBe(true);
  } else {
    // Without DO no DNSSEC records (RFC 4035 §3.2.1); an unsigned zone has none to give.
    expect([...r.answer, ...r.authority].filter((x) => x.type === 'RRSIG'), r.raw).toEqual([]);
  }
  if (c.denial) {
    expect(r.authority.some((x) => x.type === c.denial), `${c.denial} in the authority section\n${r.raw}`).toBe(true);
    expect(signedTypes(r.authority).has(c.denial), `RRSIG over the ${c.denial}\n${r.raw}`).toBe(true);
  }
}

/** delv validates by itself, asking `server` for everything it needs (DNSKEYs, DS, RRSIGs). */
async function delv(server: string, anchors: string, name: string): Promise<string> {
  return new Promise((resolve) => {
    execFile('delv', [`@${server}`, '-a', anchors, '+root=.', name, 'A'], { timeout: 15_000 }, (err, stdout, stderr) => {
      resolve(`${stdout}${stderr}${err && err.killed ? '\n(delv timed out)' : ''}`);
    });
  });
}

describe.skipIf(missing.length > 0)('DNSSEC validation against zones signed by Knot and ldns: Hops vs Unbound (real sockets)', () => {
  let lab: SignedInternet | undefined;
  let unbound: HopsProcess | undefined;
  const at = (host: string) => lab!.at(host);
  /** Unbound's reply to each case, asked once: the Hops tests compare with it. */
  const reference = new Map<Case, Promise<DigResult>>();
  const askUnbound = (c: Case) => {
    if (!reference.has(c)) reference.set(c, dig(at(UNBOUND_HOST), 53, c.query));
    return reference.get(c)!;
  };

  beforeAll(async () => {
    lab = await startSignedInternet(NETS, [HOPS_HOST, UNBOUND_HOST]);
    try {
      unbound = await startUnbound(lab, at(UNBOUND_HOST), [NTA]);
    } catch (err) {
      await lab.stop();
      throw err;
    }
  }, 30_000);

  afterAll(async () => {
    await unbound?.stop();
    await lab?.stop();
  }, 20_000);

  describe('Unbound, the reference: proves the signed hierarchy', () => {
    it.each(CASES.map((c) => [title(c), c] as const))('%s', async (_, c) => {
      const r = await askUnbound(c);
      expectCase(r, c, lab!.net);
      // Unbound ≥ 1.16 with `ede: yes` gives the same codes; older ones none at all.
      if (c.ede !== undefined && r.ede.length > 0) expect(r.ede.map((e) => e.code), r.raw).toContain(c.ede);
    });

    it('delv through Unbound: secure fully validated, insecure unsigned, bogus fails', async () => {
      const [secure, insecure, bogus] = await Promise.all([www('secure'), www('insecure'), www('badsig')].map((n) => delv(at(UNBOUND_HOST), lab!.bindKeysFile, n)));
      expect(secure).toContain('; fully validated');
      expect(secure).toContain(`${www('secure')}.`);
      expect(insecure).toContain('; unsigned answer');
      expect(bogus).toContain('resolution failed');
      expect(bogus).not.toContain('validated');
    });
  });

  describe('Hops', () => {
    let hops: HopsProcess | undefined;
    let startError: Error | undefined;
    /** Hops' address; each test fails with the start-up error when Hops did not start (e.g. a flag it does not know). */
    const hopsAddress = () => {
      if (!hops) throw startError ?? new Error('Hops did not start');
      return at(HOPS_HOST);
    };

    beforeAll(async () => {
      const zones = join(lab!.dir, 'hops-zones');
      mkdirSync(zones);
      try {
        hops = await startHops(at(HOPS_HOST), 53, [
          '--recursion', 'on',
          '--zones', zones, // empty: every answer comes from the lab
          '--root-hints', lab!.rootHintsFile, // never the real root: nothing leaves 127/8
          '--query-loopback', 'on',
          '--ipv6-upstream', 'off',
          '--dnssec', 'validate',
          '--trust-anchor', lab!.trustAnchorFile,
          '--negative-trust-anchor', NTA,
          '--log-level', 'warn',
        ]);
      } catch (err) {
        startError = err as Error;
      }
    }, 20_000);

    afterAll(async () => {
      await hops?.stop();
    }, 10_000);

    it.each(CASES.map((c) => [title(c), c] as const))('%s', async (_, c) => {
      const [mine, theirs] = await Promise.all([dig(hopsAddress(), 53, c.query), askUnbound(c)]);
      expectCase(mine, c, lab!.net);
      if (c.ede !== undefined) expect(mine.ede.map((e) => e.code), mine.raw).toContain(c.ede);
      const verdict = (r: DigResult) => ({ status: r.status, ad: r.flags.includes('ad') });
      expect(verdict(mine), `Hops:\n${mine.raw}\nUnbound:\n${theirs.raw}`).toEqual(verdict(theirs));
    });

    it('delv through Hops: secure fully validated, insecure unsigned, bogus fails', async () => {
      const server = hopsAddress();
      const [secure, insecure, bogus] = await Promise.all([www('secure'), www('insecure'), www('badsig')].map((n) => delv(server, lab!.bindKeysFile, n)));
      expect(secure).toContain('; fully validated');
      expect(secure).toContain(`${www('secure')}.`);
      expect(insecure).toContain('; unsigned answer');
      expect(bogus).toContain('resolution failed');
      expect(bogus).not.toContain('validated');
    });
  });
});
