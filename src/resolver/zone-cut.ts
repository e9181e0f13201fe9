// A zone cut (RFC 1034 §4.2.1): a zone, the names of its servers and the
// addresses we know for them. Iteration moves from cut to cut. A cut can also
// come from the configuration (./forward-zones.ts): a stub zone's
// authoritative servers, or a forward zone's recursive servers.

import type { ResourceRecord } from '../dns/message.js';
import { parentName, ROOT } from '../dns/name.js';
import type { DnsCache } from '../cache/dns-cache.js';
import type { AddressPolicy } from './address-policy.js';

export class ZoneCut {
  private readonly addressesByName = new Map<string, string[]>();
  private readonly fallback: string[] = [];

  /**
   * `nsNames`: the zone's server names, normalized and without duplicates.
   * `forwarded`: the servers are forwarders (RFC 8499), recursive resolvers
   * asked with RD=1 whose replies are final; false for authoritative servers.
   */
  /**
   * Made from the cache (closestCachedCut), not from a referral met during
   * this resolution: when all its servers fail, the delegation may have
   * changed or its addresses expired, and asking the parent again can help.
   */
  fromCache = false;

  constructor(readonly zone: string, readonly nsNames: readonly string[], readonly forwarded = false) {}

  /** Adds the A/AAAA records the policy allows for server names of this cut. */
  addAddresses(records: readonly ResourceRecord[], policy: AddressPolicy): void {
    for (const rr of records) {
      if (!this.nsNames.includes(rr.name) || !policy.allows(rr)) continue;
      const known = this.addressesByName.get(rr.name);
      const address = rr.data as string;
      if (!known) this.addressesByName.set(rr.name, [address]);
      else if (!known.includes(address)) known.push(address);
    }
  }

  /**
   * Addresses the parent side gave for this zone's servers (glue of the
   * delegation), kept apart: tried only when every server the zone itself
   * names has failed (see DnsCache.putParentSide).
   */
  addFallbackAddresses(records: readonly ResourceRecord[], policy: AddressPolicy): void {
    for (const rr of records) {
      if ((rr.type !== 'A' && rr.type !== 'AAAA') || !policy.allows(rr)) continue;
      const address = rr.data as string;
      if (!this.fallback.includes(address)) this.fallback.push(address);
    }
  }

  /** The parent-side addresses that are not already among addresses(). */
  fallbackAddresses(): string[] {
    const primary = new Set(this.addresses());
    return this.fallback.filter((a) => !primary.has(a));
  }

  hasAddresses(nsName: string): boolean {
    return this.addressesByName.has(nsName);
  }

  /** Every usable server address of the cut. */
  addresses(): string[] {
    return [...this.addressesByName.values()].flat();
  }

  /**
   * A cut of servers the operator configured (`ADDRESS` or `ADDRESS@PORT`,
   * see upstream/endpoint.ts). They have no names, so each stands for itself;
   * no AddressPolicy applies: the operator chose them, loopback included.
   */
  static configured(zone: string, servers: readonly string[], forwarded: boolean): ZoneCut {
    const cut = new ZoneCut(zone, [...new Set(servers)], forwarded);
    for (const server of cut.nsNames) cut.addressesByName.set(server, [server]);
    return cut;
  }

  /** A cut from an NS RRset and address records (glue, or cached addresses). */
  static fromRecords(zone: string, ns: readonly ResourceRecord[], addresses: readonly ResourceRecord[], policy: AddressPolicy): ZoneCut {
    const cut = new ZoneCut(zone, [...new Set(ns.map((rr) => rr.data as string))]);
    cut.addAddresses(addresses, policy);
    return cut;
  }
}

/**
 * RFC 1034 §5.3.3 step 2: the deepest cached NS set enclosing `name`, with
 * whatever addresses of its servers the cache holds (glue included). DS lives
 * at the parent side of a cut, so its search starts one label up.
 * Returns undefined when not even the root's NS set is cached.
 */
export function closestCachedCut(cache: DnsCache, name: string, type: string, klass: string, policy: AddressPolicy): ZoneCut | undefined {
  const found = closestCachedNs(cache, type === 'DS' && name !== ROOT ? parentName(name) : name, klass);
  if (!found) return undefined;
  const cut = ZoneCut.fromRecords(found.zone, found.ns, cachedAddresses(cache, found.ns, klass), policy);
  addParentSide(cut, cache, found.zone, klass, policy);
  cut.fromCache = true;
  return cut;
}

/** The delegation's glue as the parent gave it, for the servers of the child's and of the parent's NS set. */
export function addParentSide(cut: ZoneCut, cache: DnsCache, zone: string, klass: string, policy: AddressPolicy): void {
  const names = new Set(cut.nsNames);
  for (const rr of cache.getParentSide(zone, 'NS', klass) ?? []) names.add(rr.data as string);
  for (const name of names) cut.addFallbackAddresses(parentSideAddressesOf(cache, name, klass), policy);
}

/** The parent side's glue (A and AAAA) for server `name`, see DnsCache.putParentSide. */
export function parentSideAddressesOf(cache: DnsCache, name: string, klass: string): ResourceRecord[] {
  return [...(cache.getParentSide(name, 'A', klass) ?? []), ...(cache.getParentSide(name, 'AAAA', klass) ?? [])];
}

/** The deepest cached NS RRset at or above `name`. */
export function closestCachedNs(cache: DnsCache, name: string, klass: string): { zone: string; ns: ResourceRecord[] } | undefined {
  for (let zone = name; ; zone = parentName(zone)) {
    const ns = cache.getRRset(zone, 'NS', klass);
    if (ns) return { zone, ns };
    if (zone === ROOT) return undefined;
  }
}

/** Cached A and AAAA records of the servers an NS set names. */
export function cachedAddresses(cache: DnsCache, ns: readonly ResourceRecord[], klass: string): ResourceRecord[] {
  return ns.flatMap((rr) => cachedAddressesOf(cache, rr.data as string, klass));
}

/** Cached A and AAAA records of server `name`, of any rank. */
export function cachedAddressesOf(cache: DnsCache, name: string, klass: string): ResourceRecord[] {
  return [...(cache.getRRset(name, 'A', klass) ?? []), ...(cache.getRRset(name, 'AAAA', klass) ?? [])];
}
