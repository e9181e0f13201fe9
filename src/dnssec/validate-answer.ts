// Validates one answer as the caching recursor returns it (RFC 4035 §5):
// every RRset of the answer section against the keys of the zone that signed
// it, and a negative answer's or a wildcard expansion's NSEC/NSEC3 proof.
// The verdict is per part (each is a cache entry that keeps its status) and
// for the whole: the weakest part.

import type { ExtendedError } from '../dns/ede.js';
import { EdeCode } from '../dns/ede.js';
import { groupRRsets, RCode, type Question, type ResourceRecord } from '../dns/message.js';
import { isSubdomain, normalizeName, parentName, replaceSuffix } from '../dns/name.js';
import { typeCovered } from '../dns/scrub.js';
import type { EntryRef } from '../cache/dns-cache.js';
import { Security, weakest } from '../cache/security.js';
import type { RecursionResult } from '../resolver/recursor.js';
import type { ValidationBudget } from '../resolver/budget.js';
import { proveNodata, proveNxdomain, proveWildcardAnswer } from './denial.js';
import { parseRrsig } from './dnssec-rdata.js';
import type { KeyChain, KeyEntry } from './key-chain.js';
import { bogusEde, verifiedProof } from './verdicts.js';
import { verifyRrset, type SignatureContext } from './verify-rrsig.js';
import type { AggressiveNsec } from './aggressive-nsec.js';

export interface PartVerdict {
  ref: EntryRef;
  security: Security;
  /** Seconds the verdict holds (signature expiry, RFC 4035 §5.3.3); undefined: as long as the data. */
  ttl?: number;
}

export interface AnswerVerdict {
  security: Security;
  /** For bogus answers: what the client is told (RFC 8914). */
  ede?: ExtendedError;
  /** For bogus answers: the zone at fault and why, for the log. */
  zone?: string;
  reason?: string;
  parts: PartVerdict[];
  /**
   * A part had no RRSIG in a signed zone. The cached copy may have been
   * stored without its signatures (from the authority section of another
   * reply): the caller fetches the question again before calling it bogus.
   */
  missingSignatures: boolean;
}

interface Bogus { ede: ExtendedError; zone: string; reason: string }

export interface AnswerValidatorDeps {
  keys: KeyChain;
  /** Seconds since the epoch. */
  now: () => number;
  /** Where secure NSEC denials are kept for RFC 8198 synthesis. */
  aggressive?: AggressiveNsec;
}

export async function validateAnswer(question: Question, result: RecursionResult, deps: AnswerValidatorDeps,
  budget: ValidationBudget): Promise<AnswerVerdict> {
  const ctx: SignatureContext = { now: deps.now(), chargeVerification: () => budget.chargeVerification() };
  const parts: PartVerdict[] = [];
  let security: Security = Security.Secure;
  let bogus: Bogus | undefined;
  let missingSignatures = false;
  const note = (part: PartVerdict, why?: Bogus): void => {
    parts.push(part);
    security = weakest(security, part.security);
    if (why && !bogus) bogus = why;
  };

  const klass = question.class;
  const sigs = result.signatures ?? [];
  const proof = result.proof ?? [];
  const sets = groupRRsets(result.answers.filter((rr) => rr.type !== 'RRSIG'));
  const dnames = new Map<string, { target: string; security: Security }>();

  for (const set of sets) {
    const { name, type } = set[0];
    const ref: EntryRef = { kind: 'rrset', name, type, class: klass };
    // RFC 6672 §5.3.2: a CNAME synthesised from a DNAME is unsigned; it is
    // as good as the DNAME it follows from (scrub made it, so it does).
    if (type === 'CNAME') {
      const from = synthesisedBy(name, set[0].data as string, dnames);
      if (from !== undefined) {
        note({ ref, security: from });
        continue;
      }
    }
    const own = sigs.filter((s) => s.name === name && typeCovered(s) === type);
    const verdict = await validateRrset(set, own, proof, deps.keys, ctx, budget);
    if (verdict.missing) missingSignatures = true;
    note({ ref, security: verdict.security, ttl: verdict.ttl }, verdict.bogus);
    if (type === 'DNAME') dnames.set(name, { target: set[0].data as string, security: verdict.security });
  }

  const denied = deniedPart(question, result);
  if (denied !== undefined) {
    const verdict = await validateDenial(denied, question.type, result, proof, deps, ctx, budget);
    if (verdict.missing) missingSignatures = true;
    note({ ref: denied, security: verdict.security, ttl: verdict.ttl }, verdict.bogus);
  }
  // Nothing to check (an empty answer to ANY, say) proves nothing: never AD.
  if (parts.length === 0) security = Security.Insecure;
  return { security, ede: bogus?.ede, zone: bogus?.zone, reason: bogus?.reason, parts, missingSignatures };
}

