// Starts the listeners: for every address a UDP socket, then a TCP one on the
// same port (RFC 7766 §5: TCP service is required, not optional), and stops
// them together, optionally letting the queries being answered finish first.

import type { Logger } from '../util/log.js';
import type { ListenAddress } from './address.js';
import { BindError } from './bind-error.js';
import type { ClientInfo, MessageHandler } from './message-handler.js';
import { DEFAULT_TCP_LIMITS, TcpListener, type TcpLimits } from './tcp-listener.js';
import { UdpListener } from './udp-listener.js';

export interface ServerOptions {
  listen: ListenAddress[];
  handler: MessageHandler;
  logger: Logger;
  /** Unset fields take DEFAULT_TCP_LIMITS. */
  tcp?: Partial<TcpLimits>;
}

export interface ServerStats {
  tcpConnections: number;
  /** Connections closed on arrival because a listener was at its cap. */
  tcpRejectedConnections: number;
}

export interface RunningServer {
  /** The addresses listened on, in order, with the ports actually bound (useful with port 0). */
  readonly addresses: ListenAddress[];
  stats(): ServerStats;
  /** Queries received and not yet answered (or dropped). */
  readonly inFlight: number;
  /**
   * Stops taking queries (new ones get no answer), waits up to `graceMs` for
   * those in flight to be answered, then closes every socket and connection.
   * Safe to call twice; the second call joins the first.
   */
  close(graceMs?: number): Promise<void>;
}

/**
 * With port 0 the kernel picks a free UDP port, which may be taken for TCP;
 * then we try again with a new one, this many times in all.
 */
const EPHEMERAL_PORT_ATTEMPTS = 10;

/**
 * Binds every address (UDP then TCP) and resolves once all accept queries.
 * Rejects with BindError, after closing whatever was already bound.
 */
export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const { logger } = options;
  const handler = new InFlightHandler(options.handler);
  const limits = tcpLimits(options.tcp);
  const pairs: ListenerPair[] = [];
  try {
    for (const { host, port } of options.listen) {
      pairs.push(await bindPair(host, port, handler, logger, limits));
    }
  } catch (err) {
    await closeAll(pairs);
    throw err;
  }
  return new Server(pairs, handler);
}

/**
 * Counts the queries being answered, so a shutdown can wait for them, and
 * once draining drops new ones. Adds no await of its own: the listener gets
 * the inner handler's promise back.
 */
class InFlightHandler implements MessageHandler {
  count = 0;
  draining = false;
  private onIdle: (() => void) | undefined;

  constructor(private readonly inner: MessageHandler) {}

  /** Synchronous answers are never in flight; while draining there are none. */
  answerNow(wire: Buffer, client: ClientInfo): Buffer | undefined {
    return this.draining ? undefined : this.inner.answerNow?.(wire, client);
  }

  handle(wire: Buffer, client: ClientInfo): Promise<Buffer | undefined> {
    if (this.draining) return DROPPED;
    this.count++;
    let reply: Promise<Buffer | undefined>;
    try {
      reply = this.inner.handle(wire, client);
    } catch (err) {
      this.done();
      return Promise.reject(err);
    }
    reply.then(this.done, this.done);
    return reply;
  }

  /**
   * Resolves when nothing is in flight or after `ms`, whichever is first.
   * The last answer is handed to its socket after this counter drops (Node's
   * dgram sends on the next tick), hence the setImmediate: closing sooner
   * would discard it.
   */
  idle(ms: number): Promise<void> {
    if (this.count === 0 || ms <= 0) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.onIdle = () => {
        clearTimeout(timer);
        setImmediate(resolve);
      };
    });
  }

  private readonly done = (): void => {
    if (--this.count === 0) this.onIdle?.();
  };
}

const DROPPED: Promise<undefined> = Promise.resolve(undefined);

interface ListenerPair {
  host: string;
  port: number;
  udp: UdpListener;
  tcp: TcpListener;
}

async function bindPair(host: string, port: number, handler: MessageHandler, logger: Logger,
  limits: TcpLimits): Promise<ListenerPair> {
  for (let attempt = 1; ; attempt++) {
    const udp = await UdpListener.bind(host, port, handler, logger);
    try {
      const tcp = await TcpListener.listen(host, udp.port, handler, logger, limits);
      return { host, port: udp.port, udp, tcp };
    } catch (err) {
      await udp.close();
      const retry = port === 0 && err instanceof BindError && err.code === 'EADDRINUSE' &&
        attempt < EPHEMERAL_PORT_ATTEMPTS;
      if (!retry) throw err;
    }
  }
}

function tcpLimits(overrides: Partial<TcpLimits> = {}): TcpLimits {
  return {
    idleTimeoutMs: overrides.idleTimeoutMs ?? DEFAULT_TCP_LIMITS.idleTimeoutMs,
    maxConnections: overrides.maxConnections ?? DEFAULT_TCP_LIMITS.maxConnections,
    maxInFlightPerConnection: overrides.maxInFlightPerConnection ?? DEFAULT_TCP_LIMITS.maxInFlightPerConnection,
    maxBufferedBytesPerConnection:
      overrides.maxBufferedBytesPerConnection ?? DEFAULT_TCP_LIMITS.maxBufferedBytesPerConnection,
  };
}

async function closeAll(pairs: ListenerPair[]): Promise<void> {
  await Promise.all(pairs.flatMap((pair) => [pair.udp.close(), pair.tcp.close()]));
}

class Server implements RunningServer {
  readonly addresses: ListenAddress[];
  private closing: Promise<void> | undefined;

  constructor(private readonly pairs: ListenerPair[], private readonly handler: InFlightHandler) {
    this.addresses = pairs.map(({ host, port }) => ({ host, port }));
  }

  stats(): ServerStats {
    let tcpConnections = 0;
    let tcpRejectedConnections = 0;
    for (const { tcp } of this.pairs) {
      tcpConnections += tcp.openConnections;
      tcpRejectedConnections += tcp.rejectedConnections;
    }
    return { tcpConnections, tcpRejectedConnections };
  }

  get inFlight(): number {
    return this.handler.count;
  }

  close(graceMs = 0): Promise<void> {
    // The sockets stay open while draining: answers in flight leave through them.
    this.handler.draining = true;
    this.closing ??= this.handler.idle(graceMs).then(() => closeAll(this.pairs));
    return this.closing;
  }
}
