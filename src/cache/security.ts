// The DNSSEC status of cached data (RFC 4035 §4.3), kept with it so a cache
// hit never validates again. Ordered so that the status of an answer made of
// several parts (a CNAME chain, its final RRset) is the lowest of them.

export const Security = {
  /** One part failed validation: SERVFAIL for clients that did not set CD. */
  Bogus: 0,
  /** Stored but not validated yet (fetched for a CD=1 client, or in flight). */
  Unchecked: 1,
  /** Proven to sit below an insecure delegation, or under a negative trust anchor: served, never AD. */
  Insecure: 2,
  /** Validated from a trust anchor down: AD=1 for clients that ask (RFC 6840 §5.7). */
  Secure: 3,
} as const;

export type Security = (typeof Security)[keyof typeof Security];

export function securityName(security: Security): 'bogus' | 'unchecked' | 'insecure' | 'secure' {
  return (['bogus', 'unchecked', 'insecure', 'secure'] as const)[security];
}

/** The status of an answer made of parts of statuses `a` and `b`. */
export function weakest(a: Security, b: Security): Security {
  return a < b ? a : b;
}
