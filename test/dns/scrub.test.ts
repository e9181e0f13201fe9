import { describe, expect, it } from 'vitest';
import { scrub } from '../../src/dns/scrub.js';
import { lines, reply, rr } from '../fakes/records.js';

const q = (name: string, type = 'A') => ({ name, type, class: 'IN' });

describe('scrub: answer section', () => {
  it('keeps the records that answer the question and drops unsolicited ones', () => {
    const m = reply('www.example.com', 'A', {
      aa: true,
      answers: ['www.example.com 300 A 192.0.2.1', 'mail.example.com 300 A 192.0.2.2', 'www.example.com 300 MX 10'],
    });
    expect(lines(scrub(m, q('www.example.com'), 'example.com').answers)).toEqual(['www.example.com 300 A 192.0.2.1']);
  });

  it('keeps a CNAME chain from the question name, in chain order', () => {
    const m = reply('a.example.com', 'A', {
      aa: true,
      answers: ['c.example.com 300 A 192.0.2.3', 'b.example.com 300 CNAME c.example.com', 'a.example.com 300 CNAME b.example.com'],
    });
    expect(lines(scrub(m, q('a.example.com'), 'example.com').answers)).toEqual([
      'a.example.com 300 CNAME b.example.com', 'b.example.com 300 CNAME c.example.com', 'c.example.com 300 A 192.0.2.3',
    ]);
  });

  it('stops the chain where it leaves the bailiwick (RFC 2181 §5.4.1)', () => {
    const m = reply('www.example.com', 'A', {
      aa: true,
      answers: ['www.example.com 300 CNAME www.example.net', 'www.example.net 300 A 6.6.6.6'],
    });
    expect(lines(scrub(m, q('www.example.com'), 'example.com').answers)).toEqual(['www.example.com 300 CNAME www.example.net']);
  });

  it('stops at a CNAME loop', () => {
    const m = reply('a.example.com', 'A', {
      aa: true,
      answers: ['a.example.com 300 CNAME b.example.com', 'b.example.com 300 CNAME a.example.com'],
    });
    expect(scrub(m, q('a.example.com'), 'example.com').answers).toHaveLength(2);
  });

  it('normalizes names and treats TTLs with the top bit set as zero (RFC 2181 §8)', () => {
    const m = reply('WWW.Example.COM', 'CNAME', { aa: true, answers: ['WWW.Example.COM 2147483648 CNAME Host.Example.COM.'] });
    expect(lines(scrub(m, q('WWW.Example.COM', 'CNAME'), 'example.com').answers)).toEqual(['www.example.com 0 CNAME host.example.com']);
  });

  it('drops records of another class', () => {
    const m = reply('www.example.com', 'A', { aa: true });
    m.answers = [rr('www.example.com 300 A 192.0.2.1', 'CH')];
    expect(scrub(m, q('www.example.com'), 'example.com').answers).toEqual([]);
  });
});

describe('scrub: authority and additional sections', () => {
  it('keeps a referral below the zone cut and its in-bailiwick glue only', () => {
    const m = reply('www.example.com', 'A', {
      authorities: ['example.com 172800 NS ns1.example.com', 'example.com 172800 NS ns.example.net'],
      additionals: ['ns1.example.com 172800 A 192.0.2.1', 'ns.example.net 172800 A 6.6.6.6', 'www.bank.com 300 A 6.6.6.6'],
    });
    const out = scrub(m, q('www.example.com'), 'com');
    expect(lines(out.authorities)).toEqual(['example.com 172800 NS ns1.example.com', 'example.com 172800 NS ns.example.net']);
    // ns.example.net is outside com: a com server has no say over its address (Kashpureff).
    expect(lines(out.additionals)).toEqual(['ns1.example.com 172800 A 192.0.2.1']);
  });

  it('drops NS sets above the zone cut and NS sets that do not lead to the question', () => {
    const m = reply('www.example.com', 'A', {
      authorities: ['. 518400 NS a.root-servers.net', 'other.example.com 300 NS ns.other.example.com'],
      additionals: ['a.root-servers.net 518400 A 198.41.0.4'],
    });
    const out = scrub(m, q('www.example.com'), 'example.com');
    expect(out.authorities).toEqual([]);
    expect(out.additionals).toEqual([]);
  });

  it('keeps the SOA of a negative answer and drops an SOA for another zone', () => {
    const soa = 'example.com 300 SOA ns1.example.com hostmaster.example.com 1 3600 600 86400 300';
    const foreign = 'example.net 300 SOA ns1.example.net hostmaster.example.net 1 3600 600 86400 300';
    const m = reply('nope.example.com', 'A', { aa: true, rcode: 3, authorities: [soa, foreign] });
    expect(lines(scrub(m, q('nope.example.com'), 'example.com').authorities)).toEqual([
      'example.com 300 SOA ns1.example.com hostmaster.example.com 1 3600 600 86400 300',
    ]);
  });

  it('drops additional records nobody asked for, even inside the zone', () => {
    const m = reply('www.example.com', 'A', {
      aa: true,
      answers: ['www.example.com 300 A 192.0.2.1'],
      additionals: ['mail.example.com 300 A 192.0.2.25', 'www.example.com 300 TXT hello'],
    });
    expect(scrub(m, q('www.example.com'), 'example.com').additionals).toEqual([]);
  });

  it('keeps addresses of the servers named by an NS answer', () => {
    const m = reply('example.com', 'NS', {
      aa: true,
      answers: ['example.com 300 NS ns1.example.com'],
      additionals: ['ns1.example.com 300 A 192.0.2.1', 'ns1.example.com 300 AAAA 2001:db8::1'],
    });
    expect(scrub(m, q('example.com', 'NS'), 'example.com').additionals).toHaveLength(2);
  });
});
