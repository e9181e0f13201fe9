// Deterministic generator of hostile DNS packets for the fuzz tests: valid
// queries mutated the ways broken or malicious clients break them, and
// plain random bytes. Some mutations aim at the additional section (the OPT
// record and its options), where a query can look plain up to its question
// and still be malformed: that is what the answer cache's fast path must
// reject exactly as the full parser does.

import type { Random } from '../../src/util/random.js';
import { query } from './helpers.js';

/** Valid queries to start from: local and recursive names, several types, with and without EDNS. */
export function seedQueries(): Buffer[] {
  const names = ['www.example.test', 'big.example.test', 'nope.example.test', 'Mixed.Case.example.org', 'a.b.c.d.e.f.g.h', '.'];
  const types = ['A', 'AAAA', 'TXT', 'MX', 'NS', 'SOA', 'ANY', 'TYPE65000'];
  const seeds: Buffer[] = [];
  names.forEach((name, i) => {
    for (const [j, type] of types.entries()) {
      const k = i * types.length + j;
      seeds.push(query(name, type, {
        id: k,
        rd: k % 2 === 0,
        cd: k % 3 === 0,
        edns: k % 4 === 0 ? false : {
          udpSize: [0, 512, 1232, 4096][k % 4],
          dnssecOk: k % 7 < 3,
          options: k % 5 === 0 ? [{ code: 10, data: Buffer.alloc(8, k) }] : k % 5 === 1 ? SEVERAL_OPTIONS : [],
        },
      }));
    }
  });
  // At the edges the full path rejects whatever else the query holds:
  // RFC 1035 §3.1 names of 255 octets (the most) and 256, and question types
  // refused (AXFR) or meaningless (OPT, TSIG: RFC 6895 §3.1 meta-TYPEs).
  const longest = `${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(61)}`;
  for (const [name, type] of [[longest, 'A'], [`${longest}d`, 'A'], ['www.example.test', 'AXFR'], ['www.example.test', 'OPT'], ['www.example.test', 'TYPE250']]) {
    seeds.push(query(name, type, { edns: { options: SEVERAL_OPTIONS } }), query(name, type));
  }
  return seeds;
}

/** Options as stub resolvers send them: a client COOKIE (RFC 7873), an empty NSID request (RFC 5001), PADDING (RFC 7830). */
const SEVERAL_OPTIONS = [
  { code: 10, data: Buffer.from('0123456789abcdef', 'hex') },
  { code: 3, data: Buffer.alloc(0) },
  { code: 12, data: Buffer.alloc(5) },
];

export type Mutation = (packet: Buffer, random: Random) => Buffer;

const randomBytes = (random: Random, length: number): Buffer => {
  const out = Buffer.allocUnsafe(length);
  for (let i = 0; i < length; i++) out[i] = random.int(256);
  return out;
};

/** Mutations that know nothing of the message's structure. */
export const BLIND_MUTATIONS: Mutation[] = [
  function flipBits(p, r) {
    const out = Buffer.from(p);
    for (let n = 1 + r.int(4); n > 0; n--) out[r.int(out.length)] ^= 1 << r.int(8);
    return out;
  },
  function setByte(p, r) {
    const out = Buffer.from(p);
    out[r.int(out.length)] = r.int(256);
    return out;
  },
  function truncate(p, r) {
    return Buffer.from(p.subarray(0, r.int(p.length)));
  },
  function extend(p, r) {
    return Buffer.concat([p, randomBytes(r, 1 + r.int(40))]);
  },
  function changeCount(p, r) {
    const out = Buffer.from(p);
    if (out.length >= 12) out.writeUInt16BE(r.int(2) === 0 ? r.int(4) : r.int(65536), 4 + 2 * r.int(4));
    return out;
  },
  function injectPointer(p, r) {
    // A compression pointer anywhere past the header: backward, to itself, forward or out of range.
    const out = Buffer.from(p);
    if (out.length < 14) return out;
    const at = 12 + r.int(out.length - 13);
    const target = [r.int(at + 1), at, at + 2 + r.int(20), r.int(0x4000)][r.int(4)];
    out.writeUInt16BE(0xc000 | (target & 0x3fff), at);
    return out;
  },
  function changeHeader(p, r) {
    // Opcode, flags and RCODE bits, keeping QR=0 so the packet is not simply dropped.
    const out = Buffer.from(p);
    if (out.length >= 4) out.writeUInt16BE(r.int(65536) & 0x7fff, 2);
    return out;
  },
  function corruptOpt(p, r) {
    // The OPT record sits at the end of our seeds: its version, size or option lengths.
    const out = Buffer.from(p);
    if (out.length > 12) out[out.length - 1 - r.int(Math.min(out.length - 12, 16))] = r.int(256);
    return out;
  },
];

