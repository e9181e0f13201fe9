// An in-memory internet (DESIGN.md "Seams"): a Transport whose hosts, keyed
// by address and port, are servers of ZoneStores built from zone-file text,
// or scripted servers following a transport-contract Script. Misbehaving
// zone servers (dead, lame, lying, truncating, EDNS-intolerant, slow) are
// options on a server.
//
// It runs the same transport contract as the real UDP/TCP NetTransport
// (test/fakes/fake-network-contract.test.ts), so it must be exactly as strict:
// every reply is bytes on a wire, framed over TCP, decoded as NetTransport
// decodes it, taken only from the server's own address and port and only when
// acceptsReply() matches it to the query; anything else is ignored while the
// exchange waits on. Zone servers size their UDP replies as a real server
// does and set TC=1 when a reply does not fit.
//
// Time is virtual: a query that gets no acceptable reply advances the
// ManualClock by its timeout and rejects at once; a reply arrives after the
// server's `rttMs` (so a server slower than the timeout times out). Nothing
// waits for real.

import { isIP } from 'node:net';
import { decodeMessage, encodeMessage, encodeResponse, FormatError } from '../../src/dns/codec.js';
import { emptyMessage, RCode, type Message, type ResourceRecord } from '../../src/dns/message.js';
import { FrameReader, frame } from '../../src/dns/tcp-framing.js';
import { RESPONSE_EDNS, responseSizeLimit } from '../../src/server/edns.js';
import type { ManualClock } from '../../src/util/clock.js';
import {
  acceptsReply, exchangeFailure, NetworkError, TimeoutError, type ExchangeOptions, type ServerAddress, type Transport,
} from '../../src/upstream/transport.js';
import { parseZoneFile } from '../../src/zones/zone-file.js';
import { ZoneStore } from '../../src/zones/zone-store.js';
import { stepBytes, type Protocol, type ReceivedQuery, type ReplyStep, type Script } from '../upstream/server-script.js';

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
  /** Virtual milliseconds each reply takes; a reply slower than the query's timeout is never seen. */
  rttMs?: number;
  /** Custom handling of one query: a reply, 'drop' (never answer), or undefined for normal service. */
  intercept?: (query: Message) => Message | 'drop' | undefined;
}

export interface RecordedQuery {
  server: string;
  port: number;
  name: string;
  type: string;
  protocol: Protocol;
  edns: boolean;
}

/** A scripted server on the fake network: where to send, and what it received. */
export interface ScriptedServer {
  address: ServerAddress;
  received: ReceivedQuery[];
}

/** Something listening on an address and port of the fake network. */
interface Host {
  /** What the host sends back, in order, for one query it received. */
  answer(query: Message, protocol: Protocol): ReplyStep[];
  /** Virtual milliseconds until its replies arrive. */
  readonly rttMs: number;
}

const DNS_PORT = 53;

export class FakeNetwork implements Transport {
  readonly queries: RecordedQuery[] = [];
  /** address → port → host. */
  private readonly hosts = new Map<string, Map<number, Host>>();

  constructor(private readonly clock: ManualClock) {}

  /** A server at `address` authoritative for the zones in `zoneTexts` (each with its own $ORIGIN). */
  addServer(address: string, zoneTexts: string[], options: FakeServerOptions = {}, port = DNS_PORT): void {
    const zones = zoneTexts.map((text, i) => {
      const parsed = parseZoneFile(text, { file: `${address}#${i}`, origin: '.' });
      if (!parsed.zone) throw new Error(`fake zone for ${address} does not parse:\n${parsed.errors.join('\n')}`);
      return parsed.zone;
    });
    this.listen(address, port, new ZoneServer(new ZoneStore(zones), options));
  }

  /** A server at `address` that answers each query as `script` says (the transport contract's scripted server). */
  addScriptedServer(address: string, script: Script, port = DNS_PORT): ScriptedServer {
    const received: ReceivedQuery[] = [];
    this.listen(address, port, {
      rttMs: 0,
      answer(query, protocol) {
        received.push({ protocol, query });
        return script(query, protocol);
      },
    });
    return { address: { address, port }, received };
  }

