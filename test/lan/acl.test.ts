// Who may ask: client addresses as numbers, the access list, and the query
// pipeline applying it (RFC 5358: recursion only for intended clients).

import { describe, expect, it } from 'vitest';
import { DEFAULT_ALLOW } from '../../src/config.js';
import { decodeMessage } from '../../src/dns/codec.js';
import { RCode } from '../../src/dns/message.js';
import { AccessControl } from '../../src/server/acl.js';
import { networkKey, parseClientAddress } from '../../src/server/client-address.js';
import type { ClientInfo } from '../../src/server/message-handler.js';
import { QueryHandler } from '../../src/server/query-handler.js';
import { CidrSet } from '../../src/util/cidr.js';
import { silentLogger } from '../../src/util/log.js';
import { FakeRecursor, FakeZones, query } from '../server/helpers.js';

const allows = (acl: AccessControl, address: string) => acl.allows(parseClientAddress(address));

describe('parseClientAddress', () => {
  it.each([
    ['192.0.2.1', 4, [0xc0000201]],
    ['0.0.0.0', 4, [0]],
    ['255.255.255.255', 4, [0xffffffff]],
    ['::ffff:192.0.2.1', 4, [0xc0000201]], // RFC 4291 §2.5.5.2, as a dual-stack socket reports IPv4 clients
    ['::ffff:c000:201', 4, [0xc0000201]],
    ['::1', 6, [0, 0, 0, 1]],
    ['::', 6, [0, 0, 0, 0]],
    ['2001:db8::ff:1', 6, [0x20010db8, 0, 0, 0x00ff0001]],
    ['fe80::1%eth0', 6, [0xfe800000, 0, 0, 1]], // the zone index is not part of the address
    ['1:2:3:4:5:6:7:8', 6, [0x00010002, 0x00030004, 0x00050006, 0x00070008]],
    ['64:ff9b::192.0.2.1', 6, [0x0064ff9b, 0, 0, 0xc0000201]],
  ])('%s', (text, family, words) => {
    expect(parseClientAddress(text)).toEqual({ family, words });
  });

  it.each(['', '1.2.3', '1.2.3.4.5', '256.0.0.1', '1..2.3', '1.2.3.', 'a.b.c.d', '1::2::3', '1:2:3:4:5:6:7:8:9',
    '1:2:3:4:5:6:7', '12345::', 'g::1', '::1.2.3'])('rejects %j', (text) => {
    expect(parseClientAddress(text)).toBeUndefined();
  });
});

describe('AccessControl', () => {
  const lan = new AccessControl(DEFAULT_ALLOW, 'all');

  it.each([
    '127.0.0.1', '127.255.255.254', '10.0.0.1', '172.16.0.1', '172.31.255.255', '192.168.1.50', '100.64.0.1',
    '100.127.255.255', '169.254.1.1', '::1', 'fd00::10', 'fc00::1', 'fe80::1%eth0', '::ffff:192.168.1.50',
  ])('admits the LAN client %s by default (loopback, RFC 1918, RFC 6598, link-local, ULA)', (address) => {
    expect(allows(lan, address)).toBe(true);
  });

  it.each([
    '8.8.8.8', '172.15.255.255', '172.32.0.0', '100.63.255.255', '100.128.0.0', '192.169.0.1', '11.0.0.1',
    '2001:db8::1', '::', '::2', 'fec0::1', '::ffff:8.8.8.8', 'not an address',
  ])('refuses %s by default', (address) => {
    expect(allows(lan, address)).toBe(false);
  });

  it('is open only when a network is /0, for either family', () => {
    expect(lan.open).toBe(false);
    expect(new AccessControl(['0.0.0.0/0'], 'all').open).toBe(true);
    expect(new AccessControl(['::/0'], 'all').open).toBe(true);
    expect(new AccessControl(['0.0.0.0/1', '128.0.0.0/1'], 'all').open).toBe(false);
    expect(allows(new AccessControl(['0.0.0.0/0'], 'all'), '203.0.113.9')).toBe(true);
    expect(allows(new AccessControl(['0.0.0.0/0'], 'all'), '2001:db8::1')).toBe(false);
  });

  it('an empty list admits nobody', () => {
    expect(allows(new AccessControl([], 'all'), '127.0.0.1')).toBe(false);
  });

  it('agrees with the BigInt CidrSet on random networks and addresses', () => {
    let seed = 42;
    const rand = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    const v4 = () => [rand(256), rand(256), rand(256), rand(256)].join('.');
    const v6 = () => {
      const groups = Array.from({ length: 8 }, () => (rand(3) === 0 ? 0 : rand(0x10000)).toString(16));
      return rand(2) ? groups.join(':') : groups.join(':').replace(/(^|:)0(:0)+(:|$)/, '::');
    };
    for (let round = 0; round < 300; round++) {
      const base = rand(2) ? v4() : v6();
      const cidr = `${base}/${rand(base.includes(':') ? 129 : 33)}`;
      const acl = new AccessControl([cidr], 'all');
      const oracle = new CidrSet([cidr]);
      // Addresses near the network (sharing a prefix) as well as random ones.
      const near = base.includes(':') ? base.replace(/[0-9a-f]+$/, (g) => (parseInt(g || '0', 16) ^ (1 << rand(16))).toString(16)) : base.replace(/\d+$/, () => String(rand(256)));
      for (const address of [base, near, v4(), v6(), `::ffff:${v4()}`]) {
        expect(allows(acl, address), `${address} in ${cidr}`).toBe(oracle.contains(address));
      }
    }
  });
});

