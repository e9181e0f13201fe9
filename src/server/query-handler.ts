// The query pipeline, the same for every transport: decode → validate →
// local zones → recursion → encode within the transport's size limit.

import { decodeMessage, encodeMessage, encodeResponse, readHeader } from '../dns/codec.js';
import { RCode, rcodeName, type Message } from '../dns/message.js';
import type { RecursionOptions, Recursor } from '../resolver/recursor.js';
import type { Logger } from '../util/log.js';
import { RESPONSE_EDNS, responseSizeLimit } from './edns.js';
import type { ClientInfo, MessageHandler } from './message-handler.js';
import { errorResponse, responseTo } from './responses.js';
import { rejectionRcode } from './validate-query.js';

/** Authoritative data served from local zone files (implemented by ZoneStore). */
export interface LocalZones {
  /**
   * A complete authoritative response (id, question, QR, AA, RCODE and
   * sections; no OPT), or undefined when no local zone covers the name.
   */
  respond(query: Message): Message | undefined;
}

export interface QueryHandlerOptions {
  zones: LocalZones;
  recursor?: Recursor;
  /** Offer recursion; needs a recursor, else names outside local zones are refused. */
  recursion: boolean;
  logger: Logger;
}

// Shared so the per-query path allocates no options object.
const RECURSE: RecursionOptions = Object.freeze({ cacheOnly: false });
// RFC 1034 §4.3.1: RD=0 asks us not to recurse, so only what is cached is given.
const CACHE_ONLY: RecursionOptions = Object.freeze({ cacheOnly: true });

/** When debug logging is off, handle() does not read the clock. */
const NOT_TIMED = -1;

export class QueryHandler implements MessageHandler {
  private readonly zones: LocalZones;
  private readonly recursor: Recursor | undefined;
  /** RA (RFC 1035 §4.1.1): set on every response when we can recurse. */
  private readonly recursionAvailable: boolean;
  private readonly logger: Logger;

  constructor(options: QueryHandlerOptions) {
    this.zones = options.zones;
    this.recursor = options.recursion ? options.recursor : undefined;
    this.recursionAvailable = this.recursor !== undefined;
    this.logger = options.logger;
  }

  async handle(wire: Buffer, client: ClientInfo): Promise<Buffer | undefined> {
    const started = this.logger.isLevelEnabled('debug') ? performance.now() : NOT_TIMED;
    let query: Message;
    try {
      query = decodeMessage(wire);
    } catch {
      return this.answerUndecodable(wire, client, started);
    }
    // Never answer a response (QR=1): two servers could bounce errors at each
    // other forever, and it is how reflection attacks aim at us.
    if (query.qr) {
      if (started !== NOT_TIMED) this.logDropped(client, wire, 'QR=1');
      return undefined;
    }

    let response: Message;
    let out: Buffer;
    try {
      response = await this.respond(query, wire);
      out = this.encode(response, query, client);
    } catch (err) {
      this.logger.warn({ err, client: client.address, question: query.questions[0] }, 'query failed, answering SERVFAIL');
      response = errorResponse(query, RCode.SERVFAIL, this.recursionAvailable);
      out = this.encode(response, query, client);
    }
    if (started !== NOT_TIMED) this.logAnswered(client, query, response.rcode, started);
    return out;
  }

  private respond(query: Message, wire: Buffer): Message | Promise<Message> {
    const rejected = rejectionRcode(query, wire);
    if (rejected !== undefined) return errorResponse(query, rejected, this.recursionAvailable);

    const local = this.zones.respond(query);
    if (local) {
      // Copy what every response must echo, whatever the zone code did.
      return {
        ...local, id: query.id, rd: query.rd, cd: query.cd, ra: this.recursionAvailable, questions: query.questions,
      };
    }
    if (!this.recursor) return errorResponse(query, RCode.REFUSED, this.recursionAvailable);
    return this.recurse(query, this.recursor);
  }

  private async recurse(query: Message, recursor: Recursor): Promise<Message> {
    const result = await recursor.resolve(query.questions[0], query.rd ? RECURSE : CACHE_ONLY);
    const response = responseTo(query, result.rcode, true, query.questions);
    response.answers = result.answers;
    response.authorities = result.authorities;
    return response;
  }

  /** Adds our OPT when the query had one and fits the transport's limit, setting TC if cut. */
  private encode(response: Message, query: Message, client: ClientInfo): Buffer {
    if (query.edns) response.edns = RESPONSE_EDNS;
    return encodeResponse(response, responseSizeLimit(query.edns, client.transport));
  }

  /** FORMERR when the header is readable and is a query's; otherwise silence. */
  private answerUndecodable(wire: Buffer, client: ClientInfo, started: number): Buffer | undefined {
    const header = readHeader(wire);
    if (!header || header.qr) {
      if (started !== NOT_TIMED) this.logDropped(client, wire, header ? 'QR=1' : 'no header');
      return undefined;
    }
    const response = errorResponse(header, RCode.FORMERR, this.recursionAvailable);
    if (started !== NOT_TIMED) {
      this.logger.debug({ ...clientFields(client), id: header.id, rcode: 'FORMERR', ms: elapsed(started) }, 'query');
    }
    return encodeMessage(response);
  }

  private logAnswered(client: ClientInfo, query: Message, rcode: number, started: number): void {
    const question = query.questions[0];
    this.logger.debug({
      ...clientFields(client), id: query.id, qname: question?.name, qtype: question?.type,
      rcode: rcodeName(rcode), ms: elapsed(started),
    }, 'query');
  }

  private logDropped(client: ClientInfo, wire: Buffer, reason: string): void {
    this.logger.debug({ ...clientFields(client), bytes: wire.length, reason }, 'dropped');
  }
}

function clientFields(client: ClientInfo) {
  return { client: client.address, port: client.port, transport: client.transport };
}

function elapsed(started: number): number {
  return Math.round((performance.now() - started) * 1000) / 1000;
}
