// Response rate limiting (BIND RRL style): token buckets per client /24 and
// /56, slip, bounded memory, the periodic report, and the pipeline's use of
// it (UDP only: RFC 7766 TCP proves its source, so it is never limited).

import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { decodeMessage } from '../../src/dns/codec.js';
import { RCode } from '../../src/dns/message.js';
import { parseClientAddress } from '../../src/server/client-address.js';
import { QueryHandler } from '../../src/server/query-handler.js';
import { RateLimiter, reportRateLimiting, type RateLimitSettings } from '../../src/server/rate-limit.js';
import { silentLogger } from '../../src/util/log.js';
import { FakeRecursor, FakeZones, query } from '../server/helpers.js';

function limiter(settings: Partial<RateLimitSettings>, maxNetworks?: number) {
  let now = 1_000;
  const rl = new RateLimiter({ responsesPerSecond: 10, burst: 0, slip: 2, ...settings }, () => now, maxNetworks);
  return {
    rl,
    advance: (ms: number) => (now += ms),
    admit: (address: string, times = 1) => Array.from({ length: times }, () => rl.admit(parseClientAddress(address)!)),
  };
}

describe('RateLimiter', () => {
  it('lets a burst of twice the rate through when burst is 0, then limits', () => {
    const { admit } = limiter({ responsesPerSecond: 10, slip: 0 });
    const verdicts = admit('192.0.2.1', 25);
    expect(verdicts.filter((v) => v === 'pass')).toHaveLength(20);
    expect(verdicts.slice(20)).toEqual(['drop', 'drop', 'drop', 'drop', 'drop']);
  });

  it('honours an explicit burst and refills at the rate', () => {
    const { admit, advance } = limiter({ responsesPerSecond: 10, burst: 3, slip: 0 });
    expect(admit('192.0.2.1', 4)).toEqual(['pass', 'pass', 'pass', 'drop']);
    advance(100); // one token at 10/s
    expect(admit('192.0.2.1', 2)).toEqual(['pass', 'drop']);
    advance(10_000); // refills to the burst, not beyond
    expect(admit('192.0.2.1', 4)).toEqual(['pass', 'pass', 'pass', 'drop']);
  });

  it.each([
    [0, ['drop', 'drop', 'drop', 'drop']],
    [1, ['slip', 'slip', 'slip', 'slip']],
    [2, ['drop', 'slip', 'drop', 'slip']],
    [3, ['drop', 'drop', 'slip', 'drop']],
  ])('slip %i: every slip-th limited response is sent truncated', (slip, expected) => {
    const { admit } = limiter({ responsesPerSecond: 1, burst: 1, slip });
    expect(admit('192.0.2.1', 5).slice(1)).toEqual(expected);
  });

  it('shares one bucket per IPv4 /24 and IPv6 /56, separate ones otherwise', () => {
    const { admit } = limiter({ responsesPerSecond: 1, burst: 1, slip: 0 });
    expect(admit('192.0.2.1')).toEqual(['pass']);
    expect(admit('192.0.2.200')).toEqual(['drop']);
    expect(admit('::ffff:192.0.2.7')).toEqual(['drop']);
    expect(admit('192.0.3.1')).toEqual(['pass']);
    expect(admit('2001:db8:0:1::1')).toEqual(['pass']);
    expect(admit('2001:db8:0:2::1')).toEqual(['drop']);
    expect(admit('2001:db8:0:100::1')).toEqual(['pass']);
  });

  it('counts what it dropped and slipped, and resets the counts when read', () => {
    const { rl, admit } = limiter({ responsesPerSecond: 1, burst: 1, slip: 2 });
    admit('192.0.2.1', 6);
    expect(rl.takeCounts()).toEqual({ dropped: 3, slipped: 2 });
    expect(rl.takeCounts()).toEqual({ dropped: 0, slipped: 0 });
  });

  it('tracks a bounded number of networks, forgetting the oldest', () => {
    const { rl, admit } = limiter({ responsesPerSecond: 1, burst: 1, slip: 0 }, 100);
    admit('10.0.0.1');
    for (let i = 0; i < 500; i++) admit(`2001:db8:${i.toString(16)}::1`);
    expect(rl.size).toBe(100);
    // 10.0.0.0/24 was evicted, so it starts again with a full bucket.
    expect(admit('10.0.0.1')).toEqual(['pass']);
  });
});

