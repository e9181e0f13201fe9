// What a scripted test server does for each query, as data. Two hosts follow
// a Script: the real-socket server of ./scripted-server.ts and the in-memory
// FakeNetwork of test/fakes, so the transport contract (./transport-contract.ts)
// can run the same cases against both.

import { encodeMessage } from '../../src/dns/codec.js';
import type { Message } from '../../src/dns/message.js';

export type Protocol = 'udp' | 'tcp';

/** One thing a scripted server does in answer to a query. */
export type ReplyStep =
  /** Encode and send from the server's own address and port. */
  | { send: Message }
  /** Send these exact bytes (framed, over TCP). */
  | { sendBytes: Buffer }
  /** UDP only: send from the server's address but another port, or another address but the server's port. */
  | { spoof: Message; from: 'other-port' | 'other-address' };

export type Script = (query: Message, protocol: Protocol) => ReplyStep[];

export interface ReceivedQuery {
  protocol: Protocol;
  query: Message;
}

/** The DNS message a step puts on the wire (before any TCP framing). */
export function stepBytes(step: ReplyStep): Buffer {
  if ('sendBytes' in step) return step.sendBytes;
  return encodeMessage('send' in step ? step.send : step.spoof);
}
