// Name relations the denial proofs are built from: closest enclosers, next
// closer names and source-of-synthesis wildcards (RFC 4592 §3.3.1, RFC 5155
// §1.3). All names normalized, as everywhere in Hops.

import { ROOT, isSubdomain, labelCount, labels } from '../dns/name.js';

/** True when `name` lies strictly below `ancestor`. */
export function isStrictSubdomain(name: string, ancestor: string): boolean {
  return name !== ancestor && isSubdomain(name, ancestor);
}

/** The deepest name that is an ancestor of (or equal to) both `a` and `b`. */
export function commonAncestor(a: string, b: string): string {
  const la = labels(a);
  const lb = labels(b);
  let shared = 0;
  while (shared < la.length && shared < lb.length &&
    la[la.length - 1 - shared] === lb[lb.length - 1 - shared]) shared++;
  return shared === 0 ? ROOT : la.slice(la.length - shared).join('.');
}

/**
 * The ancestor of `qname` one label longer than `encloser` (RFC 5155 §1.3
 * "next closer name"). `qname` must lie strictly below `encloser`.
 */
export function nextCloser(qname: string, encloser: string): string {
  const ql = labels(qname);
  return ql.slice(ql.length - labelCount(encloser) - 1).join('.');
}

/** The wildcard that could synthesise answers below `encloser`. */
export function wildcardAt(encloser: string): string {
  return encloser === ROOT ? '*' : `*.${encloser}`;
}

/** `*.x` → `x`; any other name unchanged. */
export function stripWildcard(name: string): string {
  if (name === '*') return ROOT;
  return name.startsWith('*.') ? name.slice(2) : name;
}
