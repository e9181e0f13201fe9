// Time is injected (DESIGN.md "Seams"): caches and the resolver never call
// Date.now() themselves, so tests can move time.

export interface Clock {
  /** Milliseconds since the epoch (wall clock, so a system time jump moves expiry). */
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/** A clock tests move by hand. */
export class ManualClock implements Clock {
  constructor(private ms = 1_700_000_000_000) {}
  now(): number {
    return this.ms;
  }
  advance(ms: number): void {
    this.ms += ms;
  }
  set(ms: number): void {
    this.ms = ms;
  }
}
