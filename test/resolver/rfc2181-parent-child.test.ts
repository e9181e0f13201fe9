// Parent and child disagreeing about a delegation (RFC 2181 §5.4.1, issue 8):
// the child's own data ranks higher and is used first, but when it leads
// nowhere the parent's glue is the last resort (as Unbound's parent-side
// fallback); glue learnt while looking for a server's address counts.

import { describe, expect, it } from 'vitest';
import { RCode, type Message } from '../../src/dns/message.js';
import { lines } from '../fakes/records.js';
import { rootZone, world, zone } from './world.js';

const servfail = (query: Message): Message => ({ ...query, qr: true, rcode: RCode.SERVFAIL, answers: [], authorities: [], additionals: [] });

describe('parent-side glue as the last resort', () => {
  it('the child names an address for its server that fails: the parent\'s glue still reaches the zone', async () => {
    const { ask, network } = world({
      root: rootZone('example.com. NS ns.example.com.\nns.example.com. A 192.0.2.44'),
      servers: {
        '192.0.2.44': [zone('example.com', '@ NS ns\nns A 192.0.2.55\nwww A 192.0.2.80\nmail A 192.0.2.81')],
        '192.0.2.55': [zone('example.com', '@ NS ns\nns A 192.0.2.55\nwww A 192.0.2.80')],
      },
      behaviour: { '192.0.2.55': { intercept: servfail } },
    });
    // The child's authoritative answer replaces the parent's glue in the cache (RFC 2181 §5.4.1)…
    expect(lines((await ask('ns.example.com')).answers)).toEqual(['ns.example.com 3600 A 192.0.2.55']);
    // …so the next name goes to 192.0.2.55 first, which fails; the parent's glue is the way in.
    expect(lines((await ask('www.example.com')).answers)).toEqual(['www.example.com 3600 A 192.0.2.80']);
    expect(network.queriesTo('192.0.2.55')).toHaveLength(1);
  });

  it('a server\'s address from its own zone fails: the glue met on the way to it is used', async () => {
    const { ask } = world({
      root: rootZone('com. NS ns.com.\nns.com. A 192.0.2.30\nnet. NS ns.net.\nns.net. A 192.0.2.31'),
      servers: {
        '192.0.2.30': [zone('com', '@ NS ns.com.\nexample NS ns.example.net.')],
        '192.0.2.31': [zone('net', '@ NS ns.net.\nexample NS ns.example\nns.example A 192.0.2.44')],
        '192.0.2.44': [
          zone('example.net', '@ NS ns\nns A 192.0.2.55'),
          zone('example.com', '@ NS ns.example.net.\nwww A 192.0.2.80'),
        ],
        '192.0.2.55': [zone('example.com', '@ NS ns.example.net.\nwww A 192.0.2.80')],
      },
      behaviour: { '192.0.2.55': { intercept: servfail } },
    });
    expect(lines((await ask('www.example.com')).answers)).toEqual(['www.example.com 3600 A 192.0.2.80']);
  });

  it('without the fallback there is no answer: every address the child names fails', async () => {
    const { ask } = world({
      root: rootZone('example.com. NS ns.example.com.\nns.example.com. A 192.0.2.55'),
      servers: { '192.0.2.55': [zone('example.com', '@ NS ns\nns A 192.0.2.55\nwww A 192.0.2.80')] },
      behaviour: { '192.0.2.55': { intercept: servfail } },
    });
    expect((await ask('www.example.com')).rcode).toBe(RCode.SERVFAIL);
  });
});
