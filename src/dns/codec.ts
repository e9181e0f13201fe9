// The wire boundary: the only module that imports dns-packet.
//
// dns-packet's whole-message decoder trusts the header counts and each
// record's own idea of its length, so it can misread hostile input. We walk
// the message structure ourselves (header, questions, each record's fixed
// fields and RDLENGTH, all bounds-checked) and hand dns-packet only the
// record data of well-known types, then check it consumed exactly RDLENGTH.
// Anything that does not add up is a FormatError.

import packet from 'dns-packet';
import type { Edns, Message, Question, ResourceRecord } from './message.js';

// dns-packet exposes its per-part codecs but the typings do not declare them.
interface PartCodec {
  encode(value: unknown, buf: Buffer, offset: number): unknown;
  decode(buf: Buffer, offset: number): unknown;
  encodingLength(value: unknown): number;
}
interface PartCodecWithBytes extends PartCodec {
  encode: PartCodec['encode'] & { bytes: number };
  decode: PartCodec['decode'] & { bytes: number };
}
const wire = packet as unknown as {
  name: PartCodecWithBytes;
  answer: PartCodecWithBytes;
  record(type: string): PartCodecWithBytes;
  unknown: PartCodecWithBytes;
};

const HEADER_SIZE = 12;
const TYPE_OPT = 41;

/** Types whose RDATA we decode into structured values; the rest stay raw. */
const STRUCTURED_TYPES = new Set(['A', 'AAAA', 'NS', 'CNAME', 'PTR', 'DNAME', 'SOA', 'MX', 'TXT', 'SRV', 'CAA']);

const TYPE_NAMES: Record<number, string> = {
  1: 'A', 2: 'NS', 5: 'CNAME', 6: 'SOA', 12: 'PTR', 13: 'HINFO', 15: 'MX', 16: 'TXT', 17: 'RP',
  18: 'AFSDB', 24: 'SIG', 25: 'KEY', 28: 'AAAA', 29: 'LOC', 33: 'SRV', 35: 'NAPTR', 39: 'DNAME',
  41: 'OPT', 43: 'DS', 44: 'SSHFP', 46: 'RRSIG', 47: 'NSEC', 48: 'DNSKEY', 50: 'NSEC3',
  51: 'NSEC3PARAM', 52: 'TLSA', 59: 'CDS', 60: 'CDNSKEY', 64: 'SVCB', 65: 'HTTPS', 99: 'SPF',
  251: 'IXFR', 252: 'AXFR', 255: 'ANY', 257: 'CAA',
};
const TYPE_NUMBERS: Record<string, number> = Object.fromEntries(
  Object.entries(TYPE_NAMES).map(([n, name]) => [name, Number(n)]),
);
const CLASS_NAMES: Record<number, string> = { 1: 'IN', 3: 'CH', 4: 'HS', 254: 'NONE', 255: 'ANY' };
const CLASS_NUMBERS: Record<string, number> = { IN: 1, CH: 3, HS: 4, NONE: 254, ANY: 255 };

export function typeName(type: number): string {
  return TYPE_NAMES[type] ?? `TYPE${type}`;
}
/** Numeric type for a mnemonic or RFC 3597 'TYPEnnn'; undefined when unknown. */
export function typeNumber(name: string): number | undefined {
  const upper = name.toUpperCase();
  const known = TYPE_NUMBERS[upper];
  if (known !== undefined) return known;
  const m = /^TYPE(\d{1,5})$/.exec(upper);
  if (m) {
    const n = Number(m[1]);
    if (n <= 0xffff) return n;
  }
  return undefined;
}
export function className(klass: number): string {
  return CLASS_NAMES[klass] ?? `CLASS${klass}`;
}
export function classNumber(name: string): number | undefined {
  const upper = name.toUpperCase();
  const known = CLASS_NUMBERS[upper];
  if (known !== undefined) return known;
  const m = /^CLASS(\d{1,5})$/.exec(upper);
  if (m) {
    const n = Number(m[1]);
    if (n <= 0xffff) return n;
  }
  return undefined;
}
/** True when RDATA of this type is a structured value rather than a Buffer. */
export function isStructuredType(type: string): boolean {
  return STRUCTURED_TYPES.has(type);
}

