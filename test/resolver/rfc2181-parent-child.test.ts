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

describe('glue outside the bailiwick (RFC 2181 §5.4.1, Deckard iter_cycle_noh)', () => {
  // example.com is served only by ns.example.net and example.net only by
  // ns.example.com; each parent gives the other zone's address as glue.
  const cycle = () => world({
    root: rootZone('com. NS ns.com.\nns.com. A 192.0.2.30\nnet. NS ns.net.\nns.net. A 192.0.2.31'),
    servers: {
      '192.0.2.30': [zone('com', '@ NS ns.com.\nexample NS ns.example.net.')],
      '192.0.2.31': [zone('net', '@ NS ns.net.\nexample NS ns.example.com.')],
      '192.0.2.44': [zone('example.com', '@ NS ns.example.net.\nwww A 192.0.2.80\nns A 192.0.2.55')],
      // example.net's own data moves ns.example.net elsewhere: only the com server's glue says 192.0.2.44.
      '192.0.2.55': [zone('example.net', '@ NS ns.example.com.\nns A 192.0.2.46')],
    },
    behaviour: {
      // The parents' out-of-bailiwick "glue", as the Deckard scenario's servers send it.
      '192.0.2.30': { intercept: addGlue('example.com', 'ns.example.net', '192.0.2.44') },
      '192.0.2.31': { intercept: addGlue('example.net', 'ns.example.com', '192.0.2.55') },
    },
  });

  it('breaks a cycle of delegations whose only glue is out of bailiwick: used for that delegation, last', async () => {
    const { ask } = cycle();
    expect(lines((await ask('www.example.com')).answers)).toEqual(['www.example.com 3600 A 192.0.2.80']);
  });

  it('never caches such glue: the address it gave is not an answer', async () => {
    const { ask, resolver } = cycle();
    await ask('www.example.com');
    expect(resolver.cache.getRRset('ns.example.net', 'A', 'IN')?.map((rr) => rr.data) ?? []).not.toContain('192.0.2.44');
    expect(resolver.cache.getParentSide('ns.example.net', 'A', 'IN')).toBeUndefined();
  });
});

describe('a cached delegation that stopped working is asked for again at the parent (Deckard iter_ns_badip)', () => {
  it('the child\'s servers all fail once their short-lived address expired: the parent\'s fresh glue is used', async () => {
    const { ask, clock, network } = world({
      root: rootZone('example.com. NS ns.example.com.\nexample.com. NS ns2.example.com.\nns.example.com. 10 A 192.0.2.44\nns2.example.com. A 192.0.2.45'),
      servers: {
        '192.0.2.44': [zone('example.com', '@ NS ns\n@ NS ns2\nns 10 A 192.0.2.44\nns2 A 192.0.2.45\nwww 10 A 192.0.2.80')],
        '192.0.2.45': [zone('example.com', '@ NS ns\n@ NS ns2\nns 10 A 192.0.2.44\nns2 A 192.0.2.45\nwww 10 A 192.0.2.80')],
      },
      behaviour: { '192.0.2.45': { intercept: servfail } },
    });
    expect(lines((await ask('www.example.com')).answers)).toEqual(['www.example.com 10 A 192.0.2.80']);
    clock.advance(20_000); // ns.example.com's address (TTL 10) is gone; ns2 only says SERVFAIL
    network.clear();
    expect(lines((await ask('www.example.com')).answers)).toEqual(['www.example.com 10 A 192.0.2.80']);
    expect(network.queries.some((q) => q.server === '198.41.0.4')).toBe(true);
  });
});

