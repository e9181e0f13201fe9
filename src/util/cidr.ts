// CIDR parsing and matching for access control. Addresses become BigInts so
// IPv4 and IPv6 share one code path; IPv4-mapped IPv6 clients (::ffff:a.b.c.d,
// as a dual-stack socket reports them) are matched as IPv4.

import { isIP } from 'node:net';

export interface Cidr {
  family: 4 | 6;
  network: bigint;
  prefix: number;
}

function ipv4ToBigInt(address: string): bigint {
  let n = 0n;
  for (const part of address.split('.')) n = (n << 8n) | BigInt(Number(part));
  return n;
}

function ipv6ToBigInt(address: string): bigint {
  let text = address;
  let tail: bigint | undefined;
  const lastColon = text.lastIndexOf(':');
  if (text.includes('.', lastColon)) {
    // Embedded IPv4 in the last 32 bits.
    tail = ipv4ToBigInt(text.slice(lastColon + 1));
    text = text.slice(0, lastColon) + ':0:0';
  }
  const [head, rest] = text.split('::');
  const headParts = head ? head.split(':') : [];
  const restParts = rest !== undefined && rest !== '' ? rest.split(':') : [];
  const missing = 8 - headParts.length - restParts.length;
  const parts = rest !== undefined ? [...headParts, ...Array(missing).fill('0'), ...restParts] : headParts;
  let n = 0n;
  for (const p of parts) n = (n << 16n) | BigInt(parseInt(p, 16));
  if (tail !== undefined) n = (n & ~0xffffffffn) | tail;
  return n;
}

/** Parses "a.b.c.d/n" or "x::/n" (a bare address means a single host). */
export function parseCidr(text: string): Cidr {
  const [addr, prefixText, extra] = text.trim().split('/');
  const family = isIP(addr);
  if (extra !== undefined || family === 0) throw new Error(`invalid CIDR ${JSON.stringify(text)}`);
  const bits = family === 4 ? 32 : 128;
  const prefix = prefixText === undefined ? bits : Number(prefixText);
  if (!/^\d+$/.test(prefixText ?? String(bits)) || prefix > bits) throw new Error(`invalid prefix in ${JSON.stringify(text)}`);
  const value = family === 4 ? ipv4ToBigInt(addr) : ipv6ToBigInt(addr);
  const mask = prefix === 0 ? 0n : ((1n << BigInt(prefix)) - 1n) << BigInt(bits - prefix);
  return { family: family as 4 | 6, network: value & mask, prefix };
}

/** Normalises an IPv4-mapped IPv6 address to plain IPv4. */
export function unmapIpv4(address: string): string {
  return address.startsWith('::ffff:') && isIP(address.slice(7)) === 4 ? address.slice(7) : address;
}

/** Compiled list of networks; `contains` is called per query, so it is cheap-ish. */
export class CidrSet {
  private readonly v4: Cidr[] = [];
  private readonly v6: Cidr[] = [];

  constructor(cidrs: string[]) {
    for (const c of cidrs.map(parseCidr)) (c.family === 4 ? this.v4 : this.v6).push(c);
  }

  contains(address: string): boolean {
    const plain = unmapIpv4(address);
    const family = isIP(plain);
    if (family === 0) return false;
    const list = family === 4 ? this.v4 : this.v6;
    const bits = family === 4 ? 32 : 128;
    const value = family === 4 ? ipv4ToBigInt(plain) : ipv6ToBigInt(plain);
    for (const c of list) {
      const mask = c.prefix === 0 ? 0n : ((1n << BigInt(c.prefix)) - 1n) << BigInt(bits - c.prefix);
      if ((value & mask) === c.network) return true;
    }
    return false;
  }

  /** True when the set admits every address of a family (an open resolver). */
  get isOpen(): boolean {
    return this.v4.some((c) => c.prefix === 0) || this.v6.some((c) => c.prefix === 0);
  }
}

/** The /24 (IPv4) or /56 (IPv6) a client belongs to, as a map key for rate limits. */
export function clientPrefixKey(address: string): string {
  const plain = unmapIpv4(address);
  if (isIP(plain) === 4) return plain.slice(0, plain.lastIndexOf('.'));
  if (isIP(plain) === 6) return (ipv6ToBigInt(plain) >> 72n).toString(16);
  return plain;
}
