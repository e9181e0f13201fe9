// What the resolver has learnt about upstream servers (Unbound's "infra
// cache"): smoothed round-trip time per address, whether it answers at all,
// EDNS support, and lameness per (address, zone).
//
// Knowledge only ever reorders servers, it never removes the last way to a
// zone (issue 8: one odd reply must not condemn a zone, and a zone whose
// servers all misbehaved must still be tried). Servers are chosen by tier:
//   1. usable: answered lately or never tried (untried first, then lowest RTT);
//   2. lame for this zone (REFUSED, upward referral…): tried when no usable one is left;
//   3. unresponsive (several timeouts and no reply for a while): only probed,
//      one query per server per probe interval, the interval doubling while
//      it stays silent. A zone whose servers are all silent costs a probe now
//      and then, not a timeout per client query.

import { LRUCache } from 'lru-cache';
import type { Clock } from '../util/clock.js';
import type { Random } from '../util/random.js';

/** Addresses and (address, zone) pairs remembered; the least recently used are forgotten first. */
const MAX_ENTRIES = 10_000;
/** How long a lame server comes last for a zone (Unbound's infra-lame-ttl). */
export const LAME_MS = 15 * 60_000;
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
/**
 * A server is unresponsive after this many timeouts in a row with no reply
 * for UNRESPONSIVE_AFTER_MS: a server that drops some queries (response rate
 * limiting) but answers others never gets there.
 */
const UNRESPONSIVE_TIMEOUTS = 3;
const UNRESPONSIVE_AFTER_MS = 2_000;
/** Probe interval for an unresponsive server: 1 s, doubling per silent probe, at most 1 min. */
const PROBE_BASE_MS = 1_000;
const PROBE_MAX_MS = 60_000;

interface Host {
  /** Smoothed RTT in ms; undefined until the server has answered or timed out. */
  srtt?: number;
  /** Timeouts since the last reply. */
  timeouts: number;
  /** When the last reply arrived (or the first timeout of the current run, when none ever did). */
  lastHeardOrFirstTimeout: number;
  /** Next time an unresponsive server may be probed; 0 while it is responsive. */
  probeAt: number;
  probeIntervalMs: number;
  noEdnsUntil: number;
}

export class ServerInfra {
  private readonly hosts = new LRUCache<string, Host>({ max: MAX_ENTRIES });
  private readonly lame = new LRUCache<string, number>({ max: MAX_ENTRIES });

  constructor(private readonly clock: Clock, private readonly random: Random) {}

  recordRtt(address: string, ms: number): void {
    const host = this.host(address);
    host.srtt = host.srtt === undefined ? ms : SRTT_WEIGHT * host.srtt + (1 - SRTT_WEIGHT) * ms;
    host.timeouts = 0;
    host.lastHeardOrFirstTimeout = this.clock.now();
    host.probeAt = 0;
    host.probeIntervalMs = 0;
  }

  /** A query timed out or could not be sent. */
  recordTimeout(address: string): void {
    const host = this.host(address);
    const now = this.clock.now();
    host.srtt = Math.min(MAX_SRTT_MS, Math.max(host.srtt ?? 0, TIMEOUT_SRTT_MS) * 2);
    if (host.timeouts === 0 && host.lastHeardOrFirstTimeout === 0) host.lastHeardOrFirstTimeout = now;
    host.timeouts++;
    if (host.probeAt !== 0) {
      // A probe (or a query sent before the server was found silent) went unanswered.
      host.probeIntervalMs = Math.min(PROBE_MAX_MS, host.probeIntervalMs * 2);
      host.probeAt = now + host.probeIntervalMs;
    } else if (host.timeouts >= UNRESPONSIVE_TIMEOUTS && now - host.lastHeardOrFirstTimeout >= UNRESPONSIVE_AFTER_MS) {
      host.probeIntervalMs = PROBE_BASE_MS;
      host.probeAt = now + PROBE_BASE_MS;
    }
  }

  /** `address` said it does not serve `zone`: it comes last for that zone for `ms`. */
  markLame(address: string, zone: string, ms: number = LAME_MS): void {
    this.lame.set(`${address}|${zone}`, this.clock.now() + ms);
  }

  isLame(address: string, zone: string): boolean {
    return (this.lame.get(`${address}|${zone}`) ?? 0) > this.clock.now();
  }

  /** True while the server is considered silent (probed only). */
  isUnresponsive(address: string): boolean {
    return (this.hosts.get(address)?.probeAt ?? 0) !== 0;
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
   * `tried`, by tier (see the top of this file). Undefined when every
   * candidate was tried or is an unresponsive server not due for a probe.
   */
  choose(candidates: readonly string[], zone: string, tried: ReadonlySet<string>): string | undefined {
    const now = this.clock.now();
    const usable: string[] = [];
    const lame: string[] = [];
    let probe: string | undefined;
    for (const address of candidates) {
      if (tried.has(address)) continue;
      const host = this.hosts.get(address);
      if (host !== undefined && host.probeAt !== 0) {
        if (host.probeAt <= now && probe === undefined) probe = address;
        continue;
      }
      if (this.isLame(address, zone)) lame.push(address);
      else usable.push(address);
    }
    if (usable.length > 0) return this.fastest(usable);
    if (lame.length > 0) return this.fastest(lame);
    if (probe !== undefined) {
      // Claim the probe, so concurrent queries do not all wait on a silent server.
      const host = this.hosts.get(probe)!;
      host.probeAt = now + host.probeIntervalMs;
      return probe;
    }
    return undefined;
  }

  /** Never-tried servers first (randomly, to learn their RTT), else the lowest smoothed RTT. */
  private fastest(usable: string[]): string {
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
      host = { timeouts: 0, lastHeardOrFirstTimeout: 0, probeAt: 0, probeIntervalMs: 0, noEdnsUntil: 0 };
      this.hosts.set(address, host);
    }
    return host;
  }
}