/**
 * Where the record after the question starts, when the question is one
 * uncompressed name (as in every seed), or undefined. In a seed with EDNS
 * that is the OPT record: root owner, TYPE, CLASS, TTL, RDLENGTH (11 bytes),
 * then options of {code, length, data} (RFC 6891 §6.1.2).
 */
export function additionalStart(packet: Buffer): number | undefined {
  let at = 12;
  while (at < packet.length && packet[at] !== 0) {
    if (packet[at] > 63) return undefined;
    at += 1 + packet[at];
  }
  at += 5;
  return at <= packet.length ? at : undefined;
}

/** The OPT record at the end of a seed: where it starts and where each option starts. */
function findOpt(packet: Buffer): { start: number; options: number[] } | undefined {
  const start = additionalStart(packet);
  if (start === undefined || start + 11 > packet.length || packet.readUInt16BE(start + 1) !== 41) return undefined;
  const options: number[] = [];
  for (let at = start + 11; at + 4 <= packet.length; at += 4 + packet.readUInt16BE(at + 2)) options.push(at);
  return { start, options };
}

const OPT_RECORD = Buffer.from([0, 0, 41, 0x04, 0xd0, 0, 0, 0, 0, 0, 0]);

/** Adds `bytes` to the OPT RDATA, keeping RDLENGTH in step (or not, one time in four). */
function appendToOpt(packet: Buffer, start: number, bytes: Buffer, r: Random): Buffer {
  const out = Buffer.concat([packet, bytes]);
  if (r.int(4) !== 0) out.writeUInt16BE((out.readUInt16BE(start + 9) + bytes.length) & 0xffff, start + 9);
  return out;
}

