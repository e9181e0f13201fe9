// The cache-hit fast path. Most queries a LAN resolver sees repeat a recent
// question, so the finished response is kept as wire bytes: a hit copies the
// bytes, writes the client's id and question (its letter case) over them and
// lowers the TTLs by the time elapsed. No decoding of the query beyond its
// question, no building of records, no encoding.
//
// Only "plain" queries take this path: QUERY opcode, QR=0, one question of
// class IN, nothing but an optional EDNS version 0 OPT whose options fit it,
// no trailing bytes. Anything else goes the full way, as does anything this
// cache has not seen. What the fast path does not decode it must still check:
// a query it takes skips decodeMessage and rejectionRcode, so one they reject
// would get a cached NOERROR instead of FORMERR (or REFUSED).
// test/server/fast-path-differential.test.ts holds the two paths to that.
// Correctness rests on the key covering everything the response depends on:
// the question (case-folded name, type), RD, CD, AD (RFC 6840 §5.7: AD=1 asks
// for the AD bit without DO), whether an OPT came (and its DO bit), and
// whether the client is allowed recursion.

import type { Clock } from '../util/clock.js';
import type { EncodedResponse } from '../dns/codec.js';
import { isRejectedQueryType } from './validate-query.js';

export interface PlainQuery {
  /** The question name in wire form (length-prefixed labels), case-folded. */
  name: string;
  /** The question type and the flags the response depends on, as one number. */
  variant: number;
  /** Offset just past the question: [12, questionEnd) is copied into hits. */
  questionEnd: number;
  /** The query carried an OPT record, advertising `ednsSize`. */
  hasOpt: boolean;
  ednsSize: number;
}

interface Entry {
  variant: number;
  wire: Buffer;
  ttlOffsets: number[];
  /** Stored TTLs fall by the seconds elapsed since `storedAt`; local-zone answers do not. */
  decaying: boolean;
  storedAt: number;
  /** No longer served from here at or after this time (the first TTL reaching 0). */
  expiresAt: number;
}

/** Upper-case ASCII letters fold to lower case; every other byte is kept. */
const FOLD = new Uint8Array(256).map((_, b) => (b >= 65 && b <= 90 ? b + 32 : b));

/**
 * Reads the question of a plain query and builds its key, or returns
 * undefined when the query is not plain (then the full pipeline decides).
 */
export function parsePlainQuery(wire: Buffer, allowed: boolean): PlainQuery | undefined {
  const length = wire.length;
  if (length < 17 || length > 512) return undefined;
  // QR=0, opcode QUERY; QDCOUNT=1, ANCOUNT=0, NSCOUNT=0, ARCOUNT<=1.
  if ((wire[2] & 0xf8) !== 0 || wire[4] !== 0 || wire[5] !== 1 || wire[6] !== 0 || wire[7] !== 0 ||
    wire[8] !== 0 || wire[9] !== 0 || wire[10] !== 0 || wire[11] > 1) return undefined;
  let offset = 12;
  let upper = false;
  for (;;) {
    const label = wire[offset];
    if (label === 0) break;
    // No compression pointers in a plain question; labels of 1..63 octets.
    if (label > 63 || offset + 1 + label >= length) return undefined;
    for (let i = offset + 1; i <= offset + label; i++) {
      const b = wire[i];
      // Bytes the text form of names cannot carry exactly go the full way.
      if (b === 46 || b === 92 || b < 33 || b > 126) return undefined;
      if (b >= 65 && b <= 90) upper = true;
    }
    offset += 1 + label;
    // RFC 1035 §3.1: 255 octets at most, the root's zero byte (still to come) included.
    if (offset > 12 + 254) return undefined;
  }
  // Printable ASCII only (checked above), so toLowerCase folds exactly A-Z.
  const raw = wire.toString('latin1', 12, offset);
  const name = upper ? raw.toLowerCase() : raw;
  offset += 1;
  if (offset + 4 > length) return undefined;
  // Class IN only.
  if (wire[offset + 2] !== 0 || wire[offset + 3] !== 1) return undefined;
  const type = wire.readUInt16BE(offset);
  // Meta-TYPEs and zone transfers: FORMERR or REFUSED, never a cached answer.
  if (isRejectedQueryType(type)) return undefined;
  const questionEnd = offset + 4;

  let ednsSize = 0;
  let dnssecOk = false;
  const hasOpt = wire[11] === 1;
  if (hasOpt) {
    // The only additional record (ARCOUNT=1, so never a second OPT: RFC 6891
    // §6.1.1) is an OPT: root owner, type 41, version 0 (else BADVERS).
    const opt = questionEnd;
    if (opt + 11 > length || wire[opt] !== 0 || wire.readUInt16BE(opt + 1) !== 41 || wire[opt + 6] !== 0) return undefined;
    // Its RDATA ends the message: nothing runs past it, nothing trails it.
    if (opt + 11 + wire.readUInt16BE(opt + 9) !== length) return undefined;
    // RFC 6891 §6.1.2: the RDATA is options of {code, length, data}. Each
    // must fit: the walk must land exactly on the end, not inside an option
    // header (fewer than 4 bytes left) nor past it (a length running over).
    let option = opt + 11;
    while (option + 4 <= length) option += 4 + wire.readUInt16BE(option + 2);
    if (option !== length) return undefined;
    ednsSize = wire.readUInt16BE(opt + 3);
    dnssecOk = (wire[opt + 7] & 0x80) !== 0;
  } else if (questionEnd !== length) {
    return undefined;
  }
  // RD (0x01), CD (0x10 in byte 3), OPT, DO, allowed, AD (0x20 in byte 3): six bits under the type.
  const flags = (wire[2] & 0x01) | ((wire[3] & 0x10) >> 3) | (hasOpt ? 4 : 0) | (dnssecOk ? 8 : 0) | (allowed ? 16 : 0) | (wire[3] & 0x20);
  return { name, variant: type * 64 + flags, questionEnd, ednsSize, hasOpt };
}