/** What could be read of a header, so a FORMERR reply can be addressed. */
export interface HeaderInfo {
  id: number;
  qr: boolean;
  opcode: number;
  rd: boolean;
  cd: boolean;
}

export class FormatError extends Error {
  readonly code = 'EFORMERR';
  /** Present when the 12-byte header was readable. */
  readonly header?: HeaderInfo;
  constructor(message: string, header?: HeaderInfo) {
    super(message);
    this.name = 'FormatError';
    this.header = header;
  }
}

export function readHeader(buf: Buffer): HeaderInfo | undefined {
  if (buf.length < HEADER_SIZE) return undefined;
  const flags = buf.readUInt16BE(2);
  return {
    id: buf.readUInt16BE(0),
    qr: (flags & 0x8000) !== 0,
    opcode: (flags >> 11) & 0xf,
    rd: (flags & 0x0100) !== 0,
    cd: (flags & 0x0010) !== 0,
  };
}

export interface DecodeOptions {
  /** Ignore bytes after the last record (lenient for upstream replies). */
  allowTrailing?: boolean;
}

export function decodeMessage(buf: Buffer, options: DecodeOptions = {}): Message {
  const header = readHeader(buf);
  if (!header) throw new FormatError(`message of ${buf.length} bytes is shorter than a header`);
  const fail = (why: string): never => {
    throw new FormatError(why, header);
  };
  const flags = buf.readUInt16BE(2);
  const counts = [buf.readUInt16BE(4), buf.readUInt16BE(6), buf.readUInt16BE(8), buf.readUInt16BE(10)];
  let offset = HEADER_SIZE;

  const readName = (): string => {
    try {
      const name = wire.name.decode(buf, offset) as string;
      offset += wire.name.decode.bytes;
      return name;
    } catch (err) {
      return fail(`bad name at offset ${offset}: ${(err as Error).message}`);
    }
  };

  const questions: Question[] = [];
  for (let i = 0; i < counts[0]; i++) {
    const name = readName();
    if (offset + 4 > buf.length) fail('question runs past the end of the message');
    questions.push({ name, type: typeName(buf.readUInt16BE(offset)), class: className(buf.readUInt16BE(offset + 2)) });
    offset += 4;
  }

  let edns: Edns | undefined;
  const sections: ResourceRecord[][] = [[], [], []];
  for (let s = 0; s < 3; s++) {
    for (let i = 0; i < counts[s + 1]; i++) {
      const name = readName();
      if (offset + 10 > buf.length) fail('record header runs past the end of the message');
      const type = buf.readUInt16BE(offset);
      const klass = buf.readUInt16BE(offset + 2);
      const ttl = buf.readUInt32BE(offset + 4);
      const rdlength = buf.readUInt16BE(offset + 8);
      const rdataStart = offset + 10;
      const rdataEnd = rdataStart + rdlength;
      if (rdataEnd > buf.length) fail('record data runs past the end of the message');
      if (type === TYPE_OPT) {
        // RFC 6891 §6.1.1: one OPT, in the additional section, owned by the root.
        if (s !== 2) fail('OPT record outside the additional section');
        if (edns) fail('more than one OPT record');
        if (name !== '.' && name !== '') fail('OPT record not owned by the root');
        edns = {
          udpSize: klass,
          extendedRcode: ttl >>> 24,
          version: (ttl >>> 16) & 0xff,
          dnssecOk: (ttl & 0x8000) !== 0,
          options: decodeOptions(buf, rdataStart, rdataEnd, fail),
        };
      } else {
        const mnemonic = typeName(type);
        let data: ResourceRecord['data'];
        if (STRUCTURED_TYPES.has(mnemonic) && klass !== 255 && klass !== 254) {
          try {
            const codec = wire.record(mnemonic);
            data = codec.decode(buf, offset + 8) as ResourceRecord['data'];
            if (codec.decode.bytes !== rdlength + 2) fail(`${mnemonic} record data does not match its length`);
          } catch (err) {
            if (err instanceof FormatError) throw err;
            fail(`bad ${mnemonic} record data: ${(err as Error).message}`);
          }
        } else {
          data = Buffer.from(buf.subarray(rdataStart, rdataEnd));
        }
        sections[s].push({ name, type: mnemonic, class: className(klass), ttl, data: data! });
      }
      offset = rdataEnd;
    }
  }
  if (offset !== buf.length && !options.allowTrailing) {
    fail(`${buf.length - offset} bytes of trailing data after the last record`);
  }

  const rcodeLow = flags & 0xf;
  return {
    id: header.id,
    qr: header.qr,
    opcode: header.opcode,
    aa: (flags & 0x0400) !== 0,
    tc: (flags & 0x0200) !== 0,
    rd: header.rd,
    ra: (flags & 0x0080) !== 0,
    ad: (flags & 0x0020) !== 0,
    cd: header.cd,
    rcode: edns ? (edns.extendedRcode << 4) | rcodeLow : rcodeLow,
    questions,
    answers: sections[0],
    authorities: sections[1],
    additionals: sections[2],
    edns,
  };
}

