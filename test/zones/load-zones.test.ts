import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkZones } from '../../src/zones/check-zones.js';
import { loadZoneDirectory } from '../../src/zones/load-zones.js';
import { ZoneStore } from '../../src/zones/zone-store.js';
import { query, show } from './helpers.js';

const GOOD = `$TTL 300
@    SOA  ns hostmaster 1 3600 600 86400 60
     NS   ns
ns   A    192.0.2.1
www  A    192.0.2.80
`;
const BAD = `$TTL 300
@    SOA  ns hostmaster 1 3600 600 86400 60
     NS   ns
ns   A    192.0.2.1

www  A    192.0.2.300
`;

const root = mkdtempSync(join(tmpdir(), 'hops-zones-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function directory(name: string, files: Record<string, string>): string {
  const dir = join(root, name);
  mkdirSync(dir);
  for (const [file, text] of Object.entries(files)) writeFileSync(join(dir, file), text);
  return dir;
}

describe('loadZoneDirectory', () => {
  it('loads the good zones and reports the bad file with its line', () => {
    const dir = directory('mixed', { 'bad.test.zone': BAD, 'good.test.zone': GOOD, 'notes.txt': 'not a zone', '.hidden.zone': 'junk' });
    const result = loadZoneDirectory(dir);
    expect(result.zones.map((z) => z.apex)).toEqual(['good.test']);
    expect(result.zones[0].file).toBe(join(dir, 'good.test.zone'));
    expect(result.errors.map(String)).toEqual([`${join(dir, 'bad.test.zone')}:6: bad IPv4 address "192.0.2.300"`]);
    expect(result.warnings).toEqual([]);
  });

  it('takes the origin from the file name, and the apex from the SOA', () => {
    const dir = directory('origin', { 'Home.LAN.zone': GOOD, 'renamed.zone': `$ORIGIN other.test.\n${GOOD}` });
    expect(loadZoneDirectory(dir).zones.map((z) => z.apex)).toEqual(['home.lan', 'other.test']);
  });

  it('rejects a second file for the same apex, keeping the first in name order', () => {
    const dir = directory('twice', { 'a.zone': `$ORIGIN same.test.\n${GOOD}`, 'b.zone': `$ORIGIN same.test.\n${GOOD}` });
    const result = loadZoneDirectory(dir);
    expect(result.zones.map((z) => z.file)).toEqual([join(dir, 'a.zone')]);
    expect(result.errors.map(String)).toEqual([
      `${join(dir, 'b.zone')}: zone same.test is already loaded from ${join(dir, 'a.zone')}; this file is skipped`,
    ]);
  });

  it('resolves $INCLUDE relative to the zone file', () => {
    const dir = directory('include', { 'inc.test.zone': `${GOOD}$INCLUDE hosts/more.inc\n` });
    mkdirSync(join(dir, 'hosts'));
    writeFileSync(join(dir, 'hosts', 'more.inc'), 'nas A 192.0.2.10\n');
    const store = new ZoneStore(loadZoneDirectory(dir).zones);
    expect(store.respond(query('nas.inc.test'))!.answers.map(show)).toEqual(['nas.inc.test 300 A 192.0.2.10']);
  });

  it('reports a missing directory by name', () => {
    const missing = join(root, 'no-such-dir');
    const result = loadZoneDirectory(missing);
    expect(result.zones).toEqual([]);
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]).toMatchObject({ file: missing, line: 0 });
    expect(result.errors[0].reason).toMatch(/^cannot read the zone directory: ENOENT/);
  });
});

describe('checkZones (hops check-zones DIR)', () => {
  it('prints errors, warnings and a summary per good zone; ok only without errors', () => {
    const dir = directory('check', {
      'bad.test.zone': BAD,
      'good.test.zone': GOOD,
      'warn.test.zone': `${GOOD}www 60 A 192.0.2.81\n`,
    });
    expect(checkZones(dir)).toEqual({
      ok: false,
      lines: [
        `${join(dir, 'bad.test.zone')}:6: bad IPv4 address "192.0.2.300"`,
        `${join(dir, 'warn.test.zone')}:6: warning: the www.warn.test A records have TTLs 300 and 60; using 60 for all of them (RFC 2181 §5.2)`,
        'good.test: 4 records',
        'warn.test: 5 records',
      ],
    });
  });

  it('is ok for a directory of good zones', () => {
    const dir = directory('allgood', { 'good.test.zone': GOOD });
    expect(checkZones(dir)).toEqual({ ok: true, lines: ['good.test: 4 records'] });
  });
});

describe('the example zones shipped in zones/', () => {
  const result = loadZoneDirectory('zones');
  const store = new ZoneStore(result.zones);

  it('load without errors or warnings', () => {
    expect(result.errors.map(String)).toEqual([]);
    expect(result.warnings.map(String)).toEqual([]);
    expect(result.zones.map((z) => z.apex)).toEqual(['1.168.192.in-addr.arpa', 'home.lan']);
  });

  it('answer forward and reverse lookups for the same host', () => {
    expect(store.respond(query('nas.home.lan'))!.answers.map(show)).toEqual(['nas.home.lan 3600 A 192.168.1.10']);
    expect(store.respond(query('nas.home.lan', 'AAAA'))!.answers.map(show)).toEqual(['nas.home.lan 3600 AAAA fd00::10']);
    expect(store.respond(query('10.1.168.192.in-addr.arpa', 'PTR'))!.answers.map(show))
      .toEqual(['10.1.168.192.in-addr.arpa 3600 PTR nas.home.lan']);
    expect(store.respond(query('_ipp._tcp.home.lan', 'SRV'))!.additionals.map(show))
      .toEqual(['printer.home.lan 3600 A 192.168.1.20', 'printer.home.lan 3600 AAAA fd00::20']);
  });

  it('have a PTR for every A record of home.lan, and an A for every PTR', () => {
    const forward = result.zones.find((z) => z.apex === 'home.lan')!.records
      .filter((r) => r.type === 'A' && r.name !== 'ns.home.lan')
      .map((r) => `${r.data} ${r.name}`);
    const reverse = result.zones.find((z) => z.apex === '1.168.192.in-addr.arpa')!.records
      .filter((r) => r.type === 'PTR')
      .map((r) => `${r.name.split('.').slice(0, 4).reverse().join('.')} ${r.data}`);
    expect(reverse.sort()).toEqual(forward.sort());
  });
});
