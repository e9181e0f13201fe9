// One listening TCP socket and its connections. The connection count is
// capped, the first defence RFC 7766 §10 lists against TCP resource
// exhaustion: beyond the cap, new connections are closed at once and counted.

import net from 'node:net';
import type { Logger } from '../util/log.js';
import { isIpv6Wildcard } from './address.js';
import { BindError } from './bind-error.js';
import type { MessageHandler } from './message-handler.js';
import { TcpConnection } from './tcp-connection.js';

export interface TcpLimits {
  /** RFC 7766 §6.2.3: close a connection with no message and no answer pending for this long. */
  idleTimeoutMs: number;
  /** Concurrent connections per listening address. */
  maxConnections: number;
  /** Queries of one connection being answered at once before reading pauses. */
  maxInFlightPerConnection: number;
  /** Answer bytes a connection's client has not read yet before reading pauses. */
  maxBufferedBytesPerConnection: number;
}

export const DEFAULT_TCP_LIMITS: Readonly<TcpLimits> = Object.freeze({
  idleTimeoutMs: 10_000,
  maxConnections: 100,
  maxInFlightPerConnection: 32,
  maxBufferedBytesPerConnection: 64 * 1024,
});

/** An operator hitting the connection cap hears about it, at most this often. */
const REJECTION_WARNING_INTERVAL_MS = 60_000;

export class TcpListener {
  private readonly connections = new Set<TcpConnection>();
  private rejected = 0;
  private lastRejectionWarning = -Infinity;
  private closing: Promise<void> | undefined;

  private constructor(
    private readonly server: net.Server,
    handler: MessageHandler,
    private readonly logger: Logger,
    limits: TcpLimits,
  ) {
    const connectionLimits = { idleTimeoutMs: limits.idleTimeoutMs, maxInFlight: limits.maxInFlightPerConnection };
    const forget = (connection: TcpConnection) => this.connections.delete(connection);
    server.on('connection', (socket) => {
      this.connections.add(new TcpConnection(socket, handler, logger, connectionLimits, forget));
    });
    // Node closes connections beyond server.maxConnections itself and tells us.
    server.maxConnections = limits.maxConnections;
    server.on('drop', (data) => this.onRejected(data?.remoteAddress));
    server.on('error', (err) => logger.warn({ err }, 'TCP listener error'));
  }

  /** Listens on host:port; rejects with BindError. */
  static listen(host: string, port: number, handler: MessageHandler, logger: Logger,
    limits: TcpLimits): Promise<TcpListener> {
    const server = net.createServer({
      allowHalfOpen: true, // a client may send its queries and half-close; it still gets its answers
      noDelay: true, // answers are whole messages; Nagle would only delay them
      highWaterMark: limits.maxBufferedBytesPerConnection, // write() says false past it: see TcpConnection
    });
    return new Promise((resolve, reject) => {
      const onError = (err: NodeJS.ErrnoException) => reject(new BindError(err, host, port, 'tcp'));
      server.once('error', onError);
      server.listen({ host, port, ipv6Only: isIpv6Wildcard(host) }, () => {
        server.off('error', onError);
        resolve(new TcpListener(server, handler, logger, limits));
      });
    });
  }

  get port(): number {
    return (this.server.address() as net.AddressInfo).port;
  }

  get openConnections(): number {
    return this.connections.size;
  }

  /** Connections closed on arrival because the cap was reached. */
  get rejectedConnections(): number {
    return this.rejected;
  }

  /** Stops accepting and closes every connection; answers in progress are dropped. */
  close(): Promise<void> {
    this.closing ??= new Promise((resolve) => {
      this.server.close(() => resolve());
      for (const connection of this.connections) connection.destroy();
    });
    return this.closing;
  }

  private onRejected(remoteAddress: string | undefined): void {
    this.rejected++;
    this.logger.debug({ client: remoteAddress }, 'TCP connection refused: connection limit reached');
    const now = performance.now();
    if (now - this.lastRejectionWarning >= REJECTION_WARNING_INTERVAL_MS) {
      this.lastRejectionWarning = now;
      this.logger.warn({ maxConnections: this.server.maxConnections, rejectedSoFar: this.rejected },
        'TCP connection limit reached: closing new connections');
    }
  }
}
