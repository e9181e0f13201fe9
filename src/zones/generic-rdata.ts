// RFC 3597 §5 generic record data: `\# <length> <hex>`. It is how a zone file
// carries types Hops has no presentation parser for; those stay raw bytes.
// For types Hops does understand, the bytes are decoded into the structured
// shape so the store never sees the same data in two forms.

import { decodeMessage, encodeMessage, FormatError, isStructuredType, typeNumber } from '../dns/codec.js';
import { emptyMessage, type RData, type ResourceRecord } from '../dns/message.js';
import { normalizeName } from '../dns/name.js';
import type { Token } from './lexer.js';
import { canonicalIPv6, checkCaaTag, FieldError, parseUint } from './presentation.js';

export function parseGenericRdata(type: string, tokens: Token[]): RData {
  const [lengthToken, ...hexTokens] = tokens;
  if (!lengthToken) throw new FieldError('missing data length after \\# (RFC 3597 §5)');
  const length = parseUint(lengthToken, 16, '\\# data length');
  const hex = hexTokens.map((t) => t.text).join('');
  if (hexTokens.some((t) => t.quoted) || !/^[0-9a-f]*$/i.test(hex) || hex.length % 2 !== 0) {
    throw new FieldError(`bad hex data after \\# ${length}: "${hex}"`);
  }
  const octets = Buffer.from(hex, 'hex');
  if (octets.length !== length) {
    throw new FieldError(`\\# says ${length} octets but the hex data has ${octets.length}`);
  }
  return isStructuredType(type) ? decodeKnownRdata(type, octets) : octets;
}

/**
 * Decodes RDATA of a structured type through the wire codec, by wrapping it
 * in a one-record message. Re-encoding must give back the same octets: that
 * rejects compression pointers (RFC 3597 §4 forbids them here) and anything
 * the structured shape cannot carry exactly.
 */
function decodeKnownRdata(type: string, rdata: Buffer): RData {
  const message = Buffer.alloc(12 + 11 + rdata.length);
  message.writeUInt16BE(1, 6); // ANCOUNT
  // Owner: the root (one zero octet at offset 12), then the fixed fields.
  message.writeUInt16BE(typeNumber(type)!, 13);
  message.writeUInt16BE(1, 15); // class IN
  message.writeUInt16BE(rdata.length, 21);
  rdata.copy(message, 23);

  let record: ResourceRecord;
  try {
    record = decodeMessage(message).answers[0];
  } catch (err) {
    if (err instanceof FormatError) throw new FieldError(`\\# data is not valid ${type} data: ${err.message}`);
    throw err;
  }
  const check = emptyMessage();
  check.answers.push(record);
  if (!encodeMessage(check).equals(message)) {
    throw new FieldError(`\\# data for ${type} is not in a form Hops can serve unchanged (compressed or unusual names?)`);
  }
  return normalize(type, record.data);
}

/** Brings decoded data to the form the presentation parsers produce. */
function normalize(type: string, data: RData): RData {
  const d = data as Record<string, unknown>;
  switch (type) {
    case 'AAAA':
      return canonicalIPv6(data as string);
    case 'NS':
    case 'CNAME':
    case 'PTR':
      return wireName(data as string);
    case 'MX':
      return { preference: d.preference as number, exchange: wireName(d.exchange as string) };
    case 'SRV':
      return { priority: d.priority as number, weight: d.weight as number, port: d.port as number, target: wireName(d.target as string) };
    case 'SOA':
      return {
        mname: wireName(d.mname as string), rname: wireName(d.rname as string), serial: d.serial as number,
        refresh: d.refresh as number, retry: d.retry as number, expire: d.expire as number, minimum: d.minimum as number,
      };
    case 'TXT':
      return (data as Buffer[]).map((s) => Buffer.from(s));
    case 'CAA':
      checkCaaTag(d.tag as string);
      // (the round trip above already rejected values that are not UTF-8)
      return { flags: d.flags as number, tag: d.tag as string, value: d.value as string };
    default:
      return data;
  }
}

/** A name from the wire, held to the same rule as presentation names. */
function wireName(name: string): string {
  if (!/^[\x21-\x7e]+$/.test(name)) throw new FieldError(`name "${name}" in \\# data has characters Hops cannot serve`);
  return normalizeName(name);
}
