// The rdata shapes the parser produces must be what the codec encodes: every
// record type goes out through encodeMessage and comes back equal.

import { describe, expect, it } from 'vitest';
import { decodeMessage, encodeMessage } from '../../src/dns/codec.js';
import { query, storeFrom } from './helpers.js';

const ZONE = `
$ORIGIN rt.test.
$TTL 300
@      SOA   ns hostmaster.rt.test. 2024010101 1h 15m 1w 5m
@      NS    ns
@      MX    10 mail
@      TXT   "v=spf1 -all" "second \\"quoted\\" string" "\\000\\255"
@      CAA   0 issue "ca.example.net; account=1"
@      CAA   128 tbs "Unknown"
ns     A     192.0.2.1
mail   AAAA  2001:db8::25
www    CNAME web
web    A     192.0.2.80
80.2.0.192.in-addr PTR web
_ipp._tcp SRV 0 5 631 web
opaque TYPE65280 \\# 4 deadbeef
hinfo  HINFO \\# 10 03506331054c696e7578
`;

const QUESTIONS: Array<[string, string]> = [
  ['rt.test', 'SOA'], ['rt.test', 'NS'], ['rt.test', 'MX'], ['rt.test', 'TXT'], ['rt.test', 'CAA'],
  ['ns.rt.test', 'A'], ['mail.rt.test', 'AAAA'], ['www.rt.test', 'A'], ['80.2.0.192.in-addr.rt.test', 'PTR'],
  ['_ipp._tcp.rt.test', 'SRV'], ['opaque.rt.test', 'TYPE65280'], ['hinfo.rt.test', 'HINFO'], ['rt.test', 'ANY'],
  ['nope.rt.test', 'A'], ['web.rt.test', 'MX'],
];

describe('responses survive the wire codec', () => {
  const store = storeFrom(ZONE);
  it.each(QUESTIONS)('%s %s', (name, type) => {
    const reply = store.respond(query(name, type))!;
    expect(reply.answers.length + reply.authorities.length).toBeGreaterThan(0);
    const back = decodeMessage(encodeMessage(reply));
    expect(back).toMatchObject({ id: reply.id, qr: true, aa: true, rd: true, rcode: reply.rcode, questions: reply.questions });
    // The decoder adds CAA's derived issuerCritical flag; everything else must be equal.
    const strip = (rrs: typeof reply.answers) => rrs.map((rr) => rr.type === 'CAA' ? { ...rr, data: { ...(rr.data as object), issuerCritical: undefined } } : rr);
    expect(strip(back.answers)).toEqual(strip(reply.answers));
    expect(strip(back.authorities)).toEqual(strip(reply.authorities));
    expect(back.additionals).toEqual(reply.additionals);
  });

  it('keeps CAA flags and binary TXT octets', () => {
    const caa = decodeMessage(encodeMessage(store.respond(query('rt.test', 'CAA'))!)).answers;
    expect(caa.map((rr) => rr.data)).toMatchObject([
      { flags: 0, tag: 'issue', value: 'ca.example.net; account=1' },
      { flags: 128, tag: 'tbs', value: 'Unknown', issuerCritical: true },
    ]);
    const txt = decodeMessage(encodeMessage(store.respond(query('rt.test', 'TXT'))!)).answers[0].data as Buffer[];
    expect(txt.map((b) => b.toString('hex'))).toEqual([
      Buffer.from('v=spf1 -all').toString('hex'), Buffer.from('second "quoted" string').toString('hex'), '00ff',
    ]);
  });
});
