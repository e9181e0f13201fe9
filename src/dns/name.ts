// Domain names inside Hops are always in one canonical form: lower case, no
// trailing dot, and the root written as ".". dns-packet decodes names the same
// way (minus the lower-casing), so the wire boundary costs one toLowerCase().

export const ROOT = '.';

/** Canonical form: lower case, no trailing dot; "" and "." both mean the root. */
export function normalizeName(name: string): string {
  if (name === '' || name === '.') return ROOT;
  const n = name.endsWith('.') ? name.slice(0, -1) : name;
  return n.toLowerCase();
}

/** Number of labels; the root has none. Expects a normalized name. */
export function labelCount(name: string): number {
  if (name === ROOT) return 0;
  let count = 1;
  for (let i = 0; i < name.length; i++) if (name.charCodeAt(i) === 46) count++;
  return count;
}

/** The labels of a normalized name, leftmost first. */
export function labels(name: string): string[] {
  return name === ROOT ? [] : name.split('.');
}

/** True when `name` equals `ancestor` or lies below it. Both normalized. */
export function isSubdomain(name: string, ancestor: string): boolean {
  if (ancestor === ROOT) return true;
  if (name === ancestor) return true;
  return name.length > ancestor.length && name.endsWith(ancestor) &&
    name.charCodeAt(name.length - ancestor.length - 1) === 46;
}

/** The parent of a normalized name; the parent of the root is the root. */
export function parentName(name: string): string {
  if (name === ROOT) return ROOT;
  const dot = name.indexOf('.');
  return dot < 0 ? ROOT : name.slice(dot + 1);
}

/** Joins a relative name to an origin (both without trailing dots). */
export function joinName(relative: string, origin: string): string {
  if (origin === ROOT) return relative;
  return `${relative}.${origin}`;
}

/** Presentation form with the trailing dot, for logs and zone-file output. */
export function toFqdn(name: string): string {
  return name === ROOT ? '.' : `${name}.`;
}

/**
 * `name`, which lies strictly below `owner`, with that `owner` suffix
 * replaced by `target`: the DNAME substitution of RFC 6672 §2.2. All three
 * normalized; the caller checks the result's length.
 */
export function replaceSuffix(name: string, owner: string, target: string): string {
  const prefix = name.slice(0, name.length - (owner === ROOT ? 0 : owner.length + 1));
  return target === ROOT ? prefix : `${prefix}.${target}`;
}
