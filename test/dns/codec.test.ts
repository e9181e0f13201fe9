import { describe, expect, it } from 'vitest';
import { decodeMessage, encodeMessage, encodeRdata, encodeResponse, encodeResponseWithTtls, FormatError } from '../../src/dns/codec.js';
import { emptyMessage, type Message, type ResourceRecord } from '../../src/dns/message.js';
import { FrameReader, frame } from '../../src/dns/tcp-framing.js';

function query(name: string, type = 'A', edns = false): Message {
  const m = emptyMessage(0x1234);
  m.rd = true;
  m.questions.push({ name, type, class: 'IN' });
  if (edns) m.edns = { udpSize: 1232, version: 0, dnssecOk: false, extendedRcode: 0, options: [] };
  return m;
}

const a = (name: string, address: string, ttl = 300): ResourceRecord => ({ name, type: 'A', class: 'IN', ttl, data: address });

describe('codec round trip', () => {
  it('keeps header flags, question case and every record type', () => {
    const m = query('WwW.Example.COM', 'ANY', true);
    m.qr = true; m.aa = true; m.ra = true; m.cd = true;
    m.answers = [
      a('www.example.com', '192.0.2.1'),
      { name: 'www.example.com', type: 'AAAA', class: 'IN', ttl: 60, data: '2001:db8::1' },
      { name: 'example.com', type: 'MX', class: 'IN', ttl: 60, data: { preference: 10, exchange: 'mail.example.com' } },
      { name: 'example.com', type: 'TXT', class: 'IN', ttl: 60, data: [Buffer.from('v=spf1 -all'), Buffer.from('second')] },
      { name: 'example.com', type: 'SOA', class: 'IN', ttl: 60, data: { mname: 'ns1.example.com', rname: 'hostmaster.example.com', serial: 7, refresh: 1, retry: 2, expire: 3, minimum: 4 } },
      { name: '_sip._tcp.example.com', type: 'SRV', class: 'IN', ttl: 60, data: { priority: 1, weight: 2, port: 5060, target: 'sip.example.com' } },
      { name: 'example.com', type: 'CAA', class: 'IN', ttl: 60, data: { flags: 0, tag: 'issue', value: 'ca.example' } },
      { name: 'example.com', type: 'TYPE65280', class: 'IN', ttl: 60, data: Buffer.from([1, 2, 3]) },
    ];
    const back = decodeMessage(encodeMessage(m));
    expect(back.questions).toEqual([{ name: 'WwW.Example.COM', type: 'ANY', class: 'IN' }]);
    expect(back).toMatchObject({ id: 0x1234, qr: true, aa: true, ra: true, rd: true, cd: true, tc: false, rcode: 0 });
    expect(back.answers.map((r) => r.type)).toEqual(['A', 'AAAA', 'MX', 'TXT', 'SOA', 'SRV', 'CAA', 'TYPE65280']);
    expect(back.answers[2].data).toEqual({ preference: 10, exchange: 'mail.example.com' });
    expect(back.answers[7].data).toEqual(Buffer.from([1, 2, 3]));
    expect(back.edns).toMatchObject({ udpSize: 1232, version: 0 });
  });

  it('carries extended RCODEs in the OPT record (RFC 6891 §6.1.3)', () => {
    const m = query('example.com', 'A', true);
    m.qr = true;
    m.rcode = 16; // BADVERS
    const back = decodeMessage(encodeMessage(m));
    expect(back.rcode).toBe(16);
  });
});