function decodeOptions(buf: Buffer, start: number, end: number, fail: (why: string) => never): Edns['options'] {
  const options: Edns['options'] = [];
  let offset = start;
  while (offset < end) {
    if (offset + 4 > end) fail('truncated EDNS option');
    const code = buf.readUInt16BE(offset);
    const length = buf.readUInt16BE(offset + 2);
    if (offset + 4 + length > end) fail('EDNS option runs past its record');
    options.push({ code, data: Buffer.from(buf.subarray(offset + 4, offset + 4 + length)) });
    offset += 4 + length;
  }
  return options;
}

// ---- encoding -------------------------------------------------------------

function nameLength(name: string): number {
  return wire.name.encodingLength(name);
}

function recordLength(rr: ResourceRecord): number {
  return nameLength(rr.name) + 10 + rdataLength(rr);
}

function rdataLength(rr: ResourceRecord): number {
  if (Buffer.isBuffer(rr.data) && !STRUCTURED_TYPES.has(rr.type)) return rr.data.length;
  return wire.record(rr.type).encodingLength(rr.data) - 2;
}

/**
 * The RDATA of one record in uncompressed wire form, as DNSSEC hashes and
 * signs it (RFC 4034 §3.1.8.1, §5.1.4): structured types through
 * dns-packet's per-type codec, raw types as they are. Letter case is kept;
 * making it canonical is the caller's business.
 */
export function encodeRdata(rr: ResourceRecord): Buffer {
  if (Buffer.isBuffer(rr.data) && !STRUCTURED_TYPES.has(rr.type)) return rr.data;
  const codec = wire.record(rr.type);
  const buf = Buffer.alloc(codec.encodingLength(rr.data));
  codec.encode(rr.data, buf, 0);
  // The per-type codecs write RDLENGTH first.
  return buf.subarray(2, codec.encode.bytes);
}

function optLength(edns: Edns): number {
  let n = 11;
  for (const o of edns.options) n += 4 + (o.data?.length ?? 0);
  return n;
}

function writeRecord(rr: ResourceRecord, buf: Buffer, offset: number): number {
  wire.name.encode(rr.name, buf, offset);
  return writeRdata(rr, buf, writeFixedFields(rr, buf, offset + wire.name.encode.bytes));
}

