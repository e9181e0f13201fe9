// The production Transport: one query to one authoritative server over real
// UDP or TCP sockets. This file decides *what* counts as the reply; the
// socket mechanics live in ./udp-exchange.ts and ./tcp-exchange.ts.

import { isIP } from 'node:net';
import { decodeMessage, encodeMessage, FormatError } from '../dns/codec.js';
import type { Message } from '../dns/message.js';
import { silentLogger, type Logger } from '../util/log.js';
import { cryptoRandom, type Random } from '../util/random.js';
import { tcpExchange } from './tcp-exchange.js';
import {
  acceptsReply, NetworkError, type ExchangeOptions, type ServerAddress, type Transport,
} from './transport.js';
import { udpExchange } from './udp-exchange.js';

export interface NetTransportOptions {
  /**
   * Source addresses for outgoing queries. Each query uses one of the
   * server's address family, chosen at random (RFC 5452 §9.2: use several
   * addresses in an unpredictable manner). Absent or empty: the kernel
   * chooses. When given, they are the only sources used: a server whose
   * family has none of them is unreachable (NetworkError).
   */
  outgoingAddresses?: string[];
  logger?: Logger;
  /** Chooses among the outgoing addresses; injected so tests can pin it. */
  random?: Random;
}

/** One exchange as the socket code sees it: bytes out, a filter for bytes in. */
export interface WireExchange {
  server: ServerAddress;
  family: 4 | 6;
  /** For error messages: `192.0.2.1:53`, `[2001:db8::1]:53`. */
  label: string;
  localAddress?: string;
  payload: Buffer;
  timeoutMs: number;
  /**
   * The decoded reply when these bytes are the answer to our query, else
   * undefined: the caller ignores them and keeps waiting (RFC 5452 §9.1).
   */
  accept(bytes: Buffer): Message | undefined;
}

export class NetTransport implements Transport {
  private readonly sources: Record<4 | 6, string[]> = { 4: [], 6: [] };
  private readonly restrictSources: boolean;
  private readonly logger: Logger;
  private readonly random: Random;

  constructor(options: NetTransportOptions = {}) {
    const outgoing = options.outgoingAddresses ?? [];
    for (const address of outgoing) {
      const family = isIP(address);
      if (family !== 4 && family !== 6) {
        throw new Error(`outgoingAddresses: '${address}' is not an IPv4 or IPv6 address`);
      }
      this.sources[family].push(address);
    }
    this.restrictSources = outgoing.length > 0;
    this.logger = options.logger ?? silentLogger;
    this.random = options.random ?? cryptoRandom;
  }

  async exchange(server: ServerAddress, query: Message, options: ExchangeOptions): Promise<Message> {
    const family = isIP(server.address);
    const label = family === 6 ? `[${server.address}]:${server.port}` : `${server.address}:${server.port}`;
    if (family !== 4 && family !== 6) throw new NetworkError(`${label}: not an IP address`);
    const localAddress = this.pickSource(family, label);
    const log = this.logger.isLevelEnabled('debug')
      ? this.logger.child({ server: label, protocol: options.protocol, id: query.id, question: query.questions[0] })
      : undefined;

    const exchange: WireExchange = {
      server, family, label, localAddress,
      payload: encodeMessage(query),
      timeoutMs: options.timeoutMs,
      accept(bytes) {
        let reply: Message;
        try {
          // Lenient: some servers pad their replies, and the bytes after the
          // last record carry nothing we would use.
          reply = decodeMessage(bytes, { allowTrailing: true });
        } catch (err) {
          if (!(err instanceof FormatError)) throw err;
          log?.debug({ reason: err.message }, 'ignored undecodable reply');
          return undefined;
        }
        if (!acceptsReply(query, reply)) {
          log?.debug({ replyId: reply.id, replyQuestion: reply.questions[0] }, 'ignored reply that does not match the query');
          return undefined;
        }
        return reply;
      },
    };
    return options.protocol === 'udp' ? udpExchange(exchange) : tcpExchange(exchange);
  }

  private pickSource(family: 4 | 6, label: string): string | undefined {
    if (!this.restrictSources) return undefined;
    const candidates = this.sources[family];
    if (candidates.length === 0) throw new NetworkError(`${label}: no outgoing IPv${family} address configured`);
    return candidates[this.random.int(candidates.length)];
  }
}
