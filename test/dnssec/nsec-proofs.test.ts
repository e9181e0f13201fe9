// NSEC proofs through the front door (src/dnssec/denial.ts): RFC 4035
// Appendix B's responses as rows, then each way a proof can fail.

import { describe, expect, it } from 'vitest';
import type { ResourceRecord } from '../../src/dns/message.js';
import { proveNoDs, proveNodata, proveNxdomain, proveWildcardAnswer } from '../../src/dnssec/denial.js';
import { nsecRR } from './denial-text.js';
import { RFC4035_NSEC as N } from './rfc4035-zone.js';

const ctx = { chargeHash() {} };
const Z = 'example';

type Row = [why: string, prove: () => unknown, expected: Record<string, unknown>];

/** A bogus result whose reason says why (so a row cannot pass by failing for another reason). */
function bogus(because: string): Record<string, unknown> {
  return { status: 'bogus', reason: expect.stringContaining(because) };
}

describe('RFC 4035 Appendix B responses, NSEC', () => {
  it.each<Row>([
    ['B.2 name error: ml.example, wildcard *.example denied',
      () => proveNxdomain('ml.example', [N.b, N.example], Z, ctx), { status: 'proven', closestEncloser: 'example' }],
    ['B.3 no data: ns1.example MX',
      () => proveNodata('ns1.example', 'MX', [N.ns1], Z, ctx), { status: 'proven' }],
    ['B.5 referral to unsigned zone: no DS at b.example',
      () => proveNoDs('b.example', [N.b], Z, ctx), { status: 'insecure-delegation' }],
    ['B.6 wildcard expansion: a.z.w.example from *.w.example',
      () => proveWildcardAnswer('a.z.w.example', 'w.example', [N.xyW], Z, ctx), { status: 'proven', closestEncloser: 'w.example' }],
    ['B.7 wildcard no data: a.z.w.example AAAA',
      () => proveNodata('a.z.w.example', 'AAAA', [N.xyW, N.wildW], Z, ctx), { status: 'proven', closestEncloser: 'w.example' }],
    // B.8 shows what a server authoritative only for the child says about
    // DS at its own apex. A validator must not take that as a proof (RFC
    // 4035 §3.1.4.1, RFC 6840 §4.1): only the parent zone can deny DS.
    ['B.8 DS child zone no data: the child apex NSEC is not a proof of no DS',
      () => proveNodata('example', 'DS', [N.example], Z, ctx), bogus('parent zone')],
  ])('RFC 4035 Appendix %s', (_why, prove, expected) => {
    expect(prove()).toMatchObject(expected);
  });
});

describe('NSEC NXDOMAIN (RFC 4035 §5.4)', () => {
  it.each<[string, string, ResourceRecord[], Record<string, unknown>]>([
    ['the covering NSEC missing', 'ml.example', [N.example], bogus('ml.example does not exist')],
    ['the wildcard not denied', 'ml.example', [N.b], bogus('wildcard *.example does not exist')],
    ['the wildcard at the closest encloser exists', 'a.z.w.example', [N.xyW, N.wildW], bogus('*.w.example exists')],
    ['an NSEC at qname (it exists)', 'ns1.example', [N.ns1, N.example], bogus('shows it exists')],
    ['qname an empty non-terminal (RFC 4592 §2.2.2)', 'y.w.example', [N.xW, N.wildW, N.example], { status: 'bogus' }],
    ['RFC 6840 §4.1: below a delegation, the parent-side NSEC proves nothing', 'mc.b.example', [N.b, N.example], { status: 'bogus' }],
    ['RFC 6840 §4.1: below a DNAME, proves nothing', 'x.d.example',
      [nsecRR('d.example. NSEC e.example. DNAME RRSIG NSEC'), N.example], { status: 'bogus' }],
    ['wrap-around at the last NSEC: xy.example after xx.example', 'xy.example', [N.xx, N.example], { status: 'proven', closestEncloser: 'example' }],
    ['wrap-around at the last NSEC: a.xx.example, with *.xx.example covered by the same NSEC', 'a.xx.example', [N.xx],
      { status: 'proven', closestEncloser: 'xx.example' }],
    ['wrap-around does not reach back before the last owner', 'ai2.example', [N.xx, N.example], { status: 'bogus' }],
    ['the apex cannot be NXDOMAIN', 'example', [N.example], { status: 'bogus' }],
  ])('%s', (_why, qname, records, expected) => {
    expect(proveNxdomain(qname, records, Z, ctx)).toMatchObject(expected);
  });
});

