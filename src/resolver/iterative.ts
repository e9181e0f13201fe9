// The iterative algorithm of RFC 1034 §5.3.3: start at the closest known zone
// cut, ask one of its servers, follow referrals down, follow CNAMEs across
// zones, until an answer, NXDOMAIN or NODATA. Every reply is scrubbed and
// classified before anything acts on it; every loop is charged to the Budget.
// No sockets and no clock reads of its own: the UpstreamClient and the
// injected Clock do that.

import type { Clock } from '../util/clock.js';
import type { Logger } from '../util/log.js';
import type { Question, ResourceRecord } from '../dns/message.js';
import { normalizeName, parentName, ROOT } from '../dns/name.js';
import { classify, refersUpward, type ResponseKind } from '../dns/classify.js';
import { outOfBailiwickGlue, scrub, type DnssecRecords } from '../dns/scrub.js';
import type { CachedAnswer, DnsCache } from '../cache/dns-cache.js';
import { Trust } from '../cache/trust.js';
import { Security, weakest } from '../cache/security.js';
import type { ServerInfra } from '../upstream/servers.js';
import { NetworkError, TimeoutError } from '../upstream/transport.js';
import type { UpstreamClient } from '../upstream/upstream-client.js';
import type { AddressPolicy } from './address-policy.js';
import type { ForwardZones } from './forward-zones.js';
import type { CacheWriter } from './cache-writer.js';
import { walkCache } from './cache-walk.js';
import type { ResolverOptions } from './options.js';
import { RootPriming } from './priming.js';
import { ResolutionError } from './resolution-error.js';
import { questionKey, type WalkContext } from './walk-context.js';
import { ZoneFailures } from './zone-failures.js';
import { addParentSide, cachedAddresses, cachedAddressesOf, closestCachedCut, parentSideAddressesOf, ZoneCut } from './zone-cut.js';
import { nextMinimisedName } from './qname-minimisation.js';
import { denialProof, isWildcardExpansion, sigsOver } from './dnssec-material.js';

/**
 * The outcome of a resolution; TTLs are what a client should be given.
 * `sigs`: the RRSIGs over `chain` and `records`; `proof`: what denies the
 * name or type (negative answers) or proves a wildcard expansion (answers),
 * RFC 4035 §3.1.3. Both empty when no server sent DNSSEC records.
 */
export type Resolution = (
  | { kind: 'answer'; chain: ResourceRecord[]; records: ResourceRecord[] }
  | { kind: 'nxdomain' | 'nodata'; chain: ResourceRecord[]; soa?: ResourceRecord }
  /** RFC 6672 §2.2: the chain's DNAME makes the name too long. */
  | { kind: 'yxdomain'; chain: ResourceRecord[] }
) & {
  /** The servers whose replies gave what came fresh from upstream (none for cache hits). */
  servers: string[];
  sigs: ResourceRecord[];
  proof: ResourceRecord[];
  /** The lowest validation status the cache held for the parts (Unchecked once anything came fresh from upstream). */
  security: Security;
};

/**
 * A reply worth acting on: lame and failing servers are dealt with while
 * asking. A referral may carry glue from outside the bailiwick, for this
 * delegation only (see outOfBailiwickGlue).
 */
type Usable = (
  | Exclude<ResponseKind, { kind: 'lame' } | { kind: 'servfail' } | { kind: 'empty' } | { kind: 'referral' }>
  | (Extract<ResponseKind, { kind: 'referral' }> & { unsafeGlue?: ResourceRecord[] })
) & { dnssec: DnssecRecords; server?: string };

const NO_DNSSEC: DnssecRecords = Object.freeze({ sigs: [], denial: [], ds: [] }) as DnssecRecords;

/** What one minimised query taught (IterativeResolver.minimisedStep). */
type MinimisedStep =
  | { kind: 'cut'; cut: ZoneCut }
  | { kind: 'no-cut' }
  | { kind: 'nxdomain'; soa?: ResourceRecord; proof?: ResourceRecord[] }
  | { kind: 'give-up'; reason: string };

/** The end of one walk down the tree, already cached; `sigs` and `proof` as in Resolution, `server` the one that gave it. */
type WalkEnd = { server?: string } & (
  | { kind: 'answer'; chain: ResourceRecord[]; records: ResourceRecord[]; sigs: ResourceRecord[]; proof: ResourceRecord[] }
  | { kind: 'cname'; chain: ResourceRecord[]; target: string; sigs: ResourceRecord[]; proof: ResourceRecord[] }
  | { kind: 'nxdomain' | 'nodata'; chain: ResourceRecord[]; soa?: ResourceRecord; sigs: ResourceRecord[]; proof: ResourceRecord[] }
  | { kind: 'yxdomain'; chain: ResourceRecord[]; sigs: ResourceRecord[] });

