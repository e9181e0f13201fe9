// Every loop the network drives is bounded by the per-query budget; running
// out answers SERVFAIL, logged with the reason.

import { describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { RCode } from '../../src/dns/message.js';
import { ADDRESSES } from '../fakes/hierarchy.js';
import { harness } from './harness.js';

function capturingLogger() {
  const entries: Record<string, unknown>[] = [];
  const logger = pino({ level: 'info' }, { write: (line: string) => entries.push(JSON.parse(line)) });
  return { logger, entries };
}

describe('resolution budget', () => {
  it('answers SERVFAIL when the referrals run out, and logs why', async () => {
    const { logger, entries } = capturingLogger();
    const { ask } = harness({ logger, options: { budget: { maxReferrals: 1 } } });
    expect((await ask('www.example.com')).rcode).toBe(RCode.SERVFAIL);
    expect(entries).toContainEqual(expect.objectContaining({ qname: 'www.example.com', reason: 'referrals', msg: expect.stringContaining('budget') }));
  });

  it('answers SERVFAIL when the upstream queries run out', async () => {
    const { ask, network, resolver } = harness({ options: { budget: { maxUpstreamQueries: 2 } } });
    await resolver.prime(); // priming has a budget of its own
    network.clear();
    expect((await ask('www.example.com')).rcode).toBe(RCode.SERVFAIL);
    expect(network.queries).toHaveLength(2);
  });

  it('answers SERVFAIL when glueless sub-queries run out', async () => {
    const { ask } = harness({ options: { budget: { maxGluelessQueries: 0 } } });
    expect((await ask('www.example.org')).rcode).toBe(RCode.SERVFAIL);
  });

  it('answers SERVFAIL before the time budget is over, whatever the servers do', async () => {
    const dead = { dead: true };
    const { ask, clock } = harness({
      servers: { [ADDRESSES.exampleCom1]: dead, [ADDRESSES.exampleCom2]: dead },
      options: { budget: { totalTimeMs: 1000 } },
    });
    const started = clock.now();
    expect((await ask('www.example.com')).rcode).toBe(RCode.SERVFAIL);
    expect(clock.now() - started).toBeLessThanOrEqual(1000);
  });

  it('backs off exponentially between tries, capped below a second', async () => {
    const timeouts: number[] = [];
    const dead = { dead: true };
    const { ask, network } = harness({ servers: { [ADDRESSES.exampleCom1]: dead, [ADDRESSES.exampleCom2]: dead } });
    const exchange = network.exchange.bind(network);
    network.exchange = (server, query, options) => {
      if (server.address.startsWith('192.0.2.')) timeouts.push(options.timeoutMs);
      return exchange(server, query, options);
    };
    await ask('www.example.com');
    // Two tries per server, then no server is left.
    expect(timeouts).toEqual([400, 800, 900, 900]);
  });
});
