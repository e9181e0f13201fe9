import { describe, expect, it } from 'vitest';
import { encodeRdata } from '../../src/dns/codec.js';
import type { ResourceRecord } from '../../src/dns/message.js';
import { canonicalOwner, canonicalRdata, canonicalRdataSet, signedData } from '../../src/dnssec/canonical.js';
import { canonicalRdataNames, hasCanonicalNames } from '../../src/dnssec/rdata-names.js';
import { caseKeptWireName as wn, typeBitmap } from './presentation.js';

const rr = (type: string, data: ResourceRecord['data'], name = 'example', ttl = 300): ResourceRecord => ({ name, type, class: 'IN', ttl, data });
const u16 = (n: number) => Buffer.from([n >> 8, n & 0xff]);
const str = (s: string) => Buffer.concat([Buffer.from([s.length]), Buffer.from(s)]);
const sig = { labels: 1, originalTtl: 3600, signedPrefix: Buffer.from('prefix') };

describe('canonical owner name (RFC 4034 §3.1.8.1, §6.2; RFC 4035 §5.3.2)', () => {
  const cases: Array<[string, string, number, string | undefined]> = [
    ['lower-cases the owner', 'WWW.Example.NET', 3, 'www.example.net'],
    ['the root', '.', 0, '.'],
    ['RRSIG labels below the owner\'s: the wildcard it was expanded from', 'a.z.w.example', 2, '*.w.example'],
    ['a wildcard at the top of the zone', 'a.b.example', 1, '*.example'],
    ['a wildcard directly under the root', 'a.b', 0, '*'],
    ['the wildcard owner itself: its * is not counted (RFC 4034 §3.1.3)', '*.w.example', 2, '*.w.example'],
    ['labels above the owner\'s: no canonical owner', 'w.example', 3, undefined],
    ['labels counting the * of a wildcard owner', '*.w.example', 3, undefined],
  ];
  it.each(cases)('%s', (_name, owner, labels, expected) => {
    expect(canonicalOwner(owner, labels)).toBe(expected);
  });
});

describe('canonical RDATA: names lower-cased for the RFC 4034 §6.2 types', () => {
  // [type, RDATA with upper-case names, the same lower-cased]
  const lowered: Array<[string, ResourceRecord['data'], ResourceRecord['data']]> = [
    ['NS', 'NS1.Example', 'ns1.example'],
    ['CNAME', 'Target.Example', 'target.example'],
    ['PTR', 'Host.Example', 'host.example'],
    ['DNAME', 'Other.Example', 'other.example'],
    ['MX', { preference: 10, exchange: 'Mail.Example' }, { preference: 10, exchange: 'mail.example' }],
    ['SOA', { mname: 'NS1.Example', rname: 'Hostmaster.Example', serial: 1, refresh: 2, retry: 3, expire: 4, minimum: 5 },
      { mname: 'ns1.example', rname: 'hostmaster.example', serial: 1, refresh: 2, retry: 3, expire: 4, minimum: 5 }],
    ['SRV', { priority: 1, weight: 2, port: 53, target: 'NS.Example' }, { priority: 1, weight: 2, port: 53, target: 'ns.example' }],
    // Raw RDATA, as the codec keeps these types: the names are found by their layout.
    ['RP', Buffer.concat([wn('Admin.Example'), wn('TXT.Example')]), Buffer.concat([wn('admin.example'), wn('txt.example')])],
    ['AFSDB', Buffer.concat([u16(1), wn('AFS.Example')]), Buffer.concat([u16(1), wn('afs.example')])],
    ['TYPE21', Buffer.concat([u16(1), wn('RT.Example')]), Buffer.concat([u16(1), wn('rt.example')])], // RT
    ['TYPE36', Buffer.concat([u16(1), wn('KX.Example')]), Buffer.concat([u16(1), wn('kx.example')])], // KX
    ['TYPE26', Buffer.concat([u16(1), wn('Map822.Example'), wn('MapX400.Example')]), Buffer.concat([u16(1), wn('map822.example'), wn('mapx400.example')])], // PX
    ['NAPTR', Buffer.concat([u16(1), u16(2), str('U'), str('E2U+SIP'), str('!^.*$!SIP:Info@Example!'), wn('_SIP.Example')]),
      Buffer.concat([u16(1), u16(2), str('U'), str('E2U+SIP'), str('!^.*$!SIP:Info@Example!'), wn('_sip.example')])],
    ['TYPE14', Buffer.concat([wn('RMail.Example'), wn('EMail.Example')]), Buffer.concat([wn('rmail.example'), wn('email.example')])], // MINFO
    ['TYPE3', wn('MD.Example'), wn('md.example')],
    ['TYPE4', wn('MF.Example'), wn('mf.example')],
    ['TYPE7', wn('MB.Example'), wn('mb.example')],
    ['TYPE8', wn('MG.Example'), wn('mg.example')],
    ['TYPE9', wn('MR.Example'), wn('mr.example')],
    ['TYPE30', Buffer.concat([wn('Next.Example'), Buffer.from([0x40, 0x01])]), Buffer.concat([wn('next.example'), Buffer.from([0x40, 0x01])])], // NXT
    ['SIG', Buffer.concat([Buffer.alloc(18, 0x41), wn('Signer.Example'), Buffer.from('ABC')]), Buffer.concat([Buffer.alloc(18, 0x41), wn('signer.example'), Buffer.from('ABC')])],
    ['TYPE38', Buffer.concat([Buffer.from([64]), Buffer.alloc(8, 0x41), wn('Prefix.Example')]), Buffer.concat([Buffer.from([64]), Buffer.alloc(8, 0x41), wn('prefix.example')])], // A6
  ];
  it.each(lowered)('%s', (type, upper, lower) => {
    expect(hasCanonicalNames(type)).toBe(true);
    expect(canonicalRdata(rr(type, upper))).toEqual(canonicalRdata(rr(type, lower)));
    expect(canonicalRdata(rr(type, upper))).not.toEqual(encodeRdata(rr(type, upper))); // something was lowered
  });

  const kept: Array<[string, string, ResourceRecord['data']]> = [
    ['NSEC: its next name keeps its case (RFC 6840 §5.1)', 'NSEC', Buffer.concat([wn('Next.Example'), typeBitmap(['A', 'RRSIG', 'NSEC'])])],
    ['HINFO: on the list, but it holds strings, not names', 'HINFO', Buffer.concat([str('INTEL'), str('Linux')])],
    ['TXT', 'TXT', [Buffer.from('Mixed Case')]],
    ['CAA', 'CAA', { flags: 0, tag: 'issue', value: 'CA.Example' }],
    ['an unknown type (RFC 3597 §7)', 'TYPE65280', Buffer.from('ABC')],
    ['RP whose name uses a compression pointer: no canonical form, left alone', 'RP', Buffer.concat([Buffer.from([1, 0x41, 0xc0, 12]), wn('X.Example'), Buffer.alloc(200)])],
  ];
  it.each(kept)('left as it is: %s', (_name, type, data) => {
    const record = rr(type, data);
    const canonical = canonicalRdata(record);
    expect(canonical.toString('latin1')).toMatch(/[A-Z]/);
    if (Buffer.isBuffer(data)) expect(canonical).toEqual(data);
  });

  it('never changes the RDATA it is given', () => {
    const data = Buffer.concat([wn('Admin.Example'), wn('TXT.Example')]);
    const copy = Buffer.from(data);
    canonicalRdataNames('RP', data);
    expect(data).toEqual(copy);
  });
});

