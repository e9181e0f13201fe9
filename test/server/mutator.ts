// Deterministic generator of hostile DNS packets for the fuzz test: valid
// queries mutated the ways broken or malicious clients break them, and
// plain random bytes.

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
        edns: k % 4 === 0 ? false : { udpSize: [0, 512, 1232, 4096][k % 4], options: k % 5 === 0 ? [{ code: 10, data: Buffer.alloc(8, k) }] : [] },
      }));
    }
  });
  return seeds;
}

type Mutation = (packet: Buffer, random: Random) => Buffer;

const randomBytes = (random: Random, length: number): Buffer => {
  const out = Buffer.allocUnsafe(length);
  for (let i = 0; i < length; i++) out[i] = random.int(256);
  return out;
};

const MUTATIONS: Mutation[] = [
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