export interface IterativeDeps {
  cache: DnsCache;
  writer: CacheWriter;
  client: UpstreamClient;
  infra: ServerInfra;
  policy: AddressPolicy;
  options: ResolverOptions;
  forwardZones: ForwardZones;
  clock: Clock;
  logger: Logger;
}

export class IterativeResolver {
  private readonly priming: RootPriming;
  /** Address types to look up for servers that came without glue. */
  private readonly addressTypes: string[];

  constructor(private readonly deps: IterativeDeps) {
    const { options, policy, writer, clock, logger } = deps;
    this.priming = new RootPriming({
      hints: options.rootHints, policy, writer, budget: options.budget, clock, logger,
      ask: (cut, question, ctx) => this.ask(cut, question, ctx),
    });
    this.addressTypes = [...(options.ipv4Upstream ? ['A'] : []), ...(options.ipv6Upstream ? ['AAAA'] : [])];
  }

  /** Primes the root NS set (RFC 8109); never rejects. */
  async prime(): Promise<void> {
    // A forward or stub zone "." replaces the root servers: never ask them.
    if (this.deps.forwardZones.coversRoot()) return;
    await this.priming.prime();
  }

  /**
   * Resolves `question`, from the cache where it can. Throws ResolutionError
   * or BudgetExceededError when no answer can be had.
   */
  async resolve(question: Question, ctx: WalkContext, refresh = false): Promise<Resolution> {
    const { type, class: klass } = question;
    const chain: ResourceRecord[] = [];
    const sigs: ResourceRecord[] = [];
    /** Wildcard proofs of the chain's links (RFC 4035 §5.3.4), then the final part's proof. */
    const proofs: ResourceRecord[] = [];
    const servers: string[] = [];
    let security: Security = Security.Secure;
    const seen = new Set<string>();
    let name = normalizeName(question.name);
    seen.add(name);
    // RFC 1034 §3.6.2: follow CNAMEs, but a chain may not loop or run on for ever.
    const follow = (aliases: readonly ResourceRecord[]): void => {
      for (const rr of aliases) {
        // RFC 2181 §5: a DNAME applied twice (x. DNAME . for a.x.x) is given once.
        if (rr.type === 'DNAME' && chain.some((c) => c.type === 'DNAME' && c.name === rr.name && c.data === rr.data)) continue;
        chain.push(rr);
        // A DNAME travels with the CNAME synthesised from it (RFC 6672 §3.4), which is the hop.
        if (rr.type !== 'CNAME') continue;
        ctx.budget.spendCnameHop();
        const target = rr.data as string;
        if (seen.has(target)) {
          // RFC 1034 §3.6.2: a loop is an error.
          const loop = new ResolutionError(`CNAME loop at ${target}`);
          loop.chain = [...chain];
          throw loop;
        }
        seen.add(target);
      }
    };

    for (;;) {
      // `refresh`: the caller (the validator) found the cached copy of the
      // question's own data unusable, e.g. stored without its RRSIGs.
      if (!refresh) {
        const cached = walkCache(this.deps.cache, name, type, klass, this.deps.options.budget.maxCnameHops, true);
        follow(cached.chain);
        sigs.push(...cached.sigs);
        proofs.push(...cached.proof);
        security = weakest(security, cached.security);
        name = cached.name;
        if (cached.answer) return { ...fromCache(chain, sigs, proofs, cached.answer, security), servers };
      }
      refresh = false;
      security = Security.Unchecked;

      const end = await this.walk({ name, type, class: klass }, ctx);
      follow(end.chain);
      sigs.push(...end.sigs);
      if (end.kind !== 'yxdomain') proofs.push(...end.proof);
      if (end.server !== undefined) servers.push(end.server);
      switch (end.kind) {
        case 'answer':
          return { kind: 'answer', chain, records: end.records, sigs, proof: proofs, security, servers };
        case 'nxdomain':
        case 'nodata':
          return { kind: end.kind, chain, soa: end.soa, sigs, proof: proofs, security, servers };
        case 'yxdomain':
          return { kind: 'yxdomain', chain, sigs, proof: proofs, security, servers };
        case 'cname':
          name = end.target;
          break;
        default:
          return assertNever(end);
      }
    }
  }

