// RFC 8509, the root key trust anchor sentinel: which secure answers become
// SERVFAIL, and that the validator judges cached answers and CD=1 queries
// as the RFC says.

import { describe, expect, it } from 'vitest';
import { RCode, type Question } from '../../src/dns/message.js';
import { Security } from '../../src/cache/security.js';
import { DnsCache } from '../../src/cache/dns-cache.js';
import { ManualClock } from '../../src/util/clock.js';
import { silentLogger } from '../../src/util/log.js';
import { TrustAnchors } from '../../src/dnssec/anchors.js';
import { parseTrustAnchors } from '../../src/dnssec/trust-anchors.js';
import { applySentinel, rootAnchorKeyTags, sentinelQuery } from '../../src/dnssec/key-sentinel.js';
import { ValidatingRecursor } from '../../src/dnssec/validating-recursor.js';
import { resolverOptions } from '../../src/resolver/options.js';
import type { RecursionOptions, RecursionResult } from '../../src/resolver/recursor.js';
import { rr } from '../fakes/records.js';

// The root's two KSK DS records (tags 20326, 38696), a DNSKEY anchor for the
// root (its tag is computed) and a DS anchor for another zone, which RFC 8509 ignores.
const ANCHORS = new TrustAnchors(parseTrustAnchors(`
. IN DS 20326 8 2 E06D44B80B8F1D39A95C0B0D7C65D08458E880409BBC683457104237C7F8EC8D
. IN DS 38696 8 2 683D2D0ACB8C9B712A1948B27F741219298D0A450D612C483AF444A4C0FB2B16
. IN DNSKEY 257 3 13 mdsswUyr3DPW132mOi8V9xESWE8jTo0dxCjjnopKl+GqJxpVXckHAeF+KkxLbxILfDLUT0rAK9iUzy1L53eKGQ==
example. IN DS 4759 8 2 3384CAE149834F17054DD9150E8C33D3979C4092F5C1B8D35E17A3C36A83810F
`, 'test'));

const q = (name: string, type = 'A'): Question => ({ name, type, class: 'IN' });
const secure: RecursionResult = { rcode: RCode.NOERROR, answers: [rr('x.test. 60 IN A 192.0.2.1')], authorities: [], security: Security.Secure };

describe('RFC 8509 key sentinel labels', () => {
  it('§2: is-ta and not-ta labels with a five-digit decimal tag, any case, A and AAAA only', () => {
    expect(sentinelQuery(q('root-key-sentinel-is-ta-20326.example.'))).toEqual({ claimsTrusted: true, keyTag: 20326 });
    expect(sentinelQuery(q('ROOT-KEY-SENTINEL-NOT-TA-00042.example', 'AAAA'))).toEqual({ claimsTrusted: false, keyTag: 42 });
    expect(sentinelQuery(q('root-key-sentinel-is-ta-20326', 'A'))).toEqual({ claimsTrusted: true, keyTag: 20326 });
    for (const name of ['root-key-sentinel-is-ta-2032.example', 'root-key-sentinel-is-ta-203260.example', 'root-key-sentinel-is-ta-99999.example',
      'x.root-key-sentinel-is-ta-20326.example', 'root-key-sentinel-maybe-ta-20326.example', 'www.example']) {
      expect(sentinelQuery(q(name)), name).toBeUndefined();
    }
    expect(sentinelQuery(q('root-key-sentinel-is-ta-20326.example', 'TXT'))).toBeUndefined();
  });

  it('§3.2: the root anchors\' tags count, DS tags as written and DNSKEY tags as computed; other zones\' anchors do not', () => {
    const tags = rootAnchorKeyTags(ANCHORS);
    expect(tags.has(20326)).toBe(true);
    expect(tags.has(38696)).toBe(true);
    expect(tags.has(4759)).toBe(false);
    expect(tags.size).toBe(3);
  });

  it('§3.2: a secure answer stands when the claim is true and is SERVFAIL (no AD, no EDE) when it is false', () => {
    const tags = rootAnchorKeyTags(ANCHORS);
    expect(applySentinel({ claimsTrusted: true, keyTag: 20326 }, secure, tags)).toBe(secure);
    expect(applySentinel({ claimsTrusted: false, keyTag: 4759 }, secure, tags)).toBe(secure);
    for (const wrong of [{ claimsTrusted: false, keyTag: 20326 }, { claimsTrusted: true, keyTag: 4759 }]) {
      const result = applySentinel(wrong, secure, tags);
      expect(result.rcode).toBe(RCode.SERVFAIL);
      expect(result.security).toBeUndefined();
      expect(result.ede).toBeUndefined();
    }
  });

  it('§3.1: an answer that is not secure is never judged', () => {
    const insecure = { ...secure, security: Security.Insecure };
    expect(applySentinel({ claimsTrusted: true, keyTag: 1 }, insecure, rootAnchorKeyTags(ANCHORS))).toBe(insecure);
  });
});

describe('the validator applies the sentinel', () => {
  // An inner recursor whose cache holds a secure answer for every name: the
  // validator's hot path, the one a second query takes.
  function validator() {
    const clock = new ManualClock();
    const asked: string[] = [];
    const answer = (question: Question): RecursionResult => ({ ...secure, answers: [rr(`${question.name} 60 IN A 192.0.2.1`)] });
    const inner = {
      cached: (question: Question) => { asked.push(question.name); return answer(question); },
      resolve: (question: Question) => Promise.resolve(answer(question)),
    };
    const cache = new DnsCache(resolverOptions({}).cache, clock);
    return new ValidatingRecursor({ inner, cache, anchors: ANCHORS, clock, logger: silentLogger });
  }
  const plain: RecursionOptions = { cacheOnly: false };

  it('on cached secure answers: not-ta for a trusted tag is SERVFAIL, is-ta answers', async () => {
    const v = validator();
    expect((await v.resolve(q('root-key-sentinel-not-ta-38696.test'), plain)).rcode).toBe(RCode.SERVFAIL);
    expect((await v.resolve(q('root-key-sentinel-is-ta-38696.test'), plain)).rcode).toBe(RCode.NOERROR);
    expect((await v.resolve(q('root-key-sentinel-is-ta-00000.test', 'AAAA'), plain)).rcode).toBe(RCode.SERVFAIL);
    expect((await v.resolve(q('root-key-sentinel-not-ta-00000.test', 'AAAA'), plain)).rcode).toBe(RCode.NOERROR);
  });

  it('RFC 8509 §3.2 with CD=1: the client validates for itself, so the answer is given as it is', async () => {
    const result = await validator().resolve(q('root-key-sentinel-not-ta-38696.test'), { ...plain, checkingDisabled: true });
    expect(result.rcode).toBe(RCode.NOERROR);
    expect(result.answers).toHaveLength(1);
  });
});
