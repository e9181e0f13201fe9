// RFC 2181 §5.4.1 ranks data by where it came from. Hops keeps four ranks,
// ordered as Unbound's rrset_trust (util/data/packed_rrset.h) orders them
// for the data it caches.

export const Trust = {
  /**
   * Additional section of any reply, and the authority section of a referral
   * (the parent's copy of the child's NS set). Good enough to find servers;
   * RFC 2181 §5.4.1: never returned as an answer.
   */
  Glue: 1,
  /**
   * Answer section of a reply without AA. Many servers in the wild answer
   * their own zones with AA=0; Unbound and Knot Resolver accept such answers,
   * ranked below authoritative data so that data replaces them.
   */
  NonAuthAnswer: 2,
  /** Authority section of an authoritative answer (the zone's own NS set). */
  Authority: 3,
  /** Answer section of an authoritative answer. */
  Answer: 4,
} as const;

export type Trust = (typeof Trust)[keyof typeof Trust];