  /**
   * RFC 1034 §5.3.3 steps 2-4 for one name: from the closest cut down to the
   * zone that answers. With QNAME minimisation (RFC 9156) the servers of each
   * cut are first asked only where the next cut is (see minimisedStep).
   */
  private async walk(question: Question, ctx: WalkContext): Promise<WalkEnd> {
    const { writer, options } = this.deps;
    const qname = normalizeName(question.name);
    // Minimised queries never name `qname` itself, so a DS question (which
    // lives at the parent side of a cut, RFC 4035 §3.1.4.1) is only
    // minimised down to the parent, as it must be.
    const target = qname;
    let cut = await this.startingCut(question, ctx);
    let minimise = options.qnameMinimisation;
    /** The deepest name known to be inside `cut`'s zone or its cut itself. */
    let known = cut.zone;
    let steps = 0;
    let retriedAbove = false;
    for (;;) {
      // A forwarder recurses for us: it gets the real question (RFC 9156 is about authoritative servers).
      const next = minimise && !cut.forwarded ? nextMinimisedName(target, known, steps) : undefined;
      if (next !== undefined) {
        steps++;
        const step = await this.minimisedStep(cut, next, question.class, ctx);
        switch (step.kind) {
          case 'cut':
            cut = step.cut;
            known = cut.zone;
            break;
          case 'no-cut':
            known = next;
            break;
          case 'nxdomain':
            // RFC 8020: nothing exists below a name that does not exist.
            if (step.soa) this.deps.cache.putNegative('nxdomain', qname, question.type, question.class, step.soa, Trust.Answer, step.proof);
            return { kind: 'nxdomain', chain: [], soa: step.soa, sigs: [], proof: step.proof ?? [] };
          case 'give-up':
            // RFC 9156 §2.3 relaxed mode: a server that answers a minimised
            // query badly gets the full question instead.
            this.debug(question, `QNAME minimisation off for this query: ${step.reason}`);
            minimise = false;
            break;
          default:
            return assertNever(step);
        }
        continue;
      }

      let reply: Usable;
      try {
        reply = await this.ask(cut, question, ctx);
      } catch (err) {
        // Every server of a delegation we only had from the cache failed:
        // its addresses may have expired or the delegation moved. Ask the
        // zone above again, once per walk (as Unbound does when a cached
        // delegation point turns out useless).
        if (!(err instanceof ResolutionError) || !cut.fromCache || cut.zone === ROOT || retriedAbove) throw err;
        retriedAbove = true;
        this.debug(question, `every server of the cached delegation ${cut.zone} failed; asking its parent side again`);
        cut = await this.cutAbove(cut.zone, question.class, ctx);
        known = cut.zone;
        continue;
      }
      switch (reply.kind) {
        case 'referral':
          ctx.budget.spendReferral();
          cut = this.descend(cut, reply, question);
          known = cut.zone;
          break;
        case 'answer': {
          const trust = reply.authoritative ? Trust.Answer : Trust.NonAuthAnswer;
          const { dnssec } = reply;
          // Only an authoritative server may tell us its zone's NS set and
          // addresses: a non-authoritative answer's authority section could
          // otherwise replace the delegation (Deckard iter_ns_spoof).
          if (reply.authoritative) {
            writer.rrsets(reply.zoneNs, Trust.Authority, dnssec);
            writer.rrsets(reply.glue, Trust.Glue);
          }
          const chain = writer.rrsets(reply.chain, trust, dnssec);
          const records = writer.rrsets(reply.records, trust, dnssec);
          const sigs = sigsOver([...chain, ...records], dnssec.sigs);
          // Only a wildcard expansion needs the NSECs beside it (RFC 4035 §3.1.3.3); others would only swell the response.
          return { kind: 'answer', chain, records, sigs, proof: sigs.some(isWildcardExpansion) ? denialProof(undefined, dnssec) : [], server: reply.server };
        }
        case 'cname': {
          const chain = writer.rrsets(reply.chain, reply.authoritative ? Trust.Answer : Trust.NonAuthAnswer, reply.dnssec);
          const sigs = sigsOver(chain, reply.dnssec.sigs);
          return { kind: 'cname', chain, target: reply.target, sigs, proof: sigs.some(isWildcardExpansion) ? denialProof(undefined, reply.dnssec) : [], server: reply.server };
        }
        case 'nxdomain':
        case 'nodata': {
          const trust = reply.authoritative ? Trust.Answer : Trust.NonAuthAnswer;
          const { dnssec } = reply;
          const chain = writer.rrsets(reply.chain, trust, dnssec);
          const proof = denialProof(reply.soa, dnssec);
          const soa = writer.negative(reply.kind, reply.name, question.type, question.class, reply.soa, trust, proof);
          return { kind: reply.kind, chain, soa, sigs: sigsOver(chain, dnssec.sigs), proof, server: reply.server };
        }
        case 'yxdomain':
          return { kind: 'yxdomain', chain: reply.chain, sigs: sigsOver(reply.chain, reply.dnssec.sigs) };
        default:
          return assertNever(reply);
      }
    }
  }

