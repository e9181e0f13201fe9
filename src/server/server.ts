// Starts the listeners: for every address a UDP socket, then a TCP one on the
// same port (RFC 7766 §5: TCP service is required, not optional), and stops
// them together.

import type { Logger } from '../util/log.js';
import type { ListenAddress } from './address.js';
import { BindError } from './bind-error.js';
import type { MessageHandler } from './message-handler.js';
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
  /** Stops accepting, closes every socket and connection. Safe to call twice. */
  close(): Promise<void>;
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
  const { handler, logger } = options;
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
  return new Server(pairs);
}

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

  constructor(private readonly pairs: ListenerPair[]) {
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

  close(): Promise<void> {
    this.closing ??= closeAll(this.pairs);
    return this.closing;
  }
}
