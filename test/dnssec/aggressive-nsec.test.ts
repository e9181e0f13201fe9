// RFC 8198, aggressive use of DNSSEC-validated cache: validated NSEC ranges
// answer NXDOMAIN (§5.1) and NODATA (§5.2) for other names from the cache.

import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/util/clock.js';
import { RCode, type ResourceRecord } from '../../src/dns/message.js';
import { Security } from '../../src/cache/security.js';
import { AggressiveNsec } from '../../src/dnssec/aggressive-nsec.js';
import { buildNsecChain } from './denial-chain.js';

const ZONE = 'example';
const SOA: ResourceRecord = {
  name: ZONE, type: 'SOA', class: 'IN', ttl: 3600,
  data: { mname: 'ns.example', rname: 'hostmaster.example', serial: 1, refresh: 3600, retry: 600, expire: 86400, minimum: 300 },
};
// apex, a, c (with a wildcard below it: *.c), m, and z.
const CHAIN = buildNsecChain(ZONE, {
  example: ['SOA', 'NS', 'DNSKEY'], 'a.example': ['A'], 'c.example': ['TXT'], '*.c.example': ['A'], 'm.example': ['A', 'MX'], 'z.example': ['AAAA'],
});
const nsecAt = (owner: string) => CHAIN.filter((rr) => rr.type === 'NSEC' && rr.name === owner);

function cacheWith(...owners: string[]) {
  const clock = new ManualClock();
  const aggressive = new AggressiveNsec(clock);
  const nsecs = owners.flatMap(nsecAt);
  aggressive.remember(ZONE, SOA, nsecs, nsecs, 3600);
  return { clock, aggressive };
}
const ask = (a: AggressiveNsec, name: string, type = 'A') => a.answer({ name, type, class: 'IN' });

describe('RFC 8198 aggressive negative caching from validated NSEC', () => {
  it('§5.1: NXDOMAIN for a name in a cached range whose wildcard a cached NSEC denies too', () => {
    // The apex NSEC (example → a.example) covers 0.example and denies the wildcard *.example too.
    const { aggressive } = cacheWith('example', 'm.example');
    // b0.example lies in a.example → c.example, which is not cached.
    expect(ask(aggressive, 'b0.example')).toBeUndefined();
    const hit = ask(aggressive, '0.example')!;
    expect(hit.rcode).toBe(RCode.NXDOMAIN);
    expect(hit.security).toBe(Security.Secure);
    expect(hit.authorities).toEqual([expect.objectContaining({ name: 'example', type: 'SOA', ttl: 300 })]);
    expect(hit.proof!.filter((rr) => rr.type === 'NSEC').map((rr) => rr.name)).toEqual(['example']);
    // Random labels inside m.example → z.example are denied too, with the apex NSEC for the wildcard.
    const flood = ask(aggressive, 'q7x2.example')!;
    expect(flood.rcode).toBe(RCode.NXDOMAIN);
    expect(flood.proof!.filter((rr) => rr.type === 'NSEC').map((rr) => rr.name).sort()).toEqual(['example', 'm.example']);
  });

  it('§5.1: no NXDOMAIN when the wildcard at the closest encloser exists (RFC 4035 §3.1.3.2)', () => {
    const { aggressive } = cacheWith('c.example', '*.c.example', 'example');
    // x.c.example falls between *.c.example and m.example, but *.c.example exists: a wildcard answer, not NXDOMAIN.
    expect(ask(aggressive, 'x.c.example')).toBeUndefined();
  });

  it('no answer when the covering NSEC or the wildcard denial is not cached', () => {
    const { aggressive } = cacheWith('m.example');
    expect(ask(aggressive, 'q.example')).toBeUndefined(); // *.example not denied by anything cached
    expect(ask(aggressive, 'b.example')).toBeUndefined(); // a.example → c.example not cached
  });

  it('§5.2: NODATA for the owner of a cached NSEC without the type; nothing when the type (or a CNAME) is there', () => {
    const { aggressive } = cacheWith('m.example');
    const nodata = ask(aggressive, 'm.example', 'TXT')!;
    expect(nodata.rcode).toBe(RCode.NOERROR);
    expect(nodata.answers).toEqual([]);
    expect(nodata.security).toBe(Security.Secure);
    expect(ask(aggressive, 'm.example', 'MX')).toBeUndefined();
  });

  it('§5.4: entries live no longer than the negative TTL (SOA minimum), and other zones are not touched', () => {
    const { aggressive, clock } = cacheWith('example', 'm.example');
    expect(ask(aggressive, 'q.example')).toBeDefined();
    expect(ask(aggressive, 'q.example.net')).toBeUndefined();
    clock.advance(301_000);
    expect(ask(aggressive, 'q.example')).toBeUndefined();
  });
});
