// RFC 6672 DNAME in upstream answers: the resolver synthesises the CNAME a
// DNAME implies itself (§3.4: "Recursive caching name servers MUST perform
// CNAME synthesis on behalf of clients"), never trusting the one the server
// sent, and answers with the DNAME, the synthesised CNAME, then the target's
// records. The fake ZoneStore does not serve DNAME (zone-file.ts rejects it),
// so DNAME servers here are scripted with `intercept`, the way RFC 6672 §3.2
// says an authoritative server answers.

import { describe, expect, it } from 'vitest';
import { RCode, type Message } from '../../src/dns/message.js';
import { lines, reply, type ReplySpec } from '../fakes/records.js';
import { trail } from './harness.js';
import { rootZone, world, zone } from './world.js';

const EXAMPLE_COM = '192.0.2.44';
const EXAMPLE_NET = '192.0.2.55';
const EXAMPLE_ORG = '192.0.2.66';

/**
 *   .             a.root-servers.net, delegating the three zones directly
 *   example.com   ns.example.com 192.0.2.44: DNAME owners old, chain, loop, grow
 *   example.net   ns.example.net 192.0.2.55: www.new, www.victim; DNAME owner hop
 *   example.org   ns.example.org 192.0.2.66: www
 * The DNAME owners hold a TXT record, so that the store answers NODATA (not
 * NXDOMAIN) to the minimised `owner NS` query, as a DNAME-serving server would.
 */
const ROOT = rootZone(`
example.com. NS ns.example.com.
ns.example.com. A ${EXAMPLE_COM}
example.net. NS ns.example.net.
ns.example.net. A ${EXAMPLE_NET}
example.org. NS ns.example.org.
ns.example.org. A ${EXAMPLE_ORG}`);

const EXAMPLE_COM_ZONE = zone('example.com', `
@      NS ns
ns     A ${EXAMPLE_COM}
old    TXT "DNAME owner"
chain  TXT "DNAME owner"
loop   TXT "DNAME owner"
grow   TXT "DNAME owner"
`);
const EXAMPLE_NET_ZONE = zone('example.net', `
@           NS ns
ns          A ${EXAMPLE_NET}
www.new     A 198.51.100.80
www.victim  A 198.51.100.7
hop         TXT "DNAME owner"
loop        TXT "DNAME owner"
`);
const EXAMPLE_ORG_ZONE = zone('example.org', `@ NS ns\nns A ${EXAMPLE_ORG}\nwww A 203.0.113.80`);

/** A reply to `query` with the sections of `spec` (records as `owner ttl TYPE data`). */
function scripted(query: Message, spec: ReplySpec): Message {
  const q = query.questions[0];
  return { ...reply(q.name, q.type, spec), id: query.id, questions: query.questions };
}

type Intercept = (query: Message) => Message | 'drop' | undefined;

/**
 * RFC 6672 §3.2 as an authoritative server applies it: `owner DNAME target`
 * (TTL 3600) answers a DNAME query at the owner, and any query for a name
 * below the owner with the DNAME and the CNAME it implies; `cname` replaces
 * that CNAME's target (a server that lies, or an old one) and may drop it.
 */
function dname(owner: string, target: string, cname?: (name: string, synthesised: string) => string | undefined): Intercept {
  return (query) => {
    const q = query.questions[0];
    const name = q.name.toLowerCase();
    const record = `${owner} 3600 DNAME ${target}`;
    if (name === owner && q.type === 'DNAME') return scripted(query, { aa: true, answers: [record] });
    if (!name.endsWith(`.${owner}`)) return undefined;
    const synthesised = `${name.slice(0, -owner.length)}${target}`;
    const alias = cname ? cname(name, synthesised) : synthesised;
    return scripted(query, { aa: true, answers: alias === undefined ? [record] : [record, `${name} 3600 CNAME ${alias}`] });
  };
}

/** The first intercept with something to say answers. */
const either = (...intercepts: Intercept[]): Intercept => (query) => {
  for (const intercept of intercepts) {
    const answer = intercept(query);
    if (answer !== undefined) return answer;
  }
  return undefined;
};

