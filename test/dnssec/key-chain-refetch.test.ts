// Key material that fails to verify may be one server's fault: the key chain
// fetches it again, avoiding each server that sent a bogus copy (RFC 4035
// §5: a validator tries the zone's other servers; Unbound's validator does
// the same; Deckard's black_ds scenario is this case).

import { describe, expect, it } from 'vitest';
import { RCode, type Question, type ResourceRecord } from '../../src/dns/message.js';
import { ManualClock } from '../../src/util/clock.js';
import { Algorithm } from '../../src/dnssec/algorithms.js';
import { TrustAnchors } from '../../src/dnssec/anchors.js';
import { KeyChain } from '../../src/dnssec/key-chain.js';
import { ValidationBudget } from '../../src/resolver/budget.js';
import type { RecursionResult } from '../../src/resolver/recursor.js';
import { generateKey, signRrset } from './signer.js';

const clock = new ManualClock();
const now = Math.floor(clock.now() / 1000);
const window = { inception: now - 3600, expiration: now + 86_400 };

const rootKey = generateKey(Algorithm.ECDSAP256SHA256, '.', { ksk: true });
const childKey = generateKey(Algorithm.ECDSAP256SHA256, 'example', { ksk: true });
const childDs = { ...childKey.ds(), ttl: 3600 };

function signed(rrset: ResourceRecord[], key: typeof rootKey, servers: string[], corrupt = false): RecursionResult {
  const sig = signRrset(rrset, key, window);
  if (corrupt) (sig.data as Buffer)[(sig.data as Buffer).length - 1] ^= 0xff;
  return { rcode: RCode.NOERROR, answers: rrset, authorities: [], signatures: [sig], servers };
}

/** A fetcher whose DS answers come from `dsReplies` in turn; the calls are recorded. */
function chain(dsReplies: RecursionResult[]) {
  const calls: { question: string; avoid?: readonly string[] }[] = [];
  const keys = new KeyChain({
    anchors: new TrustAnchors([rootKey.ds()]),
    clock,
    bogusTtl: 60,
    fetch: (question: Question, avoid?: readonly string[]) => {
      calls.push({ question: `${question.name} ${question.type}`, avoid });
      if (question.type === 'DNSKEY' && question.name === '.') return Promise.resolve(signed([rootKey.dnskey], rootKey, ['198.41.0.4']));
      if (question.type === 'DNSKEY') return Promise.resolve(signed([childKey.dnskey], childKey, ['192.0.2.9']));
      const reply = dsReplies.shift();
      if (!reply) throw new Error('more DS fetches than scripted');
      return Promise.resolve(reply);
    },
  });
  return { keys, calls, dsCalls: () => calls.filter((c) => c.question.endsWith(' DS')) };
}

describe('key chain: bogus DS fetched again from other servers', () => {
  it('a bogus cached copy, then a bogus server, then a good one: secure, each refetch avoiding the servers that lied', async () => {
    const { keys, dsCalls } = chain([
      signed([childDs], rootKey, [], true), // from the cache: which server sent it is unknown
      signed([childDs], rootKey, ['192.0.2.1'], true),
      signed([childDs], rootKey, ['192.0.2.2']),
    ]);
    const entry = await keys.forName('example', new ValidationBudget());
    expect(entry.status).toBe('secure');
    expect(dsCalls().map((c) => c.avoid)).toEqual([undefined, [], ['192.0.2.1']]);
  });

  it('bounded: after two refetches the DS is bogus (EDE from RFC 8914), however many servers remain', async () => {
    const { keys, dsCalls } = chain([
      signed([childDs], rootKey, ['192.0.2.1'], true),
      signed([childDs], rootKey, ['192.0.2.2'], true),
      signed([childDs], rootKey, ['192.0.2.3'], true),
      signed([childDs], rootKey, ['192.0.2.4']),
    ]);
    const entry = await keys.forName('example', new ValidationBudget());
    expect(entry.status).toBe('bogus');
    expect(dsCalls().map((c) => c.avoid)).toEqual([undefined, ['192.0.2.1'], ['192.0.2.1', '192.0.2.2']]);
  });

  it('a refetch that reaches no new server ends the retries', async () => {
    const { keys, dsCalls } = chain([
      signed([childDs], rootKey, ['192.0.2.1'], true),
      signed([childDs], rootKey, ['192.0.2.1'], true),
      signed([childDs], rootKey, ['192.0.2.2']),
    ]);
    expect((await keys.forName('example', new ValidationBudget())).status).toBe('bogus');
    expect(dsCalls()).toHaveLength(2);
  });
});
