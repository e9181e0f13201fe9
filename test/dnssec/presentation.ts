// Records written as the RFCs print them (`owner ttl IN TYPE rdata`, with
// the base64 runs joined), so the test vectors can be quoted, not retyped
// as bytes. Only what the vectors need: DNSKEY, DS, RRSIG, NSEC, A, MX, SOA.

import { typeNumber } from '../../src/dns/codec.js';
import type { ResourceRecord } from '../../src/dns/message.js';
import { normalizeName } from '../../src/dns/name.js';
import { buildDnskey, buildDs, buildRrsig } from '../../src/dnssec/dnssec-rdata.js';

/** RFC 4034 §3.2: YYYYMMDDHHmmSS (UTC) or plain seconds. */
export function rrsigTime(text: string): number {
  const m = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/.exec(text);
  if (!m) return Number(text);
  return Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!) / 1000;
}

/** Wire form of a name, keeping its letter case (for RDATA that must not be lower-cased). */
export function caseKeptWireName(name: string): Buffer {
  const n = name.endsWith('.') ? name.slice(0, -1) : name;
  if (n === '') return Buffer.from([0]);
  return Buffer.concat([...n.split('.').map((l) => Buffer.concat([Buffer.from([l.length]), Buffer.from(l, 'latin1')])), Buffer.from([0])]);
}

/** RFC 4034 §4.1.2 type bit maps. */
export function typeBitmap(types: string[]): Buffer {
  const windows = new Map<number, number[]>();
  for (const t of types) {
    const n = typeNumber(t)!;
    const bits = windows.get(n >> 8) ?? [];
    bits.push(n & 0xff);
    windows.set(n >> 8, bits);
  }
  const parts: Buffer[] = [];
  for (const w of [...windows.keys()].sort((a, b) => a - b)) {
    const bits = windows.get(w)!;
    const length = (Math.max(...bits) >> 3) + 1;
    const map = Buffer.alloc(length);
    for (const b of bits) map[b >> 3]! |= 0x80 >> (b & 7);
    parts.push(Buffer.from([w, length]), map);
  }
  return Buffer.concat(parts);
}

/** One record from its presentation form. */
export function record(text: string): ResourceRecord {
  const [owner, ttl, klass, type, ...rd] = text.trim().split(/\s+/);
  const base = { name: normalizeName(owner!), type: type!, class: klass!, ttl: Number(ttl) };
  switch (type) {
    case 'DNSKEY':
      return { ...base, data: buildDnskey({ flags: +rd[0]!, protocol: +rd[1]!, algorithm: +rd[2]!, publicKey: Buffer.from(rd.slice(3).join(''), 'base64') }) };
    case 'DS':
      return { ...base, data: buildDs({ keyTag: +rd[0]!, algorithm: +rd[1]!, digestType: +rd[2]!, digest: Buffer.from(rd.slice(3).join(''), 'hex') }) };
    case 'RRSIG':
      return {
        ...base,
        data: buildRrsig({
          typeCovered: rd[0]!, algorithm: +rd[1]!, labels: +rd[2]!, originalTtl: +rd[3]!,
          expiration: rrsigTime(rd[4]!), inception: rrsigTime(rd[5]!), keyTag: +rd[6]!,
          signerName: normalizeName(rd[7]!), signature: Buffer.from(rd.slice(8).join(''), 'base64'),
        }),
      };
    case 'NSEC':
      return { ...base, data: Buffer.concat([caseKeptWireName(rd[0]!), typeBitmap(rd.slice(1))]) };
    case 'A':
      return { ...base, data: rd[0]! };
    case 'MX':
      return { ...base, data: { preference: +rd[0]!, exchange: normalizeName(rd[1]!) } };
    case 'SOA':
      return {
        ...base,
        data: { mname: normalizeName(rd[0]!), rname: normalizeName(rd[1]!), serial: +rd[2]!, refresh: +rd[3]!, retry: +rd[4]!, expire: +rd[5]!, minimum: +rd[6]! },
      };
    default:
      throw new Error(`presentation.ts cannot read ${type}`);
  }
}

/** Every record of a block of lines; blank lines are skipped. */
export function records(block: string): ResourceRecord[] {
  return block.split('\n').filter((l) => l.trim() !== '').map(record);
}

/** The records of one type out of a block. */
export function ofType(rrs: ResourceRecord[], type: string): ResourceRecord[] {
  return rrs.filter((rr) => rr.type === type);
}