function internet(exampleCom: Intercept, exampleNet?: Intercept) {
  return world({
    root: ROOT,
    servers: { [EXAMPLE_COM]: [EXAMPLE_COM_ZONE], [EXAMPLE_NET]: [EXAMPLE_NET_ZONE], [EXAMPLE_ORG]: [EXAMPLE_ORG_ZONE] },
    behaviour: { [EXAMPLE_COM]: { intercept: exampleCom }, ...(exampleNet ? { [EXAMPLE_NET]: { intercept: exampleNet } } : {}) },
  });
}

describe('RFC 6672 §3.4: the resolver synthesises the CNAME', () => {
  it('answers with the DNAME, the synthesised CNAME, then the target\'s records, in that order', async () => {
    const { ask, network } = internet(dname('old.example.com', 'new.example.net'));
    const result = await ask('www.old.example.com');
    expect(result.rcode).toBe(RCode.NOERROR);
    expect(lines(result.answers)).toEqual([
      'old.example.com 3600 DNAME new.example.net',
      'www.old.example.com 3600 CNAME www.new.example.net',
      'www.new.example.net 3600 A 198.51.100.80',
    ]);
    expect(trail(network.queries).at(-1)).toBe(`${EXAMPLE_NET} www.new.example.net A`);
  });

  it('RFC 6672 §3.4: a synthesised CNAME with TTL 0 from an old server gets the DNAME\'s TTL', async () => {
    const { ask } = internet((query) => {
      const answer = dname('old.example.com', 'new.example.net')(query);
      if (answer === undefined || answer === 'drop') return answer;
      return { ...answer, answers: answer.answers.map((rr) => (rr.type === 'CNAME' ? { ...rr, ttl: 0 } : rr)) };
    });
    expect(lines((await ask('www.old.example.com')).answers)).toContain('www.old.example.com 3600 CNAME www.new.example.net');
  });

  it('a CNAME the server sent that does not follow from the DNAME is ignored: the synthesised one is followed', async () => {
    const { ask, network } = internet(dname('old.example.com', 'new.example.net', () => 'www.example.org'));
    const result = await ask('www.old.example.com');
    expect(lines(result.answers)).toEqual([
      'old.example.com 3600 DNAME new.example.net',
      'www.old.example.com 3600 CNAME www.new.example.net',
      'www.new.example.net 3600 A 198.51.100.80',
    ]);
    expect(network.queriesTo(EXAMPLE_ORG)).toEqual([]);
  });

  it('the cache keeps the DNAME, not the CNAME made from it: a later CNAME question is answered with both, other names below it from the cache', async () => {
    const { ask, network } = internet(dname('old.example.com', 'new.example.net'));
    await ask('www.old.example.com');
    network.clear();
    // RFC 6672 §3.4: the synthesised CNAME goes out with its DNAME (and the DNAME's RRSIG to a validator), never alone.
    expect(lines((await ask('www.old.example.com', 'CNAME')).answers)).toEqual([
      'old.example.com 3600 DNAME new.example.net',
      'www.old.example.com 3600 CNAME www.new.example.net',
    ]);
    // Another name below the DNAME owner: synthesised from the cached DNAME, only the target is asked for.
    const other = await ask('mail.old.example.com', 'CNAME');
    expect(lines(other.answers)).toEqual([
      'old.example.com 3600 DNAME new.example.net',
      'mail.old.example.com 3600 CNAME mail.new.example.net',
    ]);
    expect(network.queries).toEqual([]);
  });

  it('a DNAME answer without any CNAME is enough', async () => {
    const { ask } = internet(dname('old.example.com', 'new.example.net', () => undefined));
    expect(lines((await ask('www.old.example.com')).answers)).toEqual([
      'old.example.com 3600 DNAME new.example.net',
      'www.old.example.com 3600 CNAME www.new.example.net',
      'www.new.example.net 3600 A 198.51.100.80',
    ]);
  });

  it('follows a DNAME into another zone whose server has a DNAME of its own', async () => {
    // www.chain.example.com → www.hop.example.net → www.example.org
    const { ask, network } = internet(dname('chain.example.com', 'hop.example.net'), dname('hop.example.net', 'example.org'));
    const result = await ask('www.chain.example.com');
    expect(result.rcode).toBe(RCode.NOERROR);
    expect(lines(result.answers)).toEqual([
      'chain.example.com 3600 DNAME hop.example.net',
      'www.chain.example.com 3600 CNAME www.hop.example.net',
      'hop.example.net 3600 DNAME example.org',
      'www.hop.example.net 3600 CNAME www.example.org',
      'www.example.org 3600 A 203.0.113.80',
    ]);
    expect(trail(network.queries).filter((t) => t.endsWith(' A'))).toEqual([
      `${EXAMPLE_COM} www.chain.example.com A`,
      `${EXAMPLE_NET} www.hop.example.net A`,
      `${EXAMPLE_ORG} www.example.org A`,
    ]);
  });
});

