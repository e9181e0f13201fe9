// Reads every `*.zone` file of a directory. Files are independent: a bad one
// is reported and skipped, the others still load. The file name gives the
// initial origin: `home.lan.zone` starts at `home.lan.` until a $ORIGIN.

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Zone } from './zone.js';
import { ZoneError } from './zone-error.js';
import { parseZoneFile } from './zone-file.js';

export interface ZoneDirectory {
  zones: Zone[];
  errors: ZoneError[];
  warnings: ZoneError[];
}

const ZONE_SUFFIX = '.zone';

export function loadZoneDirectory(dir: string): ZoneDirectory {
  const result: ZoneDirectory = { zones: [], errors: [], warnings: [] };
  let names: string[];
  try {
    names = readdirSync(dir, { withFileTypes: true })
      // Dot files are editor and backup debris, not zones; a FIFO would block the read.
      .filter((e) => (e.isFile() || e.isSymbolicLink()) && e.name.endsWith(ZONE_SUFFIX) && !e.name.startsWith('.'))
      .map((e) => e.name)
      .sort();
  } catch (err) {
    result.errors.push(new ZoneError(dir, 0, `cannot read the zone directory: ${(err as Error).message}`));
    return result;
  }

  const loadedFrom = new Map<string, string>(); // apex → file
  for (const name of names) {
    const file = join(dir, name);
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (err) {
      result.errors.push(new ZoneError(file, 0, `cannot read the file: ${(err as Error).message}`));
      continue;
    }
    const parsed = parseZoneFile(text, { file, origin: name.slice(0, -ZONE_SUFFIX.length) });
    result.errors.push(...parsed.errors);
    result.warnings.push(...parsed.warnings);
    if (!parsed.zone) continue;
    const first = loadedFrom.get(parsed.zone.apex);
    if (first !== undefined) {
      result.errors.push(new ZoneError(file, 0, `zone ${parsed.zone.apex} is already loaded from ${first}; this file is skipped`));
      continue;
    }
    loadedFrom.set(parsed.zone.apex, file);
    result.zones.push(parsed.zone);
  }
  return result;
}
