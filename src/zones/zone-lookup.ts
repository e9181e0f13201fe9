// Answers one question from one zone: RFC 1034 §4.3.2 step 3 (the
// authoritative part of the algorithm), with negative answers per RFC 2308
// and wildcards per RFC 4592. Pure: data in, a result kind out.

import type { ResourceRecord } from '../dns/message.js';
import { isSubdomain, joinName, parentName } from '../dns/name.js';
import type { ZoneIndex } from './zone-index.js';

/**
 * The outcome of a lookup. Records are shared with the store: read-only.
 * `answers` of nodata/nxdomain hold the CNAME chain that led there, if any.
 */
export type ZoneLookup =
  | {
      kind: 'answer';
      zone: string;
      answers: ResourceRecord[];
      additionals: ResourceRecord[];
      /** The chain's last CNAME points outside this zone's authority; the caller may resolve it. */
      unresolvedTarget?: string;
    }
  | { kind: 'referral'; zone: string; cut: string; authorities: ResourceRecord[]; additionals: ResourceRecord[] }
  | { kind: 'nodata'; zone: string; answers: ResourceRecord[]; authorities: ResourceRecord[] }
  | { kind: 'nxdomain'; zone: string; answers: ResourceRecord[]; authorities: ResourceRecord[] };

/** CNAMEs followed inside one zone before giving up (as BIND does). */
export const MAX_CNAME_CHAIN = 16;

/** What one name yields, before CNAMEs are followed. */
type Step =
  | { kind: 'records'; records: readonly ResourceRecord[] }
  | { kind: 'cname'; record: ResourceRecord }
  | { kind: 'referral'; cut: string }
  | { kind: 'nodata' }
  | { kind: 'nxdomain' };

/** `qname` must be canonical and at or below the zone's apex. */
export function lookupInZone(index: ZoneIndex, qname: string, qtype: string): ZoneLookup {
  const zone = index.apex;
  const answers: ResourceRecord[] = [];
  const visited = new Set([qname]);
  let name = qname;
  for (;;) {
    const step = resolveName(index, name, qtype);
    switch (step.kind) {
      case 'records':
        answers.push(...step.records);
        return { kind: 'answer', zone, answers, additionals: additionalRecords(index, answers) };
      case 'referral':
        if (answers.length === 0) return referral(index, step.cut);
        // A CNAME led into a delegated child: its data is another server's.
        return { kind: 'answer', zone, answers, additionals: [], unresolvedTarget: name };
      case 'nodata':
        return { kind: 'nodata', zone, answers, authorities: [index.negativeSoa] };
      case 'nxdomain':
        // RFC 6604 §3: after a CNAME, the RCODE is about the last name in the chain.
        return { kind: 'nxdomain', zone, answers, authorities: [index.negativeSoa] };
      case 'cname': {
        answers.push(step.record);
        const target = step.record.data as string;
        if (!isSubdomain(target, zone)) return { kind: 'answer', zone, answers, additionals: [], unresolvedTarget: target };
        // A loop, or a chain too long to be sane: answer with what we have.
        if (visited.has(target) || visited.size > MAX_CNAME_CHAIN) return { kind: 'answer', zone, answers, additionals: [] };
        visited.add(target);
        name = target;
      }
    }
  }
}

function resolveName(index: ZoneIndex, name: string, qtype: string): Step {
  // Walk down from the apex one label at a time: a delegation or a missing
  // name above `name` decides the answer before `name` itself does.
  const below: string[] = [];
  for (let n = name; n !== index.apex; n = parentName(n)) below.push(n);
  for (let i = below.length - 1; i >= 0; i--) {
    const n = below[i];
    // RFC 4035 §3.1.4.1: DS at a cut is the parent's data, answered here.
    if (index.isCut(n) && !(i === 0 && qtype === 'DS')) return { kind: 'referral', cut: n };
    if (!index.exists(n)) return wildcard(index, name, parentName(n), qtype);
  }
  return fromNode(index, name, name, qtype);
}

/**
 * RFC 4592 §3.3.1: `name` does not exist; if `*.<closest encloser>` does, it
 * answers in its place, with `name` as the owner of what it synthesizes.
 */
function wildcard(index: ZoneIndex, name: string, closestEncloser: string, qtype: string): Step {
  const source = joinName('*', closestEncloser);
  if (!index.exists(source)) return { kind: 'nxdomain' };
  return fromNode(index, source, name, qtype);
}

function fromNode(index: ZoneIndex, at: string, owner: string, qtype: string): Step {
  const node = index.node(at);
  if (!node) return { kind: 'nodata' }; // an empty non-terminal
  const synthesize = (records: readonly ResourceRecord[]) =>
    at === owner ? records : records.map((rr) => ({ ...rr, name: owner }));
  if (qtype === 'ANY') return { kind: 'records', records: synthesize([...node.values()].flat()) };
  const rrset = node.get(qtype);
  if (rrset) return { kind: 'records', records: synthesize(rrset) };
  const cname = node.get('CNAME');
  if (cname) return { kind: 'cname', record: synthesize(cname)[0] };
  return { kind: 'nodata' };
}

/** RFC 1034 §4.3.2 step 3b: the child's NS RRset, and addresses for its servers we hold. */
function referral(index: ZoneIndex, cut: string): ZoneLookup {
  const ns = index.rrset(cut, 'NS')!;
  return { kind: 'referral', zone: index.apex, cut, authorities: [...ns], additionals: addresses(index, ns.map((rr) => rr.data as string), true) };
}

/**
 * RFC 1034 §4.3.2 step 6 (and RFC 2782 for SRV): addresses of the hosts the
 * answer names, from this zone's authoritative data, unless already answered.
 */
function additionalRecords(index: ZoneIndex, answers: readonly ResourceRecord[]): ResourceRecord[] {
  const targets: string[] = [];
  for (const rr of answers) {
    const target = hostNamed(rr);
    if (target !== undefined && !answers.some((a) => a.name === target && (a.type === 'A' || a.type === 'AAAA'))) {
      targets.push(target);
    }
  }
  return addresses(index, targets, false);
}

function hostNamed(rr: ResourceRecord): string | undefined {
  switch (rr.type) {
    case 'NS':
      return rr.data as string;
    case 'MX':
      return (rr.data as { exchange: string }).exchange;
    case 'SRV': {
      const target = (rr.data as { target: string }).target;
      return target === '.' ? undefined : target; // RFC 2782: "." means no service
    }
    default:
      return undefined;
  }
}

/** A and AAAA RRsets of in-zone hosts; glue (data below a cut) only for referrals. */
function addresses(index: ZoneIndex, hosts: string[], glue: boolean): ResourceRecord[] {
  const out: ResourceRecord[] = [];
  for (const host of new Set(hosts)) {
    if (!isSubdomain(host, index.apex) || (!glue && !index.isAuthoritative(host))) continue;
    for (const type of ['A', 'AAAA']) {
      const rrset = index.rrset(host, type);
      if (rrset) out.push(...rrset);
    }
  }
  return out;
}
