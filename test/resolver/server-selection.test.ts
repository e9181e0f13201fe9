// ServerInfra: smoothed RTT, exploration of untried servers, lameness per
// zone, hold-down of servers that keep timing out, EDNS memory.

import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/util/clock.js';
import { seededRandom } from '../../src/util/random.js';
import { LAME_MS, ServerInfra } from '../../src/upstream/servers.js';

const A = '192.0.2.1';
const B = '192.0.2.2';
const C = '192.0.2.3';
const none = new Set<string>();

function setup() {
  const clock = new ManualClock();
  return { clock, infra: new ServerInfra(clock, seededRandom(3)) };
}

describe('ServerInfra', () => {
  it('tries servers it knows nothing about before known ones', () => {
    const { infra } = setup();
    infra.recordRtt(A, 5);
    infra.recordRtt(B, 10);
    expect(infra.choose([A, B, C], 'example.com', none)).toBe(C);
  });

  it('prefers the lowest smoothed RTT', () => {
    const { infra } = setup();
    infra.recordRtt(A, 80);
    infra.recordRtt(B, 20);
    infra.recordRtt(C, 50);
    expect(infra.choose([A, B, C], 'example.com', none)).toBe(B);
  });

  it('smooths RTT samples rather than trusting the last one', () => {
    const { infra } = setup();
    infra.recordRtt(A, 100);
    infra.recordRtt(A, 10);
    expect(infra.srtt(A)).toBeCloseTo(73);
  });

  it('lets a server not chosen drift back into favour', () => {
    const { infra } = setup();
    infra.recordRtt(A, 30);
    infra.recordRtt(B, 20);
    let picks = 0;
    for (let i = 0; i < 50 && infra.choose([A, B], 'example.com', none) === B; i++) picks++;
    expect(picks).toBeLessThan(50);
  });

  it('skips servers already tried in this query', () => {
    const { infra } = setup();
    expect(infra.choose([A, B], 'example.com', new Set([A]))).toBe(B);
    expect(infra.choose([A], 'example.com', new Set([A]))).toBeUndefined();
  });

  it('puts a lame server last for that zone only, until the lameness expires, and still uses it when nothing else is left (issue 8)', () => {
    const { infra, clock } = setup();
    infra.recordRtt(A, 5);
    infra.recordRtt(B, 50);
    infra.markLame(A, 'example.com', LAME_MS);
    expect(infra.choose([A, B], 'example.com', none)).toBe(B);
    expect(infra.choose([A, B], 'example.com', new Set([B]))).toBe(A);
    expect(infra.choose([A], 'example.com', none)).toBe(A);
    expect(infra.choose([A, B], 'example.net', none)).toBe(A);
    clock.advance(LAME_MS);
    expect(infra.isLame(A, 'example.com')).toBe(false);
  });

  it('ranks a server that timed out last, but keeps trying it while it answers now and then (a rate-limited server)', () => {
    const { infra, clock } = setup();
    infra.recordRtt(B, 300);
    infra.recordTimeout(A);
    expect(infra.choose([A, B], 'example.com', none)).toBe(B);
    expect(infra.choose([A], 'example.com', none)).toBe(A); // one timeout may be a lost packet
    for (let i = 0; i < 20; i++) {
      infra.recordTimeout(A);
      infra.recordTimeout(A);
      clock.advance(500);
      infra.recordRtt(A, 20);
      expect(infra.isUnresponsive(A)).toBe(false);
    }
  });

  it('only probes a server that stays silent: one query per interval, 1 s doubling, until it answers', () => {
    const { infra, clock } = setup();
    for (let i = 0; i < 3; i++) {
      if (i > 0) clock.advance(1_000);
      infra.recordTimeout(A);
    }
    expect(infra.isUnresponsive(A)).toBe(true);
    expect(infra.choose([A], 'example.com', none)).toBeUndefined();
    clock.advance(1_000);
    expect(infra.choose([A], 'example.com', none)).toBe(A); // the probe
    expect(infra.choose([A], 'example.com', none)).toBeUndefined(); // claimed: one probe at a time
    infra.recordTimeout(A); // the probe went unanswered: next one in 2 s
    clock.advance(1_999);
    expect(infra.choose([A], 'example.com', none)).toBeUndefined();
    clock.advance(1);
    expect(infra.choose([A], 'example.com', none)).toBe(A);
    infra.recordRtt(A, 50); // an answer clears it all
    expect(infra.isUnresponsive(A)).toBe(false);
    expect(infra.choose([A], 'example.com', none)).toBe(A);
  });

  it('prefers any responsive server to probing a silent one', () => {
    const { infra, clock } = setup();
    for (let i = 0; i < 3; i++) {
      infra.recordTimeout(A);
      clock.advance(1_000);
    }
    clock.advance(5_000);
    infra.markLame(B, 'example.com');
    expect(infra.choose([A, B], 'example.com', none)).toBe(B);
    expect(infra.choose([A, B], 'example.com', new Set([B]))).toBe(A);
  });

  it('remembers that a server does not speak EDNS, for a while', () => {
    const { infra, clock } = setup();
    expect(infra.usesEdns(A)).toBe(true);
    infra.disableEdns(A);
    expect(infra.usesEdns(A)).toBe(false);
    clock.advance(15 * 60_000);
    expect(infra.usesEdns(A)).toBe(true);
  });
});