  /** Changes how the zone server at `address` behaves from now on. */
  configure(address: string, options: FakeServerOptions, port = DNS_PORT): void {
    const server = this.hosts.get(address)?.get(port);
    if (!(server instanceof ZoneServer)) throw new Error(`no fake zone server at ${address} port ${port}`);
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
    const family = isIP(to.address);
    const label = family === 6 ? `[${to.address}]:${to.port}` : `${to.address}:${to.port}`;
    // As NetTransport: nothing is sent to a name.
    if (family !== 4 && family !== 6) throw new NetworkError(`${label}: not an IP address`);

    const received = decodeMessage(encodeMessage(query));
    const question = received.questions[0];
    this.queries.push({
      server: to.address, port: to.port, name: question.name, type: question.type,
      protocol: options.protocol, edns: received.edns !== undefined,
    });

    const ports = this.hosts.get(to.address);
    // No such host: the packets are lost, as to an address nobody uses.
    if (!ports) return this.timeout(label, options);
    const host = ports.get(to.port);
    // A live host with nothing on the port refuses: ICMP port unreachable
    // reaches NetTransport's connected UDP socket, a RST its TCP connect.
    if (!host) throw refused(label, options.protocol);

    const arriving = onTheWire(host.answer(received, options.protocol), options.protocol);
    // NetTransport's timer runs from the send, so replies slower than the
    // timeout are never seen, and ignored ones cost no more than the timeout.
    if (host.rttMs < options.timeoutMs) {
      for (const bytes of arriving) {
        const reply = acceptReply(query, bytes);
        if (reply) {
          this.clock.advance(host.rttMs);
          return reply;
        }
      }
    }
    return this.timeout(label, options);
  }

  private listen(address: string, port: number, host: Host): void {
    let ports = this.hosts.get(address);
    if (!ports) this.hosts.set(address, (ports = new Map()));
    ports.set(port, host);
  }

  private timeout(label: string, options: ExchangeOptions): never {
    this.clock.advance(options.timeoutMs);
    throw new TimeoutError(`no reply from ${label} over ${options.protocol.toUpperCase()} within ${options.timeoutMs} ms`);
  }
}

/**
 * The messages the client's socket reads, in order. Over UDP each step is a
 * datagram, and a spoofed one comes from another address or port, which the
 * connected socket (and NetTransport's source check) never passes up, RFC
 * 5452 §9.1. Over TCP the steps are one framed byte stream, read back the way
 * NetTransport reads it.
 */
function onTheWire(steps: ReplyStep[], protocol: Protocol): Buffer[] {
  if (protocol === 'udp') return steps.filter((step) => !('spoof' in step)).map(stepBytes);
  if (steps.some((step) => 'spoof' in step)) throw new Error('spoofing needs UDP');
  return new FrameReader().push(Buffer.concat(steps.map((step) => frame(stepBytes(step)))));
}

/** NetTransport's rule: bytes that do not decode, or do not answer our query, are not our reply. */
function acceptReply(query: Message, bytes: Buffer): Message | undefined {
  let reply: Message;
  try {
    // Lenient about trailing bytes, as NetTransport is.
    reply = decodeMessage(bytes, { allowTrailing: true });
  } catch (err) {
    if (err instanceof FormatError) return undefined;
    throw err;
  }
  return acceptsReply(query, reply) ? reply : undefined;
}

function refused(label: string, protocol: Protocol): NetworkError {
  const err: NodeJS.ErrnoException = Object.assign(new Error('ECONNREFUSED'), { code: 'ECONNREFUSED' });
  return protocol === 'udp' ? exchangeFailure(label, 'UDP', 'recvmsg', err) : exchangeFailure(label, 'TCP', 'connect', err);
}

/** A server authoritative for its zones, misbehaving as its options say. */
class ZoneServer implements Host {
  constructor(private readonly store: ZoneStore, public options: FakeServerOptions) {}

  get rttMs(): number {
    return this.options.rttMs ?? 0;
  }

  answer(query: Message, protocol: Protocol): ReplyStep[] {
    const reply = this.reply(query);
    if (reply === undefined) return [];
    // The size rules of a real server (Hops' own, RFC 6891 §6.2.5): over UDP
    // the client's EDNS size within [512, 1232], or 512 without EDNS, and
    // TC=1 when the answer does not fit; over TCP only the 16-bit frame
    // length limits it.
    let limit = responseSizeLimit(query.edns, protocol);
    if (protocol === 'udp' && this.options.maxUdpSize !== undefined) limit = Math.min(limit, this.options.maxUdpSize);
    return [{ sendBytes: encodeResponse(reply, limit) }];
  }

  private reply(query: Message): Message | undefined {
    const { options } = this;
    if (options.dead) return undefined;
    if (options.noEdns && query.edns) return errorReply(query, RCode.FORMERR);
    const custom = options.intercept?.(query);
    if (custom === 'drop') return undefined;
    let reply = custom ?? this.serve(query);
    if (query.edns) reply.edns = { ...RESPONSE_EDNS };
    if (options.mismatch === 'id') reply = { ...reply, id: (reply.id + 1) & 0xffff };
    if (options.mismatch === 'question') reply = { ...reply, questions: [{ ...reply.questions[0], name: `spoofed.${reply.questions[0].name}` }] };
    return reply;
  }

  private serve(query: Message): Message {
    const { options, store } = this;
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
}

function errorReply(query: Message, rcode: number): Message {
  const reply = emptyMessage(query.id);
  reply.qr = true;
  reply.rcode = rcode;
  reply.questions = query.questions.map((q) => ({ ...q }));
  return reply;
}
