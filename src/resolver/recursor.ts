// What the query pipeline needs from the recursive side of Hops. The
// QueryHandler asks a Recursor only for names no local zone covers.

import type { Question, ResourceRecord } from '../dns/message.js';

export interface RecursionResult {
  /** NOERROR, NXDOMAIN or SERVFAIL. */
  rcode: number;
  /** CNAME chain then the final RRset, TTLs already set to remaining cache time. */
  answers: ResourceRecord[];
  /** The SOA for NXDOMAIN / NODATA (RFC 2308 §3), else empty. */
  authorities: ResourceRecord[];
}

export interface RecursionOptions {
  /** RD=0: answer from cache only, never send a query upstream. */
  cacheOnly: boolean;
}

export interface Recursor {
  resolve(question: Question, options: RecursionOptions): Promise<RecursionResult>;
}
