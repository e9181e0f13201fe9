// `hops health` against tiny real servers on loopback.

import { describe, expect, it } from 'vitest';
import { RCode } from '../../src/dns/message.js';
import { runHealthCheck } from '../../src/cli/health.js';
import { bindUdp, startScriptedServer } from './scripted-server.js';
import { TIMEOUT_MS, type Script } from './transport-contract.js';

const refuse: Script = (q) => [{ send: { ...q, qr: true, rcode: RCode.REFUSED } }];

describe('runHealthCheck', () => {
  it('is healthy on any well-formed reply to its query, even REFUSED', async () => {
    const server = await startScriptedServer('127.0.0.1', refuse);
    try {
      const result = await runHealthCheck({ host: '127.0.0.1', port: server.address.port, timeoutMs: TIMEOUT_MS });
      expect(result).toEqual({ ok: true, message: expect.stringMatching(/^127\.0\.0\.1 port \d+ answered REFUSED in \d+ ms$/) });
    } finally {
      await server.close();
    }
  });

  it('asks without recursion (RD=0), for the root NS unless told a name', async () => {
    const server = await startScriptedServer('127.0.0.1', refuse);
    try {
      await runHealthCheck({ host: '127.0.0.1', port: server.address.port, timeoutMs: TIMEOUT_MS });
      await runHealthCheck({ host: '127.0.0.1', port: server.address.port, name: 'Example.ORG.', timeoutMs: TIMEOUT_MS });
      expect(server.received.map((r) => [r.query.rd, r.query.questions])).toEqual([
        [false, [{ name: '.', type: 'NS', class: 'IN' }]],
        [false, [{ name: 'example.org', type: 'NS', class: 'IN' }]],
      ]);
    } finally {
      await server.close();
    }
  });

  it.each([
    ['0.0.0.0', '127.0.0.1'],
    ['::', '::1'],
  ])('checks a listener bound to the wildcard %s (the kernel delivers to %s)', async (wildcard, loopback) => {
    const server = await startScriptedServer(loopback, refuse);
    try {
      const result = await runHealthCheck({ host: wildcard, port: server.address.port, timeoutMs: TIMEOUT_MS });
      expect(result.ok).toBe(true);
      expect(server.received).toHaveLength(1);
    } finally {
      await server.close();
    }
  });

  it('is unhealthy, at once, when nothing listens', async () => {
    const socket = await bindUdp('127.0.0.1', 0);
    const { port } = socket.address();
    await new Promise<void>((resolve) => socket.close(() => resolve()));
    const result = await runHealthCheck({ host: '127.0.0.1', port, timeoutMs: 5_000 });
    expect(result).toEqual({ ok: false, message: expect.stringMatching(/ECONNREFUSED/) });
  });

  it('is unhealthy when no reply comes in time', async () => {
    const server = await startScriptedServer('127.0.0.1', () => []);
    try {
      const result = await runHealthCheck({ host: '127.0.0.1', port: server.address.port, timeoutMs: TIMEOUT_MS });
      expect(result).toEqual({ ok: false, message: expect.stringMatching(/no reply from 127\.0\.0\.1:\d+ over UDP within 200 ms/) });
      expect(server.received).toHaveLength(1);
    } finally {
      await server.close();
    }
  });

  it('is unhealthy when only a reply to another query comes', async () => {
    const server = await startScriptedServer('127.0.0.1', (q) => [{ send: { ...q, id: q.id ^ 1, qr: true } }]);
    try {
      const result = await runHealthCheck({ host: '127.0.0.1', port: server.address.port, timeoutMs: TIMEOUT_MS });
      expect(result.ok).toBe(false);
    } finally {
      await server.close();
    }
  });

  it('is unhealthy when the host is not an IP address', async () => {
    const result = await runHealthCheck({ host: 'localhost', port: 53, timeoutMs: TIMEOUT_MS });
    expect(result).toEqual({ ok: false, message: expect.stringMatching(/not an IP address/) });
  });
});