describe('malformed input is a FormatError, with the header when readable', () => {
  const good = encodeMessage(query('example.com'));
  const cases: Array<[string, Buffer, boolean]> = [
    ['short header', good.subarray(0, 11), false],
    ['question cut short', good.subarray(0, good.length - 2), true],
    ['trailing garbage', Buffer.concat([good, Buffer.from([0])]), true],
    ['answer count beyond the data', (() => { const b = Buffer.from(good); b.writeUInt16BE(1, 6); return b; })(), true],
    ['label longer than the message', (() => { const b = Buffer.from(good); b[12] = 60; return b; })(), true],
    ['compression loop', Buffer.from([0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0xc0, 12, 0, 1, 0, 1]), true],
    ['reserved label type 0x40', (() => { const b = Buffer.from(good); b[12] = 0x41; return b; })(), true],
  ];
  it.each(cases)('%s', (_why, buf, headerReadable) => {
    let error: unknown;
    try {
      decodeMessage(buf);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(FormatError);
    expect((error as FormatError).header !== undefined).toBe(headerReadable);
  });

  it('A record whose RDLENGTH disagrees with its data', () => {
    const m = query('example.com');
    m.qr = true;
    m.answers = [a('example.com', '192.0.2.1')];
    const buf = encodeMessage(m);
    buf.writeUInt16BE(5, buf.length - 6); // rdlength 4 → 5
    expect(() => decodeMessage(Buffer.concat([buf, Buffer.from([0])]))).toThrow(FormatError);
  });
});

describe('encodeResponse truncates on RRset boundaries', () => {
  function big(): Message {
    const m = query('big.example.com');
    m.qr = true;
    for (let i = 0; i < 40; i++) m.answers.push(a('big.example.com', `192.0.2.${i}`));
    m.additionals.push(a('ns.example.com', '192.0.2.200'));
    return m;
  }

  it('fits whole messages untouched', () => {
    const m = query('example.com');
    expect(encodeResponse(m, 512)).toEqual(encodeMessage(m));
  });

  it('compresses names (RFC 1035 §4.1.4), in owners and in NS/MX/SOA/CNAME data', () => {
    const m = query('www.example.com', 'MX');
    m.qr = true;
    m.answers = [
      { name: 'www.example.com', type: 'CNAME', class: 'IN', ttl: 60, data: 'mail.example.com' },
      { name: 'mail.example.com', type: 'MX', class: 'IN', ttl: 60, data: { preference: 10, exchange: 'mx1.example.com' } },
    ];
    m.authorities = [{ name: 'EXAMPLE.com', type: 'SOA', class: 'IN', ttl: 60, data: { mname: 'ns1.example.com', rname: 'hostmaster.example.com', serial: 1, refresh: 2, retry: 3, expire: 4, minimum: 5 } }];
    const compressed = encodeResponse(m, 65535);
    const plain = encodeMessage(m);
    expect(compressed.length).toBeLessThan(plain.length - 40);
    const back = decodeMessage(compressed);
    expect(back.answers.map((r) => r.data)).toEqual([ 'mail.example.com', { preference: 10, exchange: 'mx1.example.com' } ]);
    expect(back.authorities[0].data).toMatchObject({ mname: 'ns1.example.com', rname: 'hostmaster.example.com', minimum: 5 });
    expect(back.answers[0].name).toBe('www.example.com');
  });

  it('reports where each TTL was written, for patching cached answers', () => {
    const m = query('www.example.com');
    m.qr = true;
    m.answers = [a('www.example.com', '192.0.2.1', 300), a('www.example.com', '192.0.2.2', 300)];
    const { wire, ttlOffsets } = encodeResponseWithTtls(m, 512);
    expect(ttlOffsets).toHaveLength(2);
    for (const at of ttlOffsets) expect(wire.readUInt32BE(at)).toBe(300);
  });

  it('drops the whole oversized RRset and sets TC', () => {
    const out = decodeMessage(encodeResponse(big(), 512));
    expect(out.tc).toBe(true);
    expect(out.answers).toHaveLength(0);
    expect(out.questions).toHaveLength(1);
  });

  it('drops additional data first without TC (RFC 2181 §9)', () => {
    const m = big();
    const withoutAdditional = encodeResponse({ ...m, additionals: [] }, 65535).length;
    const out = decodeMessage(encodeResponse(m, withoutAdditional + 5));
    expect(out.tc).toBe(false);
    expect(out.answers).toHaveLength(40);
    expect(out.additionals).toHaveLength(0);
  });

  it('drops the glue of a referral with TC (RFC 9471)', () => {
    const m = query('www.example.com');
    m.qr = true;
    m.authorities = [{ name: 'example.com', type: 'NS', class: 'IN', ttl: 60, data: 'ns1.example.com' }];
    m.additionals = [a('ns1.example.com', '192.0.2.53')];
    const withoutGlue = encodeResponse({ ...m, additionals: [] }, 65535).length;
    const out = decodeMessage(encodeResponse(m, withoutGlue + 5));
    expect(out.tc).toBe(true);
    expect(out.authorities).toHaveLength(1);
    expect(out.additionals).toHaveLength(0);
  });

  it('keeps the OPT record when truncating', () => {
    const m = big();
    m.edns = { udpSize: 1232, version: 0, dnssecOk: false, extendedRcode: 0, options: [] };
    const out = decodeMessage(encodeResponse(m, 512));
    expect(out.tc).toBe(true);
    expect(out.edns).toBeDefined();
  });
});

describe('TCP framing (RFC 7766 §8)', () => {
  it('reassembles messages split and joined across chunks', () => {
    const m1 = encodeMessage(query('one.example'));
    const m2 = encodeMessage(query('two.example'));
    const stream = Buffer.concat([frame(m1), frame(m2)]);
    const reader = new FrameReader();
    const got = [...reader.push(stream.subarray(0, 5)), ...reader.push(stream.subarray(5, 40)), ...reader.push(stream.subarray(40))];
    expect(got).toEqual([m1, m2]);
    expect(reader.buffered).toBe(0);
  });
});

describe('encodeRdata: the uncompressed RDATA that DNSSEC signs (RFC 4034 §3.1.8.1)', () => {
  const records: ResourceRecord[] = [
    a('www.example.com', '192.0.2.1'),
    { name: 'example.com', type: 'AAAA', class: 'IN', ttl: 60, data: '2001:db8::1' },
    { name: 'example.com', type: 'NS', class: 'IN', ttl: 60, data: 'NS1.Example.com' },
    { name: 'example.com', type: 'MX', class: 'IN', ttl: 60, data: { preference: 10, exchange: 'Mail.example.com' } },
    { name: 'example.com', type: 'SOA', class: 'IN', ttl: 60, data: { mname: 'ns1.example.com', rname: 'hostmaster.example.com', serial: 7, refresh: 1, retry: 2, expire: 3, minimum: 4 } },
    { name: 'example.com', type: 'TXT', class: 'IN', ttl: 60, data: [Buffer.from('v=spf1 -all'), Buffer.from('second')] },
    { name: '_sip._tcp.example.com', type: 'SRV', class: 'IN', ttl: 60, data: { priority: 1, weight: 2, port: 5060, target: 'sip.example.com' } },
    { name: 'example.com', type: 'CAA', class: 'IN', ttl: 60, data: { flags: 0, tag: 'issue', value: 'ca.example' } },
    { name: 'example.com', type: 'DNSKEY', class: 'IN', ttl: 60, data: Buffer.from([1, 0, 3, 13, 9, 9]) },
  ];
  it.each(records.map((rr) => [rr.type, rr] as const))('%s: the same bytes encodeMessage puts on the wire', (_type, rr) => {
    const msg = emptyMessage(1);
    msg.answers = [rr];
    const wire = encodeMessage(msg);
    // Header (12), owner name, TYPE CLASS TTL (8), RDLENGTH (2), then the RDATA to the end.
    const ownerLength = rr.name.length + 2;
    const rdlength = wire.readUInt16BE(12 + ownerLength + 8);
    const rdata = wire.subarray(12 + ownerLength + 10);
    expect(rdata.length).toBe(rdlength);
    expect(encodeRdata(rr)).toEqual(rdata);
  });

  it('writes names uncompressed and keeps their letter case (lower-casing is canonical.ts\'s job)', () => {
    const mx: ResourceRecord = { name: 'example.com', type: 'MX', class: 'IN', ttl: 60, data: { preference: 10, exchange: 'Mail.Example' } };
    expect(encodeRdata(mx).toString('hex')).toBe('000a' + '044d61696c' + '074578616d706c65' + '00');
  });
});
