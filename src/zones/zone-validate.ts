// Checks on a zone as a whole, once every record has been read: the rules a
// server relies on when it answers from the zone (see zone.ts).

import { groupRRsets, type ResourceRecord } from '../dns/message.js';
import { isSubdomain, parentName } from '../dns/name.js';
import type { Zone } from './zone.js';
import { ZoneError } from './zone-error.js';

/** A record and where it was written, so problems can point at it. */
export interface SourcedRecord {
  rr: ResourceRecord;
  file: string;
  line: number;
}

export interface ValidationResult {
  zone?: Zone;
  errors: ZoneError[];
  warnings: ZoneError[];
}

/** RFC 4035 §2.5: in a signed zone these sit beside a CNAME. */
const CNAME_COMPANIONS = new Set(['CNAME', 'RRSIG', 'NSEC']);

/** What a delegation point may hold in the parent zone: the cut, DS, and glue. */
const AT_CUT = new Set(['NS', 'DS', 'A', 'AAAA']);

const at = (s: SourcedRecord, reason: string) => new ZoneError(s.file, s.line, reason);

export function validateZone(records: SourcedRecord[], file: string): ValidationResult {
  const errors: ZoneError[] = [];
  const warnings: ZoneError[] = [];
  const unique = withoutDuplicates(records);

  const soas = unique.filter((s) => s.rr.type === 'SOA');
  if (soas.length === 0) {
    return { errors: [new ZoneError(file, 0, 'no SOA record: a zone needs exactly one, at its apex')], warnings };
  }
  const soa = soas[0];
  for (const extra of soas.slice(1)) {
    errors.push(at(extra, `a second SOA record (the zone's SOA is at ${soa.file}:${soa.line}); a zone has exactly one`));
  }
  const apex = soa.rr.name;
  for (const s of unique) {
    if (!isSubdomain(s.rr.name, apex)) errors.push(at(s, `${s.rr.name} is outside the zone ${apex} (the owner of its SOA record)`));
  }
  if (!unique.some((s) => s.rr.type === 'NS' && s.rr.name === apex)) {
    errors.push(at(soa, `no NS records at the zone apex ${apex}`));
  }
  checkCnames(unique, errors);
  if (errors.length > 0) return { errors, warnings };

  unifyRRsetTtls(unique, warnings);
  warnOccluded(unique, apex, warnings);
  return { zone: { apex, file, records: groupRRsets(unique.map((s) => s.rr)).flat() }, errors, warnings };
}

/** RFC 2181 §5: identical records are one record; drop the repeats silently. */
function withoutDuplicates(records: SourcedRecord[]): SourcedRecord[] {
  const seen = new Set<string>();
  return records.filter(({ rr }) => {
    // Names are canonical and shapes fixed by the parsers, so equal data serializes equally.
    const key = `${rr.name} ${rr.type} ${JSON.stringify(rr.data)}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** RFC 1034 §3.6.2, RFC 2181 §10.1: a CNAME is the only data at its name. */
function checkCnames(records: SourcedRecord[], errors: ZoneError[]): void {
  const typesAt = new Map<string, Set<string>>();
  for (const s of records) {
    const { name, type } = s.rr;
    let types = typesAt.get(name);
    if (!types) typesAt.set(name, (types = new Set()));
    if (type === 'CNAME' && types.has('CNAME')) {
      errors.push(at(s, `more than one CNAME record at ${name}`));
    } else if (type === 'CNAME') {
      const other = [...types].find((t) => !CNAME_COMPANIONS.has(t));
      if (other) errors.push(at(s, `${name} has a CNAME and ${other} data; a CNAME must be alone at its name (RFC 1034 §3.6.2)`));
    } else if (types.has('CNAME') && !CNAME_COMPANIONS.has(type)) {
      errors.push(at(s, `${name} has a CNAME and ${type} data; a CNAME must be alone at its name (RFC 1034 §3.6.2)`));
    }
    types.add(type);
  }
}

/** RFC 2181 §5.2: one TTL per RRset. Use the lowest, as the RFC suggests. */
function unifyRRsetTtls(records: SourcedRecord[], warnings: ZoneError[]): void {
  const sets = new Map<string, SourcedRecord[]>();
  for (const s of records) {
    const key = `${s.rr.name} ${s.rr.type}`;
    const set = sets.get(key);
    if (set) set.push(s);
    else sets.set(key, [s]);
  }
  for (const set of sets.values()) {
    const first = set[0].rr.ttl;
    const differing = set.find((s) => s.rr.ttl !== first);
    if (!differing) continue;
    const lowest = Math.min(...set.map((s) => s.rr.ttl));
    warnings.push(at(differing, `the ${differing.rr.name} ${differing.rr.type} records have TTLs ${first} and ` +
      `${differing.rr.ttl}; using ${lowest} for all of them (RFC 2181 §5.2)`));
    for (const s of set) s.rr.ttl = lowest;
  }
}

/**
 * Data at or below a delegation is not ours to serve (RFC 1034 §4.2.1), only
 * the glue addresses that go with a referral. Such data is usually a mistake
 * but harmless, so it is a warning.
 */
function warnOccluded(records: SourcedRecord[], apex: string, warnings: ZoneError[]): void {
  const cuts = new Set(records.filter((s) => s.rr.type === 'NS' && s.rr.name !== apex).map((s) => s.rr.name));
  if (cuts.size === 0) return;
  for (const s of records) {
    const { name, type } = s.rr;
    const cut = highestCut(name, apex, cuts);
    if (cut === undefined) continue;
    const served = cut === name ? AT_CUT.has(type) : type === 'A' || type === 'AAAA';
    if (!served) warnings.push(at(s, `${name} ${type} is at or below the delegation at ${cut} and will not be served`));
  }
}

function highestCut(name: string, apex: string, cuts: Set<string>): string | undefined {
  let highest: string | undefined;
  for (let n = name; n !== apex; n = parentName(n)) if (cuts.has(n)) highest = n;
  return highest;
}
