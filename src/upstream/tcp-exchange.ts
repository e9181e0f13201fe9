// One query and its reply over TCP (RFC 7766): a fresh connection per query,
// closed once the reply is in. The resolver uses TCP after a truncated UDP
// reply, so connection reuse would buy little.

import net from 'node:net';
import type { Message } from '../dns/message.js';
import { FrameReader, frame } from '../dns/tcp-framing.js';
import type { WireExchange } from './net-transport.js';
import { exchangeFailure, NetworkError, TimeoutError } from './transport.js';

export function tcpExchange(ex: WireExchange): Promise<Message> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: ex.server.address, port: ex.server.port, localAddress: ex.localAddress });
    const reader = new FrameReader();
    let done = false;

    const finish = (err: Error | undefined, reply?: Message): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      // We close first, so TIME_WAIT stays on our side rather than the
      // server's (RFC 7766 §6.2.1: clients should close idle connections).
      socket.destroy();
      if (err) reject(err);
      else resolve(reply!);
    };
    // One timer for connect and reply together: a server that accepts the
    // connection but never answers costs no more than one that is silent.
    const timer = setTimeout(
      () => finish(new TimeoutError(`no reply from ${ex.label} over TCP within ${ex.timeoutMs} ms`)),
      ex.timeoutMs,
    );

    socket.on('error', (err: NodeJS.ErrnoException) => finish(exchangeFailure(ex.label, 'TCP', err.syscall ?? 'socket', err)));
    socket.on('close', () => finish(new NetworkError(`${ex.label}: TCP connection closed before a reply`)));
    socket.on('connect', () => socket.write(frame(ex.payload)));
    socket.on('data', (chunk: Buffer) => {
      // Replies that are not ours are skipped like over UDP; the loop is
      // bounded by what arrives before the timer fires.
      for (const bytes of reader.push(chunk)) {
        let reply: Message | undefined;
        try {
          reply = ex.accept(bytes);
        } catch (err) {
          // A decoder bug must fail this query, not escape from a socket callback.
          finish(err as Error);
          return;
        }
        if (reply) {
          finish(undefined, reply);
          return;
        }
      }
    });
  });
}