describe('RFC 6672 §2.3 and RFC 5452 §6: only a DNAME the server may speak for', () => {
  it('a DNAME outside the server\'s zone is dropped, not cached, and the chain goes to the real owner', async () => {
    // example.com's server claims example.net's victim.example.net is redirected to example.org.
    const { ask, resolver, network } = internet((query) => {
      const q = query.questions[0];
      if (q.name.toLowerCase() !== 'alias.example.com') return undefined;
      return scripted(query, {
        aa: true,
        answers: [
          'alias.example.com 3600 CNAME www.victim.example.net',
          'victim.example.net 3600 DNAME example.org',
          'www.victim.example.net 3600 CNAME www.example.org',
        ],
      });
    });
    const result = await ask('alias.example.com');
    expect(lines(result.answers)).toEqual([
      'alias.example.com 3600 CNAME www.victim.example.net',
      'www.victim.example.net 3600 A 198.51.100.7',
    ]);
    expect(resolver.cache.getRRset('victim.example.net', 'DNAME', 'IN')).toBeUndefined();
    expect(trail(network.queries)).toContain(`${EXAMPLE_NET} www.victim.example.net A`);
    expect(network.queriesTo(EXAMPLE_ORG)).toEqual([]);
  });
});

describe('RFC 6672 §2.3: qtype DNAME', () => {
  it('RFC 6672 §3.2: below the owner a CNAME question gets the DNAME and the synthesised CNAME, not the server\'s', async () => {
    const { ask } = internet(dname('old.example.com', 'new.example.net', () => 'www.example.org'));
    expect(lines((await ask('www.old.example.com', 'CNAME')).answers)).toEqual([
      'old.example.com 3600 DNAME new.example.net',
      'www.old.example.com 3600 CNAME www.new.example.net',
    ]);
  });

  it('a DNAME question at the owner gets the DNAME itself, with nothing synthesised or followed', async () => {
    const { ask, network } = internet(dname('old.example.com', 'new.example.net'));
    const result = await ask('old.example.com', 'DNAME');
    expect(result.rcode).toBe(RCode.NOERROR);
    expect(lines(result.answers)).toEqual(['old.example.com 3600 DNAME new.example.net']);
    expect(network.queriesTo(EXAMPLE_NET)).toEqual([]);
  });
});

