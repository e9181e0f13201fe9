import { describe, expect, it } from 'vitest';
import { classify, refersUpward, type ResponseKind } from '../../src/dns/classify.js';
import { RCode, type Message } from '../../src/dns/message.js';
import { scrub } from '../../src/dns/scrub.js';
import { lines, reply } from '../fakes/records.js';

const SOA = 'example.com 3600 SOA ns1.example.com hostmaster.example.com 1 3600 600 86400 300';

/** As the resolver does it: scrub, then classify. */
function kindOf(m: Message, zoneCut: string): ResponseKind {
  const question = m.questions[0];
  return classify(scrub(m, question, zoneCut), question, zoneCut);
}

describe('classify', () => {
  it('an authoritative answer is an answer (RFC 1034 §4.3.2 step 3a)', () => {
    const kind = kindOf(reply('www.example.com', 'A', { aa: true, answers: ['www.example.com 300 A 192.0.2.1'] }), 'example.com');
    expect(kind.kind).toBe('answer');
    if (kind.kind === 'answer') expect(lines(kind.records)).toEqual(['www.example.com 300 A 192.0.2.1']);
  });

  it('a non-authoritative answer is an answer, ranked below authoritative data (RFC 2181 §5.4.1, issue 8)', () => {
    const kind = kindOf(reply('www.example.com', 'A', { answers: ['www.example.com 300 A 192.0.2.1'] }), 'example.com');
    expect(kind).toMatchObject({ kind: 'answer', authoritative: false });
  });

  it('an authoritative answer says so', () => {
    const kind = kindOf(reply('www.example.com', 'A', { aa: true, answers: ['www.example.com 300 A 192.0.2.1'] }), 'example.com');
    expect(kind).toMatchObject({ kind: 'answer', authoritative: true });
  });

  it('a CNAME chain ending in the answer is an answer with its chain', () => {
    const kind = kindOf(reply('alias.example.com', 'A', {
      aa: true, answers: ['alias.example.com 300 CNAME www.example.com', 'www.example.com 300 A 192.0.2.1'],
    }), 'example.com');
    expect(kind.kind).toBe('answer');
    if (kind.kind === 'answer') {
      expect(lines(kind.chain)).toEqual(['alias.example.com 300 CNAME www.example.com']);
      expect(lines(kind.records)).toEqual(['www.example.com 300 A 192.0.2.1']);
    }
  });

  it('a CNAME leaving the zone is a cname to follow', () => {
    const kind = kindOf(reply('www.example.com', 'A', { aa: true, answers: ['www.example.com 300 CNAME www.example.net'] }), 'example.com');
    expect(kind).toMatchObject({ kind: 'cname', target: 'www.example.net' });
  });

  it('NXDOMAIN after an in-zone CNAME is about the chain\'s last name (RFC 6604 §3)', () => {
    const kind = kindOf(reply('alias.example.com', 'A', {
      aa: true, rcode: RCode.NXDOMAIN, answers: ['alias.example.com 300 CNAME gone.example.com'], authorities: [SOA],
    }), 'example.com');
    expect(kind).toMatchObject({ kind: 'nxdomain', name: 'gone.example.com' });
  });

  it('NOERROR with an SOA after an in-zone CNAME is NODATA for the last name', () => {
    const kind = kindOf(reply('alias.example.com', 'AAAA', {
      aa: true, answers: ['alias.example.com 300 CNAME v4only.example.com'], authorities: [SOA],
    }), 'example.com');
    expect(kind).toMatchObject({ kind: 'nodata', name: 'v4only.example.com' });
  });

  it('a CNAME loop comes back as a cname to an already seen name (the resolver reports it)', () => {
    const kind = kindOf(reply('a.example.com', 'A', {
      aa: true, answers: ['a.example.com 300 CNAME b.example.com', 'b.example.com 300 CNAME a.example.com'],
    }), 'example.com');
    expect(kind).toMatchObject({ kind: 'cname', target: 'a.example.com' });
  });

  it('an authoritative NXDOMAIN is nxdomain with its SOA (RFC 2308 §2.1)', () => {
    const kind = kindOf(reply('nope.example.com', 'A', { aa: true, rcode: RCode.NXDOMAIN, authorities: [SOA] }), 'example.com');
    expect(kind).toMatchObject({ kind: 'nxdomain', name: 'nope.example.com', soa: { type: 'SOA' } });
  });

  it('a non-authoritative NXDOMAIN is an NXDOMAIN (as Unbound), unless a recursive server (RA=1) sent it', () => {
    expect(kindOf(reply('nope.example.com', 'A', { rcode: RCode.NXDOMAIN, authorities: [SOA] }), 'example.com'))
      .toMatchObject({ kind: 'nxdomain', authoritative: false });
    expect(kindOf(reply('nope.example.com', 'A', { rcode: RCode.NXDOMAIN, ra: true }), 'example.com').kind).toBe('lame');
  });

  it('a non-authoritative NODATA with the zone\'s SOA is a NODATA (RFC 2308 §2.2)', () => {
    expect(kindOf(reply('www.example.com', 'MX', { authorities: [SOA] }), 'example.com'))
      .toMatchObject({ kind: 'nodata', authoritative: false });
  });

  it('a non-authoritative empty reply is useless but not lame: one odd reply must not condemn the zone', () => {
    expect(kindOf(reply('www.example.com', 'MX', {}), 'example.com').kind).toBe('empty');
  });

  it('a recursive server answering without AA and without data is lame (Unbound REC_LAME)', () => {
    expect(kindOf(reply('www.example.com', 'MX', { ra: true, authorities: [SOA] }), 'example.com').kind).toBe('lame');
  });

  it('a forwarder\'s non-authoritative NODATA and NXDOMAIN are final (it recurses for us)', () => {
    const nodata = reply('www.example.com', 'MX', { ra: true, authorities: [SOA] });
    expect(classify(scrub(nodata, nodata.questions[0], '.'), nodata.questions[0], '.', { recursive: true }).kind).toBe('nodata');
  });

  it('a parent\'s non-authoritative NS set in the answer section for qtype NS is a referral', () => {
    const kind = kindOf(reply('example.com', 'NS', { answers: ['example.com 172800 NS ns1.example.com'] }), 'com');
    expect(kind).toMatchObject({ kind: 'referral', zone: 'example.com' });
  });

  it('an authoritative empty NOERROR is nodata (RFC 2308 §2.2), with or without SOA', () => {
    expect(kindOf(reply('www.example.com', 'MX', { aa: true, authorities: [SOA] }), 'example.com'))
      .toMatchObject({ kind: 'nodata', name: 'www.example.com', soa: { type: 'SOA' } });
    expect(kindOf(reply('www.example.com', 'MX', { aa: true }), 'example.com'))
      .toMatchObject({ kind: 'nodata', soa: undefined });
  });

  it('NS records for a zone below the cut are a referral, with glue', () => {
    const kind = kindOf(reply('www.example.com', 'A', {
      authorities: ['example.com 172800 NS ns1.example.com'], additionals: ['ns1.example.com 172800 A 192.0.2.1'],
    }), 'com');
    expect(kind.kind).toBe('referral');
    if (kind.kind === 'referral') {
      expect(kind.zone).toBe('example.com');
      expect(lines(kind.ns)).toEqual(['example.com 172800 NS ns1.example.com']);
      expect(lines(kind.glue)).toEqual(['ns1.example.com 172800 A 192.0.2.1']);
    }
  });

  it('a referral to the same zone (sideways) is lame', () => {
    const kind = kindOf(reply('www.example.com', 'A', { authorities: ['example.com 300 NS ns1.example.com'] }), 'example.com');
    expect(kind.kind).toBe('lame');
  });

  it('a referral upwards (to the root) is lame (RFC 1912 §2.8): refersUpward sees it before scrub drops it', () => {
    const raw = reply('www.example.com', 'A', {
      authorities: ['. 518400 NS a.root-servers.net'], additionals: ['a.root-servers.net 518400 A 198.41.0.4'],
    });
    expect(refersUpward(raw, 'example.com')).toBe(true);
    expect(kindOf(raw, 'example.com').kind).not.toBe('referral');
    // AA does not make it less lame (Deckard iter_lame_aaaa).
    expect(refersUpward(reply('www.example.com', 'AAAA', { aa: true, authorities: ['. 518400 NS a.root-servers.net'] }), 'example.com')).toBe(true);
    const down = reply('www.example.com', 'A', { authorities: ['example.com 172800 NS ns1.example.com'] });
    expect(refersUpward(down, 'com')).toBe(false);
  });

  it.each([
    ['REFUSED', RCode.REFUSED, 'lame'],
    ['NOTAUTH', RCode.NOTAUTH, 'lame'],
    ['NOTIMP', RCode.NOTIMP, 'servfail'],
    ['FORMERR', RCode.FORMERR, 'servfail'],
    ['SERVFAIL', RCode.SERVFAIL, 'servfail'],
  ])('%s is %s', (_name, rcode, kind) => {
    expect(kindOf(reply('www.example.com', 'A', { aa: true, rcode }), 'example.com').kind).toBe(kind);
  });

  it('a truncated reply is a failure', () => {
    expect(kindOf(reply('www.example.com', 'A', { aa: true, tc: true }), 'example.com').kind).toBe('servfail');
  });
});
