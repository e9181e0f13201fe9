// `hops check-zones DIR`: parse every zone file and report, for CI and for
// operators before a reload. Exit 0 only when every zone is good.

import { resolve } from 'node:path';
import { ConfigError } from '../config.js';
import { checkZones } from '../zones/check-zones.js';

export async function runCheckZones(positional: string[]): Promise<number> {
  if (positional.length !== 1) throw new ConfigError('check-zones needs exactly one folder: hops check-zones DIR');
  const result = await checkZones(resolve(positional[0]));
  for (const line of result.lines) process.stdout.write(line + '\n');
  return result.ok ? 0 : 1;
}
