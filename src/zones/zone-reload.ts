// A reload (SIGHUP) of the zones folder must not make a typo take a zone off
// the air: the served set becomes the freshly loaded zones, plus the previous
// version of every zone whose file is still there but failed to load this
// time (syntax error, failed $INCLUDE, unreadable). A zone whose file was
// deleted or renamed away goes. Pure apart from the file-existence probe.

import { existsSync } from 'node:fs';
import { isDeepStrictEqual } from 'node:util';
import type { SoaData } from '../dns/message.js';
import type { Zone } from './zone.js';

export interface ZoneChange {
  zone: string;
  file: string;
  /** SOA serials, before and after (an unchanged serial on changed data is worth noticing). */
  serial: [number | undefined, number | undefined];
  records: [number, number];
}

export interface ZoneReload {
  /** What to serve from now on: apexes unique. */
  zones: Zone[];
  added: Zone[];
  removed: Zone[];
  changed: ZoneChange[];
  /** Previous versions still served because their file failed to load. */
  kept: Zone[];
  /** Reloaded with the same file and records. */
  unchanged: number;
}

/**
 * Matches zones by the file they came from (Zone.file): a file that yields no
 * zone this time but still exists has failed, whatever file its errors name
 * (an $INCLUDE'd file's errors name that file).
 */
export function mergeZones(previous: readonly Zone[], loaded: readonly Zone[],
  fileExists: (file: string) => boolean = existsSync): ZoneReload {
  const loadedFiles = new Set(loaded.map((z) => z.file));
  const apexes = new Set(loaded.map((z) => z.apex));
  const kept: Zone[] = [];
  for (const zone of previous) {
    // A kept zone may not shadow a newly loaded one with the same apex.
    if (loadedFiles.has(zone.file) || apexes.has(zone.apex) || !fileExists(zone.file)) continue;
    kept.push(zone);
    apexes.add(zone.apex);
  }
  const zones = [...loaded, ...kept];

  const before = new Map(previous.map((z) => [z.apex, z]));
  const after = new Map(zones.map((z) => [z.apex, z]));
  const result: ZoneReload = { zones, added: [], removed: [], changed: [], kept, unchanged: 0 };
  for (const zone of zones) {
    const old = before.get(zone.apex);
    if (old === zone) continue; // kept: reported as such
    if (!old) result.added.push(zone);
    else if (old.file === zone.file && isDeepStrictEqual(old.records, zone.records)) result.unchanged++;
    else result.changed.push(describeChange(old, zone));
  }
  for (const zone of previous) if (!after.has(zone.apex)) result.removed.push(zone);
  return result;
}

function describeChange(old: Zone, zone: Zone): ZoneChange {
  return {
    zone: zone.apex,
    file: zone.file,
    serial: [serialOf(old), serialOf(zone)],
    records: [old.records.length, zone.records.length],
  };
}

function serialOf(zone: Zone): number | undefined {
  const soa = zone.records.find((r) => r.type === 'SOA');
  return soa ? (soa.data as SoaData).serial : undefined;
}
