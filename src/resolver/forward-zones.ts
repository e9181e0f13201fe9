// Forward and stub zones (issue 8): names the operator sends to servers of
// their choosing instead of finding them from the root. DESIGN.md "What the
// next capabilities need" §3: they are entries the iterator consults when it
// picks its starting cut (RFC 1034 §5.3.3 step 2), not branches inside it.
//
// The two kinds, named as in BIND and Unbound (forward-zone, stub-zone):
// - a *forward zone*'s servers are forwarders (RFC 8499 §6: a server that
//   sends queries on to a recursive resolver): every name under the zone is
//   asked of them with RD=1 and their reply (AA=0, from their cache) is
//   final. For those names Hops acts as an RFC 1034 §5.3.1 stub resolver
//   that caches. A forward zone "." covers every name.
// - a *stub zone*'s servers are authoritative for it: they are asked with
//   RD=0 like any zone's servers, and the referrals they give to zones
//   below are followed and cached as usual. It is the zone cut a parent
//   would have given, for a zone no parent delegates (a LAN's reverse zone,
//   a company domain). (Not to be confused with a stub resolver.)
//
// Each server is an address, optionally with a port (upstream/endpoint.ts).

import { isSubdomain, normalizeName, parentName, ROOT } from '../dns/name.js';
import { formatEndpoint, parseEndpoint } from '../upstream/endpoint.js';
import { ZoneCut } from './zone-cut.js';

/** One configured zone as the config file and flags give it. */
export interface ZoneServers {
  name: string;
  servers: string[];
}

export type ConfiguredZoneKind = 'forward' | 'stub';

export interface ConfiguredZone {
  kind: ConfiguredZoneKind;
  /** Normalized (dns/name.ts). */
  name: string;
  /** `ADDRESS` or `ADDRESS@PORT`, in the order given. */
  servers: string[];
}

export class ForwardZonesError extends Error {
  readonly code = 'EFORWARDZONES';
  constructor(message: string) {
    super(message);
    this.name = 'ForwardZonesError';
  }
}

/** RFC 1035 §2.3.4: 63 octets a label; 255 in wire form is 253 characters written with dots. */
const MAX_LABEL = 63;
const MAX_NAME = 253;
/** Letters, digits, hyphen (RFC 1123 §2.1) and underscore (service labels, RFC 8552). */
const LABEL = /^[a-z0-9_](?:[a-z0-9_-]*[a-z0-9_])?$/i;

/**
 * A zone name as an operator writes it, normalized: `corp.example`,
 * `corp.example.`, `168.192.in-addr.arpa`, or `.` for the root. Undefined
 * when it is not a host-style domain name (empty labels, spaces, `*`, …).
 */
export function parseZoneName(text: string): string | undefined {
  const t = text.trim();
  if (t === '.') return ROOT;
  const bare = t.endsWith('.') ? t.slice(0, -1) : t;
  if (bare === '' || bare.length > MAX_NAME) return undefined;
  const ok = bare.split('.').every((label) => label.length <= MAX_LABEL && LABEL.test(label));
  return ok ? normalizeName(bare) : undefined;
}

/** The canonical server string, or undefined when `text` is not an address with an optional port. */
export function parseServer(text: string): string | undefined {
  const endpoint = parseEndpoint(text);
  return endpoint && formatEndpoint(endpoint);
}

export interface ForwardZonesInput {
  forwardZones?: readonly ZoneServers[];
  stubZones?: readonly ZoneServers[];
}

/** The configured zones, by name; looked up for every walk of the iterator. */
export class ForwardZones {
  private readonly byName = new Map<string, ConfiguredZone>();

  /** Checks every entry; throws ForwardZonesError naming the first bad one. */
  constructor(input: ForwardZonesInput = {}) {
    const lists: Array<[string, ConfiguredZoneKind, readonly ZoneServers[]]> = [
      ['forwardZones', 'forward', input.forwardZones ?? []],
      ['stubZones', 'stub', input.stubZones ?? []],
    ];
    for (const [key, kind, entries] of lists) {
      entries.forEach((entry, i) => {
        const where = `${key}[${i}]`;
        const name = parseZoneName(entry.name);
        if (name === undefined) throw new ForwardZonesError(`${where}.name: ${JSON.stringify(entry.name)} is not a domain name`);
        if (entry.servers.length === 0) throw new ForwardZonesError(`${where} (${name}): no servers`);
        const servers = entry.servers.map((text, j) => {
          const server = parseServer(text);
          if (server === undefined) {
            throw new ForwardZonesError(`${where}.servers[${j}]: ${JSON.stringify(text)} is not an IP address with an optional port`);
          }
          return server;
        });
        const other = this.byName.get(name);
        if (other) {
          throw new ForwardZonesError(other.kind === kind
            ? `${where}: ${JSON.stringify(name)} is listed twice in ${key}`
            : `${where}: ${JSON.stringify(name)} is both a forward zone and a stub zone`);
        }
        this.byName.set(name, { kind, name, servers });
      });
    }
  }

  get zones(): ConfiguredZone[] {
    return [...this.byName.values()];
  }

  /** The deepest configured zone at or above `name` (normalized). */
  find(name: string): ConfiguredZone | undefined {
    if (this.byName.size === 0) return undefined;
    for (let zone = name; ; zone = parentName(zone)) {
      const found = this.byName.get(zone);
      if (found) return found;
      if (zone === ROOT) return undefined;
    }
  }

  /**
   * Where the iterator starts for `name`/`type` when a configured zone covers
   * it; undefined when it should start as usual (closest cached cut, else
   * the root). `cachedZone` is the zone of the closest cached cut.
   *
   * A forward zone always starts at its forwarders: nothing cached replaces
   * them. A stub zone starts at its servers unless the cache holds a cut
   * below it, which only the stub's servers (or servers they referred to)
   * can have given. DS lives at the parent side of a cut, so its lookup
   * starts one label up, as for cached cuts (and as Unbound does).
   */
  startingCut(name: string, type: string, cachedZone: string | undefined): ZoneCut | undefined {
    const zone = this.find(type === 'DS' && name !== ROOT ? parentName(name) : name);
    if (!zone) return undefined;
    if (zone.kind === 'stub' && cachedZone !== undefined && cachedZone !== zone.name && isSubdomain(cachedZone, zone.name)) {
      return undefined;
    }
    return ZoneCut.configured(zone.name, zone.servers, zone.kind === 'forward');
  }

  /** True when a forward or stub zone covers every name: the root servers are never asked. */
  coversRoot(): boolean {
    return this.byName.has(ROOT);
  }

  /** The IP addresses of every configured server (operator-given, like root hints). */
  addresses(): string[] {
    return [...new Set(this.zones.flatMap((z) => z.servers.map((s) => parseEndpoint(s)!.address)))];
  }
}
