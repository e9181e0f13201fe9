// RFC 2181 §5.4.1 ranks data by where it came from. Hops only accepts data
// from servers that are authoritative for it (non-authoritative answers are
// lame, see src/dns/classify.ts), which leaves three ranks.

export const Trust = {
  /**
   * Additional section of any reply, and the authority section of a referral
   * (the parent's copy of the child's NS set). Good enough to find servers;
   * RFC 2181 §5.4.1: never returned as an answer.
   */
  Glue: 1,
  /** Authority section of an authoritative answer (the zone's own NS set). */
  Authority: 2,
  /** Answer section of an authoritative answer. */
  Answer: 3,
} as const;

export type Trust = (typeof Trust)[keyof typeof Trust];
