// An in-memory internet (DESIGN.md "Seams"): a Transport whose servers,
// keyed by address, are ZoneStores built from zone-file text. Every message
// crosses the real codec both ways, so what the resolver sees is what a
// socket would have delivered. Misbehaving servers (dead, lame, lying,
// truncating, EDNS-intolerant, slow) are options on a server.
//
// Time is virtual: a query that gets no acceptable reply advances the
// ManualClock by its timeout and rejects at once, and a server's `rttMs`
// advances it before answering. Nothing waits for real.

import { decodeMessage, encodeMessage, encodeResponse } from '../../src/dns/codec.js';
import { emptyMessage, RCode, type Message, type ResourceRecord } from '../../src/dns/message.js';
import type { ManualClock } from '../../src/util/clock.js';
import { acceptsReply, TimeoutError, type ExchangeOptions, type ServerAddress, type Transport } from '../../src/upstream/transport.js';
import { parseZoneFile } from '../../src/zones/zone-file.js';
import { ZoneStore } from '../../src/zones/zone-store.js';

export interface FakeServerOptions {
  /** Never answers: every query times out. */
  dead?: boolean;
  /** Does not serve its zones properly: REFUSED, SERVFAIL, or answers with AA=0. */
  lame?: 'refused' | 'servfail' | 'non-aa';
  /** Extra records appended to every reply (a poisoning attempt). */
  inject?: { answers?: ResourceRecord[]; authorities?: ResourceRecord[]; additionals?: ResourceRecord[] };
  /** Replies with the wrong id or question (an off-path spoof); the client must ignore them. */
  mismatch?: 'id' | 'question';
  /** Answers FORMERR without OPT to any query carrying EDNS (RFC 6891 §7). */
  noEdns?: boolean;
  /** Largest UDP reply it sends (on top of the client's EDNS size, or 512 without EDNS); bigger ones get TC=1. */
  maxUdpSize?: number;
  /** Virtual milliseconds each reply takes. */
  rttMs?: number;
  /** Custom handling of one query: a reply, 'drop' (never answer), or undefined for normal service. */
  intercept?: (query: Message) => Message | 'drop' | undefined;
}

export interface RecordedQuery {
  server: string;
  name: string;
  type: string;
  protocol: 'udp' | 'tcp';
  edns: boolean;
}

interface FakeServer {
  store: ZoneStore;
  options: FakeServerOptions;
}

/** The EDNS size a fake server advertises in replies. */
const SERVER_UDP_SIZE = 1232;

export class FakeNetwork implements Transport {
  readonly queries: RecordedQuery[] = [];
  private readonly servers = new Map<string, FakeServer>();

  constructor(private readonly clock: ManualClock) {}

  /** A server at `address` authoritative for the zones in `zoneTexts` (each with its own $ORIGIN). */
  addServer(address: string, zoneTexts: string[], options: FakeServerOptions = {}): void {
    const zones = zoneTexts.map((text, i) => {
      const parsed = parseZoneFile(text, { file: `${address}#${i}`, origin: '.' });
      if (!parsed.zone) throw new Error(`fake zone for ${address} does not parse:\n${parsed.errors.join('\n')}`);
      return parsed.zone;
    });
    this.servers.set(address, { store: new ZoneStore(zones), options });
  }

  /** Changes how the server at `address` behaves from now on. */
  configure(address: string, options: FakeServerOptions): void {
    const server = this.servers.get(address);
    if (!server) throw new Error(`no fake server at ${address}`);
    server.options = options;
  }

  queriesTo(address: string): RecordedQuery[] {
    return this.queries.filter((q) => q.server === address);
  }

  clear(): void {
    this.queries.length = 0;
  }

  async exchange(to: ServerAddress, query: Message, options: ExchangeOptions): Promise<Message> {
    // Let concurrent callers interleave, as they would on a real network.
    await Promise.resolve();
    const received = decodeMessage(encodeMessage(query));
    const question = received.questions[0];
    this.queries.push({ server: to.address, name: question.name, type: question.type, protocol: options.protocol, edns: received.edns !== undefined });

    const server = this.servers.get(to.address);
    if (!server) return this.timeout(options);
    const reply = this.reply(server, received);
    if (reply === undefined) return this.timeout(options);
    if (server.options.rttMs) this.clock.advance(server.options.rttMs);

    const wire = options.protocol === 'udp'
      ? encodeResponse(reply, Math.min(received.edns?.udpSize ?? 512, server.options.maxUdpSize ?? Infinity))
      : encodeMessage(reply);
    const delivered = decodeMessage(wire);
    // What NetTransport does with a reply that is not for our query: ignore it and keep waiting.
    if (!acceptsReply(query, delivered)) return this.timeout(options);
    return delivered;
  }

  private reply(server: FakeServer, query: Message): Message | undefined {
    const { options } = server;
    if (options.dead) return undefined;
    if (options.noEdns && query.edns) return errorReply(query, RCode.FORMERR);
    const custom = options.intercept?.(query);
    if (custom === 'drop') return undefined;
    let reply = custom ?? this.serve(server, query);
    if (query.edns) reply.edns = { udpSize: SERVER_UDP_SIZE, version: 0, dnssecOk: false, extendedRcode: 0, options: [] };
    if (options.mismatch === 'id') reply = { ...reply, id: (reply.id + 1) & 0xffff };
    if (options.mismatch === 'question') reply = { ...reply, questions: [{ ...reply.questions[0], name: `spoofed.${reply.questions[0].name}` }] };
    return reply;
  }

  private serve(server: FakeServer, query: Message): Message {
    const { options, store } = server;
    if (options.lame === 'refused') return errorReply(query, RCode.REFUSED);
    if (options.lame === 'servfail') return errorReply(query, RCode.SERVFAIL);
    const reply = store.respond(query) ?? errorReply(query, RCode.REFUSED);
    if (options.lame === 'non-aa') reply.aa = false;
    if (options.inject) {
      reply.answers = [...reply.answers, ...(options.inject.answers ?? [])];
      reply.authorities = [...reply.authorities, ...(options.inject.authorities ?? [])];
      reply.additionals = [...reply.additionals, ...(options.inject.additionals ?? [])];
    }
    return reply;
  }

  private timeout(options: ExchangeOptions): never {
    this.clock.advance(options.timeoutMs);
    throw new TimeoutError();
  }
}

function errorReply(query: Message, rcode: number): Message {
  const reply = emptyMessage(query.id);
  reply.qr = true;
  reply.rcode = rcode;
  reply.questions = query.questions.map((q) => ({ ...q }));
  return reply;
}
