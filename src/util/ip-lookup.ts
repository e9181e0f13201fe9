// dgram resolves the address of every bind, connect and send through
// dns.lookup, which for an IP literal still defers its answer with
// process.nextTick: one extra tick per datagram on the hot path. Hops only
// ever hands dgram IP literals (validated config, addresses from DNS data),
// so this lookup answers at once with the literal itself.

import { isIP } from 'node:net';

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string, family: number) => void;

export function ipLiteralLookup(address: string, family: unknown, callback: LookupCallback): void {
  const version = isIP(address);
  if (version === 0) {
    const err: NodeJS.ErrnoException = new Error(`not an IP address: ${address}`);
    err.code = 'EINVAL';
    callback(err, address, 0);
    return;
  }
  callback(null, address, version);
}
