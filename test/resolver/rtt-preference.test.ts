// Server choice: after trying each server of a zone once, the resolver keeps
// asking the fastest one (smoothed RTT, as BIND and Unbound do).

import { describe, expect, it } from 'vitest';
import { ADDRESSES } from '../fakes/hierarchy.js';
import { harness } from './harness.js';

describe('server choice by RTT', () => {
  it('explores both servers of a zone, then prefers the faster one', async () => {
    const { ask, network } = harness({
      servers: { [ADDRESSES.exampleCom1]: { rttMs: 200 }, [ADDRESSES.exampleCom2]: { rttMs: 10 } },
    });
    for (const name of ['www', 'alias', 'ns1', 'ns2', 'mail', 'big']) await ask(`${name}.example.com`);
    const servers = network.queries.filter((q) => q.server.startsWith('192.0.2.')).map((q) => q.server);
    expect(new Set(servers.slice(0, 2))).toEqual(new Set([ADDRESSES.exampleCom1, ADDRESSES.exampleCom2]));
    expect(servers.slice(2).every((s) => s === ADDRESSES.exampleCom2)).toBe(true);
  });
});
