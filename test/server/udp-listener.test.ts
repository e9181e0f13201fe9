// The UDP listener over real sockets: replies go back to the sender, and
// nothing a handler does takes the socket down.

import { afterEach, describe, expect, it } from 'vitest';
import { decodeMessage, encodeMessage } from '../../src/dns/codec.js';
import { RCode } from '../../src/dns/message.js';
import { silentLogger } from '../../src/util/log.js';
import { QueryHandler } from '../../src/server/query-handler.js';
import { startServer, type RunningServer } from '../../src/server/server.js';
import type { MessageHandler } from '../../src/server/message-handler.js';
import { FakeRecursor, FakeZones, query, udpExchange } from './helpers.js';

let server: RunningServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function start(handler: MessageHandler, host = '127.0.0.1') {
  server = await startServer({ listen: [{ host, port: 0 }], handler, logger: silentLogger });
  return server.addresses[0].port;
}

const queryHandler = () =>
  new QueryHandler({ zones: new FakeZones(), recursor: new FakeRecursor(), recursion: true, logger: silentLogger });

/** Echoes the query back as a response, except where `fail` says otherwise. */
function echoHandler(fail: (wire: Buffer) => 'throw' | 'reject' | 'drop' | undefined): MessageHandler {
  return {
    handle(wire) {
      const what = fail(wire);
      if (what === 'throw') throw new Error('synchronous bug');
      if (what === 'reject') return Promise.reject(new Error('asynchronous bug'));
      if (what === 'drop') return Promise.resolve(undefined);
      const reply = decodeMessage(wire);
      reply.qr = true;
      return Promise.resolve(encodeMessage(reply));
    },
  };
}

describe('UDP listener fast path', () => {
  it('sends what answerNow gives at once, and falls back to handle() when it gives nothing', async () => {
    const seen: string[] = [];
    const handler: MessageHandler = {
      answerNow(wire) {
        seen.push('now');
        const q = decodeMessage(wire);
        if (q.questions[0].name !== 'fast.example') return undefined;
        q.qr = true;
        q.rcode = RCode.NXDOMAIN;
        return encodeMessage(q);
      },
      handle(wire) {
        seen.push('handle');
        const q = decodeMessage(wire);
        q.qr = true;
        return Promise.resolve(encodeMessage(q));
      },
    };
    const port = await start(handler);
    const fast = decodeMessage((await udpExchange('127.0.0.1', port, query('fast.example', 'A')))!);
    expect(fast.rcode).toBe(RCode.NXDOMAIN);
    expect(seen).toEqual(['now']);
    const slow = decodeMessage((await udpExchange('127.0.0.1', port, query('slow.example', 'A')))!);
    expect(slow.rcode).toBe(RCode.NOERROR);
    expect(seen).toEqual(['now', 'now', 'handle']);
  });

  it('survives an answerNow that throws, answering through handle()', async () => {
    const handler: MessageHandler = {
      answerNow() {
        throw new Error('fast path bug');
      },
      handle: echoHandler(() => undefined).handle,
    };
    const port = await start(handler);
    expect(await udpExchange('127.0.0.1', port, query('a.example', 'A'))).toBeDefined();
  });
});

describe('UDP listener', () => {
  for (const host of ['127.0.0.1', '::1']) {
    it(`answers a query over ${host}`, async () => {
      const port = await start(queryHandler(), host);
      const reply = decodeMessage((await udpExchange(host, port, query('www.example.test', 'A', { id: 31 })))!);
      expect(reply).toMatchObject({ id: 31, qr: true, aa: true, rcode: RCode.NOERROR });
      expect(reply.answers[0].data).toBe('192.0.2.1');
    });
  }

  it('sends nothing when the handler drops the message', async () => {
    const port = await start(queryHandler());
    const response = query('www.example.test', 'A');
    response[2] |= 0x80; // QR=1
    expect(await udpExchange('127.0.0.1', port, response, 300)).toBeUndefined();
  });

  it('survives a handler that throws or rejects, and answers the next query', async () => {
    const port = await start(echoHandler((wire) => (wire.readUInt16BE(0) === 1 ? 'throw' : wire.readUInt16BE(0) === 2 ? 'reject' : undefined)));
    expect(await udpExchange('127.0.0.1', port, query('a.example', 'A', { id: 1 }), 200)).toBeUndefined();
    expect(await udpExchange('127.0.0.1', port, query('a.example', 'A', { id: 2 }), 200)).toBeUndefined();
    const reply = await udpExchange('127.0.0.1', port, query('a.example', 'A', { id: 3 }));
    expect(decodeMessage(reply!).id).toBe(3);
  });

  it('answers many clients concurrently', async () => {
    const port = await start(queryHandler());
    const replies = await Promise.all(Array.from({ length: 50 }, (_, i) =>
      udpExchange('127.0.0.1', port, query(`n${i}.example.org`, 'A', { id: i }))));
    expect(replies.map((r) => decodeMessage(r!).id)).toEqual(Array.from({ length: 50 }, (_, i) => i));
  });

  it('does not answer after close', async () => {
    const port = await start(queryHandler());
    await server!.close();
    expect(await udpExchange('127.0.0.1', port, query('www.example.test', 'A'), 200)).toBeUndefined();
  });
});
