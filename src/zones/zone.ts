import type { ResourceRecord } from '../dns/message.js';

/**
 * A validated zone, as the parser hands it to the store: plain data.
 *
 * Guarantees (checked by zone-validate.ts): exactly one SOA, owned by `apex`;
 * at least one NS at the apex; every owner at or below the apex; no CNAME
 * sharing its name with other data; no duplicate records (RFC 2181 §5); one
 * TTL per RRset (RFC 2181 §5.2); all names canonical (see dns/name.ts).
 */
export interface Zone {
  /** The zone apex: the owner of the SOA record. */
  apex: string;
  /** The file the zone was read from, for messages. */
  file: string;
  /** Every record, class IN, the records of one RRset next to each other. */
  records: ResourceRecord[];
}
