// RFC 9156 QNAME minimisation: which name to ask a zone's servers about
// next, when the resolver only wants to learn where the next zone cut is.

import { labelCount, ROOT } from '../dns/name.js';

/** RFC 9156 §2.3: at most this many minimised queries for one name… */
export const MAX_MINIMISE_COUNT = 10;
/** …of which the first ones add one label each; later ones add several. */
export const MINIMISE_ONE_LAB = 4;

/**
 * The name to ask about after `known` (a zone cut, or a name already known
 * not to be one), on the way to `target`; `step` minimised queries were sent
 * already. Undefined when the next name would be `target` itself: then the
 * real question is asked. Long names are walked in bigger strides after the
 * first MINIMISE_ONE_LAB steps, so no name costs more than
 * MAX_MINIMISE_COUNT extra queries (RFC 9156 §2.3, as Unbound does).
 */
export function nextMinimisedName(target: string, known: string, step: number): string | undefined {
  const missing = labelCount(target) - labelCount(known);
  if (missing <= 1) return undefined;
  let add = 1;
  if (step >= MINIMISE_ONE_LAB) {
    const left = MAX_MINIMISE_COUNT - step;
    add = left <= 1 ? missing : Math.max(1, Math.floor(missing / left));
  }
  if (add >= missing) return undefined;
  return lastLabels(target, labelCount(known) + add);
}

/** The rightmost `count` labels of a normalized name. */
function lastLabels(name: string, count: number): string {
  if (count <= 0) return ROOT;
  let end = name.length;
  for (let i = 0; i < count; i++) {
    const dot = name.lastIndexOf('.', end - 1);
    if (dot < 0) return name;
    end = dot;
  }
  return name.slice(end + 1);
}
