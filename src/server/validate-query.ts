// Which decoded queries the pipeline refuses to process, and the RCODE each
// one gets. Pure: a query in, an RCODE or undefined (go ahead) out.

import { typeNumber } from '../dns/codec.js';
import { Opcode, RCode, type Message } from '../dns/message.js';

const HEADER_SIZE = 12;
const TYPE_OPT = 41;
const TYPE_IXFR = 251;
const TYPE_AXFR = 252;
/** A name has at most 127 labels (RFC 1035 §3.1) plus a few backward jumps. */
const MAX_NAME_STEPS = 256;

/**
 * The RCODE for a query Hops will not answer from zones or recursion, or
 * undefined when it may. `wire` is the query as received. The order matters:
 * checks that leave the question unusable come first, so later error
 * responses can echo it.
 */
export function rejectionRcode(query: Message, wire: Buffer): number | undefined {
  if (query.opcode !== Opcode.QUERY) return RCode.NOTIMP;
  // RFC 9619: a QUERY carries exactly one question.
  if (query.questions.length !== 1) return RCode.FORMERR;
  if (!questionNameRoundTrips(wire)) return RCode.FORMERR;
  // RFC 6891 §6.1.3: we implement version 0 only.
  if (query.edns && query.edns.version > 0) return RCode.BADVERS;
  const { type, class: klass } = query.questions[0];
  const typeCode = typeNumber(type);
  if (typeCode !== undefined && isMetaQueryType(typeCode)) return RCode.FORMERR;
  // Only IN is served. This also refuses CHAOS version.bind / id.server /
  // hostname.bind: we do not disclose our version or identity.
  if (klass !== 'IN') return RCode.REFUSED;
  // No zone transfers, from local zones or otherwise.
  if (typeCode === TYPE_AXFR || typeCode === TYPE_IXFR) return RCode.REFUSED;
  return undefined;
}

/**
 * True for a question type rejectionRcode turns away whatever else the query
 * holds (FORMERR or REFUSED). For the answer cache's fast path, which reads
 * the type as a number and must reject all that the full path rejects.
 */
export function isRejectedQueryType(typeCode: number): boolean {
  return isMetaQueryType(typeCode) || typeCode === TYPE_AXFR || typeCode === TYPE_IXFR;
}

/**
 * Meta-TYPEs (RFC 6895 §3.1) only make sense inside a message, never as
 * something to look up: OPT, TSIG, TKEY, the obsolete MAILA/MAILB and the
 * unassigned rest of 128–248. Unbound answers these FORMERR too; passing them
 * on would send meaningless queries upstream. AXFR and IXFR (252, 251) are
 * meta-TYPEs too but get REFUSED, like any zone transfer.
 */
function isMetaQueryType(typeCode: number): boolean {
  return typeCode === TYPE_OPT || (typeCode >= 128 && typeCode <= 254 && typeCode !== TYPE_IXFR && typeCode !== TYPE_AXFR);
}

/**
 * True when every label of the question name holds only bytes our codec
 * gives back unchanged. It decodes labels as UTF-8 text joined by dots, so a
 * byte of 0x80 or more (read as U+FFFD) or a '.' inside a label would be
 * re-encoded differently, and we could not echo the question exactly. Real
 * host names are ASCII (IDNs travel as punycode, RFC 5890), so refusing these
 * costs nothing. decodeMessage has already checked the name's structure.
 */
function questionNameRoundTrips(wire: Buffer): boolean {
  let offset = HEADER_SIZE;
  for (let step = 0; step < MAX_NAME_STEPS; step++) {
    const length = wire[offset];
    if (length === 0) return true;
    if (length >= 0xc0) {
      offset = wire.readUInt16BE(offset) & 0x3fff; // RFC 1035 §4.1.4 pointer
      continue;
    }
    const end = offset + 1 + length;
    for (let i = offset + 1; i < end; i++) {
      const byte = wire[i];
      if (byte >= 0x80 || byte === 0x2e) return false;
    }
    offset = end;
  }
  return false;
}
