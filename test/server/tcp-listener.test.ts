// RFC 7766 behaviour of the TCP listener, over real sockets on 127.0.0.1 and ::1.

import { afterEach, describe, expect, it } from 'vitest';
import { decodeMessage, encodeMessage } from '../../src/dns/codec.js';
import { RCode, emptyMessage } from '../../src/dns/message.js';
import { silentLogger } from '../../src/util/log.js';
import { QueryHandler } from '../../src/server/query-handler.js';
import { startServer, type RunningServer, type ServerOptions } from '../../src/server/server.js';
import type { MessageHandler } from '../../src/server/message-handler.js';
import { FakeRecursor, FakeZones, TcpClient, answerWithA, delay, query, type RecursorScript } from './helpers.js';

let server: RunningServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function start(handler: MessageHandler, tcp: ServerOptions['tcp'] = {}, host = '127.0.0.1') {
  server = await startServer({ listen: [{ host, port: 0 }], handler, logger: silentLogger, tcp });
  return server.addresses[0].port;
}

function queryHandler(script?: RecursorScript) {
  const recursor = new FakeRecursor(script);
  return { recursor, handler: new QueryHandler({ zones: new FakeZones(), recursor, recursion: true, logger: silentLogger }) };
}

/** Delays the answer for names starting with "slowN." by N × 100 ms. */
const slowNames: RecursorScript = async (question) => {
  const m = /^slow(\d+)\./.exec(question.name);
  if (m) await delay(Number(m[1]) * 100);
  return answerWithA(question);
};

describe('TCP framing and pipelining (RFC 7766 §6.2.1, §8)', () => {
  for (const host of ['127.0.0.1', '::1']) {
    it(`answers several queries, one after another, on one connection over ${host}`, async () => {
      const port = await start(queryHandler().handler, {}, host);
      const client = await TcpClient.connect(host, port);
      for (let i = 1; i <= 3; i++) {
        client.send(query('www.example.test', 'A', { id: i }));
        const reply = decodeMessage((await client.waitFor(i))[i - 1]);
        expect(reply).toMatchObject({ id: i, rcode: RCode.NOERROR, aa: true });
      }
      client.close();
    });
  }

  it('answers three queries sent in one write, matched by id', async () => {
    const port = await start(queryHandler().handler);
    const client = await TcpClient.connect('127.0.0.1', port);
    const names = ['www.example.test', 'a.example.org', 'b.example.org'];
    client.sendRaw(Buffer.concat(names.map((name, i) => {
      const wire = query(name, 'A', { id: 100 + i });
      const prefix = Buffer.alloc(2);
      prefix.writeUInt16BE(wire.length);
      return Buffer.concat([prefix, wire]);
    })));
    const replies = (await client.waitFor(3)).map((b) => decodeMessage(b));
    client.close();
    const byId = new Map(replies.map((r) => [r.id, r]));
    names.forEach((name, i) => expect(byId.get(100 + i)?.questions[0].name).toBe(name));
  });

  it('processes pipelined queries concurrently and answers each as it completes, out of order', async () => {
    const port = await start(queryHandler(slowNames).handler);
    const client = await TcpClient.connect('127.0.0.1', port);
    const started = Date.now();
    client.send(query('slow3.example.org', 'A', { id: 1 }));
    client.send(query('slow1.example.org', 'A', { id: 2 }));
    client.send(query('fast.example.org', 'A', { id: 3 }));
    const ids = (await client.waitFor(3)).map((b) => decodeMessage(b).id);
    client.close();
    expect(ids).toEqual([3, 2, 1]);
    expect(Date.now() - started).toBeLessThan(550); // 300 ms concurrently, not 400 in sequence
  });

  it('drops a zero-length message and keeps the connection', async () => {
    const port = await start(queryHandler().handler);
    const client = await TcpClient.connect('127.0.0.1', port);
    client.sendRaw(Buffer.from([0, 0]));
    client.send(query('www.example.test', 'A', { id: 5 }));
    const [reply] = await client.waitFor(1);
    await delay(50);
    client.close();
    expect(client.messages).toHaveLength(1);
    expect(decodeMessage(reply).id).toBe(5);
  });

  it('answers an undecodable framed message with FORMERR and keeps the connection', async () => {
    const port = await start(queryHandler().handler);
    const client = await TcpClient.connect('127.0.0.1', port);
    const garbage = Buffer.concat([query('www.example.test', 'A', { id: 6 }), Buffer.from([0xff])]);
    client.send(garbage);
    client.send(query('www.example.test', 'A', { id: 7 }));
    const replies = (await client.waitFor(2)).map((b) => decodeMessage(b));
    client.close();
    expect(replies.map((r) => [r.id, r.rcode])).toEqual([[6, RCode.FORMERR], [7, RCode.NOERROR]]);
  });

  it('reassembles a message split across writes', async () => {
    const port = await start(queryHandler().handler);
    const client = await TcpClient.connect('127.0.0.1', port);
    const wire = query('www.example.test', 'A', { id: 8 });
    const framed = Buffer.concat([Buffer.from([0, wire.length]), wire]);
    for (const part of [framed.subarray(0, 1), framed.subarray(1, 7), framed.subarray(7)]) {
      client.sendRaw(part);
      await delay(20);
    }
    const [reply] = await client.waitFor(1);
    client.close();
    expect(decodeMessage(reply).id).toBe(8);
  });

  it('answers what a half-closed client asked, then closes', async () => {
    const port = await start(queryHandler(slowNames).handler);
    const client = await TcpClient.connect('127.0.0.1', port);
    client.send(query('slow1.example.org', 'A', { id: 9 }));
    client.socket.end();
    await client.closed;
    expect(client.messages.map((b) => decodeMessage(b).id)).toEqual([9]);
  });

  it('survives a client that resets with queries in flight', async () => {
    const port = await start(queryHandler(slowNames).handler);
    const rude = await TcpClient.connect('127.0.0.1', port);
    rude.send(query('slow1.example.org', 'A', { id: 1 }));
    rude.socket.resetAndDestroy();
    await delay(150);
    const client = await TcpClient.connect('127.0.0.1', port);
    client.send(query('www.example.test', 'A', { id: 2 }));
    expect(decodeMessage((await client.waitFor(1))[0]).id).toBe(2);
    client.close();
  });

  it('keeps serving a connection after the handler throws', async () => {
    let calls = 0;
    const handler: MessageHandler = {
      async handle(wire) {
        if (++calls === 1) throw new Error('bug');
        const reply = decodeMessage(wire);
        reply.qr = true;
        return encodeMessage(reply);
      },
    };
    const port = await start(handler);
    const client = await TcpClient.connect('127.0.0.1', port);
    client.send(query('a.example', 'A', { id: 1 }));
    client.send(query('b.example', 'A', { id: 2 }));
    expect(decodeMessage((await client.waitFor(1))[0]).id).toBe(2);
    client.close();
  });
});