describe('only an authoritative server speaks for its zone\'s NS set (Deckard iter_ns_spoof)', () => {
  it('the authority section of a non-authoritative answer does not replace the delegation', async () => {
    const { ask, network } = world({
      root: rootZone('example.com. NS ns.example.com.\nns.example.com. A 192.0.2.44'),
      servers: { '192.0.2.44': [zone('example.com', '@ NS ns\nns A 192.0.2.44\nwww A 192.0.2.80\nmail A 192.0.2.81\nbad A 6.6.6.6')] },
      behaviour: {
        '192.0.2.44': {
          intercept: (query) => query.questions[0].name.toLowerCase() !== 'bad.example.com' ? undefined : {
            ...query, qr: true, aa: false,
            answers: [{ name: 'bad.example.com', type: 'A', class: 'IN', ttl: 3600, data: '6.6.6.6' }],
            authorities: [{ name: 'example.com', type: 'NS', class: 'IN', ttl: 3600, data: 'bad.example.com' }],
            additionals: [],
          },
        },
      },
    });
    await ask('www.example.com');
    await ask('bad.example.com');
    network.clear();
    expect(lines((await ask('mail.example.com')).answers)).toEqual(['mail.example.com 3600 A 192.0.2.81']);
    expect(network.queriesTo('6.6.6.6')).toEqual([]);
  });
});

/** Adds `ns A address` to the additional section of referrals for `zone`. */
function addGlue(zoneName: string, ns: string, address: string) {
  return (query: Message): Message | undefined => {
    const name = query.questions[0].name.toLowerCase();
    if (name !== zoneName && !name.endsWith(`.${zoneName}`)) return undefined;
    return {
      ...query, qr: true, aa: false, answers: [],
      authorities: [{ name: zoneName, type: 'NS', class: 'IN', ttl: 3600, data: ns }],
      additionals: [{ name: ns, type: 'A', class: 'IN', ttl: 3600, data: address }],
    };
  };
}

describe('a domain moved to new servers at the parent (Deckard iter_domain_sale)', () => {
  it('is followed once the old NS set expires, however often the old servers repeat it', async () => {
    let sold = false;
    const rr = (name: string, type: string, ttl: number, data: string) => ({ name, type, class: 'IN', ttl, data });
    const { ask, clock } = world({
      root: rootZone('example.com. NS ns.example.com.\nns.example.com. A 192.0.2.44'),
      servers: {
        '192.0.2.44': [zone('example.com', '@ NS ns\nns A 192.0.2.44\nwww A 192.0.2.80')],
        '192.0.2.99': [zone('example.com', '@ NS ns.newhost.example.\nwww A 192.0.2.99')],
      },
      behaviour: {
        // After the sale the root delegates to the new owner's server.
        '198.41.0.4': {
          intercept: (query) => (!sold || !query.questions[0].name.toLowerCase().endsWith('example.com') ? undefined : {
            ...query, qr: true, aa: false, answers: [],
            authorities: [rr('example.com', 'NS', 3600, 'ns.newhost.example')],
            additionals: [rr('ns.newhost.example', 'A', 3600, '192.0.2.99')],
          }),
        },
        // The old owner keeps answering, with its NS set (TTL 600) in every answer.
        '192.0.2.44': {
          intercept: (query) => ({
            ...query, qr: true, aa: true,
            answers: [rr(query.questions[0].name, 'A', 300, '192.0.2.80')],
            authorities: [rr('example.com', 'NS', 600, 'ns.example.com')],
            additionals: [rr('ns.example.com', 'A', 600, '192.0.2.44')],
          }),
        },
      },
      options: { qnameMinimisation: false },
    });
    expect(lines((await ask('www.example.com')).answers)).toEqual(['www.example.com 300 A 192.0.2.80']);
    sold = true;
    clock.advance(400_000); // the A expired, the old NS set has 200 s left
    expect(lines((await ask('www.example.com')).answers)).toEqual(['www.example.com 300 A 192.0.2.80']);
    clock.advance(310_000); // the second A expired too, and the NS set, first cached 710 s ago, must be gone
    expect(lines((await ask('www.example.com')).answers)).toEqual(['www.example.com 3600 A 192.0.2.99']);
  });
});
