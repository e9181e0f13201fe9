// RFC 6891 §7: a server that answers FORMERR to EDNS is asked again without
// it, and remembered as such.

import { describe, expect, it } from 'vitest';
import { ADDRESSES } from '../fakes/hierarchy.js';
import { firstChoice, harness, lines } from './harness.js';

describe('RFC 6891 EDNS fallback', () => {
  it('retries without EDNS after FORMERR, and keeps talking plain DNS to that server', async () => {
    const { ask, network } = harness({
      random: firstChoice,
      servers: { [ADDRESSES.exampleCom1]: { noEdns: true }, [ADDRESSES.exampleCom2]: { dead: true } },
    });
    expect(lines((await ask('www.example.com')).answers)).toEqual(['www.example.com 300 A 192.0.2.80']);
    expect(network.queriesTo(ADDRESSES.exampleCom1).map((q) => q.edns)).toEqual([true, false]);

    network.clear();
    expect(lines((await ask('alias.example.com')).answers)).toHaveLength(2);
    expect(network.queriesTo(ADDRESSES.exampleCom1).map((q) => q.edns)).toEqual([false]);
  });

  it('keeps EDNS for servers that understand it', async () => {
    const { ask, network } = harness({ servers: { [ADDRESSES.exampleCom1]: { noEdns: true } } });
    await ask('www.example.com');
    expect(network.queries.filter((q) => q.server === ADDRESSES.gtld).every((q) => q.edns)).toBe(true);
  });
});