/** TYPE, CLASS and TTL after the owner name; returns where RDLENGTH goes. */
function writeFixedFields(rr: ResourceRecord, buf: Buffer, offset: number): number {
  const type = typeNumber(rr.type);
  const klass = classNumber(rr.class);
  if (type === undefined) throw new Error(`cannot encode unknown type ${rr.type}`);
  if (klass === undefined) throw new Error(`cannot encode unknown class ${rr.class}`);
  buf.writeUInt16BE(type, offset);
  buf.writeUInt16BE(klass, offset + 2);
  buf.writeUInt32BE(rr.ttl >>> 0, offset + 4);
  return offset + 8;
}

/** The 12-byte header (RFC 1035 §4.1.1) with the given TC bit and section counts. */
function writeHeader(buf: Buffer, msg: Message, tc: boolean, an: number, ns: number, ar: number): void {
  buf.writeUInt16BE(msg.id, 0);
  const flags = (msg.qr ? 0x8000 : 0) | ((msg.opcode & 0xf) << 11) | (msg.aa ? 0x0400 : 0) |
    (tc ? 0x0200 : 0) | (msg.rd ? 0x0100 : 0) | (msg.ra ? 0x0080 : 0) | (msg.ad ? 0x0020 : 0) |
    (msg.cd ? 0x0010 : 0) | (msg.rcode & 0xf);
  buf.writeUInt16BE(flags, 2);
  buf.writeUInt16BE(msg.questions.length, 4);
  buf.writeUInt16BE(an, 6);
  buf.writeUInt16BE(ns, 8);
  buf.writeUInt16BE(ar + (msg.edns ? 1 : 0), 10);
}

/** Writes RDLENGTH at `offset` and the RDATA after it (names uncompressed); returns the end. */
function writeRdata(rr: ResourceRecord, buf: Buffer, offset: number): number {
  if (Buffer.isBuffer(rr.data) && !STRUCTURED_TYPES.has(rr.type)) {
    buf.writeUInt16BE(rr.data.length, offset);
    rr.data.copy(buf, offset + 2);
    return offset + 2 + rr.data.length;
  }
  const codec = wire.record(rr.type);
  codec.encode(rr.data, buf, offset);
  return offset + codec.encode.bytes;
}

function writeOpt(edns: Edns, rcode: number, buf: Buffer, offset: number): number {
  buf[offset] = 0; // root name
  buf.writeUInt16BE(TYPE_OPT, offset + 1);
  buf.writeUInt16BE(edns.udpSize, offset + 3);
  buf[offset + 5] = (rcode >> 4) & 0xff;
  buf[offset + 6] = edns.version;
  buf.writeUInt16BE(edns.dnssecOk ? 0x8000 : 0, offset + 7);
  let rdlength = 0;
  for (const o of edns.options) rdlength += 4 + (o.data?.length ?? 0);
  buf.writeUInt16BE(rdlength, offset + 9);
  offset += 11;
  for (const o of edns.options) {
    buf.writeUInt16BE(o.code, offset);
    buf.writeUInt16BE(o.data?.length ?? 0, offset + 2);
    o.data?.copy(buf, offset + 4);
    offset += 4 + (o.data?.length ?? 0);
  }
  return offset;
}

function writeMessage(msg: Message, size: number): Buffer {
  const { answers, authorities, additionals, tc } = msg;
  const buf = Buffer.allocUnsafe(size);
  writeHeader(buf, msg, tc, answers.length, authorities.length, additionals.length);
  let offset = HEADER_SIZE;
  for (const q of msg.questions) {
    wire.name.encode(q.name, buf, offset);
    offset += wire.name.encode.bytes;
    buf.writeUInt16BE(typeNumber(q.type) ?? 0, offset);
    buf.writeUInt16BE(classNumber(q.class) ?? 0, offset + 2);
    offset += 4;
  }
  for (const rr of answers) offset = writeRecord(rr, buf, offset);
  for (const rr of authorities) offset = writeRecord(rr, buf, offset);
  for (const rr of additionals) offset = writeRecord(rr, buf, offset);
  if (msg.edns) offset = writeOpt(msg.edns, msg.rcode, buf, offset);
  return offset === size ? buf : buf.subarray(0, offset);
}

