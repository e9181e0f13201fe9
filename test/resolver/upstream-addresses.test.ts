// Which server addresses may be queried: loopback addresses learned from the
// network only with queryLoopback; AAAA glue only with ipv6Upstream.

import { describe, expect, it } from 'vitest';
import { RCode } from '../../src/dns/message.js';
import { parseRootHints } from '../../src/resolver/root-hints.js';
import { ADDRESSES, SERVERS } from '../fakes/hierarchy.js';
import { firstChoice, harness, lines } from './harness.js';

describe('upstream address policy', () => {
  it('never sends to a loopback address learned from the network when queryLoopback is off', async () => {
    const { ask, network } = harness();
    expect((await ask('www.loopy.com')).rcode).toBe(RCode.SERVFAIL);
    expect(network.queriesTo(ADDRESSES.loopy)).toEqual([]);
  });

  it('uses it when queryLoopback is on', async () => {
    const { ask, network } = harness({ options: { queryLoopback: true } });
    expect(lines((await ask('www.loopy.com')).answers)).toEqual(['www.loopy.com 300 A 192.0.2.53']);
    expect(network.queriesTo(ADDRESSES.loopy)).toHaveLength(1);
  });

  it('always allows root hints addresses, loopback included', async () => {
    const { ask, network } = harness({
      options: { rootHints: parseRootHints('. 3600000 NS a.root-servers.net.\na.root-servers.net. 3600000 A 127.0.0.1', 'local.hints') },
    });
    network.addServer('127.0.0.1', SERVERS[ADDRESSES.rootA]);
    expect((await ask('www.example.com')).rcode).toBe(RCode.NOERROR);
    expect(network.queriesTo('127.0.0.1').length).toBeGreaterThan(0);
  });

  it('ignores AAAA glue when ipv6Upstream is off', async () => {
    const dead = { dead: true };
    const { ask, network } = harness({ servers: { [ADDRESSES.exampleCom1]: dead, [ADDRESSES.exampleCom2]: dead } });
    expect((await ask('www.example.com')).rcode).toBe(RCode.SERVFAIL);
    expect(network.queriesTo(ADDRESSES.exampleCom1v6)).toEqual([]);
  });

  it('uses AAAA glue when ipv6Upstream is on', async () => {
    const dead = { dead: true };
    const { ask, network } = harness({
      random: firstChoice,
      options: { ipv6Upstream: true },
      servers: { [ADDRESSES.exampleCom1]: dead, [ADDRESSES.exampleCom2]: dead },
    });
    expect(lines((await ask('www.example.com')).answers)).toEqual(['www.example.com 300 A 192.0.2.80']);
    expect(network.queriesTo(ADDRESSES.exampleCom1v6)).toHaveLength(1);
  });

  it('ignores A glue when ipv4Upstream is off', async () => {
    const v6hints = parseRootHints('. 3600000 NS a.root-servers.net.\na.root-servers.net. 3600000 AAAA 2001:503:ba3e::2:30', 'v6.hints');
    const { ask, network } = harness({ options: { rootHints: v6hints, ipv4Upstream: false, ipv6Upstream: true } });
    network.addServer('2001:503:ba3e::2:30', SERVERS[ADDRESSES.rootA]);
    await ask('www.example.com'); // the fake com server has no IPv6 address: the walk ends there
    expect(network.queries.length).toBeGreaterThan(0);
    expect(network.queries.every((q) => q.server.includes(':'))).toBe(true);
  });
});
