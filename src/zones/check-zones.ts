// `hops check-zones DIR`: what the loader thinks of a zone directory, as
// lines for a terminal or a CI log.

import { loadZoneDirectory } from './load-zones.js';

export interface CheckZonesResult {
  /** True when every file loaded without errors (warnings are allowed). */
  ok: boolean;
  /** `file:line: reason` per error, `file:line: warning: reason` per warning, then `apex: N records` per zone. */
  lines: string[];
}

export function checkZones(dir: string): CheckZonesResult {
  const { zones, errors, warnings } = loadZoneDirectory(dir);
  const lines = [
    ...errors.map((e) => e.toString()),
    ...warnings.map((w) => `${w.file}${w.line > 0 ? `:${w.line}` : ''}: warning: ${w.reason}`),
    ...zones.map((z) => `${z.apex}: ${z.records.length} record${z.records.length === 1 ? '' : 's'}`),
  ];
  return { ok: errors.length === 0, lines };
}
