// Hops' own DNS types. They follow dns-packet's shapes (so the codec copies
// nothing on the way in or out) but are the only ones the rest of the code
// sees: only src/dns/codec.ts imports dns-packet.
//
// Record types and classes are upper-case mnemonics ('A', 'MX', 'IN', 'CH').
// Types dns-packet does not know are written 'TYPEnnn' and classes 'CLASSnnn',
// as in RFC 3597.

export type RRType = string;
export type RRClass = string;

export interface Question {
  name: string; // as received (letter case preserved); normalize before comparing
  type: RRType;
  class: RRClass;
}

export interface SoaData {
  mname: string;
  rname: string;
  serial: number;
  refresh: number;
  retry: number;
  expire: number;
  minimum: number;
}
export interface MxData { preference: number; exchange: string }
export interface SrvData { priority: number; weight: number; port: number; target: string }
export interface CaaData { flags: number; tag: string; value: string; issuerCritical?: boolean }

/**
 * Record data, in dns-packet's shape for each type:
 * A/AAAA: address string; NS/CNAME/PTR/DNAME: name string; TXT: Buffer[];
 * SOA/MX/SRV/CAA: the objects above; anything else: raw rdata Buffer.
 */
export type RData = string | Buffer | Buffer[] | SoaData | MxData | SrvData | CaaData | Record<string, unknown>;

export interface ResourceRecord {
  name: string;
  type: RRType;
  class: RRClass;
  ttl: number;
  data: RData;
}

/** EDNS(0) pseudo-record contents (RFC 6891). */
export interface Edns {
  udpSize: number;
  version: number;
  dnssecOk: boolean;
  /** Upper 8 bits of the 12-bit extended RCODE. */
  extendedRcode: number;
  options: Array<{ code: number; data?: Buffer }>;
}

export const Opcode = { QUERY: 0, IQUERY: 1, STATUS: 2, NOTIFY: 4, UPDATE: 5 } as const;

export const RCode = {
  NOERROR: 0,
  FORMERR: 1,
  SERVFAIL: 2,
  NXDOMAIN: 3,
  NOTIMP: 4,
  REFUSED: 5,
  YXDOMAIN: 6, // RFC 6672 §2.2: a DNAME substitution would make a name too long
  NOTAUTH: 9, // RFC 2136 §2.2, RFC 8945 §4.3: not authoritative for the zone
  BADVERS: 16, // extended (needs OPT): RFC 6891 §6.1.3
} as const;

export function rcodeName(rcode: number): string {
  for (const [k, v] of Object.entries(RCode)) if (v === rcode) return k;
  return `RCODE${rcode}`;
}

export interface Message {
  id: number;
  qr: boolean;
  opcode: number;
  aa: boolean;
  tc: boolean;
  rd: boolean;
  ra: boolean;
  ad: boolean;
  cd: boolean;
  /** Full RCODE (may exceed 15 when an OPT record carries the upper bits). */
  rcode: number;
  questions: Question[];
  answers: ResourceRecord[];
  authorities: ResourceRecord[];
  /** Additional records, without the OPT pseudo-record (see `edns`). */
  additionals: ResourceRecord[];
  /** Present when the message carries an OPT record. */
  edns?: Edns;
}

/** A blank message with every flag clear; callers fill in what they need. */
export function emptyMessage(id = 0): Message {
  return {
    id, qr: false, opcode: Opcode.QUERY, aa: false, tc: false, rd: false, ra: false,
    ad: false, cd: false, rcode: RCode.NOERROR,
    questions: [], answers: [], authorities: [], additionals: [],
  };
}

/** An RRset: records sharing owner name, type and class (RFC 2181 §5). */
export interface RRset {
  name: string; // normalized
  type: RRType;
  class: RRClass;
  ttl: number;
  records: ResourceRecord[];
}

/** Groups records into RRsets in order of first appearance. */
export function groupRRsets(records: ResourceRecord[]): ResourceRecord[][] {
  const sets: ResourceRecord[][] = [];
  const index = new Map<string, ResourceRecord[]>();
  for (const rr of records) {
    const key = `${rr.name.toLowerCase()}|${rr.type}|${rr.class}`;
    let set = index.get(key);
    if (!set) {
      set = [];
      index.set(key, set);
      sets.push(set);
    }
    set.push(rr);
  }
  return sets;
}