describe('TCP resource limits (RFC 7766 §6.2.3, §10)', () => {
  it('closes a connection that sends nothing within the idle timeout', async () => {
    const port = await start(queryHandler().handler, { idleTimeoutMs: 150 });
    const client = await TcpClient.connect('127.0.0.1', port);
    const started = Date.now();
    await client.closed;
    expect(Date.now() - started).toBeGreaterThanOrEqual(100);
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('closes a connection stuck on an incomplete message (garbage length prefix)', async () => {
    const port = await start(queryHandler().handler, { idleTimeoutMs: 150 });
    const client = await TcpClient.connect('127.0.0.1', port);
    client.sendRaw(Buffer.from([0xff, 0xff, 1, 2, 3]));
    await client.closed;
    expect(client.messages).toEqual([]);
  });

  it('restarts the idle timer on each message', async () => {
    const port = await start(queryHandler().handler, { idleTimeoutMs: 200 });
    const client = await TcpClient.connect('127.0.0.1', port);
    for (let i = 1; i <= 5; i++) {
      await delay(100);
      client.send(query('www.example.test', 'A', { id: i }));
      await client.waitFor(i);
    }
    expect(client.socket.destroyed).toBe(false); // 500 ms in, with a 200 ms timeout
    await client.closed;
  });

  it('does not count a query still being resolved as idle', async () => {
    const port = await start(queryHandler(slowNames).handler, { idleTimeoutMs: 150 });
    const client = await TcpClient.connect('127.0.0.1', port);
    client.send(query('slow4.example.org', 'A', { id: 4 }));
    const [reply] = await client.waitFor(1, 2000);
    expect(decodeMessage(reply).id).toBe(4);
    await client.closed;
  });

  it('closes connections beyond the cap at once, counts them, and keeps serving the others', async () => {
    const port = await start(queryHandler().handler, { maxConnections: 2 });
    const first = await TcpClient.connect('127.0.0.1', port);
    const second = await TcpClient.connect('127.0.0.1', port);
    await delay(50); // let the server accept both
    const third = await TcpClient.connect('127.0.0.1', port);
    await third.closed;
    expect(server!.stats()).toEqual({ tcpConnections: 2, tcpRejectedConnections: 1 });
    first.send(query('www.example.test', 'A', { id: 1 }));
    expect(decodeMessage((await first.waitFor(1))[0]).id).toBe(1);
    first.close();
    second.close();
    await delay(50);
    const fourth = await TcpClient.connect('127.0.0.1', port);
    fourth.send(query('www.example.test', 'A', { id: 4 }));
    expect(decodeMessage((await fourth.waitFor(1))[0]).id).toBe(4);
    fourth.close();
  });

  it('works on no more than maxInFlightPerConnection queries of one connection at once', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const { handler, recursor } = queryHandler(async (question) => {
      await gate;
      return answerWithA(question);
    });
    const port = await start(handler, { maxInFlightPerConnection: 3 });
    const client = await TcpClient.connect('127.0.0.1', port);
    for (let i = 0; i < 10; i++) client.send(query(`q${i}.example.org`, 'A', { id: i }));
    await delay(100);
    expect(recursor.calls).toHaveLength(3);
    release();
    const ids = (await client.waitFor(10)).map((b) => decodeMessage(b).id);
    client.close();
    expect(ids.sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('stops reading from a client that does not read its answers, and resumes when it does', async () => {
    // 60 KB answers: 400 of them (24 MB) are far more than loopback socket buffers hold.
    let handled = 0;
    const handler: MessageHandler = {
      async handle(wire) {
        handled++;
        const reply = emptyMessage(wire.readUInt16BE(0));
        reply.qr = true;
        reply.answers = [{ name: 'x.example', type: 'TYPE65280', class: 'IN', ttl: 0, data: Buffer.alloc(60_000) }];
        return encodeMessage(reply);
      },
    };
    const port = await start(handler, { maxBufferedBytesPerConnection: 16 * 1024 });
    const client = await TcpClient.connect('127.0.0.1', port);
    client.socket.pause();
    for (let i = 0; i < 400; i++) client.send(query('x.example', 'A', { id: i }));
    await delay(300);
    const whilePaused = handled;
    expect(whilePaused).toBeLessThan(400);
    await delay(200);
    expect(handled).toBe(whilePaused); // reading has stopped, not merely slowed
    client.socket.resume();
    await client.waitFor(400, 10_000);
    expect(handled).toBe(400);
    client.close();
  });
});
