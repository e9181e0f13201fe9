// Where the domain names sit in the RDATA of the types whose names RFC 4034
// §6.2 (item 3) lower-cases for the canonical form, so that RDATA the codec
// keeps raw (RP, AFSDB, NAPTR, ...) is made canonical as well as RDATA that
// dns-packet encodes (MX, SOA, ...). RFC 6840 §5.1 takes NSEC off that list
// (its next name keeps its case); HINFO is on it but holds no names; RRSIG
// and SIG are on it, though RRSIGs are never themselves signed.

/** One step through the RDATA: skip fixed octets, a name, or a <character-string>. */
type Step = number | 'name' | 'string';

/** A6 (RFC 2874 §3.1) is the one layout that depends on its own content; see a6Layout. */
const LAYOUTS: Record<string, Step[]> = {
  NS: ['name'], MD: ['name'], MF: ['name'], CNAME: ['name'], MB: ['name'], MG: ['name'], MR: ['name'],
  PTR: ['name'], DNAME: ['name'], NXT: ['name'],
  SOA: ['name', 'name'], MINFO: ['name', 'name'], RP: ['name', 'name'],
  MX: [2, 'name'], AFSDB: [2, 'name'], RT: [2, 'name'], KX: [2, 'name'],
  PX: [2, 'name', 'name'],
  SRV: [6, 'name'],
  NAPTR: [4, 'string', 'string', 'string', 'name'],
  SIG: [18, 'name'], RRSIG: [18, 'name'],
};

/** Mnemonics of types the codec does not name (RFC 1035, 2163, 2230, 2535, 2874). */
const TYPE_ALIASES: Record<string, string> = {
  TYPE3: 'MD', TYPE4: 'MF', TYPE7: 'MB', TYPE8: 'MG', TYPE9: 'MR', TYPE14: 'MINFO', TYPE21: 'RT',
  TYPE26: 'PX', TYPE30: 'NXT', TYPE36: 'KX', TYPE38: 'A6',
};

/** True when the canonical form of this type's RDATA lower-cases names in it. */
export function hasCanonicalNames(type: string): boolean {
  const t = TYPE_ALIASES[type] ?? type;
  return t === 'A6' || LAYOUTS[t] !== undefined;
}

/**
 * The RDATA with its domain names in canonical form (RFC 4034 §6.2): US-ASCII
 * capitals lower-cased, nothing else touched. The input is never modified.
 * RDATA that does not fit its layout (a compression pointer, a name running
 * past the end) is returned as it is: it has no canonical form to sign.
 */
export function canonicalRdataNames(type: string, rdata: Buffer): Buffer {
  const t = TYPE_ALIASES[type] ?? type;
  const layout = t === 'A6' ? a6Layout(rdata) : LAYOUTS[t];
  if (!layout) return rdata;
  const spans: Array<[number, number]> = [];
  let at = 0;
  for (const step of layout) {
    if (typeof step === 'number') {
      at += step;
    } else if (step === 'string') {
      if (at >= rdata.length) return rdata;
      at += 1 + rdata[at]!;
    } else {
      const end = uncompressedNameEnd(rdata, at);
      if (end === undefined) return rdata;
      spans.push([at, end]);
      at = end;
    }
    if (at > rdata.length) return rdata;
  }
  let out: Buffer | undefined;
  for (const [start, end] of spans) {
    for (let i = start; i < end; i++) {
      const c = rdata[i]!;
      // Length octets are at most 63, below 'A', so only label octets change.
      if (c >= 0x41 && c <= 0x5a) {
        out ??= Buffer.from(rdata);
        out[i] = c | 0x20;
      }
    }
  }
  return out ?? rdata;
}

/** The offset just past an uncompressed name at `offset`; undefined when it is not one. */
function uncompressedNameEnd(buf: Buffer, offset: number): number | undefined {
  let at = offset;
  for (;;) {
    if (at >= buf.length) return undefined;
    const len = buf[at]!;
    if (len === 0) return at + 1;
    if (len > 63) return undefined;
    at += 1 + len;
  }
}

/** A6: prefix length, the address suffix it leaves, then a prefix name when the prefix length is not 0. */
function a6Layout(rdata: Buffer): Step[] | undefined {
  if (rdata.length < 1 || rdata[0]! > 128) return undefined;
  const prefixLength = rdata[0]!;
  const suffixOctets = Math.ceil((128 - prefixLength) / 8);
  return prefixLength === 0 ? [1 + suffixOctets] : [1 + suffixOctets, 'name'];
}