export class AnswerCache {
  /** Entries by question name; a name holds one per type and flag combination asked. */
  private readonly byName = new Map<string, Entry[]>();
  private count = 0;

  /**
   * @param maxEntries bound on memory: when full, the names stored longest
   * ago go first (FIFO keeps a hit to one Map lookup; popular answers come
   * back on their next miss).
   */
  constructor(private readonly clock: Clock, private readonly maxEntries: number) {}

  /** The response for `query` if one is cached and fits `sizeLimit`, with id, question and TTLs made current. */
  get(query: PlainQuery, wire: Buffer, sizeLimit: number): Buffer | undefined {
    const entries = this.byName.get(query.name);
    if (entries === undefined) return undefined;
    let entry: Entry | undefined;
    for (let i = 0; i < entries.length; i++) {
      if (entries[i].variant === query.variant) {
        entry = entries[i];
        break;
      }
    }
    if (entry === undefined) return undefined;
    const template = entry.wire;
    if (template.length > sizeLimit) return undefined;
    // Local-zone answers never expire here: no clock read for them.
    const now = entry.decaying ? this.clock.now() : 0;
    if (entry.decaying && now >= entry.expiresAt) {
      this.remove(query.name, entry);
      return undefined;
    }
    const out = Buffer.allocUnsafe(template.length);
    out.set(template);
    out[0] = wire[0];
    out[1] = wire[1];
    // The client's own question bytes: same length, its own letter case (and
    // compressed owner names pointing at it echo that case too).
    for (let i = 12; i < query.questionEnd; i++) out[i] = wire[i];
    if (entry.decaying) {
      const elapsed = Math.floor((now - entry.storedAt) / 1000);
      if (elapsed > 0) {
        for (const at of entry.ttlOffsets) out.writeUInt32BE(template.readUInt32BE(at) - elapsed, at);
      }
    }
    return out;
  }

  /**
   * Keeps a complete (untruncated) response. `decaying`: TTLs come from the
   * resolver's cache and count down; otherwise (local zones) they are fixed
   * and the entry lives until clear().
   */
  set(query: PlainQuery, response: EncodedResponse, decaying: boolean): void {
    let minTtl = Infinity;
    for (const at of response.ttlOffsets) minTtl = Math.min(minTtl, response.wire.readUInt32BE(at));
    // A TTL of 0 means "use once" (RFC 1035 §3.2.1): never serve it again.
    // Nothing to count down (a NODATA without SOA) is not kept either:
    // RFC 2308 §5, a negative answer without SOA is not cached.
    if (decaying && (minTtl === 0 || minTtl === Infinity)) return;
    const now = this.clock.now();
    const entry: Entry = {
      variant: query.variant,
      wire: response.wire,
      ttlOffsets: response.ttlOffsets,
      decaying,
      storedAt: now,
      expiresAt: decaying ? now + minTtl * 1000 : Infinity,
    };
    let entries = this.byName.get(query.name);
    if (entries === undefined) {
      while (this.count >= this.maxEntries) this.evictOldestName();
      entries = [];
      this.byName.set(query.name, entries);
    }
    const at = entries.findIndex((e) => e.variant === query.variant);
    if (at >= 0) {
      entries[at] = entry;
    } else {
      entries.push(entry);
      this.count++;
    }
  }

  /** Forgets everything: local zones changed. */
  clear(): void {
    this.byName.clear();
    this.count = 0;
  }

  /** Number of responses held. */
  get size(): number {
    return this.count;
  }

  private remove(name: string, entry: Entry): void {
    const entries = this.byName.get(name)!;
    entries.splice(entries.indexOf(entry), 1);
    this.count--;
    if (entries.length === 0) this.byName.delete(name);
  }

  private evictOldestName(): void {
    const [name, entries] = this.byName.entries().next().value!;
    this.byName.delete(name);
    this.count -= entries.length;
  }
}
