// Listening addresses: how we print them and which ones need special care.

import { isIPv6 } from 'node:net';

export interface ListenAddress {
  /** An IPv4 or IPv6 address literal, without brackets. */
  host: string;
  port: number;
}

/** "127.0.0.1:53" or "[::1]:53". */
export function formatAddress(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

/**
 * True for the IPv6 wildcard ("::" and its longer spellings). Bound with
 * IPV6_V6ONLY, it leaves IPv4 to a separate 0.0.0.0 socket, so the default
 * pair 0.0.0.0:53 and [::]:53 can coexist instead of the second failing with
 * EADDRINUSE on systems where v4-mapped addresses are on (RFC 3493 §5.3).
 */
export function isIpv6Wildcard(host: string): boolean {
  return isIPv6(host) && /^[0:]+$/.test(host);
}
