// What every Transport owes the resolver (src/upstream/transport.ts), written
// once and run against each implementation (STYLE.md habit 7): the real
// UDP/TCP NetTransport (test/upstream/net-transport.test.ts) and the
// in-memory FakeNetwork every resolver scenario runs on
// (test/fakes/fake-network-contract.test.ts), so a scenario cannot pass on
// behaviour the real network does not have.
//
// An implementation plugs in a factory that starts a scripted server: for
// each query it receives, the server performs the listed reply steps in
// order (./server-script.ts). The suite then checks which of those replies
// the transport accepts.

import { describe, expect, it } from 'vitest';
import { encodeMessage } from '../../src/dns/codec.js';
import type { Message } from '../../src/dns/message.js';
import { NetworkError, TimeoutError, type ServerAddress, type Transport } from '../../src/upstream/transport.js';
import type { Protocol, ReplyStep, Script, ReceivedQuery } from './server-script.js';

export type { Protocol, ReplyStep, Script, ReceivedQuery } from './server-script.js';

export interface TransportUnderTest {
  transport: Transport;
  server: ServerAddress;
  /** Queries the server received, oldest first. */
  received: ReceivedQuery[];
  /**
   * The clock the transport's timeouts run on, in milliseconds. Absent: real
   * time (performance.now()). The FakeNetwork times out on virtual time (a
   * ManualClock it advances instead of waiting), so the suite checks *when*
   * a transport gives up on the clock that transport actually keeps; the
   * bounds are the same for both.
   */
  now?: () => number;
  /**
   * An address of the server's host with nothing listening on the port, so
   * the host refuses: ICMP port unreachable over UDP, RST over TCP.
   */
  closedPort(): Promise<ServerAddress>;
  close(): Promise<void>;
}

export type MakeTransportAndServer = (script: Script) => Promise<TransportUnderTest>;

export interface ContractOptions {
  /** False when the harness has no second address to spoof from (e.g. IPv6 loopback has only ::1). */
  spoofFromOtherAddress?: boolean;
}

export const TIMEOUT_MS = 200;

export function testQuery(name = 'www.example.com', type = 'A'): Message {
  return {
    id: 0x4a2b, qr: false, opcode: 0, aa: false, tc: false, rd: false, ra: false, ad: false, cd: false,
    rcode: 0, questions: [{ name, type, class: 'IN' }], answers: [], authorities: [], additionals: [],
  };
}

/** A reply to `query` whose single A record (`marker`) tells which reply was accepted. */
export function testReply(query: Message, marker: string, changes: Partial<Message> = {}): Message {
  const q = query.questions[0];
  return {
    ...query, qr: true, aa: true,
    answers: [{ name: q.name, type: 'A', class: 'IN', ttl: 300, data: marker }],
    ...changes,
  };
}

const GOOD = '192.0.2.1';
const BAD = '192.0.2.66';

