// One zone's records arranged for lookups that cost O(labels of the name):
// hash maps keyed by canonical name, never a scan of the zone.

import type { ResourceRecord, SoaData } from '../dns/message.js';
import { parentName, ROOT } from '../dns/name.js';
import type { Zone } from './zone.js';

type Node = Map<string, ResourceRecord[]>;

export class ZoneIndex {
  readonly apex: string;
  /** The SOA for negative answers: TTL = min(SOA TTL, SOA MINIMUM) (RFC 2308 §3). */
  readonly negativeSoa: ResourceRecord;
  /** Owner name → type → RRset. */
  private readonly nodes = new Map<string, Node>();
  /**
   * Every name that exists: owners, and the empty non-terminals between them
   * and the apex (RFC 4592 §2.2.2). A wildcard never matches these.
   */
  private readonly names = new Set<string>();
  /** Delegation points: NS RRsets below the apex. */
  private readonly cuts = new Set<string>();

  constructor(readonly zone: Zone) {
    this.apex = zone.apex;
    this.names.add(zone.apex);
    for (const rr of zone.records) {
      let node = this.nodes.get(rr.name);
      if (!node) this.nodes.set(rr.name, (node = new Map()));
      const rrset = node.get(rr.type);
      if (rrset) rrset.push(rr);
      else node.set(rr.type, [rr]);
      for (let n = rr.name; !this.names.has(n); n = parentName(n)) this.names.add(n);
      if (rr.type === 'NS' && rr.name !== zone.apex) this.cuts.add(rr.name);
    }
    const soa = this.rrset(zone.apex, 'SOA')![0];
    this.negativeSoa = { ...soa, ttl: Math.min(soa.ttl, (soa.data as SoaData).minimum) };
  }

  /** The RRsets at a name; undefined for empty non-terminals and names that do not exist. */
  node(name: string): ReadonlyMap<string, readonly ResourceRecord[]> | undefined {
    return this.nodes.get(name);
  }

  rrset(name: string, type: string): readonly ResourceRecord[] | undefined {
    return this.nodes.get(name)?.get(type);
  }

  exists(name: string): boolean {
    return this.names.has(name);
  }

  isCut(name: string): boolean {
    return this.cuts.has(name);
  }

  /** True when `name`, a name inside the zone, is not at or below a delegation. */
  isAuthoritative(name: string): boolean {
    if (this.cuts.size === 0) return true;
    for (let n = name; n !== this.apex && n !== ROOT; n = parentName(n)) if (this.cuts.has(n)) return false;
    return true;
  }
}