describe('reportRateLimiting', () => {
  afterEach(() => vi.useRealTimers());

  it('logs one info line per interval with the counts, and nothing when there were none', () => {
    vi.useFakeTimers();
    const lines: Array<Record<string, unknown>> = [];
    const logger = pino({ level: 'info' }, new Writable({
      write(chunk, _enc, done) {
        lines.push(JSON.parse(String(chunk)) as Record<string, unknown>);
        done();
      },
    }));
    const { rl, admit } = limiter({ responsesPerSecond: 1, burst: 1, slip: 2 });
    const stop = reportRateLimiting(rl, logger, 60_000);
    vi.advanceTimersByTime(60_000);
    expect(lines).toEqual([]);
    admit('192.0.2.1', 4);
    vi.advanceTimersByTime(60_000);
    expect(lines).toEqual([expect.objectContaining({ level: 30, dropped: 2, slipped: 1, seconds: 60 })]);
    vi.advanceTimersByTime(60_000);
    expect(lines).toHaveLength(1);
    stop();
  });
});

describe('QueryHandler with a rate limiter', () => {
  function setup() {
    const recursor = new FakeRecursor();
    const rateLimiter = new RateLimiter({ responsesPerSecond: 1, burst: 2, slip: 2 }, () => 0);
    const handler = new QueryHandler({ zones: new FakeZones(), recursor, recursion: true, rateLimiter, logger: silentLogger });
    return { handler, recursor };
  }

  it('over UDP: answers, then drops, then slips an empty TC=1 answer echoing the question', async () => {
    const { handler, recursor } = setup();
    const client = { address: '192.0.2.1', port: 5353, transport: 'udp' as const };
    const replies = [];
    for (let i = 0; i < 4; i++) replies.push(await handler.handle(query('www.example.org', 'A', { id: i, edns: true }), client));
    expect(replies.map((r) => r !== undefined)).toEqual([true, true, false, true]);
    const slipped = decodeMessage(replies[3]!);
    expect(slipped).toMatchObject({ id: 3, qr: true, tc: true, rcode: RCode.NOERROR, answers: [], authorities: [] });
    expect(slipped.questions).toEqual([{ name: 'www.example.org', type: 'A', class: 'IN' }]);
    expect(slipped.edns?.udpSize).toBe(1232);
    // Limited queries cost no recursion.
    expect(recursor.calls).toHaveLength(2);
  });

  it('never slips an answer to a response (QR=1) or to garbage', async () => {
    const { handler } = setup();
    const client = { address: '192.0.2.1', port: 5353, transport: 'udp' as const };
    for (let i = 0; i < 3; i++) await handler.handle(query('www.example.org', 'A'), client);
    const reply = query('www.example.org', 'A');
    reply[2] |= 0x80; // QR
    expect(await handler.handle(reply, client)).toBeUndefined(); // 4th: a slip turn
    await handler.handle(query('www.example.org', 'A'), client); // 5th: drop turn
    expect(await handler.handle(Buffer.from([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13]), client)).toBeUndefined();
  });

  it('never limits TCP', async () => {
    const { handler } = setup();
    const client = { address: '192.0.2.1', port: 5353, transport: 'tcp' as const };
    for (let i = 0; i < 20; i++) {
      const reply = decodeMessage((await handler.handle(query('www.example.org', 'A'), client))!);
      expect([reply.tc, reply.answers.length]).toEqual([false, 1]);
    }
  });
});
