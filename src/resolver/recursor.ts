// What the query pipeline needs from the recursive side of Hops. The
// QueryHandler asks a Recursor only for names no local zone covers.

import type { ExtendedError } from '../dns/ede.js';
import type { Question, ResourceRecord } from '../dns/message.js';
import type { Security } from '../cache/security.js';

export interface RecursionResult {
  /** NOERROR, NXDOMAIN or SERVFAIL (REFUSED for questions a resolver does not serve). */
  rcode: number;
  /** CNAME chain then the final RRset, TTLs already set to remaining cache time. */
  answers: ResourceRecord[];
  /** The SOA for NXDOMAIN / NODATA (RFC 2308 §3), the NS set of an RD=0 referral, else empty. */
  authorities: ResourceRecord[];
  /**
   * Only for a cache-only (RD=0) miss answered with a referral: the cached
   * addresses of the NS records in `authorities`.
   */
  additionals?: ResourceRecord[];
  /**
   * Why it failed, for every SERVFAIL: the Extended DNS Error (RFC 8914) the
   * client is sent when its query had EDNS.
   */
  ede?: ExtendedError;
  /** With RecursionOptions.dnssec: the RRSIGs over the RRsets in `answers`. */
  signatures?: ResourceRecord[];
  /**
   * With RecursionOptions.dnssec: what proves a negative answer (the SOA's
   * RRSIGs, NSEC/NSEC3 records and theirs) or a wildcard expansion.
   */
  proof?: ResourceRecord[];
  /**
   * The DNSSEC status of the whole answer (Security): what the cache knew,
   * or, from the ValidatingRecursor, the verdict. Absent: never validated.
   */
  security?: Security;
  /** Servers whose replies this fresh resolution used (for the validator's retry elsewhere). */
  servers?: string[];
}

export interface RecursionOptions {
  /** RD=0: answer from cache only, never send a query upstream. */
  cacheOnly: boolean;
  /** The caller wants `signatures` and `proof` (a DO=1 client, or the validator). */
  dnssec?: boolean;
  /** CD=1 (RFC 4035 §3.2.2): the client validates itself; return the data unchecked, bogus included. */
  checkingDisabled?: boolean;
  /** Fetch the question's own data from upstream even if cached (the cached copy lacked what validation needs). */
  refresh?: boolean;
  /** With `refresh`: servers to ask only when no other is left (they sent bogus data). */
  avoid?: readonly string[];
}

export interface Recursor {
  resolve(question: Question, options: RecursionOptions): Promise<RecursionResult>;
}
