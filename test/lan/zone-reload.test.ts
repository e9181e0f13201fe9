// mergeZones: what a SIGHUP reload serves, and what it reports as changed.

import { describe, expect, it } from 'vitest';
import type { ResourceRecord } from '../../src/dns/message.js';
import type { Zone } from '../../src/zones/zone.js';
import { mergeZones } from '../../src/zones/zone-reload.js';

function zone(apex: string, file: string, serial: number, address = '192.0.2.1'): Zone {
  const records: ResourceRecord[] = [
    { name: apex, type: 'SOA', class: 'IN', ttl: 3600, data: { mname: `ns.${apex}`, rname: `h.${apex}`, serial, refresh: 1, retry: 1, expire: 1, minimum: 1 } },
    { name: apex, type: 'NS', class: 'IN', ttl: 3600, data: `ns.${apex}` },
    { name: `ns.${apex}`, type: 'A', class: 'IN', ttl: 3600, data: address },
  ];
  return { apex, file, records };
}

const exists = (...files: string[]) => (file: string) => files.includes(file);

describe('mergeZones', () => {
  it('serves the freshly loaded zones and reports changed, added, removed and unchanged ones', () => {
    const previous = [zone('a.lan', 'z/a.lan.zone', 1), zone('b.lan', 'z/b.lan.zone', 1), zone('c.lan', 'z/c.lan.zone', 1)];
    const loaded = [zone('a.lan', 'z/a.lan.zone', 2, '192.0.2.99'), zone('b.lan', 'z/b.lan.zone', 1), zone('d.lan', 'z/d.lan.zone', 1)];
    const result = mergeZones(previous, loaded, exists());
    expect(result.zones).toEqual(loaded);
    expect(result.changed).toEqual([{ zone: 'a.lan', file: 'z/a.lan.zone', serial: [1, 2], records: [3, 3] }]);
    expect(result.added.map((z) => z.apex)).toEqual(['d.lan']);
    expect(result.removed.map((z) => z.apex)).toEqual(['c.lan']);
    expect([result.kept, result.unchanged]).toEqual([[], 1]);
  });

  it('notices changed data even when the serial was not bumped', () => {
    const result = mergeZones([zone('a.lan', 'f', 7)], [zone('a.lan', 'f', 7, '192.0.2.2')], exists());
    expect(result.changed).toEqual([{ zone: 'a.lan', file: 'f', serial: [7, 7], records: [3, 3] }]);
  });

  it('keeps the previous version of a zone whose file is still there but failed to load', () => {
    const broken = zone('a.lan', 'z/a.lan.zone', 1);
    const result = mergeZones([broken, zone('b.lan', 'z/b.lan.zone', 1)], [zone('b.lan', 'z/b.lan.zone', 1)], exists('z/a.lan.zone'));
    expect(result.zones.map((z) => z.apex).sort()).toEqual(['a.lan', 'b.lan']);
    expect(result.zones).toContain(broken);
    expect(result.kept).toEqual([broken]);
    expect([result.changed, result.removed, result.unchanged]).toEqual([[], [], 1]);
  });

  it('drops a zone whose file was deleted', () => {
    const result = mergeZones([zone('a.lan', 'z/a.lan.zone', 1)], [], exists());
    expect(result.zones).toEqual([]);
    expect(result.removed.map((z) => z.apex)).toEqual(['a.lan']);
  });

  it('never keeps an old version over a zone now loaded from another file (apexes stay unique)', () => {
    const moved = zone('a.lan', 'z/new-name.zone', 2);
    const result = mergeZones([zone('a.lan', 'z/a.lan.zone', 1)], [moved], exists('z/a.lan.zone'));
    expect(result.zones).toEqual([moved]);
    expect(result.kept).toEqual([]);
    expect(result.changed).toEqual([{ zone: 'a.lan', file: 'z/new-name.zone', serial: [1, 2], records: [3, 3] }]);
  });

  it('a file whose new content has another apex replaces its zone', () => {
    const result = mergeZones([zone('a.lan', 'f', 1)], [zone('b.lan', 'f', 1)], exists('f'));
    expect(result.zones.map((z) => z.apex)).toEqual(['b.lan']);
    expect([result.added.length, result.removed.length, result.kept.length]).toEqual([1, 1, 0]);
  });
});
