// What only the FakeNetwork has, beyond the Transport contract it shares with
// NetTransport (./fake-network-contract.test.ts): zone servers that size
// their replies as a real server does, virtual time, and hosts with ports
// (a port nothing listens on refuses: that part is in the contract).

import { describe, expect, it } from 'vitest';
import { emptyMessage, type Message } from '../../src/dns/message.js';
import { ManualClock } from '../../src/util/clock.js';
import { TimeoutError, type ExchangeOptions } from '../../src/upstream/transport.js';
import { FakeNetwork, type FakeServerOptions } from './fake-network.js';

const SERVER = '192.0.2.1';

// Reply sizes: `mid` about 250 bytes, `big` about 850, `huge` about 1,650
// (more than any UDP limit allows), each one RRset.
const ZONE = `
$ORIGIN example.com.
$TTL 300
@     SOA ns1 hostmaster 1 3600 600 86400 300
@     NS ns1
ns1   A 192.0.2.1
www   A 192.0.2.80
mid   TXT "${'m'.repeat(200)}"
big   TXT "${'x'.repeat(200)}" "${'y'.repeat(200)}"
big   TXT "${'z'.repeat(200)}" "${'w'.repeat(200)}"
${Array.from({ length: 8 }, (_, i) => `huge TXT "${String(i).repeat(200)}"`).join('\n')}
`;

function query(name: string, type: string, udpSize?: number): Message {
  const q = emptyMessage(0x1234);
  q.questions = [{ name, type, class: 'IN' }];
  if (udpSize !== undefined) q.edns = { udpSize, version: 0, dnssecOk: false, extendedRcode: 0, options: [] };
  return q;
}

function network(options: FakeServerOptions = {}) {
  const clock = new ManualClock();
  const net = new FakeNetwork(clock);
  net.addServer(SERVER, [ZONE], options);
  return { clock, net };
}

const UDP: ExchangeOptions = { protocol: 'udp', timeoutMs: 400 };
const TCP: ExchangeOptions = { protocol: 'tcp', timeoutMs: 400 };
const TO = { address: SERVER, port: 53 };

describe('FakeNetwork zone servers size replies as a real server does', () => {
  it.each([
    ['RFC 1035 §4.2.1: 512 bytes without EDNS', query('big.example.com', 'TXT')],
    ['at most 1232 bytes, whatever EDNS size the client offers', query('huge.example.com', 'TXT', 4096)],
  ])('UDP, %s: a reply that does not fit has TC=1 and no partial RRset', async (_, q) => {
    const reply = await network().net.exchange(TO, q, UDP);
    expect(reply.tc).toBe(true);
    expect(reply.answers).toEqual([]);
  });

  it('UDP: a reply that fits the client\'s EDNS size has TC=0', async () => {
    const reply = await network().net.exchange(TO, query('big.example.com', 'TXT', 1232), UDP);
    expect(reply.tc).toBe(false);
    expect(reply.answers).toHaveLength(2);
  });

  it('RFC 6891 §6.2.5: an EDNS size below 512 counts as 512', async () => {
    const reply = await network().net.exchange(TO, query('mid.example.com', 'TXT', 100), UDP);
    expect(reply.tc).toBe(false);
    expect(reply.answers).toHaveLength(1);
  });

  it('maxUdpSize lowers the UDP limit below the client\'s EDNS size', async () => {
    const reply = await network({ maxUdpSize: 512 }).net.exchange(TO, query('big.example.com', 'TXT', 1232), UDP);
    expect(reply.tc).toBe(true);
  });

  it('RFC 7766: over TCP the whole reply comes, TC=0, with or without EDNS', async () => {
    const { net } = network({ maxUdpSize: 512 });
    for (const q of [query('huge.example.com', 'TXT'), query('huge.example.com', 'TXT', 1232)]) {
      const reply = await net.exchange(TO, q, TCP);
      expect(reply.tc).toBe(false);
      expect(reply.answers).toHaveLength(8);
    }
  });
});

describe('FakeNetwork virtual time runs as NetTransport\'s timer does', () => {
  it('a reply takes the server\'s rttMs', async () => {
    const { clock, net } = network({ rttMs: 150 });
    const started = clock.now();
    await net.exchange(TO, query('www.example.com', 'A'), UDP);
    expect(clock.now() - started).toBe(150);
  });

  it.each([[400], [1000]])('a reply slower than the timeout (rttMs %i) is never seen: TimeoutError after the timeout', async (rttMs) => {
    const { clock, net } = network({ rttMs });
    const started = clock.now();
    await expect(net.exchange(TO, query('www.example.com', 'A'), UDP)).rejects.toBeInstanceOf(TimeoutError);
    expect(clock.now() - started).toBe(400);
  });

  it('an ignored reply costs the timeout, not its rtt on top', async () => {
    const { clock, net } = network({ rttMs: 150, mismatch: 'id' });
    const started = clock.now();
    await expect(net.exchange(TO, query('www.example.com', 'A'), UDP)).rejects.toBeInstanceOf(TimeoutError);
    expect(clock.now() - started).toBe(400);
  });
});

describe('FakeNetwork addresses and ports', () => {
  it('an address with no host loses the query: TimeoutError', async () => {
    const { net } = network();
    await expect(net.exchange({ address: '192.0.2.99', port: 53 }, query('www.example.com', 'A'), UDP))
      .rejects.toBeInstanceOf(TimeoutError);
    expect(net.queriesTo('192.0.2.99')).toHaveLength(1);
  });

  it('a server added on another port answers there only', async () => {
    const clock = new ManualClock();
    const net = new FakeNetwork(clock);
    net.addServer(SERVER, [ZONE], {}, 5353);
    const reply = await net.exchange({ address: SERVER, port: 5353 }, query('www.example.com', 'A'), UDP);
    expect(reply.answers.map((rr) => rr.data)).toEqual(['192.0.2.80']);
    await expect(net.exchange(TO, query('www.example.com', 'A'), UDP)).rejects.toThrow(/ECONNREFUSED/);
    expect(net.queries.map((q) => q.port)).toEqual([5353, 53]);
  });
});
