// Zones written as zone-file text, and records shown as one line of text, so
// test tables read like the data they describe.

import { emptyMessage, type Message, type ResourceRecord } from '../../src/dns/message.js';
import { parseZoneFile } from '../../src/zones/zone-file.js';
import { ZoneStore } from '../../src/zones/zone-store.js';
import type { Zone } from '../../src/zones/zone.js';

/** Parses zone text that must be valid; the origin comes from `$ORIGIN` or `origin`. */
export function zoneFrom(text: string, origin = 'example.com', file = `${origin}.zone`): Zone {
  const result = parseZoneFile(text, { file, origin });
  if (!result.zone) throw new Error(`test zone does not parse:\n${result.errors.join('\n')}`);
  return result.zone;
}

export function storeFrom(...texts: string[]): ZoneStore {
  return new ZoneStore(texts.map((text) => zoneFrom(text)));
}

export function query(name: string, type = 'A', id = 0x4242): Message {
  const m = emptyMessage(id);
  m.rd = true;
  m.questions.push({ name, type, class: 'IN' });
  return m;
}

/** `owner ttl TYPE data`, close to presentation format. */
export function show(rr: ResourceRecord): string {
  return `${rr.name} ${rr.ttl} ${rr.type} ${showData(rr.data)}`;
}

function showData(data: ResourceRecord['data']): string {
  if (typeof data === 'string') return data;
  if (Buffer.isBuffer(data)) return `\\# ${data.length} ${data.toString('hex')}`;
  if (Array.isArray(data)) return data.map((s) => JSON.stringify(s.toString('latin1'))).join(' ');
  return Object.values(data).join(' ');
}
