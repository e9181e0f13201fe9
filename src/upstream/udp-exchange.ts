// One query and its reply over UDP (RFC 1035 §4.2.1), hardened against
// off-path spoofing as RFC 5452 asks.

import dgram from 'node:dgram';
import type { AddressInfo } from 'node:net';
import type { Message } from '../dns/message.js';
import type { WireExchange } from './net-transport.js';
import { exchangeFailure, TimeoutError } from './transport.js';
import { ipLiteralLookup } from '../util/ip-lookup.js';

export function udpExchange(ex: WireExchange): Promise<Message> {
  return new Promise((resolve, reject) => {
    // A fresh socket per query, bound to port 0: the kernel picks a random
    // ephemeral port, so a forger must guess the port as well as the id
    // (RFC 5452 §9.2).
    const socket = dgram.createSocket({ type: ex.family === 6 ? 'udp6' : 'udp4', lookup: ipLiteralLookup });
    let peer: AddressInfo | undefined;
    let done = false;

    const finish = (err: Error | undefined, reply?: Message): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.close();
      if (err) reject(err);
      else resolve(reply!);
    };
    const timer = setTimeout(
      () => finish(new TimeoutError(`no reply from ${ex.label} over UDP within ${ex.timeoutMs} ms`)),
      ex.timeoutMs,
    );

    // Stays attached after finish(), so an error on the closing socket can
    // never surface as an unhandled 'error' event.
    socket.on('error', (err: NodeJS.ErrnoException) => finish(exchangeFailure(ex.label, 'UDP', err.syscall ?? 'socket', err)));

    socket.on('message', (bytes, from) => {
      // Once connected, the kernel only delivers datagrams from the server's
      // address and port. Datagrams queued between bind() and connect() could
      // come from anyone, so the source is checked here too, against the
      // kernel's own spelling of the peer (no string canonicalisation of
      // IPv6 addresses to get wrong). RFC 5452 §9.1.
      if (!peer || from.address !== peer.address || from.port !== peer.port) return;
      let reply: Message | undefined;
      try {
        reply = ex.accept(bytes);
      } catch (err) {
        // A decoder bug must fail this query, not escape from a socket callback.
        finish(err as Error);
        return;
      }
      if (reply) finish(undefined, reply);
    });

    // exclusive: in a cluster worker (--workers) a shared bind would hand the
    // reply to whichever worker the kernel picks; this socket is ours alone.
    socket.bind({ port: 0, address: ex.localAddress, exclusive: true }, () => {
      if (done) return;
      // A connected socket also receives ICMP errors: port unreachable
      // arrives as ECONNREFUSED (an 'error' event), so a dead server fails
      // at once instead of after the timeout, and the resolver moves on to
      // another server. Forging that ICMP needs the random source port, and
      // its worst effect equals a lost packet. Unbound connects its UDP
      // sockets by default (udp-connect) to narrow the ICMP side channel.
      socket.connect(ex.server.port, ex.server.address, (err?: Error) => {
        if (done) return;
        if (err) {
          finish(exchangeFailure(ex.label, 'UDP', 'connect', err));
          return;
        }
        peer = socket.remoteAddress();
        socket.send(ex.payload, (sendErr) => {
          if (sendErr) finish(exchangeFailure(ex.label, 'UDP', 'send', sendErr));
        });
      });
    });
  });
}