describe('canonical RRset order and duplicates (RFC 4034 §6.3)', () => {
  const a = (address: string, ttl = 300) => rr('A', address, 'www.example', ttl);

  it('sorts RDATA as left-justified octet strings, whatever order the records came in', () => {
    const set = canonicalRdataSet([a('192.0.2.10'), a('192.0.2.9'), a('10.0.0.1'), a('192.0.2.1')]);
    expect(set.map((b) => [...b].join('.'))).toEqual(['10.0.0.1', '192.0.2.1', '192.0.2.9', '192.0.2.10']);
  });

  it('a shorter RDATA that is a prefix of a longer one sorts first', () => {
    const set = canonicalRdataSet([rr('TYPE65280', Buffer.from([1, 2, 3])), rr('TYPE65280', Buffer.from([1, 2]))]);
    expect(set).toEqual([Buffer.from([1, 2]), Buffer.from([1, 2, 3])]);
  });

  it('removes duplicates, also those that differ only in letter case of RDATA names', () => {
    const set = canonicalRdataSet([rr('NS', 'NS1.example'), rr('NS', 'ns2.example'), rr('NS', 'ns1.EXAMPLE'), rr('NS', 'ns2.example')]);
    expect(set).toEqual([canonicalRdata(rr('NS', 'ns1.example')), canonicalRdata(rr('NS', 'ns2.example'))]);
  });

  it('signs the same bytes for any record order, duplicates and TTLs (the RRSIG\'s original TTL is used)', () => {
    const one = signedData([a('192.0.2.1', 300), a('192.0.2.2', 300)], sig)!;
    const other = signedData([a('192.0.2.2', 5), a('192.0.2.1', 86400), a('192.0.2.2', 5)], sig)!;
    expect(other).toEqual(one);
  });

  it('lays out RRSIG_RDATA | owner | type | class | original TTL | RDLENGTH | RDATA per record (RFC 4034 §3.1.8.1)', () => {
    const data = signedData([rr('A', '192.0.2.1', 'WWW.Example', 5)], { ...sig, labels: 2 })!;
    expect(data.toString('hex')).toBe(
      Buffer.from('prefix').toString('hex') +
      '03777777076578616d706c6500' + // www.example, lower-cased
      '0001' + '0001' + '00000e10' + // A, IN, 3600 from the RRSIG
      '0004' + 'c0000201');
  });

  it('signs a wildcard expansion under the wildcard owner (RFC 4035 §5.3.2)', () => {
    const expanded = signedData([rr('A', '192.0.2.1', 'a.b.example')], sig)!;
    const wildcard = signedData([rr('A', '192.0.2.1', '*.example')], sig)!;
    expect(expanded).toEqual(wildcard);
  });

  it('has no signed data for an RRSIG counting more labels than the owner has', () => {
    expect(signedData([rr('A', '192.0.2.1', 'example')], { ...sig, labels: 2 })).toBeUndefined();
  });
});
