// Fuzzing the listeners and the query pipeline over real sockets: well over
// 100,000 mutated and random packets over UDP and TCP must leave the server
// answering correctly, with no unhandled rejection or uncaught exception,
// and every reply it sent must be a well-formed DNS response. The handler
// has an answer cache, as in production, so the cache-hit fast path meets
// the same packets; a sample of replies is checked against the RCODE the
// full parser gives (not only "no crash").

import dgram from 'node:dgram';
import net from 'node:net';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeMessage, readHeader } from '../../src/dns/codec.js';
import { RCode } from '../../src/dns/message.js';
import { AnswerCache } from '../../src/server/answer-cache.js';
import { rejectionRcode } from '../../src/server/validate-query.js';
import { ManualClock } from '../../src/util/clock.js';
import { frame } from '../../src/dns/tcp-framing.js';
import { seededRandom } from '../../src/util/random.js';
import { silentLogger } from '../../src/util/log.js';
import { QueryHandler } from '../../src/server/query-handler.js';
import { startServer, type RunningServer } from '../../src/server/server.js';
import type { ClientInfo, MessageHandler } from '../../src/server/message-handler.js';
import { FakeZones, TcpClient, answerWithA, delay, query, udpExchange } from './helpers.js';
import { PacketSource } from './mutator.js';

const SEED = 0x5eed_d15;
const UDP_PACKETS = 70_000;
const TCP_CONNECTIONS = 6;
const TCP_PACKETS_PER_CONNECTION = 6_000;
const GARBAGE_CONNECTIONS = 4;
const GARBAGE_BYTES = 64 * 1024;
const UDP_BURST = 32;
const TCP_BURST = 500;
/** Every this many handled packets, check the reply's RCODE against an independent decode. */
const SAMPLE_EVERY = 10;

const EXPECTED_RCODES = new Set<number>([RCode.NOERROR, RCode.FORMERR, RCode.NXDOMAIN, RCode.NOTIMP, RCode.REFUSED, RCode.BADVERS]);

/** Wraps the real handler, checking every reply and tallying what it saw. */
class CheckingHandler implements MessageHandler {
  handled = 0;
  replies = 0;
  readonly rcodes = new Map<number, number>();
  formerrSampled = 0;
  rejectionSampled = 0;
  readonly violations: string[] = [];

  constructor(private readonly inner: MessageHandler) {}

  async handle(wire: Buffer, client: ClientInfo): Promise<Buffer | undefined> {
    const n = ++this.handled;
    const reply = await this.inner.handle(wire, client);
    if (reply) this.check(wire, reply, client);
    if (n % SAMPLE_EVERY === 0) this.checkRejection(wire, reply);
    return reply;
  }

  private check(wire: Buffer, reply: Buffer, client: ClientInfo): void {
    this.replies++;
    try {
      const msg = decodeMessage(reply);
      this.rcodes.set(msg.rcode, (this.rcodes.get(msg.rcode) ?? 0) + 1);
      if (!msg.qr) this.violation('reply without QR', wire);
      if (msg.id !== wire.readUInt16BE(0)) this.violation('reply with another id', wire);
      if (!EXPECTED_RCODES.has(msg.rcode)) this.violation(`unexpected RCODE ${msg.rcode}`, wire);
      if (client.transport === 'udp' && reply.length > 1232) this.violation(`UDP reply of ${reply.length} bytes`, wire);
    } catch (err) {
      this.violation(`undecodable reply: ${(err as Error).message}`, wire);
    }
  }

  /**
   * A query we cannot decode, with a readable header and QR=0, gets FORMERR;
   * with neither, nothing. A decodable one that rejectionRcode turns away
   * gets that RCODE, never an answer (from the answer cache or elsewhere).
   */
  private checkRejection(wire: Buffer, reply: Buffer | undefined): void {
    let query;
    try {
      query = decodeMessage(wire);
    } catch {
      const header = readHeader(wire);
      if (!header || header.qr) {
        if (reply) this.violation('answered an unreadable header or a response', wire);
        return;
      }
      if (!reply || (reply[3] & 0x0f) !== RCode.FORMERR) this.violation('undecodable query without FORMERR', wire);
      else this.formerrSampled++;
      return;
    }
    const rejected = query.qr ? undefined : rejectionRcode(query, wire);
    if (rejected === undefined) return;
    if (!reply || decodeMessage(reply).rcode !== rejected) this.violation(`rejected query without RCODE ${rejected}`, wire);
    else this.rejectionSampled++;
  }

  private violation(what: string, wire: Buffer): void {
    if (this.violations.length < 20) this.violations.push(`${what}: ${wire.toString('hex')}`);
  }
}

async function fuzzUdp(source: PacketSource, host: string, port: number, count: number): Promise<void> {
  const socket = dgram.createSocket(net.isIPv6(host) ? 'udp6' : 'udp4');
  socket.on('message', () => {}); // replies are checked server-side; here they are only drained
  await new Promise<void>((resolve) => socket.bind(0, resolve));
  for (let sent = 0; sent < count; sent += UDP_BURST) {
    for (let i = 0; i < UDP_BURST; i++) socket.send(source.next(), port, host);
    // No waiting for replies: one turn of the event loop lets the server read
    // (libuv reads up to 32 datagrams per turn), so few bursts overflow its buffer.
    await nextTurn();
  }
  await new Promise<void>((resolve) => socket.close(() => resolve()));
}

