// NSEC3 proofs through the front door (src/dnssec/denial.ts): RFC 5155
// Appendix B's responses as rows, the same questions against the example
// zone signed without Opt-Out, then each way a proof can fail.

import { describe, expect, it } from 'vitest';
import { proveNoDs, proveNodata, proveNxdomain, proveWildcardAnswer } from '../../src/dnssec/denial.js';
import { buildNsec3Chain } from './denial-chain.js';
import { RFC5155_NSEC3 as R, RFC5155_PARAMS, RFC5155_ZONE } from './rfc5155-zone.js';

const ctx = { chargeHash() {} };
const Z = 'example';

function bogus(because: string): Record<string, unknown> {
  return { status: 'bogus', reason: expect.stringContaining(because) };
}
const optOut = { status: 'insecure', reason: expect.stringContaining('Opt-Out') };

type Row = [why: string, prove: () => unknown, expected: Record<string, unknown>];

// Every NSEC3 of the example zone has the Opt-Out flag, so wherever a proof
// rests on a span covering a next closer name the answer is insecure (RFC
// 5155 §9.2: no AD bit), as Unbound's replays of these responses expect.
describe('RFC 5155 Appendix B responses (Opt-Out zone)', () => {
  it.each<Row>([
    ['B.1 name error: a.c.x.w.example, next closer in an Opt-Out span',
      () => proveNxdomain('a.c.x.w.example', [R.apex, R.xW, R.a], Z, ctx), optOut],
    ['B.2 no data error: ns1.example MX',
      () => proveNodata('ns1.example', 'MX', [R.ns1], Z, ctx), { status: 'proven' }],
    ['B.2.1 no data error, empty non-terminal: y.w.example A',
      () => proveNodata('y.w.example', 'A', [R.yW], Z, ctx), { status: 'proven' }],
    ['B.3 referral to an Opt-Out unsigned zone: no DS at c.example',
      () => proveNoDs('c.example', [R.a, R.apex], Z, ctx), optOut],
    ['B.4 wildcard expansion: a.z.w.example from *.w.example, next closer in an Opt-Out span',
      () => proveWildcardAnswer('a.z.w.example', 'w.example', [R.ns2], Z, ctx), optOut],
    ['B.5 wildcard no data error: a.z.w.example AAAA, next closer in an Opt-Out span',
      () => proveNodata('a.z.w.example', 'AAAA', [R.w, R.ns2, R.wildW], Z, ctx), optOut],
    // B.6 is what a server authoritative only for the child says about DS
    // at its own apex; only the parent zone can deny DS (RFC 4035 §3.1.4.1).
    ['B.6 DS child zone no data: the child apex NSEC3 is not a proof of no DS',
      () => proveNodata('example', 'DS', [R.apex], Z, ctx), bogus('parent zone')],
  ])('RFC 5155 Appendix %s', (_why, prove, expected) => {
    expect(prove()).toMatchObject(expected);
  });
});

describe('RFC 5155 Appendix B questions against the example zone signed without Opt-Out', () => {
  const chain = buildNsec3Chain('example', RFC5155_ZONE, RFC5155_PARAMS);
  it.each<Row>([
    ['B.1 name error: closest encloser x.w.example (RFC 5155 §8.4)',
      () => proveNxdomain('a.c.x.w.example', chain, Z, ctx), { status: 'proven', closestEncloser: 'x.w.example' }],
    ['B.4 wildcard expansion (RFC 5155 §8.8)',
      () => proveWildcardAnswer('a.z.w.example', 'w.example', chain, Z, ctx), { status: 'proven', closestEncloser: 'w.example' }],
    ['B.5 wildcard no data (RFC 5155 §8.7)',
      () => proveNodata('a.z.w.example', 'AAAA', chain, Z, ctx), { status: 'proven', closestEncloser: 'w.example' }],
    ['unsigned delegation c.example with its own NSEC3 (RFC 5155 §8.9)',
      () => proveNoDs('c.example', chain, Z, ctx), { status: 'insecure-delegation' }],
  ])('%s', (_why, prove, expected) => {
    expect(prove()).toMatchObject(expected);
  });
});