describe('NSEC NODATA (RFC 4035 §3.1.3.1, §3.1.3.4, §5.4)', () => {
  it.each<[string, string, string, ResourceRecord[], Record<string, unknown>]>([
    ['the bit map has the type', 'ns1.example', 'A', [N.ns1], bogus('lists the queried type')],
    ['RFC 6840 §4.3: the bit map has CNAME', 'c.example', 'A', [nsecRR('c.example. NSEC d.example. CNAME RRSIG NSEC')], bogus('lists CNAME')],
    ['RFC 6840 §4.1: a parent-side NSEC at a delegation cannot deny A', 'b.example', 'A', [N.b], bogus('parent side of a delegation')],
    ['RFC 6840 §4.1: a parent-side NSEC at a delegation does deny DS', 'b.example', 'DS', [N.b], { status: 'proven' }],
    ['DS listed at a secure delegation', 'a.example', 'DS', [N.a], bogus('lists the queried type')],
    ['RFC 4592 §2.2.2: an empty non-terminal has no records', 'y.w.example', 'A', [N.xW], { status: 'proven' }],
    ['RFC 4035 §3.1.3.4: wildcard no data needs the NSEC at the wildcard', 'a.z.w.example', 'AAAA', [N.xyW], bogus('no NSEC at the wildcard')],
    ['RFC 4035 §3.1.3.4: the wildcard has the type', 'a.z.w.example', 'MX', [N.xyW, N.wildW], bogus('*.w.example lists the queried type')],
    ['neither an NSEC at qname nor one covering it', 'ns1.example', 'MX', [N.xx], { status: 'bogus' }],
    ['a type the codec does not know', 'ns1.example', 'NOSUCHTYPE', [N.ns1], { status: 'bogus' }],
    ['an RFC 3597 type number', 'ns1.example', 'TYPE65534', [N.ns1], { status: 'proven' }],
  ])('%s', (_why, qname, qtype, records, expected) => {
    expect(proveNodata(qname, qtype, records, Z, ctx)).toMatchObject(expected);
  });
});

describe('NSEC wildcard answers (RFC 4035 §5.3.4)', () => {
  it.each<[string, string, string, ResourceRecord[], Record<string, unknown>]>([
    ['the wildcard name itself is accepted as the encloser', 'a.z.w.example', '*.w.example', [N.xyW], { status: 'proven', closestEncloser: 'w.example' }],
    ['no NSEC covers qname', 'a.z.w.example', 'w.example', [N.wildW], { status: 'bogus' }],
    ['a closer encloser than the wildcard\'s exists', 'a.x.w.example', 'w.example', [N.xW], bogus('closest encloser of a.x.w.example is x.w.example')],
    ['the NSEC proves a shallower encloser than claimed', 'a.z.w.example', 'example', [N.xyW], bogus('is w.example, not')],
    ['qname is not below the encloser', 'ns1.example', 'w.example', [N.xyW], { status: 'bogus' }],
  ])('%s', (_why, qname, encloser, records, expected) => {
    expect(proveWildcardAnswer(qname, encloser, records, Z, ctx)).toMatchObject(expected);
  });
});

describe('NSEC absence of DS (RFC 4035 §5.2, RFC 6840 §4.4)', () => {
  it.each<[string, string, ResourceRecord[], Record<string, unknown>]>([
    ['NS without DS and SOA: an insecure delegation', 'b.example', [N.b], { status: 'insecure-delegation' }],
    ['no NS: no DS and no cut, keep walking down', 'ns1.example', [N.ns1], { status: 'no-delegation' }],
    ['an empty non-terminal: no cut, keep walking down', 'y.w.example', [N.xW], { status: 'no-delegation' }],
    ['DS in the bit map', 'a.example', [N.a], bogus('lists DS')],
    ['the child zone\'s apex NSEC (SOA) says nothing of the parent\'s DS', 'c.example', [nsecRR('c.example. NSEC d.example. NS SOA RRSIG NSEC')], bogus('child zone')],
    ['no NSEC at the name', 'c.example', [N.b], { status: 'bogus' }],
  ])('%s', (_why, name, records, expected) => {
    expect(proveNoDs(name, records, Z, ctx)).toMatchObject(expected);
  });

  it('the zone\'s own apex: DS must come from the parent', () => {
    expect(proveNoDs('example', [N.example], 'example', ctx)).toMatchObject({ status: 'bogus' });
  });
});

describe('NSEC records of the wrong zone are ignored', () => {
  it.each<[string, () => unknown]>([
    ['records of example, zone given as org', () => proveNxdomain('ml.example', [N.b, N.example], 'org', ctx)],
    ['qname outside the zone', () => proveNxdomain('ml.org', [N.b, N.example], Z, ctx)],
    ['an NSEC whose next name leaves the zone', () => proveNxdomain('ml.example', [nsecRR('b.example. NSEC zz.org. NS RRSIG NSEC'), N.example], Z, ctx)],
    ['a chain end pointing to a name other than the apex', () => proveNxdomain('zz.example', [nsecRR('xx.example. NSEC a.example. A RRSIG NSEC'), N.example], Z, ctx)],
    ['no NSEC or NSEC3 at all', () => proveNodata('ns1.example', 'MX', [], Z, ctx)],
  ])('%s → bogus', (_why, prove) => {
    expect(prove()).toMatchObject({ status: 'bogus' });
  });
});
