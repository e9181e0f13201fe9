// Configured servers with a port (forward and stub zones): `ADDRESS@PORT`
// as Unbound writes it, `[V6]:PORT` and `V4:PORT` as --listen does.

import { describe, expect, it } from 'vitest';
import { emptyMessage, type Message } from '../../src/dns/message.js';
import { Budget, DEFAULT_BUDGET } from '../../src/resolver/budget.js';
import { formatEndpoint, parseEndpoint, serverAddress } from '../../src/upstream/endpoint.js';
import { ServerInfra } from '../../src/upstream/servers.js';
import type { ServerAddress, Transport } from '../../src/upstream/transport.js';
import { UpstreamClient } from '../../src/upstream/upstream-client.js';
import { ManualClock } from '../../src/util/clock.js';
import { seededRandom } from '../../src/util/random.js';

describe('parseEndpoint', () => {
  it.each([
    ['192.0.2.53', '192.0.2.53'],
    [' 192.0.2.53 ', '192.0.2.53'],
    ['192.0.2.53@5353', '192.0.2.53@5353'],
    ['192.0.2.53:5353', '192.0.2.53@5353'],
    ['2001:db8::53', '2001:db8::53'],
    ['2001:db8::53@5353', '2001:db8::53@5353'],
    ['[2001:db8::53]:5353', '2001:db8::53@5353'],
    ['[::1]', '::1'],
  ])('%j → %j', (text, canonical) => {
    const endpoint = parseEndpoint(text);
    expect(endpoint).toBeDefined();
    expect(formatEndpoint(endpoint!)).toBe(canonical);
  });

  it.each(['', 'router.lan', '192.0.2', '192.0.2.53@', '192.0.2.53@0', '192.0.2.53@65536', '192.0.2.53@53x',
    '[2001:db8::53]:', '2001:db8::53:5353x', '192.0.2.53:5353:1'])('rejects %j', (text) => {
    expect(parseEndpoint(text)).toBeUndefined();
  });

  it('serverAddress gives the default port to a bare address', () => {
    expect(serverAddress('192.0.2.53', 53)).toEqual({ address: '192.0.2.53', port: 53 });
    expect(serverAddress('2001:db8::53@5353', 53)).toEqual({ address: '2001:db8::53', port: 5353 });
  });
});

describe('UpstreamClient with a configured server', () => {
  it('sends to its port, with RD=1 when asked to (a forwarder)', async () => {
    const sent: Array<{ server: ServerAddress; query: Message }> = [];
    const transport: Transport = {
      async exchange(server, query) {
        sent.push({ server, query });
        return { ...emptyMessage(query.id), qr: true, ra: true, questions: query.questions };
      },
    };
    const clock = new ManualClock();
    const infra = new ServerInfra(clock, seededRandom(1));
    const client = new UpstreamClient({ transport, random: seededRandom(2), clock, infra, port: 53 });
    const question = { name: 'www.corp.example', type: 'A', class: 'IN' };
    await client.query('127.0.0.1@5353', question, new Budget(DEFAULT_BUDGET, clock), 0, true);
    await client.query('192.0.2.1', question, new Budget(DEFAULT_BUDGET, clock), 0);
    expect(sent.map((s) => [s.server, s.query.rd])).toEqual([
      [{ address: '127.0.0.1', port: 5353 }, true],
      [{ address: '192.0.2.1', port: 53 }, false],
    ]);
    // What the ServerInfra learns is about the server on that port.
    expect(infra.srtt('127.0.0.1@5353')).toBeLessThan(Infinity);
  });
});