/** Encodes a message as it is, names uncompressed (queries, and byte-exact checks). */
export function encodeMessage(msg: Message): Buffer {
  let size = HEADER_SIZE;
  for (const q of msg.questions) size += nameLength(q.name) + 4;
  for (const rr of msg.answers) size += recordLength(rr);
  for (const rr of msg.authorities) size += recordLength(rr);
  for (const rr of msg.additionals) size += recordLength(rr);
  if (msg.edns) size += optLength(msg.edns);
  return writeMessage(msg, size);
}

// ---- responses: name compression and RRset-boundary truncation ------------

/**
 * Types whose RDATA names may be compressed: RFC 3597 §4 allows it only for
 * the RFC 1035 types (SRV targets, RFC 2782, must not be compressed).
 */
const COMPRESSIBLE_RDATA = new Set(['NS', 'CNAME', 'PTR', 'SOA', 'MX']);

/** Pointers are 14-bit offsets (RFC 1035 §4.1.4). */
const MAX_POINTER = 0x3fff;

/** One scratch buffer for every response: no allocation but the final copy. */
const SCRATCH = Buffer.allocUnsafe(3 * 65536);

/**
 * Writes names with RFC 1035 §4.1.4 compression: every suffix written so far
 * is remembered (lower-cased: names compare case-insensitively), and a name
 * ends in a pointer at its longest remembered suffix. Entries added after a
 * mark can be forgotten again when an RRset is cut off.
 */
class NameWriter {
  private readonly offsets = new Map<string, number>();
  private readonly added: string[] = [];

  constructor(private readonly buf: Buffer) {}

  write(name: string, offset: number, compress: boolean): number {
    const buf = this.buf;
    if (name === '.' || name === '') {
      buf[offset] = 0;
      return offset + 1;
    }
    let start = 0;
    while (start < name.length) {
      if (compress) {
        const suffix = (start === 0 ? name : name.slice(start)).toLowerCase();
        const at = this.offsets.get(suffix);
        if (at !== undefined) {
          buf.writeUInt16BE(0xc000 | at, offset);
          return offset + 2;
        }
        if (offset <= MAX_POINTER) {
          this.offsets.set(suffix, offset);
          this.added.push(suffix);
        }
      }
      let end = name.indexOf('.', start);
      if (end < 0) end = name.length;
      const length = buf.write(name.slice(start, end), offset + 1, 'utf8');
      if (length > 63) throw new Error(`label longer than 63 octets in ${name}`);
      buf[offset] = length;
      offset += 1 + length;
      start = end + 1;
    }
    buf[offset] = 0;
    return offset + 1;
  }

  /** How many suffixes are remembered; pass it to forgetSince to roll back. */
  mark(): number {
    return this.added.length;
  }

  forgetSince(mark: number): void {
    while (this.added.length > mark) this.offsets.delete(this.added.pop()!);
  }
}

function writeCompressedRecord(rr: ResourceRecord, buf: Buffer, offset: number, names: NameWriter,
  ttlOffsets: number[] | undefined): number {
  offset = names.write(rr.name, offset, true);
  ttlOffsets?.push(offset + 4);
  const rdlengthAt = writeFixedFields(rr, buf, offset);
  if (!COMPRESSIBLE_RDATA.has(rr.type) || Buffer.isBuffer(rr.data)) return writeRdata(rr, buf, rdlengthAt);
  let end: number;
  switch (rr.type) {
    case 'MX': {
      const mx = rr.data as { preference: number; exchange: string };
      buf.writeUInt16BE(mx.preference, rdlengthAt + 2);
      end = names.write(mx.exchange, rdlengthAt + 4, true);
      break;
    }
    case 'SOA': {
      const soa = rr.data as { mname: string; rname: string; serial: number; refresh: number; retry: number; expire: number; minimum: number };
      end = names.write(soa.mname, rdlengthAt + 2, true);
      end = names.write(soa.rname, end, true);
      buf.writeUInt32BE(soa.serial >>> 0, end);
      buf.writeUInt32BE(soa.refresh >>> 0, end + 4);
      buf.writeUInt32BE(soa.retry >>> 0, end + 8);
      buf.writeUInt32BE(soa.expire >>> 0, end + 12);
      buf.writeUInt32BE(soa.minimum >>> 0, end + 16);
      end += 20;
      break;
    }
    default: // NS, CNAME, PTR: the RDATA is one name
      end = names.write(rr.data as string, rdlengthAt + 2, true);
  }
  buf.writeUInt16BE(end - rdlengthAt - 2, rdlengthAt);
  return end;
}