  /**
   * Follows a referral from `from`: the parent's copy of the child's NS set
   * and glue rank lowest (RFC 2181 §5.4.1) and are kept as the parent side's
   * too; cached, they let the next query start there.
   */
  private descend(from: ZoneCut, reply: Extract<Usable, { kind: 'referral' }>, question: Question): ZoneCut {
    const { writer, cache, policy } = this.deps;
    // The parent's DS for the child (RFC 4035 §3.1.4): authoritative data
    // of the parent, sent without AA; the validator checks it like any answer.
    if (reply.dnssec.ds.length > 0) writer.rrsets(reply.dnssec.ds, Trust.NonAuthAnswer, reply.dnssec);
    else if (reply.dnssec.denial.length > 0) cache.putDelegationProof(reply.zone, question.class, denialProof(undefined, reply.dnssec));
    const ns = writer.rrsets(reply.ns, Trust.Glue);
    const glue = writer.rrsets(reply.glue, Trust.Glue);
    writer.parentSide(reply.ns);
    writer.parentSide(reply.glue);
    this.debug(question, `referral from ${from.zone} to ${reply.zone}`);
    const cut = ZoneCut.fromRecords(reply.zone, ns, [...glue, ...cachedAddresses(cache, ns, question.class)], policy);
    cut.addFallbackAddresses(glue, policy);
    if (reply.unsafeGlue) cut.addFallbackAddresses(reply.unsafeGlue, policy);
    return cut;
  }

  /**
   * One minimised query (RFC 9156 §3): `next NS` to the servers of `cut`.
   * A referral or the NS set of `next` is a new cut; NODATA means `next` is
   * inside the zone (an empty non-terminal or a name without NS); an
   * authoritative NXDOMAIN ends the resolution (RFC 8020). Anything else,
   * or no usable reply at all, gives up minimising for this query. What the
   * cache already says about `next` saves the query.
   */
  private async minimisedStep(cut: ZoneCut, next: string, klass: string, ctx: WalkContext): Promise<MinimisedStep> {
    const { cache, writer, policy } = this.deps;
    const question: Question = { name: next, type: 'NS', class: klass };
    const cached = cache.lookup(next, 'NS', klass, true);
    if (cached?.kind === 'nodata') return { kind: 'no-cut' };
    if (cached?.kind === 'nxdomain') return { kind: 'nxdomain', soa: cached.soa, proof: cached.proof };

    let reply: Usable;
    try {
      reply = await this.ask(cut, question, ctx);
    } catch (err) {
      if (!(err instanceof ResolutionError)) throw err;
      return { kind: 'give-up', reason: err.message };
    }
    switch (reply.kind) {
      case 'referral':
        ctx.budget.spendReferral();
        return { kind: 'cut', cut: this.descend(cut, reply, question) };
      case 'answer': {
        const ns = reply.records.filter((rr) => rr.type === 'NS' && rr.name === next);
        if (reply.chain.length > 0 || ns.length === 0) return { kind: 'give-up', reason: `unexpected answer to ${next} NS` };
        const kept = writer.rrsets(ns, reply.authoritative ? Trust.Answer : Trust.NonAuthAnswer, reply.dnssec);
        const glue = writer.rrsets(reply.glue, Trust.Glue);
        const found = ZoneCut.fromRecords(next, kept, [...glue, ...cachedAddresses(cache, kept, klass)], policy);
        addParentSide(found, cache, next, klass, policy);
        this.debug(question, `zone cut at ${next}, served by the servers of ${cut.zone} too`);
        return { kind: 'cut', cut: found };
      }
      case 'nodata':
        if (reply.chain.length > 0) return { kind: 'give-up', reason: `CNAME at ${next}` };
        writer.negative('nodata', next, 'NS', klass, reply.soa, reply.authoritative ? Trust.Answer : Trust.NonAuthAnswer, denialProof(reply.soa, reply.dnssec));
        return { kind: 'no-cut' };
      case 'nxdomain': {
        if (!reply.authoritative || reply.chain.length > 0) return { kind: 'give-up', reason: `non-authoritative NXDOMAIN for ${next}` };
        const proof = denialProof(reply.soa, reply.dnssec);
        const soa = writer.negative('nxdomain', next, 'NS', klass, reply.soa, Trust.Answer, proof);
        return { kind: 'nxdomain', soa, proof };
      }
      case 'cname':
      case 'yxdomain':
        return { kind: 'give-up', reason: `alias at ${next}` };
      default:
        return assertNever(reply);
    }
  }

