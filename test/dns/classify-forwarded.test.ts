// A forwarder's reply (RD=1 to a recursive server, RFC 8499 §6), scrubbed
// against the forwarded zone and classified with { recursive: true }.

import { describe, expect, it } from 'vitest';
import { classify } from '../../src/dns/classify.js';
import { RCode, type Message } from '../../src/dns/message.js';
import { scrub } from '../../src/dns/scrub.js';
import { lines, reply, type ReplySpec } from '../fakes/records.js';

const SOA = 'corp.example 60 SOA ns.corp.example hostmaster.corp.example 1 3600 600 86400 60';

/** A recursive server's reply: RA=1, AA=0 unless the spec says otherwise. */
function fromForwarder(name: string, type: string, spec: ReplySpec & { ra?: boolean } = {}): Message {
  return { ...reply(name, type, spec), ra: spec.ra ?? true };
}

function kindOf(m: Message, zone = 'corp.example') {
  const question = m.questions[0];
  return classify(scrub(m, question, zone), question, zone, { recursive: true });
}

describe('classifyForwarded', () => {
  it('a non-authoritative answer is an answer, ranked below authoritative data', () => {
    const kind = kindOf(fromForwarder('www.corp.example', 'A', {
      answers: ['www.corp.example 300 A 10.8.1.80'],
      authorities: ['corp.example 300 NS ns.corp.example'],
      additionals: ['ns.corp.example 300 A 10.8.0.1'],
    }));
    expect(kind).toMatchObject({ kind: 'answer', authoritative: false });
    if (kind.kind === 'answer') expect(lines(kind.records)).toEqual(['www.corp.example 300 A 10.8.1.80']);
  });

  it('NXDOMAIN and NODATA count without AA (the forwarder answers from its cache)', () => {
    expect(kindOf(fromForwarder('x.corp.example', 'A', { rcode: RCode.NXDOMAIN, authorities: [SOA] })))
      .toMatchObject({ kind: 'nxdomain', name: 'x.corp.example' });
    expect(kindOf(fromForwarder('www.corp.example', 'AAAA', { authorities: [SOA] })))
      .toMatchObject({ kind: 'nodata', name: 'www.corp.example' });
    // Without the SOA still NODATA (just not cacheable, RFC 2308 §5).
    expect(kindOf(fromForwarder('www.corp.example', 'AAAA'))).toMatchObject({ kind: 'nodata', soa: undefined });
  });

  it('a CNAME chain ending inside the zone without records is NXDOMAIN at its last name (RFC 6604 §3)', () => {
    const chain = ['alias.corp.example 300 CNAME gone.corp.example'];
    expect(kindOf(fromForwarder('alias.corp.example', 'A', { rcode: RCode.NXDOMAIN, answers: chain, authorities: [SOA] })))
      .toMatchObject({ kind: 'nxdomain', name: 'gone.corp.example' });
    expect(kindOf(fromForwarder('alias.corp.example', 'A', { answers: chain, authorities: [SOA] })))
      .toMatchObject({ kind: 'nodata', name: 'gone.corp.example' });
  });

  it('a CNAME leaving the zone is followed from its target; the forwarder\'s records there are scrubbed', () => {
    const kind = kindOf(fromForwarder('web.corp.example', 'A', {
      answers: ['web.corp.example 300 CNAME www.example.com', 'www.example.com 300 A 6.6.6.6'],
    }));
    expect(kind).toMatchObject({ kind: 'cname', target: 'www.example.com' });
  });

  it.each([
    ['SERVFAIL', { rcode: RCode.SERVFAIL }, 'servfail'],
    ['a truncated reply', { tc: true }, 'servfail'],
    ['REFUSED', { rcode: RCode.REFUSED }, 'lame'],
    ['a referral', { authorities: ['www.corp.example 300 NS ns.sub.corp.example'] }, 'servfail'],
  ])('%s: ask another forwarder', (_what, spec, kind) => {
    expect(kindOf(fromForwarder('www.corp.example', 'A', spec)).kind).toBe(kind);
  });

  it('an authoritative server configured as a forwarder (AA=1, RA=0) is accepted for its zone', () => {
    const kind = kindOf(fromForwarder('www.corp.example', 'A', { aa: true, ra: false, answers: ['www.corp.example 300 A 10.8.1.80'] }));
    expect(kind.kind).toBe('answer');
  });

  it('forward zone ".": anything the chain reaches is in the zone', () => {
    const kind = kindOf(fromForwarder('web.corp.example', 'A', {
      answers: ['web.corp.example 300 CNAME www.example.com', 'www.example.com 300 A 192.0.2.80'],
    }), '.');
    expect(kind.kind).toBe('answer');
    if (kind.kind === 'answer') expect(lines([...kind.chain, ...kind.records])).toHaveLength(2);
  });
});
