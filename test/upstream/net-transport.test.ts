// NetTransport over real loopback sockets: the shared Transport contract,
// then what only real sockets have (ports, source addresses, ICMP, TCP
// segmentation, handles that could leak).

import { AsyncResource, createHook } from 'node:async_hooks';
import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { encodeMessage } from '../../src/dns/codec.js';
import { frame } from '../../src/dns/tcp-framing.js';
import { NetTransport } from '../../src/upstream/net-transport.js';
import { NetworkError, type ServerAddress } from '../../src/upstream/transport.js';
import { deadPort, netTransportHarness, startScriptedServer } from './scripted-server.js';
import { describeTransportContract, TIMEOUT_MS, testQuery, testReply, type Script } from './transport-contract.js';

describeTransportContract('NetTransport, IPv4', netTransportHarness('127.0.0.1'));
describeTransportContract('NetTransport, IPv6', netTransportHarness('::1'), { spoofFromOtherAddress: false });

const answer: Script = (q) => [{ send: testReply(q, '192.0.2.1') }];

/** What the server saw while `run` talked to it. */
async function withServer(host: string, script: Script, run: (server: ServerAddress) => Promise<unknown>) {
  const server = await startScriptedServer(host, script);
  try {
    await run(server.address);
    return { received: server.received };
  } finally {
    await server.close();
  }
}

describe('NetTransport on real sockets', () => {
  it('RFC 5452 §9.2: each query leaves from its own random source port', async () => {
    const transport = new NetTransport();
    const { received } = await withServer('127.0.0.1', answer, async (server) => {
      for (let i = 0; i < 5; i++) await transport.exchange(server, testQuery(), { protocol: 'udp', timeoutMs: TIMEOUT_MS });
    });
    const ports = received.map((r) => r.from.port);
    expect(new Set(ports).size).toBe(5);
    // A sequential allocator would give distinct ports too; random ones spread out.
    expect(Math.max(...ports) - Math.min(...ports)).toBeGreaterThan(5);
  });

  for (const protocol of ['udp', 'tcp'] as const) {
    it(`sends from the configured outgoing address over ${protocol.toUpperCase()}`, async () => {
      const transport = new NetTransport({ outgoingAddresses: ['127.0.0.2', '::1'] });
      const { received } = await withServer('127.0.0.1', answer, (server) =>
        transport.exchange(server, testQuery(), { protocol, timeoutMs: TIMEOUT_MS }));
      expect(received.map((r) => r.from.address)).toEqual(['127.0.0.2']);
    });
  }

  it('picks among several outgoing addresses of the family with the injected random source', async () => {
    const transport = new NetTransport({ outgoingAddresses: ['127.0.0.2', '127.0.0.3'], random: { int: (max) => max - 1 } });
    const { received } = await withServer('127.0.0.1', answer, (server) =>
      transport.exchange(server, testQuery(), { protocol: 'udp', timeoutMs: TIMEOUT_MS }));
    expect(received[0].from.address).toBe('127.0.0.3');
  });

  it('fails with NetworkError when no outgoing address has the server\'s family', async () => {
    const transport = new NetTransport({ outgoingAddresses: ['127.0.0.2'] });
    await expect(transport.exchange({ address: '::1', port: 53 }, testQuery(), { protocol: 'udp', timeoutMs: TIMEOUT_MS }))
      .rejects.toThrow(/no outgoing IPv6 address/);
  });

  it('fails with NetworkError when the outgoing address is not on this host', async () => {
    // bind() fails with EADDRNOTAVAIL before anything is sent.
    const transport = new NetTransport({ outgoingAddresses: ['192.0.2.1'] });
    for (const protocol of ['udp', 'tcp'] as const) {
      const failure = transport.exchange({ address: '127.0.0.1', port: 53 }, testQuery(), { protocol, timeoutMs: TIMEOUT_MS });
      await expect(failure).rejects.toThrow(NetworkError);
      await expect(failure).rejects.toThrow(/EADDRNOTAVAIL/);
    }
  });

  it('refuses an outgoing address that is not an IP address when constructed', () => {
    expect(() => new NetTransport({ outgoingAddresses: ['eth0'] })).toThrow(/outgoingAddresses: 'eth0'/);
  });

  describe('TCP', () => {
    // Each case splits the framed reply at `at` bytes, written 20 ms apart so
    // they arrive as separate reads.
    it.each([
      ['inside the length prefix', 1],
      ['between prefix and message', 2],
      ['inside the message', 9],
    ])('reassembles a reply split %s', async (_, at) => {
      const query = testQuery();
      const wire = frame(encodeMessage(testReply(query, '192.0.2.1')));
      const server = await rawTcpServer((conn) => {
        conn.setNoDelay(true);
        conn.once('data', () => {
          conn.write(wire.subarray(0, at));
          setTimeout(() => conn.write(wire.subarray(at)), 20);
        });
      });
      try {
        const reply = await new NetTransport().exchange(server.address, query, { protocol: 'tcp', timeoutMs: 1_000 });
        expect(reply.answers.map((rr) => rr.data)).toEqual(['192.0.2.1']);
      } finally {
        await server.close();
      }
    });

    it('fails with NetworkError when the server closes without replying', async () => {
      const server = await rawTcpServer((conn) => conn.once('data', () => conn.end()));
      try {
        await expect(new NetTransport().exchange(server.address, testQuery(), { protocol: 'tcp', timeoutMs: 1_000 }))
          .rejects.toThrow(/closed before a reply/);
      } finally {
        await server.close();
      }
    });
  });

  describe('leaves nothing behind', () => {
    for (const protocol of ['udp', 'tcp'] as const) {
      it(`after a reply, a timeout and a refusal over ${protocol.toUpperCase()}`, async () => {
        const transport = new NetTransport();
        const dead = await deadPort('127.0.0.1');
        let replying = true;
        const server = await startScriptedServer('127.0.0.1', (q) => (replying ? answer(q, protocol) : []));
        const exchange = (to: ServerAddress) => transport.exchange(to, testQuery(), { protocol, timeoutMs: TIMEOUT_MS });
        try {
          expect(await leftBehind(() => exchange(server.address))).toEqual({ outcome: 'reply', live: [] });
          replying = false;
          expect(await leftBehind(() => exchange(server.address))).toEqual({ outcome: 'TimeoutError', live: [] });
          expect(await leftBehind(() => exchange(dead))).toEqual({ outcome: 'NetworkError', live: [] });
        } finally {
          await server.close();
        }
      });
    }
  });
});

