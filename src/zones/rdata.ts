// Record data in presentation format → Hops' RData shapes (dns/message.ts),
// one small parser per supported type. Types without a parser here are
// accepted in RFC 3597 generic form only (generic-rdata.ts).

import { isIPv4, isIPv6 } from 'node:net';
import type { CaaData, MxData, RData, SoaData, SrvData } from '../dns/message.js';
import { parseGenericRdata } from './generic-rdata.js';
import type { Token } from './lexer.js';
import { caaValue, canonicalIPv6, checkCaaTag, FieldError, parseName, parseTimer, parseUint, unescapeText } from './presentation.js';

/** RFC 1035 §3.3: a <character-string> is at most 255 octets. */
const MAX_STRING_OCTETS = 255;

/** Reads the fields of one record's data in order, naming what is missing. */
class FieldReader {
  private next = 0;
  constructor(
    private readonly type: string,
    private readonly tokens: Token[],
    private readonly origin: string,
  ) {}

  get more(): boolean {
    return this.next < this.tokens.length;
  }
  token(what: string): Token {
    const token = this.tokens[this.next++];
    if (!token) throw new FieldError(`${this.type} record is missing its ${what}`);
    return token;
  }
  word(what: string): string {
    const token = this.token(what);
    if (token.quoted) throw new FieldError(`${this.type} ${what} "${token.text}" must not be quoted`);
    return token.text;
  }
  name(what: string): string {
    return parseName(this.token(what), this.origin);
  }
  uint(bits: 8 | 16 | 32, what: string): number {
    return parseUint(this.token(what), bits, `${this.type} ${what}`);
  }
  timer(what: string): number {
    return parseTimer(this.token(what), `SOA ${what}`);
  }
  /** A <character-string>: quoted or not, escapes resolved (RFC 1035 §5.1). */
  string(what: string): Buffer {
    const octets = unescapeText(this.token(what).text);
    if (octets.length > MAX_STRING_OCTETS) {
      throw new FieldError(`${this.type} ${what} is ${octets.length} octets; split it into strings of at most ${MAX_STRING_OCTETS}`);
    }
    return octets;
  }
  end(): void {
    if (this.more) throw new FieldError(`unexpected "${this.tokens[this.next].text}" after the ${this.type} record data`);
  }
}

const PARSERS: Record<string, (r: FieldReader) => RData> = {
  A(r) {
    const address = r.word('address');
    if (!isIPv4(address)) throw new FieldError(`bad IPv4 address "${address}"`);
    return address;
  },
  AAAA(r) {
    const address = r.word('address');
    // isIPv6 accepts a zone index ("%eth0"), which has no place in DNS data.
    if (!isIPv6(address) || address.includes('%')) throw new FieldError(`bad IPv6 address "${address}"`);
    return canonicalIPv6(address);
  },
  NS: (r) => r.name('name server name'),
  CNAME: (r) => r.name('target name'),
  PTR: (r) => r.name('target name'),
  MX(r): MxData {
    return { preference: r.uint(16, 'preference'), exchange: r.name('exchange name') };
  },
  SOA(r): SoaData {
    return {
      mname: r.name('primary server name (MNAME)'),
      rname: r.name('mailbox name (RNAME)'),
      serial: r.uint(32, 'serial'),
      refresh: r.timer('refresh'),
      retry: r.timer('retry'),
      expire: r.timer('expire'),
      minimum: r.timer('minimum'),
    };
  },
  TXT(r) {
    const strings = [r.string('text')];
    while (r.more) strings.push(r.string('text'));
    return strings;
  },
  // RFC 2782
  SRV(r): SrvData {
    return { priority: r.uint(16, 'priority'), weight: r.uint(16, 'weight'), port: r.uint(16, 'port'), target: r.name('target name') };
  },
  // RFC 8659 §4.1.1
  CAA(r): CaaData {
    const flags = r.uint(8, 'flags');
    const tag = r.word('tag');
    checkCaaTag(tag);
    return { flags, tag, value: caaValue(r.string('value')) };
  },
};

/**
 * Parses the data fields of a record of `type` (a canonical mnemonic).
 * Relative names are completed with `origin`.
 */
export function parseRdata(type: string, tokens: Token[], origin: string): RData {
  if (tokens.length > 0 && !tokens[0].quoted && tokens[0].text === '\\#') {
    return parseGenericRdata(type, tokens.slice(1));
  }
  const parse = PARSERS[type];
  if (!parse) throw new FieldError(`${type} records must be written in RFC 3597 generic form: ${type} \\# <length> <hex>`);
  const reader = new FieldReader(type, tokens, origin);
  const data = parse(reader);
  reader.end();
  return data;
}
