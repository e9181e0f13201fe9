// Building response messages from a query: the one place that decides what
// a response copies from its query and what an error response looks like.

import type { HeaderInfo } from '../dns/codec.js';
import { emptyMessage, RCode, type Message, type Question } from '../dns/message.js';

/** What every response copies from its query (RFC 1035 §4.1.1), readable even when the rest is not. */
export type QueryHeader = Pick<HeaderInfo, 'id' | 'opcode' | 'rd' | 'cd'>;

/** A response with the query's id, opcode, RD and CD, QR=1 and the given RCODE and question. */
export function responseTo(query: QueryHeader, rcode: number, recursionAvailable: boolean,
  questions: Question[]): Message {
  const response = emptyMessage(query.id);
  response.qr = true;
  response.opcode = query.opcode;
  response.rd = query.rd;
  response.cd = query.cd;
  response.ra = recursionAvailable;
  response.rcode = rcode;
  response.questions = questions;
  return response;
}

/**
 * A response carrying only an RCODE. FORMERR and NOTIMP echo no question: the
 * query was not understood well enough to know it had one we can repeat.
 * Every other RCODE echoes the (single, validated) question as received.
 */
export function errorResponse(query: QueryHeader | Message, rcode: number, recursionAvailable: boolean): Message {
  const echo = 'questions' in query && rcode !== RCode.FORMERR && rcode !== RCode.NOTIMP;
  return responseTo(query, rcode, recursionAvailable, echo ? query.questions : []);
}
