// RFC 4035 Appendix A: the NSEC chain of the signed example zone, as
// printed there. Appendix B's responses quote records from it.

import { nsecRR } from './denial-text.js';

export const RFC4035_NSEC = {
  example: nsecRR('example. NSEC a.example. NS SOA MX RRSIG NSEC DNSKEY'),
  a: nsecRR('a.example. NSEC ai.example. NS DS RRSIG NSEC'),
  ai: nsecRR('ai.example. NSEC b.example. A HINFO AAAA RRSIG NSEC'),
  b: nsecRR('b.example. NSEC ns1.example. NS RRSIG NSEC'),
  ns1: nsecRR('ns1.example. NSEC ns2.example. A RRSIG NSEC'),
  ns2: nsecRR('ns2.example. NSEC *.w.example. A RRSIG NSEC'),
  wildW: nsecRR('*.w.example. NSEC x.w.example. MX RRSIG NSEC'),
  xW: nsecRR('x.w.example. NSEC x.y.w.example. MX RRSIG NSEC'),
  xyW: nsecRR('x.y.w.example. NSEC xx.example. MX RRSIG NSEC'),
  xx: nsecRR('xx.example. NSEC example. A HINFO AAAA RRSIG NSEC'),
};

/** The zone's owner names and types (RFC 4035 Appendix A), for the chain builder. */
export const RFC4035_ZONE = {
  'example': ['SOA', 'NS', 'MX', 'DNSKEY'],
  'a.example': ['NS', 'DS'],
  'ns1.a.example': ['A'],
  'ns2.a.example': ['A'],
  'ai.example': ['A', 'HINFO', 'AAAA'],
  'b.example': ['NS'],
  'ns1.b.example': ['A'],
  'ns2.b.example': ['A'],
  'ns1.example': ['A'],
  'ns2.example': ['A'],
  '*.w.example': ['MX'],
  'x.w.example': ['MX'],
  'x.y.w.example': ['MX'],
  'xx.example': ['A', 'HINFO', 'AAAA'],
};