describe('networkKey: the rate-limit prefix', () => {
  const key = (a: string) => networkKey(parseClientAddress(a)!);
  it('groups an IPv4 /24, IPv4-mapped clients with plain ones', () => {
    expect(key('192.0.2.1')).toBe(key('192.0.2.254'));
    expect(key('::ffff:192.0.2.9')).toBe(key('192.0.2.1'));
    expect(key('192.0.3.1')).not.toBe(key('192.0.2.1'));
  });
  it('groups an IPv6 /56', () => {
    expect(key('2001:db8:0:ab::1')).toBe(key('2001:db8:0:ff:1:2:3:4'));
    expect(key('2001:db8:0:100::1')).not.toBe(key('2001:db8:0:ff::1'));
    expect(key('2001:db8:1::1')).not.toBe(key('2001:db8::1'));
  });
  it('never mixes the families', () => {
    expect(key('0.0.0.1')).not.toBe(key('::1'));
  });
});

describe('QueryHandler with an access list', () => {
  const udp = (address: string): ClientInfo => ({ address, port: 5353, transport: 'udp' });
  const tcp = (address: string): ClientInfo => ({ address, port: 5353, transport: 'tcp' });

  function handler(localZonesAccess: 'all' | 'allowed') {
    const recursor = new FakeRecursor();
    const access = new AccessControl(['192.168.0.0/16', 'fd00::/8'], localZonesAccess);
    return { recursor, handler: new QueryHandler({ zones: new FakeZones(), recursor, recursion: true, access, logger: silentLogger }) };
  }
  const ask = async (h: QueryHandler, name: string, client: ClientInfo) => decodeMessage((await h.handle(query(name, 'A'), client))!);

  it('recurses for allowed clients, over UDP and TCP, IPv4-mapped included, with RA', async () => {
    const { handler: h, recursor } = handler('all');
    for (const client of [udp('192.168.1.5'), tcp('192.168.1.5'), udp('::ffff:192.168.1.5'), tcp('fd00::5')]) {
      const reply = await ask(h, 'www.example.org', client);
      expect([reply.rcode, reply.ra]).toEqual([RCode.NOERROR, true]);
    }
    expect(recursor.calls).toHaveLength(4);
  });

  it('refuses recursion to other clients, without RA, and never asks the resolver (not even its cache)', async () => {
    const { handler: h, recursor } = handler('all');
    for (const client of [udp('203.0.113.5'), tcp('203.0.113.5'), udp('::ffff:203.0.113.5'), udp('2001:db8::5')]) {
      const reply = await ask(h, 'www.example.org', client);
      expect([reply.rcode, reply.ra]).toEqual([RCode.REFUSED, false]);
      const cacheOnly = decodeMessage((await h.handle(query('www.example.org', 'A', { rd: false }), client))!);
      expect(cacheOnly.rcode).toBe(RCode.REFUSED);
    }
    expect(recursor.calls).toHaveLength(0);
  });

  it('localZonesAccess all: local zones answer everyone, like an authoritative server', async () => {
    const { handler: h } = handler('all');
    const reply = await ask(h, 'www.example.test', udp('203.0.113.5'));
    expect([reply.rcode, reply.aa, reply.ra, reply.answers.length]).toEqual([RCode.NOERROR, true, false, 1]);
  });

  it('localZonesAccess allowed: local zones answer only the allowed networks', async () => {
    const { handler: h } = handler('allowed');
    expect((await ask(h, 'www.example.test', udp('203.0.113.5'))).rcode).toBe(RCode.REFUSED);
    expect((await ask(h, 'www.example.test', tcp('2001:db8::1'))).rcode).toBe(RCode.REFUSED);
    const allowed = await ask(h, 'www.example.test', udp('192.168.7.7'));
    expect([allowed.rcode, allowed.answers.length]).toEqual([RCode.NOERROR, 1]);
  });
});
