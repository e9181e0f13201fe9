// One NSEC at a time: RDATA, coverage, and the predicates an aggressive
// NSEC cache (RFC 8198 §5) asks of a single cached record.

import { describe, expect, it } from 'vitest';
import {
  decodeNsecRdata, nsecClosestEncloser, nsecCovers, nsecProvesEmptyNonTerminal, nsecProvesNodata,
  nsecProvesNonexistence, nsecWildcardFor, parseNsec, type Nsec,
} from '../../src/dnssec/nsec.js';
import { nsecRR, typeCode } from './denial-text.js';
import { RFC4035_NSEC } from './rfc4035-zone.js';

const nsec = (text: string): Nsec => parseNsec(nsecRR(text))!;

describe('NSEC RDATA (RFC 4034 §4.1)', () => {
  it('RFC 4034 §4.3: the example RDATA decodes to host.example.com and A MX RRSIG NSEC TYPE1234', () => {
    const rdata = Buffer.concat([
      Buffer.from('\x04host\x07example\x03com\x00', 'latin1'),
      Buffer.from('0006400100000003041b000000000000000000000000000000000000000000000000000020', 'hex'),
    ]);
    const n = decodeNsecRdata('alfa.example.com', rdata)!;
    expect(n.next).toBe('host.example.com');
    expect([...n.types].sort((a, b) => a - b)).toEqual([1, 15, 46, 47, 1234]);
  });

  it.each([
    ['a next name that runs off the end', Buffer.from('\x04host', 'latin1')],
    ['a compressed next name (RFC 4034 §4.1.1 forbids it)', Buffer.from([0xc0, 0x0c, 0x00, 0x01, 0x40])],
    ['malformed bit maps', Buffer.from('\x00\x00\x00', 'latin1')],
  ])('RFC 4034 §4.1: %s is malformed', (_why, rdata) => {
    expect(decodeNsecRdata('a.example', rdata)).toBeUndefined();
  });

  it('only NSEC records with raw RDATA parse', () => {
    expect(parseNsec({ name: 'a.example', type: 'A', class: 'IN', ttl: 1, data: '192.0.2.1' })).toBeUndefined();
  });
});

describe('nsecCovers (RFC 4035 §5.4; RFC 4034 §4.1.1: the last NSEC points to the apex)', () => {
  const b = parseNsec(RFC4035_NSEC.b)!;
  const last = parseNsec(RFC4035_NSEC.xx)!;
  const only = nsec('example. NSEC example. SOA NS RRSIG NSEC');
  it.each([
    ['strictly between owner and next', b, 'ml.example', true],
    ['a name below the owner still sorts after it', b, 'mc.b.example', true],
    ['the owner itself is not covered', b, 'b.example', false],
    ['the next name itself is not covered', b, 'ns1.example', false],
    ['a name before the owner', b, 'ai.example', false],
    ['wrap-around: after the last owner, inside the zone', last, 'xy.example', true],
    ['wrap-around: below the last owner', last, 'a.xx.example', true],
    ['wrap-around: not a name before the last owner', last, 'ai2.example', false],
    ['wrap-around: not the apex', last, 'example', false],
    ['wrap-around: not a name outside the zone', last, 'zz.org', false],
    ['a zone of one NSEC covers every name below the apex', only, 'anything.example', true],
    ['a zone of one NSEC does not cover the apex', only, 'example', false],
  ])('%s', (_why, n, name, covered) => {
    expect(nsecCovers(n, name)).toBe(covered);
  });
});

describe('single-NSEC predicates for RFC 8198 §5', () => {
  const xW = parseNsec(RFC4035_NSEC.xW)!; // x.w.example → x.y.w.example: y.w.example is an empty non-terminal
  const b = parseNsec(RFC4035_NSEC.b)!;
  const dname = nsec('d.example. NSEC e.example. DNAME RRSIG NSEC');

  it.each([
    ['RFC 4035 §5.4: a covered name does not exist', parseNsec(RFC4035_NSEC.b)!, 'ml.example', true],
    ['RFC 4592 §2.2.2: an empty non-terminal exists', xW, 'y.w.example', false],
    ['RFC 6840 §4.1: not below a delegation (parent-side NSEC)', b, 'mc.b.example', false],
    ['RFC 6840 §4.1: not below a DNAME', dname, 'x.d.example', false],
    ['RFC 6840 §4.1: a DNAME does not hide its siblings', dname, 'da.example', true],
  ])('nsecProvesNonexistence — %s', (_why, n, name, proves) => {
    expect(nsecProvesNonexistence(n, name)).toBe(proves);
  });

  it('RFC 4592 §2.2.2: nsecProvesEmptyNonTerminal for y.w.example, not for ml.example', () => {
    expect(nsecProvesEmptyNonTerminal(xW, 'y.w.example')).toBe(true);
    expect(nsecProvesEmptyNonTerminal(b, 'ml.example')).toBe(false);
  });

  it.each([
    ['RFC 4035 Appendix B.2: ml.example via b.example → ns1.example', parseNsec(RFC4035_NSEC.b)!, 'ml.example', 'example'],
    ['RFC 4035 Appendix B.6: a.z.w.example via x.y.w.example → xx.example', parseNsec(RFC4035_NSEC.xyW)!, 'a.z.w.example', 'w.example'],
    ['via the next name: a.x.w.example via *.w.example → x.w.example', parseNsec(RFC4035_NSEC.wildW)!, 'a.x.w.example', 'x.w.example'],
    ['wrap-around: a.xx.example via xx.example → example', parseNsec(RFC4035_NSEC.xx)!, 'a.xx.example', 'xx.example'],
  ])('nsecClosestEncloser (RFC 4035 §5.4) — %s', (_why, n, name, encloser) => {
    expect(nsecClosestEncloser(n, name)).toBe(encloser);
  });

  it('RFC 8198 §5.3: the wildcard a cache must also deny for ml.example is *.example, which the apex NSEC does', () => {
    const b = parseNsec(RFC4035_NSEC.b)!;
    const apex = parseNsec(RFC4035_NSEC.example)!;
    expect(nsecWildcardFor(b, 'ml.example')).toBe('*.example');
    expect(nsecProvesNonexistence(apex, nsecWildcardFor(b, 'ml.example'))).toBe(true);
    expect(nsecWildcardFor(parseNsec(RFC4035_NSEC.xyW)!, 'a.z.w.example')).toBe('*.w.example');
  });

  it.each([
    ['RFC 4035 Appendix B.3: ns1.example has no MX', RFC4035_NSEC.ns1, 'ns1.example', 'MX', true],
    ['RFC 4035 §5.4: the bit map lists A', RFC4035_NSEC.ns1, 'ns1.example', 'A', false],
    ['RFC 6840 §4.3: the bit map lists CNAME', nsecRR('c.example. NSEC d.example. CNAME RRSIG NSEC'), 'c.example', 'A', false],
    ['RFC 6840 §4.1: the parent side of a delegation cannot deny A', RFC4035_NSEC.b, 'b.example', 'A', false],
    ['RFC 4035 §5.2: the parent side of a delegation denies DS', RFC4035_NSEC.b, 'b.example', 'DS', true],
    ['RFC 4035 §3.1.4.1: the child apex cannot deny DS', RFC4035_NSEC.example, 'example', 'DS', false],
    ['an NSEC at another name says nothing', RFC4035_NSEC.ns1, 'ns2.example', 'MX', false],
  ])('nsecProvesNodata — %s', (_why, rr, name, type, proves) => {
    expect(nsecProvesNodata(parseNsec(rr)!, name, typeCode(type))).toBe(proves);
  });
});
