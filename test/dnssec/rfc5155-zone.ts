// RFC 5155 Appendix A: the example zone (SHA-1, Opt-Out, 12 iterations,
// salt aabbccdd) and the NSEC3 records Appendix B's responses quote from it.

import { nsec3RR } from './denial-text.js';

export const RFC5155_NSEC3 = {
  /** H(example): the apex. */
  apex: nsec3RR('0p9mhaveqvm6t7vbl5lop2u3t2rp3tom.example. NSEC3 1 1 12 aabbccdd 2t7b4g4vsa5smi47k61mv5bv1a22bojr MX DNSKEY NS SOA NSEC3PARAM RRSIG'),
  /** H(ns1.example). */
  ns1: nsec3RR('2t7b4g4vsa5smi47k61mv5bv1a22bojr.example. NSEC3 1 1 12 aabbccdd 2vptu5timamqttgl4luu9kg21e0aor3s A RRSIG'),
  /** H(a.example): a secure delegation; its span covers H(c.example), the unsigned one. */
  a: nsec3RR('35mthgpgcu1qg68fab165klnsnk3dpvl.example. NSEC3 1 1 12 aabbccdd b4um86eghhds6nea196smvmlo4ors995 NS DS RRSIG'),
  /** H(x.w.example). */
  xW: nsec3RR('b4um86eghhds6nea196smvmlo4ors995.example. NSEC3 1 1 12 aabbccdd gjeqe526plbf1g8mklp59enfd789njgi MX RRSIG'),
  /** H(y.w.example): an empty non-terminal. */
  yW: nsec3RR('ji6neoaepv8b5o6k4ev33abha8ht9fgc.example. NSEC3 1 1 12 aabbccdd k8udemvp1j2f7eg6jebps17vp3n8i58h'),
  /** H(w.example): an empty non-terminal. */
  w: nsec3RR('k8udemvp1j2f7eg6jebps17vp3n8i58h.example. NSEC3 1 1 12 aabbccdd kohar7mbb8dc2ce8a9qvl8hon4k53uhi'),
  /** H(ns2.example); its span covers H(z.w.example). */
  ns2: nsec3RR('q04jkcevqvmu85r014c7dkba38o0ji5r.example. NSEC3 1 1 12 aabbccdd r53bq7cc2uvmubfu5ocmm6pers9tk9en A RRSIG'),
  /** H(*.w.example). */
  wildW: nsec3RR('r53bq7cc2uvmubfu5ocmm6pers9tk9en.example. NSEC3 1 1 12 aabbccdd t644ebqk9bibcna874givr6joj62mlhv MX RRSIG'),
};

/**
 * The zone's owner names and types (RFC 5155 Appendix A), for the chain
 * builder. The zone also owns the name 2t7b4g4vsa5smi47k61mv5bv1a22bojr.example
 * (hashing to kohar7mbb8dc2ce8a9qvl8hon4k53uhi, the next hash after
 * H(w.example)); Appendix B quotes no record of it, so its type here is a
 * stand-in and tests assert nothing about its NSEC3's bit map.
 */
export const RFC5155_ZONE = {
  'example': ['SOA', 'NS', 'MX', 'DNSKEY', 'NSEC3PARAM'],
  '2t7b4g4vsa5smi47k61mv5bv1a22bojr.example': ['A'],
  'a.example': ['NS', 'DS'],
  'ns1.a.example': ['A'],
  'ns2.a.example': ['A'],
  'ai.example': ['A', 'HINFO', 'AAAA'],
  'c.example': ['NS'],
  'ns1.c.example': ['A'],
  'ns2.c.example': ['A'],
  'ns1.example': ['A'],
  'ns2.example': ['A'],
  '*.w.example': ['MX'],
  'x.w.example': ['MX'],
  'x.y.w.example': ['MX'],
  'xx.example': ['A', 'HINFO', 'AAAA'],
};

export const RFC5155_PARAMS = { salt: 'aabbccdd', iterations: 12 };
