// Which learned server addresses the resolver may send queries to.

import { BlockList, isIPv4 } from 'node:net';
import type { ResourceRecord } from '../dns/message.js';

export interface AddressPolicyOptions {
  queryLoopback: boolean;
  ipv4Upstream: boolean;
  ipv6Upstream: boolean;
}

// Addresses that lead back to this host (as Unbound's do-not-query-localhost):
// a zone naming 127.0.0.1 as its server could make the resolver query
// services on its own machine. IPv4-mapped IPv6 forms are caught as well.
const SELF = new BlockList();
SELF.addSubnet('127.0.0.0', 8, 'ipv4');
SELF.addSubnet('0.0.0.0', 8, 'ipv4');
SELF.addAddress('::1', 'ipv6');
SELF.addAddress('::', 'ipv6');

export class AddressPolicy {
  /** Root hints come from the operator, so their addresses are always allowed. */
  private readonly trusted: ReadonlySet<string>;

  constructor(private readonly options: AddressPolicyOptions, trustedAddresses: Iterable<string>) {
    this.trusted = new Set(trustedAddresses);
  }

  /** True when the A/AAAA record's address may be queried. */
  allows(rr: ResourceRecord): boolean {
    if (rr.type === 'A' ? !this.options.ipv4Upstream : rr.type !== 'AAAA' || !this.options.ipv6Upstream) return false;
    const address = rr.data as string;
    if (this.options.queryLoopback || this.trusted.has(address)) return true;
    return !SELF.check(address, isIPv4(address) ? 'ipv4' : 'ipv6');
  }
}
