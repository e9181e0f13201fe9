// The query pipeline, the same for every transport: rate limit (UDP) →
// decode → validate → access control → local zones → recursion → encode
// within the transport's size limit.

import { decodeMessage, encodeMessage, encodeResponse, encodeResponseWithTtls, readHeader } from '../dns/codec.js';
import { EdeCode, type ExtendedError } from '../dns/ede.js';
import { RCode, rcodeName, type Message, type ResourceRecord } from '../dns/message.js';
import type { RecursionOptions, Recursor } from '../resolver/recursor.js';
import { Security } from '../cache/security.js';
import type { Logger } from '../util/log.js';
import type { AccessControl } from './acl.js';
import { parseClientAddress } from './client-address.js';
import { AnswerCache, parsePlainQuery, type PlainQuery } from './answer-cache.js';
import { responseEdns, responseSizeLimit, sizeLimit } from './edns.js';
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
  /** Keeps finished responses as wire bytes for repeated questions; without it, every query goes the full way. */
  answerCache?: AnswerCache;
  logger: Logger;
}

// Shared so the per-query path allocates no options object. RFC 1034
// §4.3.1: RD=0 asks us not to recurse, so only what is cached is given.
// DO=1 (RFC 3225) wants the DNSSEC records; CD=1 (RFC 4035 §3.2.2) wants
// data even if it fails validation.
const RECURSION_OPTIONS: readonly RecursionOptions[] = [0, 1, 2, 3, 4, 5, 6, 7].map((bits) => Object.freeze({
  cacheOnly: (bits & 1) === 0, dnssec: (bits & 2) !== 0, checkingDisabled: (bits & 4) !== 0,
}));
const RECURSE = RECURSION_OPTIONS[1];

function recursionOptions(query: Message): RecursionOptions {
  return RECURSION_OPTIONS[(query.rd ? 1 : 0) | (query.edns?.dnssecOk ? 2 : 0) | (query.cd ? 4 : 0)];
}

/** Responses built from local zones: their TTLs are fixed, not counting down. */
const fromLocalZones = new WeakSet<Message>();
/** Local answers completed by recursion: neither kind of TTL throughout, so not kept. */
const mixedAnswers = new WeakSet<Message>();
/**
 * Why a response says what it says (RFC 8914), added to its OPT at encoding
 * when the query had one: RFC 8914 §3 makes EDE an EDNS option, so a client
 * that sent no OPT gets none.
 */
const extendedErrors = new WeakMap<Message, ExtendedError>();

function withEde(response: Message, ede: ExtendedError | undefined): Message {
  if (ede) extendedErrors.set(response, ede);
  return response;
}

/** Local zones a CNAME chain may pass through before leaving them (RFC 1034 §3.6.2 asks for a bound). */
const MAX_LOCAL_CNAME_HOPS = 8;

// RFC 8914 §4.19: REFUSED to a client outside the access list.
const PROHIBITED: ExtendedError = Object.freeze({ code: EdeCode.Prohibited, text: 'this client is not in the access list' });
// RFC 8914 §4.21: REFUSED by a server that is not configured to recurse, for a name it is not authoritative for.
const NOT_AUTHORITATIVE: ExtendedError = Object.freeze({ code: EdeCode.NotAuthoritative, text: 'recursion is off' });
// A bug of ours: the client learns that much, the log gets the details.
const INTERNAL_ERROR: ExtendedError = Object.freeze({ code: EdeCode.Other, text: 'internal error' });
const LOCAL_CHAIN_TOO_LONG: ExtendedError = Object.freeze({
  code: EdeCode.Other, text: `CNAME chain through local zones longer than ${MAX_LOCAL_CNAME_HOPS} hops`,
});

/** Client addresses whose access decision is remembered; beyond it the memo starts over. */
const ACCESS_MEMO_SIZE = 10_000;

/** When debug logging is off, handle() does not read the clock. */
const NOT_TIMED = -1;

export class QueryHandler implements MessageHandler {
  private readonly zones: LocalZones;
  private readonly recursor: Recursor | undefined;
  private readonly access: AccessControl | undefined;
  private readonly rateLimiter: RateLimiter | undefined;
  private readonly answerCache: AnswerCache | undefined;
  private readonly allowedByAddress = new Map<string, boolean>();
  private readonly logger: Logger;

  constructor(options: QueryHandlerOptions) {
    this.zones = options.zones;
    this.recursor = options.recursion ? options.recursor : undefined;
    this.access = options.access;
    this.rateLimiter = options.rateLimiter;
    this.answerCache = options.answerCache;
    this.logger = options.logger;
  }

  /** Local zones changed: answers built from the old ones must not be served again. */
  zonesChanged(): void {
    this.answerCache?.clear();
  }