export function describeTransportContract(name: string, make: MakeTransportAndServer, options: ContractOptions = {}): void {
  const spoofSources: Array<'other-port' | 'other-address'> =
    options.spoofFromOtherAddress === false ? ['other-port'] : ['other-port', 'other-address'];

  /** Runs one exchange against a server following `script`. */
  async function exchange(protocol: Protocol, script: Script, query = testQuery()) {
    const harness = await make(script);
    try {
      const reply = await harness.transport.exchange(harness.server, query, { protocol, timeoutMs: TIMEOUT_MS });
      return { reply, received: harness.received };
    } finally {
      await harness.close();
    }
  }

  async function expectTimeout(protocol: Protocol, script: Script): Promise<void> {
    const harness = await make(script);
    const now = harness.now ?? (() => performance.now());
    try {
      const started = now();
      await expect(harness.transport.exchange(harness.server, testQuery(), { protocol, timeoutMs: TIMEOUT_MS }))
        .rejects.toBeInstanceOf(TimeoutError);
      const elapsed = now() - started;
      expect(elapsed).toBeGreaterThanOrEqual(TIMEOUT_MS - 20);
      expect(elapsed).toBeLessThan(TIMEOUT_MS + 800);
    } finally {
      await harness.close();
    }
  }

  // Each case is sent before the genuine reply; accepting it would return BAD.
  const notOurs: Array<[string, (q: Message) => ReplyStep]> = [
    ['another id', (q) => ({ send: testReply(q, BAD, { id: q.id ^ 0x0100 }) })],
    ['a query (QR=0) echoing our id and question', (q) => ({ send: testReply(q, BAD, { qr: false }) })],
    ['another name', (q) => ({ send: testReply(q, BAD, { questions: [{ ...q.questions[0], name: 'www.example.net' }] }) })],
    ['another type', (q) => ({ send: testReply(q, BAD, { questions: [{ ...q.questions[0], type: 'AAAA' }] }) })],
    ['another class', (q) => ({ send: testReply(q, BAD, { questions: [{ ...q.questions[0], class: 'CH' }] }) })],
    ['no question', (q) => ({ send: testReply(q, BAD, { questions: [] }) })],
    ['two questions', (q) => ({ send: testReply(q, BAD, { questions: [q.questions[0], q.questions[0]] }) })],
    ['undecodable bytes', () => ({ sendBytes: Buffer.from([0x4a, 0x2b, 0x81, 0x00, 0x00]) })],
    ['a record running past the end', (q) => ({ sendBytes: encodeMessage(testReply(q, BAD)).subarray(0, -2) })],
  ];

  describe(`Transport contract: ${name}`, () => {
    for (const protocol of ['udp', 'tcp'] as const) {
      describe(`over ${protocol.toUpperCase()}`, () => {
        it('returns the reply to the query, and the server saw exactly that query', async () => {
          const query = testQuery();
          const { reply, received } = await exchange(protocol, (q) => [{ send: testReply(q, GOOD) }], query);
          expect(reply).toMatchObject({ id: query.id, qr: true, questions: query.questions });
          expect(reply.answers.map((rr) => rr.data)).toEqual([GOOD]);
          expect(received).toHaveLength(1);
          expect(received[0]).toMatchObject({ protocol, query: { id: query.id, questions: query.questions } });
        });

        it.each(notOurs)('RFC 5452 §9.1: ignores a reply with %s and keeps waiting', async (_, bad) => {
          const { reply } = await exchange(protocol, (q) => [bad(q), { send: testReply(q, GOOD) }]);
          expect(reply.answers.map((rr) => rr.data)).toEqual([GOOD]);
        });

        it('accepts the question name in another letter case (DNS 0x20)', async () => {
          const { reply } = await exchange(protocol, (q) => [
            { send: testReply(q, GOOD, { questions: [{ ...q.questions[0], name: 'WwW.ExAmPlE.CoM' }] }) },
          ]);
          expect(reply.answers.map((rr) => rr.data)).toEqual([GOOD]);
        });

        it('accepts bytes trailing after the last record', async () => {
          const { reply } = await exchange(protocol, (q) => [
            { sendBytes: Buffer.concat([encodeMessage(testReply(q, GOOD)), Buffer.alloc(4)]) },
          ]);
          expect(reply.answers.map((rr) => rr.data)).toEqual([GOOD]);
        });

        it('rejects with TimeoutError when no reply comes', async () => {
          await expectTimeout(protocol, () => []);
        });

        it('rejects with TimeoutError when only replies that are not ours come', async () => {
          await expectTimeout(protocol, (q) => [{ send: testReply(q, BAD, { id: q.id ^ 1 }) }]);
        });

        it('fails fast with NetworkError when nothing listens on the port', async () => {
          const harness = await make(() => []);
          const now = harness.now ?? (() => performance.now());
          try {
            const closed = await harness.closedPort();
            const started = now();
            const failure = harness.transport.exchange(closed, testQuery(), { protocol, timeoutMs: 5_000 });
            await expect(failure).rejects.toThrow(NetworkError);
            await expect(failure).rejects.toThrow(/ECONNREFUSED/);
            expect(now() - started).toBeLessThan(1_000);
          } finally {
            await harness.close();
          }
        });

        it('rejects a server address that is not an IP address with NetworkError, sending nothing', async () => {
          const harness = await make((q) => [{ send: testReply(q, GOOD) }]);
          try {
            const server = { address: 'localhost', port: harness.server.port };
            await expect(harness.transport.exchange(server, testQuery(), { protocol, timeoutMs: TIMEOUT_MS }))
              .rejects.toThrow(NetworkError);
            expect(harness.received).toEqual([]);
          } finally {
            await harness.close();
          }
        });
      });
    }

    describe('over UDP only', () => {
      it('returns a truncated (TC=1) reply as is: retrying over TCP is the caller\'s decision', async () => {
        const { reply } = await exchange('udp', (q) => [{ send: testReply(q, GOOD, { tc: true }) }]);
        expect(reply.tc).toBe(true);
        expect(reply.answers.map((rr) => rr.data)).toEqual([GOOD]);
      });

      for (const from of spoofSources) {
        it(`RFC 5452 §9.1: ignores a matching reply from ${from} and times out`, async () => {
          await expectTimeout('udp', (q) => [{ spoof: testReply(q, BAD), from }]);
        });

        it(`RFC 5452 §9.1: ignores a matching reply from ${from}, then takes the server's own`, async () => {
          const { reply } = await exchange('udp', (q) => [{ spoof: testReply(q, BAD), from }, { send: testReply(q, GOOD) }]);
          expect(reply.answers.map((rr) => rr.data)).toEqual([GOOD]);
        });
      }
    });
  });
}
