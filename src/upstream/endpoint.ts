// Servers the operator names in the configuration (forward and stub zones)
// may listen on a port other than 53: a test setup, a local Unbound on 5353.
// Inside the resolver such a server is the string "ADDRESS@PORT" (Unbound's
// syntax); without a port it is the bare address and gets the resolver's
// upstream port. The whole string is the server's identity, so the
// ServerInfra keeps RTT and lameness apart for two servers sharing an address.

import { isIP } from 'node:net';
import type { ServerAddress } from './transport.js';

export interface Endpoint {
  address: string;
  /** Absent: the resolver's upstream port (53). */
  port?: number;
}

/**
 * Reads `192.0.2.53`, `2001:db8::53`, `192.0.2.53@5353`, `2001:db8::53@5353`,
 * `192.0.2.53:5353` or `[2001:db8::53]:5353`; undefined when it is none of these.
 */
export function parseEndpoint(text: string): Endpoint | undefined {
  const t = text.trim();
  let address = t;
  let port: string | undefined;
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(t);
  const at = t.lastIndexOf('@');
  if (bracketed) {
    address = bracketed[1];
    port = bracketed[2];
  } else if (at >= 0) {
    address = t.slice(0, at);
    port = t.slice(at + 1);
  } else if (isIP(t) === 0 && t.includes(':') && t.indexOf(':') === t.lastIndexOf(':')) {
    // One colon: IPv4:PORT (an IPv6 address has at least two).
    address = t.slice(0, t.indexOf(':'));
    port = t.slice(t.indexOf(':') + 1);
  }
  if (isIP(address) === 0) return undefined;
  if (port === undefined) return { address };
  const n = Number(port);
  if (!/^\d{1,5}$/.test(port) || n < 1 || n > 65535) return undefined;
  return { address, port: n };
}

/** The resolver's form: `ADDRESS` or `ADDRESS@PORT`. */
export function formatEndpoint(endpoint: Endpoint): string {
  return endpoint.port === undefined ? endpoint.address : `${endpoint.address}@${endpoint.port}`;
}

/** Where to send a query for a server string as the ServerInfra knows it (`ADDRESS` or `ADDRESS@PORT`). */
export function serverAddress(server: string, defaultPort: number): ServerAddress {
  const at = server.lastIndexOf('@');
  if (at < 0) return { address: server, port: defaultPort };
  return { address: server.slice(0, at), port: Number(server.slice(at + 1)) };
}