describe('STYLE.md habit 5: a DNAME cannot make a query run on', () => {
  it('two DNAMEs redirecting to each other across zones end in SERVFAIL', async () => {
    // a.loop.example.com → a.loop.example.net → a.loop.example.com
    const { ask, network } = internet(dname('loop.example.com', 'loop.example.net'), dname('loop.example.net', 'loop.example.com'));
    const result = await ask('a.loop.example.com');
    expect(result.rcode).toBe(RCode.SERVFAIL);
    expect(trail(network.queries).filter((t) => t.startsWith(`${EXAMPLE_COM} a.loop`) || t.startsWith(`${EXAMPLE_NET} a.loop`))).toEqual([
      `${EXAMPLE_COM} a.loop.example.com A`,
      `${EXAMPLE_NET} a.loop.example.net A`,
    ]);
  });

  it('two DNAMEs in one zone redirecting to each other end in SERVFAIL after one query', async () => {
    const { ask, network } = internet((query) => {
      const q = query.questions[0];
      if (q.name.toLowerCase() !== 'a.loop.example.com') return undefined;
      return scripted(query, {
        aa: true,
        answers: [
          'loop.example.com 3600 DNAME other.example.com',
          'a.loop.example.com 3600 CNAME a.other.example.com',
          'other.example.com 3600 DNAME loop.example.com',
          'a.other.example.com 3600 CNAME a.loop.example.com',
        ],
      });
    });
    expect((await ask('a.loop.example.com')).rcode).toBe(RCode.SERVFAIL);
    expect(network.queries.filter((q) => q.name === 'a.loop.example.com')).toHaveLength(1);
  });

  it('a DNAME to a name below itself grows the name each hop: SERVFAIL within the CNAME budget', async () => {
    // grow.example.com DNAME x.grow.example.com: a.grow → a.x.grow → a.x.x.grow …
    const { ask, network, resolver } = internet(dname('grow.example.com', 'x.grow.example.com'));
    const result = await ask('a.grow.example.com');
    expect(result.rcode).toBe(RCode.SERVFAIL);
    expect(network.queries.length).toBeLessThanOrEqual(resolver.options.budget.maxUpstreamQueries);
  });
});

describe('RFC 6672 §2.2: a synthesised name longer than a name can be ends the chain', () => {
  // 230 characters below old.example.com (246 in all, a legal name) → 261 below much-longer-target.example.net.
  const prefix = `${'a'.repeat(61)}.${'b'.repeat(61)}.${'c'.repeat(61)}.${'d'.repeat(44)}`;

  it('the server\'s CNAME to a short name is not followed, and no longer name is asked for', async () => {
    const name = `${prefix}.old.example.com`;
    expect(name.length).toBe(246);
    const { ask, network } = internet(dname('old.example.com', 'much-longer-target.example.net', () => 'www.example.org'));
    const result = await ask(name);
    expect(lines(result.answers).filter((l) => l.includes(' CNAME '))).toEqual([]);
    expect(network.queriesTo(EXAMPLE_ORG)).toEqual([]);
    expect(network.queriesTo(EXAMPLE_NET).filter((q) => q.name.endsWith('much-longer-target.example.net'))).toEqual([]);
  });
});

describe('RFC 2181 §5.2 and RFC 1035 §7.4: the synthesised CNAME is cached as a CNAME', () => {
  it('answers the same name again from the cache with no query, the TTLs counting down from the DNAME\'s', async () => {
    const { ask, network, clock } = internet(dname('old.example.com', 'new.example.net'));
    await ask('www.old.example.com');
    network.clear();
    clock.advance(10_000);
    const result = await ask('www.old.example.com');
    expect(network.queries).toEqual([]);
    // The DNAME comes back with the CNAME it implies, as in the first answer.
    expect(lines(result.answers)).toEqual([
      'old.example.com 3590 DNAME new.example.net',
      'www.old.example.com 3590 CNAME www.new.example.net',
      'www.new.example.net 3590 A 198.51.100.80',
    ]);
  });
});

describe('RFC 6672 §2.2: YXDOMAIN', () => {
  it('a server\'s YXDOMAIN (the substituted name would be too long) reaches the client with its DNAME', async () => {
    const record = 'old.example.com 3600 DNAME new.example.net';
    const { ask } = internet((query) => (query.questions[0].name.toLowerCase().endsWith('.old.example.com')
      ? { ...scripted(query, { aa: true, answers: [record] }), rcode: RCode.YXDOMAIN }
      : undefined));
    const result = await ask('www.old.example.com');
    expect(result.rcode).toBe(RCode.YXDOMAIN);
    expect(lines(result.answers)).toEqual([record]);
  });
});
