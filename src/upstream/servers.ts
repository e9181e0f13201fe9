// What the resolver has learnt about upstream servers (Unbound's "infra
// cache"): smoothed round-trip time per address, timeouts, EDNS support, and
// lameness per (address, zone). It makes bad servers cheap once known: a
// server that timed out is tried last, one that keeps timing out is held
// down, and a lame one is skipped for that zone.

import { LRUCache } from 'lru-cache';
import type { Clock } from '../util/clock.js';
import type { Random } from '../util/random.js';

/** Addresses and (address, zone) pairs remembered; the least recently used are forgotten first. */
const MAX_ENTRIES = 10_000;
/** How long a lame server is skipped for a zone (Unbound's infra-lame-ttl). */
export const LAME_MS = 15 * 60_000;
/** A SERVFAIL may be about one name only, so the server is skipped for that zone more briefly. */
export const FAILING_MS = 60_000;
/** How long to keep talking to a server without EDNS before trying EDNS again (RFC 6891 §7). */
const NO_EDNS_MS = 15 * 60_000;
/** RTT a timeout counts as, at least (then doubled per consecutive timeout). */
const TIMEOUT_SRTT_MS = 500;
const MAX_SRTT_MS = 10_000;
/** Weight of the older estimate when smoothing RTT samples (as BIND). */
const SRTT_WEIGHT = 0.7;
/**
 * Servers not chosen drift towards zero by this factor per choice (as BIND),
 * so a server that was slow or timed out once is eventually tried again.
 */
const SRTT_DECAY = 0.98;
/** From the second consecutive timeout on, a server is held down 1 s, 2 s, 4 s, … up to 2 min. */
const HOLD_DOWN_BASE_MS = 1_000;
const HOLD_DOWN_MAX_MS = 120_000;

interface Host {
  /** Smoothed RTT in ms; undefined until the server has answered or timed out. */
  srtt?: number;
  consecutiveTimeouts: number;
  heldDownUntil: number;
  noEdnsUntil: number;
}

export class ServerInfra {
  private readonly hosts = new LRUCache<string, Host>({ max: MAX_ENTRIES });
  private readonly lame = new LRUCache<string, number>({ max: MAX_ENTRIES });

  constructor(private readonly clock: Clock, private readonly random: Random) {}

  recordRtt(address: string, ms: number): void {
    const host = this.host(address);
    host.srtt = host.srtt === undefined ? ms : SRTT_WEIGHT * host.srtt + (1 - SRTT_WEIGHT) * ms;
    host.consecutiveTimeouts = 0;
    host.heldDownUntil = 0;
  }

  /** A query timed out or could not be sent. */
  recordTimeout(address: string): void {
    const host = this.host(address);
    host.srtt = Math.min(MAX_SRTT_MS, Math.max(host.srtt ?? 0, TIMEOUT_SRTT_MS) * 2);
    host.consecutiveTimeouts++;
    if (host.consecutiveTimeouts >= 2) {
      const hold = Math.min(HOLD_DOWN_MAX_MS, HOLD_DOWN_BASE_MS * 2 ** (host.consecutiveTimeouts - 2));
      host.heldDownUntil = this.clock.now() + hold;
    }
  }

  /** Skip `address` for questions in `zone` for `ms` (LAME_MS or FAILING_MS). */
  markLame(address: string, zone: string, ms: number): void {
    this.lame.set(`${address}|${zone}`, this.clock.now() + ms);
  }

  usesEdns(address: string): boolean {
    return (this.hosts.get(address)?.noEdnsUntil ?? 0) <= this.clock.now();
  }

  /** RFC 6891 §7: the server rejected EDNS; talk plain DNS to it for a while. */
  disableEdns(address: string): void {
    this.host(address).noEdnsUntil = this.clock.now() + NO_EDNS_MS;
  }

  /**
   * Picks the server to ask next for `zone` among `candidates` not in
   * `tried`: never-tried servers first (randomly, to learn their RTT), else
   * the lowest smoothed RTT. Lame and held-down servers are skipped.
   */
  choose(candidates: readonly string[], zone: string, tried: ReadonlySet<string>): string | undefined {
    const now = this.clock.now();
    const usable: string[] = [];
    for (const address of candidates) {
      if (tried.has(address)) continue;
      if ((this.lame.get(`${address}|${zone}`) ?? 0) > now) continue;
      if ((this.hosts.get(address)?.heldDownUntil ?? 0) > now) continue;
      usable.push(address);
    }
    if (usable.length === 0) return undefined;

    const untried = usable.filter((a) => this.hosts.get(a)?.srtt === undefined);
    if (untried.length > 0) return untried[this.random.int(untried.length)];

    let best = usable[this.random.int(usable.length)];
    for (const address of usable) if (this.srtt(address) < this.srtt(best)) best = address;
    for (const address of usable) {
      const host = this.hosts.get(address);
      if (address !== best && host?.srtt !== undefined) host.srtt *= SRTT_DECAY;
    }
    return best;
  }

  /** Smoothed RTT in ms (Infinity when unknown); for choosing and for tests. */
  srtt(address: string): number {
    return this.hosts.get(address)?.srtt ?? Infinity;
  }

  private host(address: string): Host {
    let host = this.hosts.get(address);
    if (!host) {
      host = { consecutiveTimeouts: 0, heldDownUntil: 0, noEdnsUntil: 0 };
      this.hosts.set(address, host);
    }
    return host;
  }
}