interface PartOutcome { security: Security; ttl?: number; bogus?: Bogus; missing?: boolean }

async function validateRrset(set: ResourceRecord[], sigs: ResourceRecord[], proof: readonly ResourceRecord[], keys: KeyChain,
  ctx: SignatureContext, budget: ValidationBudget): Promise<PartOutcome> {
  const { name, type } = set[0];
  if (sigs.length === 0) {
    // A DS lives on the parent side of its cut (RFC 4035 §5.2): its zone is the parent's.
    const entry = await keys.forName(type === 'DS' ? parentName(name) : name, budget);
    if (entry.status === 'insecure') return { security: Security.Insecure };
    if (entry.status === 'bogus') return { security: Security.Bogus, bogus: fromEntry(entry) };
    return {
      security: Security.Bogus, missing: true,
      bogus: { zone: entry.zone, reason: `${type} ${name} has no RRSIG in signed zone ${entry.zone}`, ede: { code: EdeCode.RrsigsMissing, text: `no RRSIG for ${name} ${type}` } },
    };
  }
  const signer = signerOf(sigs, name);
  if (signer === undefined) {
    return { security: Security.Bogus, bogus: { zone: name, reason: `RRSIGs of ${name} ${type} name a signer outside its bailiwick`, ede: { code: EdeCode.DnssecBogus, text: `bad signer for ${name} ${type}` } } };
  }
  const entry = await keys.forName(signer, budget);
  if (entry.status === 'insecure') return { security: Security.Insecure };
  if (entry.status === 'bogus') return { security: Security.Bogus, bogus: fromEntry(entry) };
  if (entry.zone !== signer) {
    return {
      security: Security.Bogus,
      bogus: { zone: signer, reason: `${signer} signed ${name} ${type} but is no signed zone below ${entry.zone}`, ede: { code: EdeCode.DnskeyMissing, text: `no DNSKEY for signer ${signer}` } },
    };
  }
  const verdict = verifyRrset(set, sigs, signer, entry.keys, ctx);
  if (!verdict.ok) {
    return { security: Security.Bogus, bogus: { zone: signer, reason: `${name} ${type}: ${verdict.text}`, ede: bogusEde(verdict.reason, `${name} ${type}: ${verdict.text}`) } };
  }
  if (verdict.wildcardEncloser !== undefined) {
    // RFC 4035 §5.3.4: an expanded wildcard needs proof that no closer name exists.
    const verified = verifiedProof(proof, signer, entry.keys, ctx);
    const shown = proveWildcardAnswer(name, verdict.wildcardEncloser, verified.records, signer, { chargeHash: () => budget.chargeHash() });
    if (shown.status === 'insecure') return { security: Security.Insecure };
    if (shown.status === 'bogus') {
      return {
        security: Security.Bogus,
        bogus: { zone: signer, reason: `wildcard answer for ${name} without proof that ${name} does not exist: ${verified.problem ?? shown.reason}`, ede: { code: EdeCode.NsecMissing, text: `no proof for the wildcard expansion at ${name}` } },
      };
    }
  }
  return { security: Security.Secure, ttl: verdict.ttl };
}

/**
 * The negative part of an answer, if any: NXDOMAIN for the chain's last
 * name, or NODATA (NOERROR, the chain ending without the asked type).
 */
function deniedPart(question: Question, result: RecursionResult): EntryRef | undefined {
  const last = lastName(normalizeName(question.name), result.answers, question.type);
  if (result.rcode === RCode.NXDOMAIN) return { kind: 'nxdomain', name: last, type: question.type, class: question.class };
  if (result.rcode !== RCode.NOERROR || question.type === 'ANY') return undefined;
  const answered = result.answers.some((rr) => rr.name === last && rr.type === question.type);
  // A NODATA without SOA is still a denial to prove: a signed zone sends the SOA and its NSECs.
  if (answered) return undefined;
  return { kind: 'nodata', name: last, type: question.type, class: question.class };
}