describe('NSEC3 failures', () => {
  const chain = buildNsec3Chain('example', RFC5155_ZONE, RFC5155_PARAMS);
  const withCname = buildNsec3Chain('example', { ...RFC5155_ZONE, 'alias.example': ['CNAME'] }, RFC5155_PARAMS);
  it.each<Row>([
    ['RFC 5155 §8.3: no closest encloser', () => proveNxdomain('a.c.x.w.example', [R.a], Z, ctx), bogus('no closest encloser')],
    ['RFC 5155 §8.3: the next closer name not covered', () => proveNxdomain('a.c.x.w.example', [R.xW, R.a], Z, ctx), bogus('next closer name c.x.w.example')],
    ['RFC 5155 §8.4: the wildcard not covered', () => proveNxdomain('a.c.x.w.example', [R.apex, R.xW], Z, ctx), bogus('covers the wildcard *.x.w.example')],
    ['RFC 5155 §8.4: the wildcard exists', () => proveNxdomain('a.z.w.example', chain, Z, ctx), bogus('wildcard *.w.example exists')],
    ['RFC 5155 §8.4: qname has an NSEC3 (it exists)', () => proveNxdomain('ns1.example', [R.ns1], Z, ctx), bogus('matches ns1.example')],
    ['RFC 5155 §8.4: an empty non-terminal exists', () => proveNxdomain('y.w.example', chain, Z, ctx), bogus('matches y.w.example')],
    ['RFC 6840 §4.1: below a delegation the parent\'s NSEC3 proves nothing', () => proveNxdomain('x.a.example', chain, Z, ctx), bogus('is a delegation')],
    ['RFC 5155 §8.5: the bit map has the type', () => proveNodata('ns1.example', 'A', [R.ns1], Z, ctx), bogus('lists the queried type')],
    ['RFC 6840 §4.3: the bit map has CNAME', () => proveNodata('alias.example', 'A', withCname, Z, ctx), bogus('lists CNAME')],
    ['RFC 6840 §4.1: the parent side of a delegation cannot deny A', () => proveNodata('a.example', 'A', [R.a], Z, ctx), bogus('parent side')],
    ['RFC 5155 §8.6: DS listed at a secure delegation', () => proveNodata('a.example', 'DS', [R.a], Z, ctx), bogus('lists the queried type')],
    ['RFC 5155 §8.6: DS in an Opt-Out span is insecure', () => proveNodata('c.example', 'DS', [R.a, R.apex], Z, ctx), optOut],
    ['RFC 5155 §8.6: DS for a name in a span without Opt-Out is bogus', () => proveNodata('b.example', 'DS', chain, Z, ctx), bogus('not Opt-Out')],
    // An unsigned delegation under Opt-Out may hold the name, and its parent answers NODATA for it
    // (Deckard val_nsec3_optout_ad); as Unbound's nsec3_do_prove_nodata, insecure, not bogus.
    ['RFC 5155 §8.6 (any type, as Unbound): NODATA for a name in an Opt-Out span is insecure',
      () => proveNodata('mc.c.example', 'MX', [R.a, R.apex], Z, ctx), optOut],
    ['RFC 5155 §8.5: NODATA for a name with no NSEC3 and no wildcard', () => proveNodata('nope.example', 'A', chain, Z, ctx), bogus('no NSEC3 matches nope.example or the wildcard *.example')],
    ['RFC 5155 §8.7: the wildcard has the type', () => proveNodata('a.z.w.example', 'MX', chain, Z, ctx), bogus('*.w.example lists the queried type')],
    ['RFC 5155 §8.8: the next closer name exists', () => proveWildcardAnswer('a.x.w.example', 'w.example', chain, Z, ctx), bogus('matches the next closer name x.w.example')],
    ['RFC 5155 §8.8: the next closer name not covered', () => proveWildcardAnswer('a.z.w.example', 'w.example', [R.wildW], Z, ctx), bogus('covers the next closer name z.w.example')],
    ['RFC 5155 §8.9: DS at a secure delegation', () => proveNoDs('a.example', [R.a], Z, ctx), bogus('lists DS')],
    ['RFC 4035 §3.1.4.1: the child\'s apex NSEC3 cannot deny DS', () => proveNoDs('example', [R.apex], Z, ctx), bogus('parent zone')],
  ])('%s', (_why, prove, expected) => {
    expect(prove()).toMatchObject(expected);
  });

  it('RFC 6840 §4.4 / RFC 5155 §8.9: a name without NS is no cut (keep walking down)', () => {
    expect(proveNoDs('ns1.example', [R.ns1], Z, ctx)).toEqual({ status: 'no-delegation' });
    expect(proveNoDs('w.example', [R.w], Z, ctx)).toEqual({ status: 'no-delegation' });
  });
});
