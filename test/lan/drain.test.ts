// RunningServer.close(graceMs): stop taking queries, answer those in flight,
// then close, within a bound. In-process with a handler the test releases.

import { afterEach, describe, expect, it } from 'vitest';
import type { MessageHandler } from '../../src/server/message-handler.js';
import { startServer, type RunningServer } from '../../src/server/server.js';
import { silentLogger } from '../../src/util/log.js';
import { TcpClient, query, udpExchange } from '../server/helpers.js';

/** Answers each query with its own bytes once the test calls release(). */
class GatedHandler implements MessageHandler {
  received = 0;
  private releases: Array<() => void> = [];

  handle(wire: Buffer): Promise<Buffer | undefined> {
    this.received++;
    return new Promise((resolve) => this.releases.push(() => resolve(wire)));
  }

  release(): void {
    for (const release of this.releases.splice(0)) release();
  }
}

let server: RunningServer | undefined;
afterEach(() => server?.close());

async function start(handler: MessageHandler): Promise<{ port: number }> {
  server = await startServer({ listen: [{ host: '127.0.0.1', port: 0 }], handler, logger: silentLogger });
  return { port: server.addresses[0].port };
}

const until = async (check: () => boolean) => {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 10));
  expect(check()).toBe(true);
};

describe('close(graceMs)', () => {
  it('answers queries in flight over UDP and TCP, takes no new ones, then closes', async () => {
    const handler = new GatedHandler();
    const { port } = await start(handler);
    const udpReply = udpExchange('127.0.0.1', port, query('in-flight.example', 'A', { id: 1 }), 5000);
    const tcp = await TcpClient.connect('127.0.0.1', port);
    tcp.send(query('in-flight.example', 'A', { id: 2 }));
    await until(() => handler.received === 2);
    expect(server!.inFlight).toBe(2);

    const closed = server!.close(5000);
    // Arriving after the stop: no answer, and the handler never sees it.
    expect(await udpExchange('127.0.0.1', port, query('late.example', 'A', { id: 3 }), 300)).toBeUndefined();
    tcp.send(query('late.example', 'A', { id: 4 }));
    await new Promise((r) => setTimeout(r, 100));
    expect(handler.received).toBe(2);

    handler.release();
    expect((await udpReply)?.readUInt16BE(0)).toBe(1);
    expect((await tcp.waitFor(1))[0].readUInt16BE(0)).toBe(2);
    await closed;
    await tcp.closed;
    expect(tcp.messages).toHaveLength(1);
    expect(server!.inFlight).toBe(0);
    // The sockets are gone.
    await expect(TcpClient.connect('127.0.0.1', port)).rejects.toThrow(/ECONNREFUSED/);
  });

  it('gives up on queries that take longer than the grace period', async () => {
    const handler = new GatedHandler();
    const { port } = await start(handler);
    void udpExchange('127.0.0.1', port, query('stuck.example', 'A'), 2000);
    await until(() => handler.received === 1);
    const started = performance.now();
    await server!.close(300);
    const took = performance.now() - started;
    expect(took).toBeGreaterThanOrEqual(290);
    expect(took).toBeLessThan(1500);
    expect(server!.inFlight).toBe(1);
    handler.release();
  });

  it('closes at once when nothing is in flight', async () => {
    await start(new GatedHandler());
    const started = performance.now();
    await server!.close(5000);
    expect(performance.now() - started).toBeLessThan(200);
  });
});