async function validateDenial(ref: EntryRef, qtype: string, result: RecursionResult, proof: readonly ResourceRecord[],
  deps: AnswerValidatorDeps, ctx: SignatureContext, budget: ValidationBudget): Promise<PartOutcome> {
  const soa = result.authorities.find((rr) => rr.type === 'SOA');
  const zone = soa?.name ?? ref.name;
  const entry = await deps.keys.forName(zone, budget);
  if (entry.status === 'insecure') return { security: Security.Insecure };
  if (entry.status === 'bogus') return { security: Security.Bogus, bogus: fromEntry(entry) };
  const what = ref.kind === 'nxdomain' ? `NXDOMAIN for ${ref.name}` : `NODATA for ${ref.name} ${qtype}`;
  if (soa === undefined || entry.zone !== zone) {
    return { security: Security.Bogus, missing: soa !== undefined, bogus: { zone, reason: `${what} without a signed SOA of ${zone}`, ede: { code: EdeCode.DnssecBogus, text: `${what}: no signed SOA` } } };
  }
  const soaSigs = proof.filter((rr) => rr.type === 'RRSIG' && rr.name === zone && typeCovered(rr) === 'SOA');
  if (soaSigs.length === 0) {
    return { security: Security.Bogus, missing: true, bogus: { zone, reason: `${what}: the SOA of ${zone} has no RRSIG`, ede: { code: EdeCode.RrsigsMissing, text: `${what}: unsigned SOA` } } };
  }
  const soaVerdict = verifyRrset([soa], soaSigs, zone, entry.keys, ctx);
  if (!soaVerdict.ok) return { security: Security.Bogus, bogus: { zone, reason: `${what}: SOA ${soaVerdict.text}`, ede: bogusEde(soaVerdict.reason, `SOA ${zone}: ${soaVerdict.text}`) } };
  const verified = verifiedProof(proof, zone, entry.keys, ctx);
  const denial = { chargeHash: () => budget.chargeHash() };
  const shown = ref.kind === 'nxdomain'
    ? proveNxdomain(ref.name, verified.records, zone, denial)
    : proveNodata(ref.name, qtype, verified.records, zone, denial);
  if (shown.status === 'insecure') return { security: Security.Insecure };
  if (shown.status === 'bogus') {
    return {
      security: Security.Bogus, missing: verified.records.length === 0,
      bogus: { zone, reason: `${what}: ${verified.problem ?? shown.reason}`, ede: { code: EdeCode.NsecMissing, text: `${what}: ${shown.reason}` } },
    };
  }
  const ttl = Math.min(soaVerdict.ttl, verified.ttl);
  deps.aggressive?.remember(zone, soa, proof, verified.records, ttl);
  return { security: Security.Secure, ttl };
}

/** The signer named by the RRSIGs: a zone at or above the owner (RFC 4035 §5.3.1). */
function signerOf(sigs: ResourceRecord[], owner: string): string | undefined {
  for (const sig of sigs) {
    const signer = parseRrsig(sig.data)?.signerName;
    if (signer !== undefined && isSubdomain(owner, normalizeName(signer))) return normalizeName(signer);
  }
  return undefined;
}

/** The security of the DNAME `cname` was synthesised from, if it was. */
function synthesisedBy(owner: string, target: string, dnames: Map<string, { target: string; security: Security }>): Security | undefined {
  for (const [dnameOwner, dname] of dnames) {
    if (owner !== dnameOwner && isSubdomain(owner, dnameOwner) && replaceSuffix(owner, dnameOwner, dname.target) === normalizeName(target)) {
      return dname.security;
    }
  }
  return undefined;
}

/** The name a CNAME/DNAME chain from `qname` ends at. */
function lastName(qname: string, answers: readonly ResourceRecord[], qtype: string): string {
  if (qtype === 'CNAME') return qname;
  let name = qname;
  for (let hops = 0; hops <= answers.length; hops++) {
    const cname = answers.find((rr) => rr.type === 'CNAME' && rr.name === name);
    if (!cname) break;
    name = normalizeName(cname.data as string);
  }
  return name;
}

function fromEntry(entry: Extract<KeyEntry, { status: 'bogus' }>): Bogus {
  return { zone: entry.zone, reason: entry.reason, ede: entry.ede };
}