async function fuzzTcp(source: PacketSource, host: string, port: number, count: number): Promise<number> {
  const client = await TcpClient.connect(host, port);
  for (let sent = 0; sent < count; sent += TCP_BURST) {
    const burst: Buffer[] = [];
    for (let i = 0; i < TCP_BURST; i++) burst.push(frame(source.next()));
    if (!client.socket.write(Buffer.concat(burst))) await new Promise((resolve) => client.socket.once('drain', resolve));
    await nextTurn();
  }
  client.socket.end(); // half-close: the server answers what it has, then closes
  await client.closed;
  return client.messages.length;
}

async function fuzzGarbageStream(source: PacketSource, host: string, port: number): Promise<void> {
  const client = await TcpClient.connect(host, port);
  client.socket.end(source.garbageStream(GARBAGE_BYTES));
  await client.closed;
}

describe('fuzz: 100,000+ hostile packets over UDP and TCP', () => {
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);
  let server: RunningServer;
  let checking: CheckingHandler;

  beforeAll(async () => {
    process.on('unhandledRejection', onUnhandled);
    process.on('uncaughtException', onUnhandled);
    const recursor = { resolve: answerWithA };
    checking = new CheckingHandler(new QueryHandler({
      zones: new FakeZones(), recursor, recursion: true, logger: silentLogger, answerCache: new AnswerCache(new ManualClock(), 1000),
    }));
    server = await startServer({
      listen: [{ host: '127.0.0.1', port: 0 }, { host: '::1', port: 0 }],
      handler: checking,
      logger: silentLogger,
      tcp: { idleTimeoutMs: 2000 },
    });
  });

  afterAll(async () => {
    await server?.close();
    process.off('unhandledRejection', onUnhandled);
    process.off('uncaughtException', onUnhandled);
  });

  it('keeps answering correctly, and every reply is a well-formed response', async () => {
    const source = new PacketSource(seededRandom(SEED));
    const [v4, v6] = server.addresses;
    const started = performance.now();

    await fuzzUdp(source, v4.host, v4.port, UDP_PACKETS / 2);
    await fuzzUdp(source, v6.host, v6.port, UDP_PACKETS / 2);
    const tcpReplies = await Promise.all([
      ...Array.from({ length: TCP_CONNECTIONS }, (_, i) =>
        fuzzTcp(source, i % 2 ? v6.host : v4.host, i % 2 ? v6.port : v4.port, TCP_PACKETS_PER_CONNECTION)),
      ...Array.from({ length: GARBAGE_CONNECTIONS }, () => fuzzGarbageStream(source, v4.host, v4.port).then(() => 0)),
    ]);
    await delay(100); // let stragglers settle before judging

    const sent = UDP_PACKETS + TCP_CONNECTIONS * TCP_PACKETS_PER_CONNECTION;
    const seconds = (performance.now() - started) / 1000;
    console.info(`fuzz: sent ${sent} packets and ${GARBAGE_CONNECTIONS} garbage streams in ${seconds.toFixed(1)} s; ` +
      `handler saw ${checking.handled}, replied ${checking.replies}, ` +
      `TCP replies received ${tcpReplies.reduce((a, b) => a + b, 0)}, rcodes ${JSON.stringify(Object.fromEntries(checking.rcodes))}`);

    expect(sent).toBeGreaterThanOrEqual(100_000);
    expect(checking.violations).toEqual([]);
    // TCP loses nothing; UDP may lose some to a full socket buffer, but the
    // bursts are paced so that most arrive.
    expect(checking.handled).toBeGreaterThanOrEqual(TCP_CONNECTIONS * TCP_PACKETS_PER_CONNECTION + UDP_PACKETS / 2);
    expect(checking.formerrSampled).toBeGreaterThan(100);
    expect(checking.rejectionSampled).toBeGreaterThan(100);
    expect(checking.rcodes.get(RCode.FORMERR) ?? 0).toBeGreaterThan(checking.replies / 10);
    expect(checking.rcodes.get(RCode.NOERROR) ?? 0).toBeGreaterThan(0);

    // Still answering, correctly, on both transports and both families.
    for (const { host, port } of server.addresses) {
      const udp = decodeMessage((await udpExchange(host, port, query('www.example.test', 'A', { id: 4321 })))!);
      expect(udp).toMatchObject({ id: 4321, rcode: RCode.NOERROR, aa: true });
      expect(udp.answers[0].data).toBe('192.0.2.1');
      const client = await TcpClient.connect(host, port);
      client.send(query('big.example.test', 'TXT', { id: 4322 }));
      const tcp = decodeMessage((await client.waitFor(1))[0]);
      client.close();
      expect(tcp).toMatchObject({ id: 4322, rcode: RCode.NOERROR, tc: false });
      expect(tcp.answers).toHaveLength(40);
    }
    expect(unhandled).toEqual([]);
  }, 50_000);
});
