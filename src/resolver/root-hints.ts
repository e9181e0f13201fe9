// Root hints: where iteration starts before the resolver has primed
// (RFC 8109 §2). The file is IANA's named.root: root NS records and the A and
// AAAA records of those servers, in master-file syntax. Only that subset is
// accepted, so a dedicated parser stays small and its errors precise.

import { readFileSync } from 'node:fs';
import { isIPv4, isIPv6 } from 'node:net';
import { fileURLToPath } from 'node:url';
import type { ResourceRecord } from '../dns/message.js';
import { normalizeName, ROOT } from '../dns/name.js';

export interface RootHints {
  /** NS records owned by the root. */
  ns: ResourceRecord[];
  /** A/AAAA records of the servers those NS records name. */
  addresses: ResourceRecord[];
}

/** The copy of IANA's file shipped with Hops (root-hints/named.root). */
export const DEFAULT_ROOT_HINTS_PATH = fileURLToPath(new URL('../../root-hints/named.root', import.meta.url));

export class RootHintsError extends Error {
  readonly code = 'EROOTHINTS';
  constructor(message: string) {
    super(message);
    this.name = 'RootHintsError';
  }
}

/** Reads and parses a root hints file; meant for start-up (synchronous). */
export function loadRootHintsFile(path: string): RootHints {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new RootHintsError(`${path}: cannot read root hints: ${(err as Error).message}`);
  }
  return parseRootHints(text, path);
}

/** Parses named.root syntax: `name [ttl] [IN] NS|A|AAAA data`, `;` comments. */
export function parseRootHints(text: string, file: string): RootHints {
  const ns: ResourceRecord[] = [];
  const addresses: ResourceRecord[] = [];
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const where = `${file}:${i + 1}`;
    const tokens = lines[i].replace(/;.*/, '').trim().split(/\s+/).filter((t) => t !== '');
    if (tokens.length === 0) continue;
    const rr = parseLine(tokens, where);
    if (rr.type === 'NS') {
      if (rr.name !== ROOT) throw new RootHintsError(`${where}: NS record for "${rr.name}"; root hints only hold the root's NS set`);
      ns.push(rr);
    } else {
      addresses.push(rr);
    }
  }
  if (ns.length === 0) throw new RootHintsError(`${file}: no NS records for the root`);
  const served = new Set(ns.map((rr) => rr.data as string));
  if (!addresses.some((rr) => served.has(rr.name))) {
    throw new RootHintsError(`${file}: none of the root's name servers has an A or AAAA record`);
  }
  return { ns, addresses };
}

function parseLine(tokens: string[], where: string): ResourceRecord {
  const [owner, ...rest] = tokens;
  let ttl = 3_600_000;
  if (rest.length > 0 && /^\d+$/.test(rest[0])) ttl = Number(rest.shift());
  if (rest.length > 0 && rest[0].toUpperCase() === 'IN') rest.shift();
  if (rest.length !== 2) throw new RootHintsError(`${where}: expected "name [ttl] [IN] type data", got "${tokens.join(' ')}"`);
  const type = rest[0].toUpperCase();
  const data = rest[1];
  const name = normalizeName(owner);
  switch (type) {
    case 'NS':
      return { name, type, class: 'IN', ttl, data: normalizeName(data) };
    case 'A':
      if (!isIPv4(data)) throw new RootHintsError(`${where}: "${data}" is not an IPv4 address`);
      return { name, type, class: 'IN', ttl, data };
    case 'AAAA':
      if (!isIPv6(data)) throw new RootHintsError(`${where}: "${data}" is not an IPv6 address`);
      return { name, type, class: 'IN', ttl, data };
    default:
      throw new RootHintsError(`${where}: record type ${rest[0]} does not belong in root hints (NS, A, AAAA only)`);
  }
}
