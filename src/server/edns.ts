// EDNS(0) on the serving side (RFC 6891): the OPT record we answer with and
// how large a response may be on each transport.

import { edeOption, type ExtendedError } from '../dns/ede.js';
import type { Edns } from '../dns/message.js';
import type { Transport } from './message-handler.js';

/**
 * The UDP payload size we advertise and the most we ever send over UDP: 1232
 * bytes fit the IPv6 minimum MTU of 1280 without fragmentation (DNS Flag Day
 * 2020), since fragmented UDP answers get lost and can be spoofed.
 */
export const ADVERTISED_UDP_SIZE = 1232;

/** RFC 1035 §4.2.1: without EDNS a UDP message is at most 512 bytes. */
export const CLASSIC_UDP_SIZE = 512;

/** RFC 1035 §4.2.2: the 16-bit length prefix bounds a TCP message. */
export const TCP_MAX_SIZE = 65535;

/**
 * The OPT record of every response to a query that carried one: version 0,
 * the highest we implement (RFC 6891 §6.1.3), and no options. Shared and
 * frozen: the encoder only reads it.
 */
export const RESPONSE_EDNS: Edns = Object.freeze({
  udpSize: ADVERTISED_UDP_SIZE,
  version: 0,
  dnssecOk: false,
  extendedRcode: 0, // the encoder writes the upper RCODE bits from Message.rcode
  options: [],
});

/** RESPONSE_EDNS with DO=1: RFC 3225 §3 has the DO bit of a query copied into its response. */
const RESPONSE_EDNS_DO: Edns = Object.freeze({ ...RESPONSE_EDNS, dnssecOk: true });

/**
 * The OPT of a response to a query that had one: RESPONSE_EDNS (DO copied
 * from the query), or a copy carrying `ede` as an Extended DNS Error option
 * (RFC 8914 §2).
 */
export function responseEdns(ede: ExtendedError | undefined, dnssecOk = false): Edns {
  const base = dnssecOk ? RESPONSE_EDNS_DO : RESPONSE_EDNS;
  return ede === undefined ? base : { ...base, options: [edeOption(ede)] };
}

/**
 * The size a response must fit in. Over UDP, RFC 6891 §6.2.3 and §6.2.5: the
 * requestor's advertised size, but values below 512 are treated as 512, and
 * never more than we advertise ourselves.
 */
export function responseSizeLimit(queryEdns: Edns | undefined, transport: Transport): number {
  return sizeLimit(queryEdns !== undefined, queryEdns?.udpSize ?? 0, transport);
}

/** responseSizeLimit for a query read without decoding (the answer cache's fast path). */
export function sizeLimit(hasOpt: boolean, udpSize: number, transport: Transport): number {
  if (transport === 'tcp') return TCP_MAX_SIZE;
  if (!hasOpt) return CLASSIC_UDP_SIZE;
  return Math.min(Math.max(udpSize, CLASSIC_UDP_SIZE), ADVERTISED_UDP_SIZE);
}
