// Response rate limiting for UDP, after BIND's RRL: a server that answers
// spoofed queries at any rate reflects traffic onto the spoofed victim. Each
// client network (/24, /56: see networkKey) has a token bucket refilled at
// `responsesPerSecond` and holding at most `burst`. Over the limit, answers
// are dropped, except every `slip`-th, which goes out as an empty truncated
// answer (TC=1): no bigger than the query, so useless to an attacker, while a
// real client behind a busy network retries over TCP (RFC 7766 §6.2.1) and
// gets its answer. TCP is never limited: its handshake proves the source.

import type { Logger } from '../util/log.js';
import { networkKey, type ClientAddress } from './client-address.js';

export type RateVerdict = 'pass' | 'drop' | 'slip';

export interface RateLimitSettings {
  /** Tokens added per second per client network; must be above 0 (0 means: do not create a limiter). */
  responsesPerSecond: number;
  /** Bucket size; 0 means twice the rate. */
  burst: number;
  /** Every slip-th limited response is sent truncated; 0 never, 1 always. */
  slip: number;
}

/**
 * Networks tracked at once. A spoofed flood can name any number of sources;
 * beyond this the oldest bucket is forgotten (its network starts over with a
 * full bucket), so memory stays at a few megabytes whatever arrives.
 */
export const MAX_TRACKED_NETWORKS = 100_000;

interface Bucket {
  tokens: number;
  /** When `tokens` was last brought up to date (ms, monotonic). */
  updated: number;
  /** Responses refused so far, for the slip rotation. */
  limited: number;
}

export class RateLimiter {
  private readonly buckets = new Map<number | string, Bucket>();
  private readonly ratePerMs: number;
  private readonly burst: number;
  private readonly slip: number;
  private dropped = 0;
  private slipped = 0;

  /** @param now monotonic milliseconds; tests pass a hand-moved clock. */
  constructor(
    settings: RateLimitSettings,
    private readonly now: () => number = () => performance.now(),
    private readonly maxNetworks = MAX_TRACKED_NETWORKS,
  ) {
    this.ratePerMs = settings.responsesPerSecond / 1000;
    this.burst = settings.burst > 0 ? settings.burst : 2 * settings.responsesPerSecond;
    this.slip = settings.slip;
  }

  /** Takes a token for one UDP response to `client`, or says what to do instead. */
  admit(client: ClientAddress): RateVerdict {
    const key = networkKey(client);
    const now = this.now();
    let bucket = this.buckets.get(key);
    if (bucket === undefined) {
      if (this.buckets.size >= this.maxNetworks) this.buckets.delete(this.buckets.keys().next().value!);
      bucket = { tokens: this.burst, updated: now, limited: 0 };
      this.buckets.set(key, bucket);
    } else {
      bucket.tokens = Math.min(this.burst, bucket.tokens + (now - bucket.updated) * this.ratePerMs);
      bucket.updated = now;
    }
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return 'pass';
    }
    bucket.limited++;
    if (this.slip > 0 && bucket.limited % this.slip === 0) {
      this.slipped++;
      return 'slip';
    }
    this.dropped++;
    return 'drop';
  }

  /** Networks currently tracked. */
  get size(): number {
    return this.buckets.size;
  }

  /** Responses dropped and slipped since the last call. */
  takeCounts(): { dropped: number; slipped: number } {
    const counts = { dropped: this.dropped, slipped: this.slipped };
    this.dropped = 0;
    this.slipped = 0;
    return counts;
  }
}

/**
 * One info line per interval while limiting happens (none when idle), so an
 * operator sees an attack or a too-low limit without debug logging. Returns
 * the function that stops it.
 */
export function reportRateLimiting(limiter: RateLimiter, logger: Logger, intervalMs = 60_000): () => void {
  const timer = setInterval(() => {
    const { dropped, slipped } = limiter.takeCounts();
    if (dropped + slipped > 0) {
      logger.info({ dropped, slipped, seconds: intervalMs / 1000, networks: limiter.size },
        `rate limit: ${dropped} UDP responses dropped, ${slipped} sent truncated`);
    }
  }, intervalMs);
  timer.unref(); // never the reason the process stays up
  return () => clearInterval(timer);
}