  /**
   * The synchronous fast path for listeners: a cached answer for a plain
   * query, or undefined (then handle() does everything, the cache included).
   * With a rate limiter every response must pass it first, so none here.
   */
  answerNow(wire: Buffer, client: ClientInfo): Buffer | undefined {
    if (!this.answerCache || this.rateLimiter) return undefined;
    const plain = parsePlainQuery(wire, this.isAllowed(client.address));
    if (!plain) return undefined;
    const hit = this.answerCache.get(plain, wire, sizeLimit(plain.hasOpt, plain.ednsSize, client.transport));
    if (hit && this.logger.isLevelEnabled('debug')) this.logHit(client, wire, hit, performance.now());
    return hit;
  }

  /** The access decision per client address, remembered (bounded): LAN clients are few and repeat. */
  private isAllowed(address: string): boolean {
    if (!this.access) return true;
    let allowed = this.allowedByAddress.get(address);
    if (allowed === undefined) {
      allowed = this.access.allows(parseClientAddress(address));
      if (this.allowedByAddress.size >= ACCESS_MEMO_SIZE) this.allowedByAddress.clear();
      this.allowedByAddress.set(address, allowed);
    }
    return allowed;
  }

  async handle(wire: Buffer, client: ClientInfo): Promise<Buffer | undefined> {
    const started = this.logger.isLevelEnabled('debug') ? performance.now() : NOT_TIMED;
    // The rate limiter keys on the parsed address (per /24 and /56).
    const address = this.rateLimiter ? parseClientAddress(client.address) : undefined;
    // Before decoding: a flood being dropped costs us as little as possible.
    if (this.rateLimiter && address && client.transport === 'udp') {
      const verdict = this.rateLimiter.admit(address);
      if (verdict !== 'pass') return this.limited(verdict, wire, client);
    }
    // RA (RFC 1035 §4.1.1) tells this client whether it may recurse; a client
    // outside the access list is told no, as BIND does with allow-recursion.
    const allowed = this.isAllowed(client.address);
    const recursionAvailable = allowed && this.recursor !== undefined;
    // The hot path: a repeated plain question is answered from wire bytes.
    const plain = this.answerCache ? parsePlainQuery(wire, allowed) : undefined;
    if (plain) {
      const hit = this.answerCache!.get(plain, wire, sizeLimit(plain.hasOpt, plain.ednsSize, client.transport));
      if (hit) {
        if (started !== NOT_TIMED) this.logHit(client, wire, hit, started);
        return hit;
      }
    }
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
      out = plain ? this.encodeAndKeep(response, query, client, plain) : this.encode(response, query, client);
    } catch (err) {
      this.logger.warn({ err, client: client.address, question: query.questions[0] }, 'query failed, answering SERVFAIL');
      response = withEde(errorResponse(query, RCode.SERVFAIL, recursionAvailable), INTERNAL_ERROR);
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
      const response = { ...local, id: query.id, rd: query.rd, cd: query.cd, ra, questions: query.questions };
      const target = danglingCnameTarget(response);
      // A local CNAME to a name outside every local zone (`nas CNAME
      // me.dyndns.example.`) is followed by recursion, as Unbound, Knot
      // Resolver and PowerDNS Recursor do, when the client may recurse.
      if (target !== undefined && ra && query.rd && this.recursor) return this.chaseCname(response, target, this.recursor);
      fromLocalZones.add(response);
      return response;
    }
    if (!ra || !this.recursor) return withEde(errorResponse(query, RCode.REFUSED, ra), this.recursor ? PROHIBITED : NOT_AUTHORITATIVE);
    return this.recurse(query, this.recursor);
  }

  /**
   * Completes a local answer that ends in a CNAME leaving the local zones:
   * the target's resolution is appended (its chain, its RCODE, its SOA for a
   * negative answer). A mixed answer is not kept in the answer cache (its
   * TTLs neither all count down nor all stay fixed).
   */
  private async chaseCname(response: Message, target: string, recursor: Recursor): Promise<Message> {
    const question = response.questions[0];
    const answers = [...response.answers];
    let next: string | undefined = target;
    // Targets in other local zones are answered from them (a local name is
    // never sent upstream); the first target outside every zone is resolved.
    for (let hop = 0; next !== undefined && hop < MAX_LOCAL_CNAME_HOPS; hop++) {
      const asked = { ...response, questions: [{ name: next, type: question.type, class: question.class }] };
      const local = this.zones.respond(asked);
      if (local === undefined) {
        const result = await recursor.resolve(asked.questions[0], RECURSE);
        return this.completed(response, result.rcode, [...answers, ...result.answers], result.authorities, result.ede);
      }
      answers.push(...local.answers);
      next = danglingCnameTarget({ ...local, questions: asked.questions });
      if (next === undefined) return this.completed(response, local.rcode, answers, local.authorities);
    }
    // A chain of CNAMEs through local zones longer than any sane one: stop there.
    return this.completed(response, RCode.SERVFAIL, answers, [], LOCAL_CHAIN_TOO_LONG);
  }

  private completed(response: Message, rcode: number, answers: ResourceRecord[], authorities: ResourceRecord[],
    ede?: ExtendedError): Message {
    const completed: Message = { ...response, rcode, answers, authorities, additionals: [] };
    mixedAnswers.add(completed);
    return withEde(completed, ede);
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
    const options = recursionOptions(query);
    const result = await recursor.resolve(query.questions[0], options);
    const response = responseTo(query, result.rcode, true, query.questions);
    response.answers = result.answers;
    response.authorities = result.authorities;
    // RFC 6840 §5.7: AD only for data validated secure, and only to a client
    // that showed it understands it (DO=1 or AD=1 in its query). With CD=1
    // nothing was validated for this answer (RFC 4035 §3.2.2), so no AD
    // either, as Unbound and Knot Resolver answer.
    response.ad = result.security === Security.Secure && (options.dnssec === true || query.ad) && !query.cd;
    // RFC 4035 §3.2.1: with DO=1 the RRSIGs go with the data, and the
    // NSEC/NSEC3 proofs with negative answers and wildcard expansions.
    if (options.dnssec) {
      if (result.signatures?.length) response.answers = [...result.answers, ...result.signatures];
      if (result.proof?.length) response.authorities = [...result.authorities, ...result.proof];
    }
    // RD=0 misses are answered with a referral to the closest cached cut (as Unbound does).
    if (result.additionals) response.additionals = result.additionals;
    return withEde(response, result.ede);
  }

  /**
   * encode(), and when the response is complete and worth repeating (an
   * answer, NODATA or NXDOMAIN; not truncated) keeps it in the answer cache.
   * Local-zone answers keep their TTLs; the rest count down.
   */
  private encodeAndKeep(response: Message, query: Message, client: ClientInfo, plain: PlainQuery): Buffer {
    if (query.edns) response.edns = responseEdns(extendedErrors.get(response), query.edns.dnssecOk);
    const encoded = encodeResponseWithTtls(response, responseSizeLimit(query.edns, client.transport));
    const tc = (encoded.wire[2] & 0x02) !== 0;
    const local = fromLocalZones.has(response);
    const mixed = mixedAnswers.has(response);
    // An RD=0 miss gets a referral that a later recursive query makes stale,
    // so cache-only answers are not kept (RD=0 is rare from stub resolvers).
    if (!tc && !mixed && (response.rcode === RCode.NOERROR || response.rcode === RCode.NXDOMAIN) && (local || query.rd)) {
      this.answerCache!.set(plain, encoded, !local);
    }
    return encoded.wire;
  }

  /**
   * Adds our OPT (with the response's Extended DNS Error, if any) when the
   * query had one, and fits the transport's limit, setting TC if cut.
   */
  private encode(response: Message, query: Message, client: ClientInfo): Buffer {
    if (query.edns) response.edns = responseEdns(extendedErrors.get(response), query.edns.dnssecOk);
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

  /** Debug only, so decoding the query again here costs nothing when it is off. */
  private logHit(client: ClientInfo, wire: Buffer, reply: Buffer, started: number): void {
    const question = decodeMessage(wire).questions[0];
    this.logger.debug({
      ...clientFields(client), id: reply.readUInt16BE(0), qname: question.name, qtype: question.type,
      rcode: rcodeName(reply[3] & 0x0f), cached: true, ms: elapsed(started),
    }, 'query');
  }

  private logDropped(client: ClientInfo, wire: Buffer, reason: string): void {
    this.logger.debug({ ...clientFields(client), bytes: wire.length, reason }, 'dropped');
  }
}

/**
 * The target of a NOERROR answer whose CNAME chain ends without data for the
 * question type (the zone store stops where the chain leaves its zones).
 */
function danglingCnameTarget(response: Message): string | undefined {
  if (response.rcode !== RCode.NOERROR || response.answers.length === 0) return undefined;
  const last = response.answers[response.answers.length - 1];
  if (last.type !== 'CNAME' || response.questions[0].type === 'CNAME' || response.questions[0].type === 'ANY') return undefined;
  const target = (last.data as string).toLowerCase();
  const answered = response.answers.some((rr) => rr.type !== 'CNAME' && rr.name.toLowerCase() === target);
  return answered ? undefined : target;
}

function clientFields(client: ClientInfo) {
  return { client: client.address, port: client.port, transport: client.transport };
}

function elapsed(started: number): number {
  return Math.round((performance.now() - started) * 1000) / 1000;
}
