// Canonical DNS name order (RFC 4034 §6.1). NSEC chains are sorted in it,
// so every "does this NSEC cover that name" question rests on it: a name
// sorted in the wrong place yields a proof that denies a name which exists.

import { ROOT } from '../dns/name.js';

/**
 * Negative when `a` sorts before `b`, positive after, 0 when equal. Labels
 * are compared from the rightmost one; within a label octet by octet with
 * upper-case US-ASCII folded to lower case (RFC 4034 §6.2), and a label
 * that is a prefix of another sorts first ("absence of an octet sorts
 * before a zero octet"). Names are dot-separated as elsewhere in Hops;
 * label octets are the string's latin1 code units.
 */
export function compareCanonical(a: string, b: string): number {
  if (a === b) return 0;
  const la = a === ROOT ? [] : a.split('.');
  const lb = b === ROOT ? [] : b.split('.');
  for (let i = la.length - 1, j = lb.length - 1; i >= 0 && j >= 0; i--, j--) {
    const c = compareLabel(la[i]!, lb[j]!);
    if (c !== 0) return c;
  }
  // All shared labels equal: the name with fewer labels (the ancestor) first.
  return la.length - lb.length;
}

function compareLabel(x: string, y: string): number {
  const n = Math.min(x.length, y.length);
  for (let k = 0; k < n; k++) {
    const d = foldCase(x.charCodeAt(k)) - foldCase(y.charCodeAt(k));
    if (d !== 0) return d;
  }
  return x.length - y.length;
}

/** Only A-Z fold: DNS case-insensitivity is US-ASCII only (RFC 4343 §3). */
function foldCase(c: number): number {
  return c >= 65 && c <= 90 ? c + 32 : c;
}
