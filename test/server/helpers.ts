// Shared pieces of the server tests: query builders, a tiny LocalZones, a
// scriptable Recursor, and UDP/TCP clients for real-socket tests.

import dgram from 'node:dgram';
import net from 'node:net';
import { encodeMessage } from '../../src/dns/codec.js';
import { emptyMessage, RCode, type Edns, type Message, type ResourceRecord } from '../../src/dns/message.js';
import { FrameReader, frame } from '../../src/dns/tcp-framing.js';
import type { RecursionOptions, RecursionResult, Recursor } from '../../src/resolver/recursor.js';
import type { LocalZones } from '../../src/server/query-handler.js';
import type { Question } from '../../src/dns/message.js';

export interface QueryOptions {
  id?: number;
  rd?: boolean;
  cd?: boolean;
  opcode?: number;
  klass?: string;
  /** true: EDNS version 0 advertising 1232; or the fields to use. */
  edns?: boolean | Partial<Edns>;
}

export function queryMessage(name: string, type: string, options: QueryOptions = {}): Message {
  const msg = emptyMessage(options.id ?? 0x1234);
  msg.rd = options.rd ?? true;
  msg.cd = options.cd ?? false;
  msg.opcode = options.opcode ?? 0;
  msg.questions = [{ name, type, class: options.klass ?? 'IN' }];
  if (options.edns) {
    const fields = options.edns === true ? {} : options.edns;
    msg.edns = { udpSize: 1232, version: 0, dnssecOk: false, extendedRcode: 0, options: [], ...fields };
  }
  return msg;
}

export function query(name: string, type: string, options: QueryOptions = {}): Buffer {
  return encodeMessage(queryMessage(name, type, options));
}

// ---- a tiny LocalZones: one zone, example.test ---------------------------------

const ZONE = 'example.test';
const SOA: ResourceRecord = {
  name: ZONE, type: 'SOA', class: 'IN', ttl: 3600,
  data: { mname: `ns.${ZONE}`, rname: `hostmaster.${ZONE}`, serial: 1, refresh: 3600, retry: 600, expire: 86400, minimum: 300 },
};

/** 40 TXT records of 100 bytes: about 4.4 KB, over every UDP limit. */
export const BIG_TXT: ResourceRecord[] = Array.from({ length: 40 }, (_, i) => ({
  name: `big.${ZONE}`, type: 'TXT', class: 'IN', ttl: 300, data: [Buffer.alloc(100, 97 + (i % 26))],
}));
/** 100 A records of 33 bytes: 3.3 KB, over 1232 but under 4096. */
export const MANY_A: ResourceRecord[] = Array.from({ length: 100 }, (_, i) => ({
  name: `many.${ZONE}`, type: 'A', class: 'IN', ttl: 300, data: `192.0.2.${i + 1}`,
}));

const RECORDS: Record<string, ResourceRecord[]> = {
  [`www.${ZONE}`]: [{ name: `www.${ZONE}`, type: 'A', class: 'IN', ttl: 300, data: '192.0.2.1' }],
  [`big.${ZONE}`]: BIG_TXT,
  [`many.${ZONE}`]: MANY_A,
};

export class FakeZones implements LocalZones {
  readonly asked: Question[] = [];

  respond(query: Message): Message | undefined {
    const q = query.questions[0];
    const name = q.name.toLowerCase();
    if (name !== ZONE && !name.endsWith(`.${ZONE}`)) return undefined;
    this.asked.push(q);
    const response = emptyMessage(query.id);
    response.qr = true;
    response.aa = true;
    response.questions = [q];
    const records = RECORDS[name];
    if (!records) {
      response.rcode = RCode.NXDOMAIN;
      response.authorities = [SOA];
    } else {
      response.answers = records.filter((rr) => rr.type === q.type);
      if (response.answers.length === 0) response.authorities = [SOA];
    }
    return response;
  }
}

// ---- a scriptable Recursor ----------------------------------------------------

export type RecursorScript = (question: Question, options: RecursionOptions) => Promise<RecursionResult>;

export class FakeRecursor implements Recursor {
  readonly calls: Array<{ question: Question; options: RecursionOptions }> = [];
  constructor(private readonly script: RecursorScript = answerWithA) {}

  resolve(question: Question, options: RecursionOptions): Promise<RecursionResult> {
    this.calls.push({ question, options });
    return this.script(question, options);
  }
}

/** Answers every question with one A record, 198.51.100.1. */
export async function answerWithA(question: Question): Promise<RecursionResult> {
  return {
    rcode: RCode.NOERROR,
    answers: [{ name: question.name.toLowerCase(), type: 'A', class: 'IN', ttl: 60, data: '198.51.100.1' }],
    authorities: [],
  };
}

export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

// ---- clients --------------------------------------------------------------------

/** Sends one datagram and resolves with the first reply, or undefined after `timeoutMs`. */
export function udpExchange(host: string, port: number, wire: Buffer, timeoutMs = 2000): Promise<Buffer | undefined> {
  const socket = dgram.createSocket(net.isIPv6(host) ? 'udp6' : 'udp4');
  return new Promise((resolve, reject) => {
    const done = (reply: Buffer | undefined) => {
      clearTimeout(timer);
      socket.close();
      resolve(reply);
    };
    const timer = setTimeout(() => done(undefined), timeoutMs);
    socket.on('message', (reply) => done(reply));
    socket.on('error', (err) => {
      clearTimeout(timer);
      socket.close();
      reject(err);
    });
    socket.send(wire, port, host);
  });
}

/** A TCP client that collects framed messages as they arrive. */
export class TcpClient {
  readonly messages: Buffer[] = [];
  readonly closed: Promise<void>;
  private readonly reader = new FrameReader();
  private waiters: Array<() => void> = [];

  private constructor(readonly socket: net.Socket) {
    socket.on('data', (chunk) => {
      this.messages.push(...this.reader.push(chunk));
      this.wake();
    });
    socket.on('error', () => {}); // resets are expected in some tests; `closed` reports the end
    this.closed = new Promise((resolve) => socket.on('close', () => {
      this.wake();
      resolve();
    }));
  }

  static connect(host: string, port: number): Promise<TcpClient> {
    return new Promise((resolve, reject) => {
      const socket = net.connect({ host, port });
      socket.once('connect', () => resolve(new TcpClient(socket)));
      socket.once('error', reject);
    });
  }

  send(wire: Buffer): void {
    this.socket.write(frame(wire));
  }

  sendRaw(bytes: Buffer): void {
    this.socket.write(bytes);
  }

  /** Resolves when `count` messages have arrived in all (rejects on timeout or close). */
  async waitFor(count: number, timeoutMs = 3000): Promise<Buffer[]> {
    const deadline = Date.now() + timeoutMs;
    while (this.messages.length < count) {
      if (this.socket.destroyed) throw new Error(`connection closed after ${this.messages.length} of ${count} messages`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out with ${this.messages.length} of ${count} messages`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    return this.messages.slice(0, count);
  }

  close(): void {
    this.socket.destroy();
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }
}
