// NSEC and NSEC3 records written as presentation text, as the RFCs print
// them, turned into ResourceRecords with raw RDATA exactly as the codec
// decodes it off the wire. So test tables can quote RFC examples verbatim:
//   nsecRR('b.example. NSEC ns1.example. NS RRSIG NSEC')
//   nsec3RR('35mthgpgcu1qg68fab165klnsnk3dpvl.example. NSEC3 1 1 12 aabbccdd b4um86eghhds6nea196smvmlo4ors995 NS DS RRSIG')
// An optional TTL and class may stand between owner and type.

import { typeNumber } from '../../src/dns/codec.js';
import type { ResourceRecord } from '../../src/dns/message.js';
import { normalizeName } from '../../src/dns/name.js';
import { base32hexDecode } from '../../src/dnssec/base32hex.js';
import { encodeNsecRdata } from '../../src/dnssec/nsec.js';
import { encodeNsec3Rdata } from '../../src/dnssec/nsec3.js';

export function nsecRR(text: string): ResourceRecord {
  const { owner, ttl, fields } = split(text, 'NSEC');
  const [next, ...types] = fields;
  if (!next) throw new Error(`NSEC without a next name: ${text}`);
  return { name: owner, type: 'NSEC', class: 'IN', ttl, data: encodeNsecRdata(normalizeName(next), types.map(typeCode)) };
}

export function nsec3RR(text: string): ResourceRecord {
  const { owner, ttl, fields } = split(text, 'NSEC3');
  const [alg, flags, iterations, salt, next, ...types] = fields;
  if (next === undefined) throw new Error(`NSEC3 with too few fields: ${text}`);
  const nextHash = base32hexDecode(next);
  if (!nextHash) throw new Error(`bad next hashed owner ${next}`);
  const data = encodeNsec3Rdata({
    hashAlgorithm: Number(alg),
    flags: Number(flags),
    iterations: Number(iterations),
    salt: salt === '-' ? Buffer.alloc(0) : Buffer.from(salt!, 'hex'),
    nextHash,
    types: types.map(typeCode),
  });
  return { name: owner, type: 'NSEC3', class: 'IN', ttl, data };
}

export function typeCode(mnemonic: string): number {
  const n = typeNumber(mnemonic);
  if (n === undefined) throw new Error(`unknown type ${mnemonic}`);
  return n;
}

function split(text: string, type: string): { owner: string; ttl: number; fields: string[] } {
  const tokens = text.replace(/[()]/g, ' ').trim().split(/\s+/);
  const at = tokens.indexOf(type);
  if (at < 1) throw new Error(`not a ${type} record: ${text}`);
  const ttlToken = tokens.slice(1, at).find((t) => /^\d+$/.test(t));
  return { owner: normalizeName(tokens[0]!), ttl: ttlToken ? Number(ttlToken) : 3600, fields: tokens.slice(at + 1) };
}