/** Mutations of the additional section: the OPT record, its options, what follows it. */
export const ADDITIONAL_MUTATIONS: Mutation[] = [
  function optionLength(p, r) {
    // An option whose length runs past the RDATA by a little or a lot, or falls short of it.
    const opt = findOpt(p);
    if (!opt || opt.options.length === 0) return Buffer.from(p);
    const out = Buffer.from(p);
    const at = opt.options[r.int(opt.options.length)];
    const length = out.readUInt16BE(at + 2);
    const left = out.length - at - 4;
    const lengths = [length + 1, length + 1 + r.int(8), left + 1, Math.max(0, left - 1), Math.max(0, length - 1), 0xffff, r.int(65536)];
    out.writeUInt16BE(lengths[r.int(lengths.length)] & 0xffff, at + 2);
    return out;
  },
  function addOption(p, r) {
    // One more option: well formed, cut short inside its header, or declaring more data than it has.
    const opt = findOpt(p);
    if (!opt) return Buffer.from(p);
    const data = Buffer.alloc(r.int(12), r.int(256));
    const option = Buffer.alloc(4 + data.length);
    option.writeUInt16BE([10, 3, 8, 12, 15, r.int(65536)][r.int(6)], 0);
    option.writeUInt16BE(r.int(3) === 0 ? data.length + 1 + r.int(4) : data.length, 2);
    data.copy(option, 4);
    return appendToOpt(p, opt.start, r.int(4) === 0 ? option.subarray(0, 1 + r.int(3)) : option, r);
  },
  function optRdlength(p, r) {
    const opt = findOpt(p);
    if (!opt) return Buffer.from(p);
    const out = Buffer.from(p);
    const rdlength = out.readUInt16BE(opt.start + 9);
    out.writeUInt16BE([rdlength + 1 + r.int(4), rdlength - 1 - r.int(4), r.int(16), r.int(65536)][r.int(4)] & 0xffff, opt.start + 9);
    return out;
  },
  function optFields(p, r) {
    // Version (RFC 6891 §6.1.3), extended RCODE, DO and Z bits, UDP size.
    const opt = findOpt(p);
    if (!opt) return Buffer.from(p);
    const out = Buffer.from(p);
    out[opt.start + 3 + r.int(6)] = r.int(2) === 0 ? 0 : r.int(256);
    return out;
  },
  function optOwner(p, r) {
    // RFC 6891 §6.1.2: the owner is the root. Here a label, or a pointer to the question's name.
    const opt = findOpt(p);
    if (!opt) return Buffer.from(p);
    const owner = r.int(2) === 0 ? Buffer.from([1, 0x61, 0]) : Buffer.from([0xc0, 12]);
    return Buffer.concat([p.subarray(0, opt.start), owner, p.subarray(opt.start + 1)]);
  },
  function secondOpt(p, r) {
    // RFC 6891 §6.1.1: at most one OPT. A copy of it (or a fresh one) after it, counted or not.
    const opt = findOpt(p);
    const start = opt?.start ?? additionalStart(p);
    if (start === undefined) return Buffer.from(p);
    const copy = opt && r.int(2) === 0 ? p.subarray(opt.start) : OPT_RECORD;
    const out = Buffer.concat([p, copy]);
    if (out.length >= 12 && r.int(4) !== 0) out.writeUInt16BE((out.readUInt16BE(10) + 1) & 0xffff, 10);
    return out;
  },
  function otherAdditional(p, r) {
    // A record that is not OPT: before or after the OPT, or the OPT's type changed.
    const start = additionalStart(p);
    if (start === undefined) return Buffer.from(p);
    const record = Buffer.from([0, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 192, 0, 2, 1]);
    if (r.int(3) === 0 && findOpt(p)) {
      const out = Buffer.from(p);
      out.writeUInt16BE([1, 16, 250, 0][r.int(4)], start + 1);
      return out;
    }
    const out = r.int(2) === 0 ? Buffer.concat([p, record]) : Buffer.concat([p.subarray(0, start), record, p.subarray(start)]);
    if (out.length >= 12) out.writeUInt16BE((out.readUInt16BE(10) + 1) & 0xffff, 10);
    return out;
  },
  function arcount(p, r) {
    const out = Buffer.from(p);
    if (out.length >= 12) out.writeUInt16BE([0, 1, 2, 0xffff][r.int(4)], 10);
    return out;
  },
  function trailingBytes(p, r) {
    // After the last record, or the OPT removed and its bytes left behind.
    if (r.int(3) === 0) {
      const out = Buffer.from(p);
      if (out.length >= 12) out.writeUInt16BE(0, 10);
      return out;
    }
    return Buffer.concat([p, randomBytes(r, 1 + r.int(r.int(2) === 0 ? 4 : 16))]);
  },
];

/** Every mutation: blind ones, and those aimed at the additional section. */
export const MUTATIONS: Mutation[] = [...BLIND_MUTATIONS, ...ADDITIONAL_MUTATIONS];

export class PacketSource {
  private readonly seeds = seedQueries();
  constructor(private readonly random: Random) {}

  /** A mutated query (three in four) or random bytes. */
  next(): Buffer {
    const r = this.random;
    if (r.int(4) === 0) return this.randomPacket();
    let packet = this.seeds[r.int(this.seeds.length)];
    for (let n = 1 + r.int(3); n > 0; n--) packet = MUTATIONS[r.int(MUTATIONS.length)](packet, r);
    return packet;
  }

  /** Random bytes, half of them with QR=0 so they reach the decoder rather than being dropped. */
  randomPacket(): Buffer {
    const packet = randomBytes(this.random, this.random.int(300));
    if (packet.length > 2 && this.random.int(2) === 0) packet[2] &= 0x7f;
    return packet;
  }

  /** A raw TCP byte stream with arbitrary length prefixes. */
  garbageStream(length: number): Buffer {
    return randomBytes(this.random, length);
  }
}