  /** Where to start over when the cached cut at `zone` failed: the cut above it. */
  private cutAbove(zone: string, klass: string, ctx: WalkContext): Promise<ZoneCut> {
    return this.cutFor(parentName(zone), 'NS', klass, ctx);
  }

  /** RFC 1034 §5.3.3 step 2, where a walk for `question` starts. */
  private startingCut(question: Question, ctx: WalkContext): Promise<ZoneCut> {
    return this.cutFor(question.name, question.type, question.class, ctx);
  }

  /**
   * A configured forward or stub zone's servers (./forward-zones.ts
   * decides), else the deepest cached cut, else the root (primed, else
   * hints). DS starts one label up (closestCachedCut, ForwardZones).
   */
  private async cutFor(name: string, type: string, klass: string, ctx: WalkContext): Promise<ZoneCut> {
    const { cache, policy, options, forwardZones } = this.deps;
    const cached = closestCachedCut(cache, name, type, klass, policy);
    const configured = forwardZones.startingCut(name, type, cached?.zone);
    if (configured) return configured;
    const cut = cached ?? await this.priming.rootCut(ctx);
    // Root servers the cache has no address for still have the hints' addresses.
    if (cut.zone === ROOT) cut.addAddresses(options.rootHints.addresses.filter((rr) => !cut.hasAddresses(rr.name)), policy);
    return cut;
  }

  /**
   * Asks the servers of `cut` until one gives a usable reply, best servers
   * first (ServerInfra.choose): a lame server is remembered and comes last
   * for this zone, a useless reply moves on to the next server, a timeout
   * gets one retry with a longer timeout. When no server with an address is
   * left, the addresses of servers that came without glue are looked up
   * (RFC 1034 §5.3.3 step 2, "glueless delegations").
   */
  private async ask(cut: ZoneCut, question: Question, ctx: WalkContext): Promise<Usable> {
    const { client, infra } = this.deps;
    // Servers that sent this question bogus data sit out while others (glueless ones looked up included) are left.
    let avoided = ctx.avoid === undefined ? [] : [...ctx.avoid];
    const done = new Set<string>(avoided);
    const timedOut = new Set<string>();
    const lookedUp = new Set<string>();
    const failures = new ZoneFailures();
    /** A server answered NOERROR with nothing in it: NODATA if no server says more. */
    let empty = false;
    let attempt = 0;
    for (;;) {
      ctx.budget.checkTime();
      let address = infra.choose(cut.addresses(), cut.zone, done);
      if (address === undefined) {
        const glueless = cut.nsNames.find((name) => !cut.hasAddresses(name) && !lookedUp.has(name));
        if (glueless !== undefined) {
          lookedUp.add(glueless);
          await this.lookUpServer(cut, glueless, ctx);
          continue;
        }
        // Last resort: the parent's glue for servers whose own zone gave other addresses.
        address = infra.choose(cut.fallbackAddresses(), cut.zone, done);
        if (address === undefined && avoided.length > 0) {
          // Nobody else: the servers that sent bogus data get their turn again.
          for (const a of avoided) done.delete(a);
          avoided = [];
          continue;
        }
        if (address === undefined) {
          if (empty) return { kind: 'nodata', chain: [], name: normalizeName(question.name), authoritative: false, dnssec: NO_DNSSEC };
          throw new ResolutionError(noServerLeft(cut, infra), failures.ede(cut.zone, cut.addresses()));
        }
        this.debug(question, `trying ${address}, the parent side's address for a server of ${cut.zone}`);
      }

      let raw;
      try {
        raw = await client.query(address, question, ctx.budget, attempt, cut.forwarded);
      } catch (err) {
        if (!(err instanceof TimeoutError || err instanceof NetworkError)) throw err;
        this.debug(question, `${address} (${cut.zone}): ${err.message}`);
        failures.exchangeFailed(address, err);
        attempt++;
        // One retry per server and zone query.
        if (timedOut.has(address)) done.add(address);
        timedOut.add(address);
        continue;
      }
      done.add(address);

      const scrubbed = refersUpward(raw, cut.zone) ? undefined : scrub(raw, question, cut.zone);
      const reply = scrubbed === undefined
        ? { kind: 'lame' as const, reason: 'referral to the zone itself or above it' }
        : classify(scrubbed, question, cut.zone, { recursive: cut.forwarded });
      const dnssec = scrubbed?.dnssec ?? NO_DNSSEC;
      switch (reply.kind) {
        case 'lame':
          infra.markLame(address, cut.zone);
          failures.replied(address, reply.reason);
          this.debug(question, `${address} is lame for ${cut.zone}: ${reply.reason}`);
          break;
        case 'empty':
          empty = true;
          failures.replied(address, reply.reason);
          this.debug(question, `${address} said nothing for ${cut.zone}: ${reply.reason}`);
          break;
        case 'servfail':
          failures.replied(address, reply.reason);
          this.debug(question, `${address} failed for ${cut.zone}: ${reply.reason}`);
          break;
        case 'referral':
          return { ...reply, dnssec, unsafeGlue: outOfBailiwickGlue(raw, new Set(reply.ns.map((rr) => rr.data as string)), cut.zone, question.class) };
        default:
          return { ...reply, dnssec, server: address };
      }
    }
  }

