// The seam between the resolver and the network (DESIGN.md "Seams"). The
// resolver only ever talks to a Transport; production uses the UDP/TCP one in
// ./net-transport.ts, tests an in-memory network of ZoneStores.

import type { Message } from '../dns/message.js';
import { normalizeName } from '../dns/name.js';

export interface ServerAddress {
  /** IPv4 or IPv6 address literal (no brackets). */
  address: string;
  port: number;
}

export interface ExchangeOptions {
  protocol: 'udp' | 'tcp';
  /** Give up (reject with TimeoutError) after this many milliseconds. */
  timeoutMs: number;
}

export interface Transport {
  /**
   * Sends `query` to `server` and resolves with the first reply that
   * `acceptsReply(query, reply)` accepts and that came from `server` itself;
   * anything else is ignored while waiting. Rejects with TimeoutError when no
   * acceptable reply arrives in time, or NetworkError when sending fails.
   */
  exchange(server: ServerAddress, query: Message, options: ExchangeOptions): Promise<Message>;
}

export class TimeoutError extends Error {
  readonly code = 'ETIMEOUT';
  constructor(message = 'upstream query timed out') {
    super(message);
    this.name = 'TimeoutError';
  }
}

export class NetworkError extends Error {
  readonly code = 'ENETWORK';
  /** The socket error code (ECONNREFUSED, ENETUNREACH, …); undefined when there was none (a TCP close). */
  constructor(message: string, readonly errno?: string) {
    super(message);
    this.name = 'NetworkError';
  }
}

/** A socket step that failed (`server` is the label, e.g. 192.0.2.1:53), as both exchanges report it. */
export function exchangeFailure(server: string, protocol: 'UDP' | 'TCP', step: string, err: NodeJS.ErrnoException): NetworkError {
  return new NetworkError(`${server}: ${protocol} ${step} failed: ${err.code ?? err.message}`, err.code);
}

/**
 * RFC 5452 §9.1: a reply is only ours if it is a response with our id and
 * exactly our question (name compared case-insensitively).
 */
export function acceptsReply(query: Message, reply: Message): boolean {
  if (!reply.qr || reply.id !== query.id) return false;
  if (reply.questions.length !== 1 || query.questions.length !== 1) return false;
  const q = query.questions[0];
  const r = reply.questions[0];
  return r.type === q.type && r.class === q.class && normalizeName(r.name) === normalizeName(q.name);
}
