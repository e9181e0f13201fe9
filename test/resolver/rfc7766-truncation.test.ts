// RFC 7766 §5 / RFC 1035 §4.2.1: a truncated UDP reply is retried over TCP.

import { describe, expect, it } from 'vitest';
import { RCode } from '../../src/dns/message.js';
import { ADDRESSES } from '../fakes/hierarchy.js';
import { harness } from './harness.js';

describe('RFC 7766 truncation', () => {
  it('asks the same server the same question over TCP when the UDP reply has TC=1', async () => {
    const small = { maxUdpSize: 512 };
    const { ask, network } = harness({ servers: { [ADDRESSES.exampleCom1]: small, [ADDRESSES.exampleCom2]: small } });
    const result = await ask('big.example.com', 'TXT');
    expect(result.rcode).toBe(RCode.NOERROR);
    expect(result.answers).toHaveLength(2);
    const toZone = network.queries.filter((q) => q.name === 'big.example.com' && q.server.startsWith('192.0.2.'));
    expect(toZone.map((q) => q.protocol)).toEqual(['udp', 'tcp']);
    expect(toZone[0].server).toBe(toZone[1].server);
  });

  it('stays on UDP when the reply fits', async () => {
    const { ask, network } = harness();
    await ask('big.example.com', 'TXT');
    expect(network.queries.every((q) => q.protocol === 'udp')).toBe(true);
  });
});