  /** Resolves the addresses of server `nsName` of `cut` with sub-queries sharing the client's budget. */
  private async lookUpServer(cut: ZoneCut, nsName: string, ctx: WalkContext): Promise<void> {
    const depth = ctx.depth + 1;
    const { cache, policy } = this.deps;
    // Addresses learnt since the cut was made (glue from another referral,
    // say) count: a server's own zone may be broken where its parent's glue
    // is right (as Unbound, which takes glue for targets from its cache).
    const addCached = (): boolean => {
      cut.addAddresses(cachedAddressesOf(cache, nsName, 'IN'), policy);
      cut.addFallbackAddresses(parentSideAddressesOf(cache, nsName, 'IN'), policy);
      return cut.hasAddresses(nsName);
    };
    if (addCached()) return;
    for (const type of this.addressTypes) {
      const key = questionKey(nsName, type, 'IN');
      if (ctx.pending.has(key)) {
        this.debug({ name: nsName, type, class: 'IN' }, `dependency loop for a server of ${cut.zone}`);
        continue;
      }
      ctx.budget.spendGlueless(depth);
      try {
        const found = await this.resolve({ name: nsName, type, class: 'IN' }, { budget: ctx.budget, depth, pending: new Set([...ctx.pending, key]) });
        // A server name should not be an alias (RFC 2181 §10.3); tolerate it.
        if (found.kind === 'answer') cut.addAddresses(found.records.map((rr) => ({ ...rr, name: nsName })), policy);
      } catch (err) {
        if (!(err instanceof ResolutionError)) throw err;
        this.debug({ name: nsName, type, class: 'IN' }, `no address for a server of ${cut.zone}: ${err.message}`);
      }
      if (addCached()) return;
    }
  }

  private debug(question: Question, message: string): void {
    const { logger } = this.deps;
    if (logger.isLevelEnabled('debug')) logger.debug({ qname: question.name, qtype: question.type }, message);
  }
}

/** Why no server of `cut` could answer, for the log (the client gets ZoneFailures.ede). */
function noServerLeft(cut: ZoneCut, infra: ServerInfra): string {
  const silent = cut.addresses().filter((a) => infra.isUnresponsive(a));
  const probing = silent.length > 0 ? `; ${silent.join(', ')} unresponsive, probed now and then` : '';
  return `no usable server left for zone ${cut.zone}${probing}`;
}

function fromCache(chain: ResourceRecord[], sigs: ResourceRecord[], proofs: ResourceRecord[], answer: CachedAnswer,
  chainSecurity: Security): Resolution {
  const security = weakest(chainSecurity, answer.security);
  const proof = answer.proof ? [...proofs, ...answer.proof] : proofs;
  return answer.kind === 'rrset'
    ? { kind: 'answer', chain, records: answer.records, sigs: answer.sigs ? [...sigs, ...answer.sigs] : sigs, proof, security, servers: [] }
    : { kind: answer.kind, chain, soa: answer.soa, sigs, proof, security, servers: [] };
}

function assertNever(value: never): never {
  throw new Error(`unhandled case ${JSON.stringify(value)}`);
}