export interface EncodedResponse {
  wire: Buffer;
  /** Offsets of every TTL field written (answer, authority, additional), for patching later. */
  ttlOffsets: number[];
}

/**
 * Encodes a response that must fit in `maxSize` bytes (a UDP limit), with
 * names compressed. Whole RRsets are cut from the end when it does not fit:
 * an answer or authority RRset that does not fit sets TC=1 and ends the
 * message, so the client retries over TCP; additional RRsets that do not fit
 * are left out without TC (RFC 2181 §9), except the glue of a referral
 * (RFC 9471). The OPT record always fits (RFC 6891 §7): its room is kept.
 */
export function encodeResponse(msg: Message, maxSize: number): Buffer {
  return encodeResponseWithTtls(msg, maxSize, undefined).wire;
}

export function encodeResponseWithTtls(msg: Message, maxSize: number, ttlOffsets: number[] | undefined = []): EncodedResponse {
  const buf = SCRATCH;
  const names = new NameWriter(buf);
  const optSize = msg.edns ? optLength(msg.edns) : 0;
  const limit = Math.min(maxSize, 65535) - optSize;
  let offset = HEADER_SIZE;
  for (const q of msg.questions) {
    offset = names.write(q.name, offset, true);
    buf.writeUInt16BE(typeNumber(q.type) ?? 0, offset);
    buf.writeUInt16BE(classNumber(q.class) ?? 0, offset + 2);
    offset += 4;
  }
  if (offset > limit) throw new Error('question does not fit the size limit');

  let tc = msg.tc;
  const counts = [0, 0, 0];
  const sections = [msg.answers, msg.authorities, msg.additionals];
  const isReferral = msg.answers.length === 0 && msg.authorities.some((rr) => rr.type === 'NS');
  let full = false;
  for (let s = 0; s < 3 && !full; s++) {
    const rrs = sections[s];
    let i = 0;
    while (i < rrs.length) {
      // One RRset: the run of records sharing owner, type and class.
      let j = i + 1;
      while (j < rrs.length && sameRRset(rrs[j], rrs[i])) j++;
      const mark = names.mark();
      const ttlMark = ttlOffsets?.length ?? 0;
      const before = offset;
      let fits = true;
      for (let k = i; k < j && fits; k++) {
        // The uncompressed length bounds the write, keeping it inside the scratch buffer.
        if (offset + recordLength(rrs[k]) > SCRATCH.length - 512) fits = false;
        else offset = writeCompressedRecord(rrs[k], buf, offset, names, ttlOffsets);
        if (offset > limit) fits = false;
      }
      if (!fits) {
        offset = before;
        names.forgetSince(mark);
        if (ttlOffsets) ttlOffsets.length = ttlMark;
        if (s < 2 || isReferral) tc = true;
        full = true;
        break;
      }
      counts[s] += j - i;
      i = j;
    }
  }
  if (msg.edns) offset = writeOpt(msg.edns, msg.rcode, buf, offset);

  writeHeader(buf, msg, tc, counts[0], counts[1], counts[2]);
  return { wire: Buffer.from(buf.subarray(0, offset)), ttlOffsets: ttlOffsets ?? [] };
}

function sameRRset(a: ResourceRecord, b: ResourceRecord): boolean {
  return a.type === b.type && a.class === b.class && (a.name === b.name || a.name.toLowerCase() === b.name.toLowerCase());
}