/**
 * Runs `run` and reports the timers and sockets it created, directly or
 * through anything it started, that still exist once it has settled.
 * Resources are attributed by async_hooks' trigger chain, so the test
 * runner's own timers and the test server's sockets do not count.
 */
async function leftBehind(run: () => Promise<unknown>): Promise<{ outcome: string; live: string[] }> {
  const root = new AsyncResource('LeakProbe');
  // The wait below must not count as a descendant of `run`.
  const outside = new AsyncResource('LeakProbeWait');
  const descendants = new Set([root.asyncId()]);
  const live = new Map<number, string>();
  const hook = createHook({
    init(id, type, triggerId) {
      if (!descendants.has(triggerId)) return;
      descendants.add(id);
      if (type === 'Timeout' || type === 'UDPWRAP' || type === 'TCPWRAP') live.set(id, type);
    },
    destroy(id) {
      live.delete(id);
    },
  }).enable();
  try {
    const outcome = await root.runInAsyncScope(run).then(() => 'reply', (err: Error) => err.name);
    // Handles finish closing, and destroy hooks run, in later loop turns.
    await outside.runInAsyncScope(() => new Promise((resolve) => setTimeout(resolve, 50)));
    return { outcome, live: [...live.values()] };
  } finally {
    hook.disable();
    root.emitDestroy();
    outside.emitDestroy();
  }
}

async function rawTcpServer(onConnection: (conn: net.Socket) => void) {
  const connections = new Set<net.Socket>();
  const server = net.createServer((conn) => {
    connections.add(conn);
    conn.on('close', () => connections.delete(conn));
    conn.on('error', () => {}); // the client resets once it has its reply
    onConnection(conn);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    address: { address: '127.0.0.1', port: (server.address() as net.AddressInfo).port },
    async close() {
      for (const conn of connections) conn.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
