// CD=1 (RFC 4035 §3.2.2, RFC 6840 §5.9): the client validates for itself,
// so it gets the data even when it fails validation, and never AD for it.
// What a CD=1 query fetched must not reach a CD=0 client unchecked, and a
// bogus verdict must not keep a CD=1 client from the data.

import { describe, expect, it } from 'vitest';
import { EdeCode } from '../../../src/dns/ede.js';
import { RCode } from '../../../src/dns/message.js';
import { typeCovered } from '../../../src/dns/scrub.js';
import { threeLevels } from './signed-world.js';

const TAMPERED = '203.0.113.66';

/** example.tld whose www A RRset was changed after signing. */
function tampered() {
  return threeLevels({
    adjust: (zone) => zone.setRecords('www.example.tld', 'A', [{ name: 'www.example.tld', type: 'A', class: 'IN', ttl: 3600, data: TAMPERED }]),
  });
}

describe('RFC 4035 §3.2.2: CD=1 gets bogus data as it is', () => {
  it('CD=1 first: NOERROR, the data and (DO=1) its RRSIG, no AD, no EDE; then CD=0 for the same name: SERVFAIL', async () => {
    const w = tampered();
    const cd = await w.dig('www.example.tld', 'A', { do: true, cd: true });
    expect(cd.reply.rcode).toBe(RCode.NOERROR);
    expect(cd.reply.ad).toBe(false);
    expect(cd.reply.cd).toBe(true);
    expect(cd.ede).toEqual([]);
    expect(cd.records().map((rr) => rr.data)).toEqual([TAMPERED]);
    expect(cd.rrsigs().map(typeCovered)).toEqual(['A']);
    // The CD=1 fetch left the data in the cache unvalidated: a CD=0 client still gets it checked.
    for (const flags of [{ do: true }, {}, { ad: true }]) {
      const plain = await w.dig('www.example.tld', 'A', flags);
      expect(plain.reply.rcode).toBe(RCode.SERVFAIL);
      expect(plain.reply.answers).toEqual([]);
      expect(plain.ede.map((e) => e.code)).toEqual([EdeCode.DnssecBogus]);
    }
  });

  it('CD=0 first (SERVFAIL), then CD=1: the bogus data is still given to the CD=1 client, without AD', async () => {
    const w = tampered();
    const plain = await w.dig('www.example.tld', 'A', { do: true });
    expect(plain.reply.rcode).toBe(RCode.SERVFAIL);
    const cd = await w.dig('www.example.tld', 'A', { do: true, cd: true });
    expect(cd.reply.rcode).toBe(RCode.NOERROR);
    expect(cd.reply.ad).toBe(false);
    expect(cd.records().map((rr) => rr.data)).toEqual([TAMPERED]);
    // And CD=0 after that is still refused the data.
    expect((await w.dig('www.example.tld', 'A')).reply.rcode).toBe(RCode.SERVFAIL);
  });

  it('CD=1 for a zone whose DNSKEY RRset is bogus: the data comes through', async () => {
    const w = threeLevels({ adjust: (zone) => zone.dropSignatures('example.tld', 'DNSKEY') });
    expect((await w.dig('www.example.tld', 'A')).reply.rcode).toBe(RCode.SERVFAIL);
    const cd = await w.dig('www.example.tld', 'A', { cd: true });
    expect(cd.reply.rcode).toBe(RCode.NOERROR);
    expect(cd.records().map((rr) => rr.data)).toEqual(['192.0.2.80']);
  });

  it('CD=1 NXDOMAIN with a proof that does not prove it: NXDOMAIN as the server said, no AD', async () => {
    const w = threeLevels({ adjust: (zone) => zone.dropSignatures('example.tld', 'SOA') });
    expect((await w.dig('nothere.example.tld', 'A', { do: true })).reply.rcode).toBe(RCode.SERVFAIL);
    const cd = await w.dig('nothere.example.tld', 'A', { do: true, cd: true });
    expect(cd.reply.rcode).toBe(RCode.NXDOMAIN);
    expect(cd.reply.ad).toBe(false);
  });

  it('a secure answer to CD=1 carries the data and RRSIGs; validation on the CD=0 path is unaffected', async () => {
    const w = threeLevels();
    const cd = await w.dig('www.example.tld', 'A', { do: true, cd: true });
    expect(cd.reply.rcode).toBe(RCode.NOERROR);
    expect(cd.rrsigs()).toHaveLength(1);
    const plain = await w.dig('www.example.tld', 'A', { do: true });
    expect(plain.reply.ad).toBe(true);
  });
});
