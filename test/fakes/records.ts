// Records and replies written as short text, so unit-test tables read like DNS data.

import { emptyMessage, type Message, type ResourceRecord } from '../../src/dns/message.js';

/**
 * `owner ttl TYPE data`: A, AAAA, NS, CNAME take one field; SOA takes
 * `mname rname serial refresh retry expire minimum`; TXT takes one string.
 */
export function rr(text: string, klass = 'IN'): ResourceRecord {
  const [name, ttl, type, ...data] = text.trim().split(/\s+/);
  const base = { name, type, class: klass, ttl: Number(ttl) };
  switch (type) {
    case 'SOA': {
      const [mname, rname, serial, refresh, retry, expire, minimum] = data;
      return { ...base, data: { mname, rname, serial: +serial, refresh: +refresh, retry: +retry, expire: +expire, minimum: +minimum } };
    }
    case 'TXT':
      return { ...base, data: [Buffer.from(data.join(' '))] };
    default:
      return { ...base, data: data[0] };
  }
}

export interface ReplySpec {
  rcode?: number;
  aa?: boolean;
  tc?: boolean;
  /** RA: the reply comes from a server that recurses. */
  ra?: boolean;
  answers?: string[];
  authorities?: string[];
  additionals?: string[];
}

/** A reply to `name`/`type` with the given sections. */
export function reply(name: string, type: string, spec: ReplySpec = {}): Message {
  const m = emptyMessage(1);
  m.qr = true;
  m.aa = spec.aa ?? false;
  m.tc = spec.tc ?? false;
  m.ra = spec.ra ?? false;
  m.rcode = spec.rcode ?? 0;
  m.questions = [{ name, type, class: 'IN' }];
  m.answers = (spec.answers ?? []).map((t) => rr(t));
  m.authorities = (spec.authorities ?? []).map((t) => rr(t));
  m.additionals = (spec.additionals ?? []).map((t) => rr(t));
  return m;
}

/** `name ttl TYPE data` per record, for assertions. */
export function lines(records: readonly ResourceRecord[]): string[] {
  return records.map((r) => {
    const data = typeof r.data === 'string' ? r.data
      : Array.isArray(r.data) ? r.data.map((b) => b.toString()).join(' ')
        : Object.values(r.data as object).join(' ');
    return `${r.name} ${r.ttl} ${r.type} ${data}`;
  });
}
