// One UDP socket: every datagram is a query (RFC 1035 §4.2.1); the reply goes
// back to the address and port it came from. Nothing a client sends and no
// send failure may take the socket down.

import dgram from 'node:dgram';
import { isIPv6 } from 'node:net';
import type { Logger } from '../util/log.js';
import { isIpv6Wildcard } from './address.js';
import { BindError } from './bind-error.js';
import { ipLiteralLookup } from '../util/ip-lookup.js';
import type { ClientInfo, MessageHandler } from './message-handler.js';

export class UdpListener {
  private closing: Promise<void> | undefined;

  private constructor(
    private readonly socket: dgram.Socket,
    private readonly handler: MessageHandler,
    private readonly logger: Logger,
  ) {
    socket.on('message', (message, remote) => {
      // Cache hits are answered here and now, without a promise or a tick.
      const client: ClientInfo = { address: remote.address, port: remote.port, transport: 'udp' };
      let now: Buffer | undefined;
      try {
        now = handler.answerNow?.(message, client);
      } catch (err) {
        logger.error({ err, client: client.address }, 'UDP fast path failed; taking the full path');
      }
      if (now !== undefined) this.send(now, remote);
      else void this.serve(message, client);
    });
    // After binding, errors here are ICMP-driven or transient; the socket lives on.
    socket.on('error', (err) => logger.warn({ err }, 'UDP socket error'));
  }

  /** Binds host:port; rejects with BindError. */
  static bind(host: string, port: number, handler: MessageHandler, logger: Logger): Promise<UdpListener> {
    const socket = dgram.createSocket({ type: isIPv6(host) ? 'udp6' : 'udp4', ipv6Only: isIpv6Wildcard(host), lookup: ipLiteralLookup });
    return new Promise((resolve, reject) => {
      const onError = (err: NodeJS.ErrnoException) => {
        socket.close();
        reject(new BindError(err, host, port, 'udp'));
      };
      socket.once('error', onError);
      socket.bind({ address: host, port }, () => {
        socket.off('error', onError);
        resolve(new UdpListener(socket, handler, logger));
      });
    });
  }

  get port(): number {
    return this.socket.address().port;
  }

  close(): Promise<void> {
    this.closing ??= new Promise((resolve) => this.socket.close(() => resolve()));
    return this.closing;
  }

  private async serve(message: Buffer, client: ClientInfo): Promise<void> {
    let reply: Buffer | undefined;
    try {
      reply = await this.handler.handle(message, client);
    } catch (err) {
      this.logger.error({ err, client: client.address }, 'UDP query handler failed');
      return;
    }
    if (reply !== undefined) this.send(reply, client);
  }

  /**
   * No completion callback: without one Node sends at once (libuv's
   * try-send) instead of queueing a request and calling back for it, which
   * is measurably cheaper per answer. The price is that a failed send goes
   * unreported; it is the client's problem (unreachable, spoofed) or
   * transient (full buffer), and the client retries either way.
   */
  private send(reply: Buffer, remote: { address: string; port: number }): void {
    if (this.closing) return;
    try {
      this.socket.send(reply, remote.port, remote.address);
    } catch (err) {
      // Only argument errors throw here, which would be a bug of ours.
      this.logger.error({ err, client: remote.address }, 'UDP send failed');
    }
  }
}
