// Failing to bind a listening socket is the most common start-up problem an
// operator meets, so the error says what to do about it.

import { formatAddress } from './address.js';
import type { Transport } from './message-handler.js';

export class BindError extends Error {
  /** The system error code: 'EACCES', 'EADDRINUSE', 'EADDRNOTAVAIL', … */
  readonly code: string;
  readonly host: string;
  readonly port: number;
  readonly protocol: Transport;

  constructor(cause: NodeJS.ErrnoException, host: string, port: number, protocol: Transport) {
    const code = cause.code ?? 'EUNKNOWN';
    super(`cannot listen on ${formatAddress(host, port)} (${protocol}): ${explain(code, port, cause)}`, { cause });
    this.name = 'BindError';
    this.code = code;
    this.host = host;
    this.port = port;
    this.protocol = protocol;
  }
}

function explain(code: string, port: number, cause: Error): string {
  switch (code) {
    case 'EACCES':
      return port < 1024
        ? 'permission denied: ports below 1024 need root or CAP_NET_BIND_SERVICE, ' +
          'or use an unprivileged port, e.g. --listen 127.0.0.1:5353'
        : 'permission denied';
    case 'EADDRINUSE':
      return 'the address is already in use (is another DNS server running?)';
    case 'EADDRNOTAVAIL':
      return 'no network interface on this host has that address';
    default:
      return cause.message;
  }
}
