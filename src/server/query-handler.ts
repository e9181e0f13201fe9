// The query pipeline, the same for every transport: rate limit (UDP) →
// decode → validate → access control → local zones → recursion → encode
// within the transport's size limit.

import { decodeMessage, encodeMessage, encodeResponse, readHeader } from '../dns/codec.js';
import { RCode, rcodeName, type Message } from '../dns/message.js';
import type { RecursionOptions, Recursor } from '../resolver/recursor.js';
import type { Logger } from '../util/log.js';
import type { AccessControl } from './acl.js';
import { parseClientAddress } from './client-address.js';
import { RESPONSE_EDNS, responseSizeLimit } from './edns.js';
import type { ClientInfo, MessageHandler } from './message-handler.js';
import type { RateLimiter, RateVerdict } from './rate-limit.js';
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
  /** Who may recurse and read local zones; without it, every client may. */
  access?: AccessControl;
  /** Limits UDP responses per client network; without it, none are limited. */
  rateLimiter?: RateLimiter;
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
  private readonly access: AccessControl | undefined;
  private readonly rateLimiter: RateLimiter | undefined;
  private readonly logger: Logger;

  constructor(options: QueryHandlerOptions) {
    this.zones = options.zones;
    this.recursor = options.recursion ? options.recursor : undefined;
    this.access = options.access;
    this.rateLimiter = options.rateLimiter;
    this.logger = options.logger;
  }

  async handle(wire: Buffer, client: ClientInfo): Promise<Buffer | undefined> {
    const started = this.logger.isLevelEnabled('debug') ? performance.now() : NOT_TIMED;
    // Parsed only when a policy needs it: one parse serves both.
    const address = this.access || this.rateLimiter ? parseClientAddress(client.address) : undefined;
    // Before decoding: a flood being dropped costs us as little as possible.
    if (this.rateLimiter && address && client.transport === 'udp') {
      const verdict = this.rateLimiter.admit(address);
      if (verdict !== 'pass') return this.limited(verdict, wire, client);
    }
    // RA (RFC 1035 §4.1.1) tells this client whether it may recurse; a client
    // outside the access list is told no, as BIND does with allow-recursion.
    const allowed = this.access ? this.access.allows(address) : true;
    const recursionAvailable = allowed && this.recursor !== undefined;
    let query: Message;
    try {
      query = decodeMessage(wire);
    } catch {
      return this.answerUndecodable(wire, client, started, recursionAvailable);
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
      response = await this.respond(query, wire, allowed, recursionAvailable);
      out = this.encode(response, query, client);
    } catch (err) {
      this.logger.warn({ err, client: client.address, question: query.questions[0] }, 'query failed, answering SERVFAIL');
      response = errorResponse(query, RCode.SERVFAIL, recursionAvailable);
      out = this.encode(response, query, client);
    }
    if (started !== NOT_TIMED) this.logAnswered(client, query, response.rcode, started);
    return out;
  }

  private respond(query: Message, wire: Buffer, allowed: boolean, ra: boolean): Message | Promise<Message> {
    const rejected = rejectionRcode(query, wire);
    if (rejected !== undefined) return errorResponse(query, rejected, ra);

    const local = allowed || !this.access || this.access.localZonesForAll ? this.zones.respond(query) : undefined;
    if (local) {
      // Copy what every response must echo, whatever the zone code did.
      return { ...local, id: query.id, rd: query.rd, cd: query.cd, ra, questions: query.questions };
    }
    if (!ra || !this.recursor) return errorResponse(query, RCode.REFUSED, ra);
    return this.recurse(query, this.recursor);
  }

  /**
   * Over the rate limit: nothing, or for a slip an empty answer with TC=1 and
   * the question, which sends a real client to TCP. Never a reply to a reply.
   */
  private limited(verdict: Exclude<RateVerdict, 'pass'>, wire: Buffer, client: ClientInfo): Buffer | undefined {
    if (this.logger.isLevelEnabled('debug')) this.logDropped(client, wire, `rate limit: ${verdict}`);
    if (verdict === 'drop') return undefined;
    let query: Message;
    try {
      query = decodeMessage(wire);
    } catch {
      return undefined;
    }
    if (query.qr) return undefined;
    const response = responseTo(query, RCode.NOERROR, false, query.questions);
    response.tc = true;
    return this.encode(response, query, client);
  }

  private async recurse(query: Message, recursor: Recursor): Promise<Message> {
    const result = await recursor.resolve(query.questions[0], query.rd ? RECURSE : CACHE_ONLY);
    const response = responseTo(query, result.rcode, true, query.questions);
    response.answers = result.answers;
    response.authorities = result.authorities;
    // RD=0 misses are answered with a referral to the closest cached cut (as Unbound does).
    if (result.additionals) response.additionals = result.additionals;
    return response;
  }

  /** Adds our OPT when the query had one and fits the transport's limit, setting TC if cut. */
  private encode(response: Message, query: Message, client: ClientInfo): Buffer {
    if (query.edns) response.edns = RESPONSE_EDNS;
    return encodeResponse(response, responseSizeLimit(query.edns, client.transport));
  }

  /** FORMERR when the header is readable and is a query's; otherwise silence. */
  private answerUndecodable(wire: Buffer, client: ClientInfo, started: number, ra: boolean): Buffer | undefined {
    const header = readHeader(wire);
    if (!header || header.qr) {
      if (started !== NOT_TIMED) this.logDropped(client, wire, header ? 'QR=1' : 'no header');
      return undefined;
    }
    const response = errorResponse(header, RCode.FORMERR, ra);
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
