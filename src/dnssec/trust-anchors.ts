// Trust anchors (RFC 4035 §4.4): the DS or DNSKEY records a validator trusts
// without proof, read from files in the format of Unbound's
// trust-anchor-file: zone-file presentation, one record per line (or spread
// over lines inside parentheses), ';' comments, owner names absolute.
// A file that cannot be read or parsed stops start-up with the file and line.

import { readFileSync } from 'node:fs';
import type { ResourceRecord } from '../dns/message.js';
import { normalizeName } from '../dns/name.js';

export class TrustAnchorError extends Error {
  readonly code = 'ETRUSTANCHOR';
  constructor(message: string) {
    super(message);
    this.name = 'TrustAnchorError';
  }
}

/** RFC 8624 §3.1 mnemonics, for files that spell algorithms out. */
const ALGORITHMS: Record<string, number> = {
  RSAMD5: 1, DSA: 3, RSASHA1: 5, 'DSA-NSEC3-SHA1': 6, 'RSASHA1-NSEC3-SHA1': 7, RSASHA256: 8, RSASHA512: 10,
  'ECC-GOST': 12, ECDSAP256SHA256: 13, ECDSAP384SHA384: 14, ED25519: 15, ED448: 16,
};

/** Reads every anchor of every file; throws TrustAnchorError naming the file (and line) at fault. */
export function loadTrustAnchors(files: readonly string[]): ResourceRecord[] {
  const out: ResourceRecord[] = [];
  for (const file of files) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (err) {
      throw new TrustAnchorError(`trust anchor file ${file}: cannot read it (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
    }
    const records = parseTrustAnchors(text, file);
    if (records.length === 0) throw new TrustAnchorError(`trust anchor file ${file}: no DS or DNSKEY record in it`);
    out.push(...records);
  }
  return out;
}

/** Parses the text of one trust anchor file; `source` names it in errors. */
export function parseTrustAnchors(text: string, source: string): ResourceRecord[] {
  const records: ResourceRecord[] = [];
  for (const { line, tokens } of logicalLines(text, source)) {
    const where = `trust anchor file ${source}, line ${line}`;
    records.push(parseAnchor(tokens, where));
  }
  return records;
}

interface LogicalLine { line: number; tokens: string[] }

/** Lines with comments removed, parenthesised continuations joined (RFC 1035 §5.1). */
function logicalLines(text: string, source: string): LogicalLine[] {
  const out: LogicalLine[] = [];
  let current: LogicalLine | undefined;
  let depth = 0;
  text.split(/\r?\n/).forEach((raw, i) => {
    const content = raw.replace(/;.*$/, '');
    for (const ch of content) {
      if (ch === '(') depth++;
      else if (ch === ')') depth--;
    }
    if (depth < 0) throw new TrustAnchorError(`trust anchor file ${source}, line ${i + 1}: ")" without "("`);
    const tokens = content.replace(/[()]/g, ' ').trim().split(/\s+/).filter(Boolean);
    if (!current) {
      if (tokens.length === 0) return;
      current = { line: i + 1, tokens };
    } else {
      current.tokens.push(...tokens);
    }
    if (depth === 0) {
      out.push(current);
      current = undefined;
    }
  });
  if (current) throw new TrustAnchorError(`trust anchor file ${source}, line ${current.line}: "(" never closed`);
  return out;
}

function parseAnchor(tokens: string[], where: string): ResourceRecord {
  const [ownerText, ...rest] = tokens;
  if (!ownerText.endsWith('.')) throw new TrustAnchorError(`${where}: owner "${ownerText}" must be absolute (end with a dot)`);
  const name = normalizeName(ownerText);
  let i = 0;
  let ttl = 0;
  // [TTL] [class] in either order, as zone files allow.
  for (let n = 0; n < 2 && i < rest.length; n++) {
    if (/^\d+$/.test(rest[i])) ttl = Number(rest[i++]);
    else if (rest[i].toUpperCase() === 'IN') i++;
  }
  const type = rest[i++]?.toUpperCase();
  const fields = rest.slice(i);
  if (type === 'DS') return { name, type, class: 'IN', ttl, data: dsRdata(fields, where) };
  if (type === 'DNSKEY') return { name, type, class: 'IN', ttl, data: dnskeyRdata(fields, where) };
  throw new TrustAnchorError(`${where}: expected a DS or DNSKEY record, found ${type ?? 'nothing'} after the owner`);
}

/** DS RDATA (RFC 4034 §5.3): key tag, algorithm, digest type, digest in hex (may be split by spaces). */
function dsRdata(fields: string[], where: string): Buffer {
  if (fields.length < 4) throw new TrustAnchorError(`${where}: a DS needs key tag, algorithm, digest type and digest`);
  const keyTag = integer(fields[0], 0xffff, 'key tag', where);
  const algorithm = algorithmNumber(fields[1], where);
  const digestType = integer(fields[2], 0xff, 'digest type', where);
  const hex = fields.slice(3).join('');
  if (!/^([0-9a-fA-F]{2})+$/.test(hex)) throw new TrustAnchorError(`${where}: the DS digest must be hexadecimal`);
  const out = Buffer.alloc(4 + hex.length / 2);
  out.writeUInt16BE(keyTag, 0);
  out[2] = algorithm;
  out[3] = digestType;
  Buffer.from(hex, 'hex').copy(out, 4);
  return out;
}

/** DNSKEY RDATA (RFC 4034 §2.2): flags, protocol, algorithm, public key in base64 (may be split by spaces). */
function dnskeyRdata(fields: string[], where: string): Buffer {
  if (fields.length < 4) throw new TrustAnchorError(`${where}: a DNSKEY needs flags, protocol, algorithm and public key`);
  const flags = integer(fields[0], 0xffff, 'flags', where);
  const protocol = integer(fields[1], 0xff, 'protocol', where);
  if (protocol !== 3) throw new TrustAnchorError(`${where}: DNSKEY protocol must be 3 (RFC 4034 §2.1.2)`);
  const algorithm = algorithmNumber(fields[2], where);
  const b64 = fields.slice(3).join('');
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(b64)) throw new TrustAnchorError(`${where}: the DNSKEY public key must be base64`);
  const key = Buffer.from(b64, 'base64');
  const out = Buffer.alloc(4 + key.length);
  out.writeUInt16BE(flags, 0);
  out[2] = protocol;
  out[3] = algorithm;
  key.copy(out, 4);
  return out;
}

function integer(text: string, max: number, what: string, where: string): number {
  const n = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!(n <= max)) throw new TrustAnchorError(`${where}: ${what} "${text}" is not a number from 0 to ${max}`);
  return n;
}

function algorithmNumber(text: string, where: string): number {
  const named = ALGORITHMS[text.toUpperCase()];
  return named ?? integer(text, 0xff, 'algorithm', where);
}
