// The table of forward and stub zones the iterator consults for its starting cut.

import { describe, expect, it } from 'vitest';
import { ForwardZones, ForwardZonesError, parseZoneName } from '../../src/resolver/forward-zones.js';
import { resolverOptions, ResolverOptionsError } from '../../src/resolver/options.js';

const table = new ForwardZones({
  forwardZones: [{ name: 'Corp.Example.', servers: ['10.8.0.53', '10.8.0.54:5353'] }, { name: '.', servers: ['192.0.2.53'] }],
  stubZones: [{ name: '168.192.in-addr.arpa', servers: ['192.168.1.1'] }, { name: 'lab.corp.example', servers: ['[::1]:5300'] }],
});

describe('ForwardZones', () => {
  it('normalizes names and servers', () => {
    expect(table.zones).toEqual([
      { kind: 'forward', name: 'corp.example', servers: ['10.8.0.53', '10.8.0.54@5353'] },
      { kind: 'forward', name: '.', servers: ['192.0.2.53'] },
      { kind: 'stub', name: '168.192.in-addr.arpa', servers: ['192.168.1.1'] },
      { kind: 'stub', name: 'lab.corp.example', servers: ['::1@5300'] },
    ]);
    expect(table.addresses()).toEqual(['10.8.0.53', '10.8.0.54', '192.0.2.53', '192.168.1.1', '::1']);
    expect(table.coversRoot()).toBe(true);
  });

  it.each([
    ['www.corp.example', 'corp.example'],
    ['corp.example', 'corp.example'],
    ['host.lab.corp.example', 'lab.corp.example'],
    ['1.1.168.192.in-addr.arpa', '168.192.in-addr.arpa'],
    ['www.example.com', '.'],
    ['.', '.'],
  ])('the deepest configured zone above %s is %s', (name, zone) => {
    expect(table.find(name)?.name).toBe(zone);
  });

  it('a forward cut is always the forwarders; a stub cut gives way to a cached cut below it', () => {
    expect(table.startingCut('www.corp.example', 'A', 'www.corp.example')).toMatchObject({ zone: 'corp.example', forwarded: true });
    expect(table.startingCut('www.corp.example', 'A', undefined)?.addresses()).toEqual(['10.8.0.53', '10.8.0.54@5353']);
    const stub = table.startingCut('9.1.168.192.in-addr.arpa', 'PTR', '192.in-addr.arpa');
    expect(stub).toMatchObject({ zone: '168.192.in-addr.arpa', forwarded: false });
    expect(table.startingCut('9.1.168.192.in-addr.arpa', 'PTR', '168.192.in-addr.arpa')?.zone).toBe('168.192.in-addr.arpa');
    expect(table.startingCut('9.1.168.192.in-addr.arpa', 'PTR', '1.168.192.in-addr.arpa')).toBeUndefined();
  });

  it('DS is looked up from the parent side', () => {
    expect(table.startingCut('lab.corp.example', 'DS', undefined)?.zone).toBe('corp.example');
    expect(table.startingCut('lab.corp.example', 'A', undefined)?.zone).toBe('lab.corp.example');
  });

  it('an empty table covers nothing', () => {
    const none = new ForwardZones();
    expect(none.find('www.example.com')).toBeUndefined();
    expect(none.startingCut('www.example.com', 'A', undefined)).toBeUndefined();
    expect(none.coversRoot()).toBe(false);
  });

  it.each([
    [{ forwardZones: [{ name: 'corp..example', servers: ['10.8.0.53'] }] }, /forwardZones\[0\]\.name: "corp\.\.example" is not a domain name/],
    [{ forwardZones: [{ name: 'corp.example', servers: [] }] }, /forwardZones\[0\] \(corp\.example\): no servers/],
    [{ stubZones: [{ name: 'lan', servers: ['192.168.1.1', 'router'] }] }, /stubZones\[0\]\.servers\[1\]: "router" is not an IP address/],
    [{ forwardZones: [{ name: 'a.test', servers: ['10.0.0.1'] }, { name: 'A.test.', servers: ['10.0.0.2'] }] }, /forwardZones\[1\]: "a\.test" is listed twice/],
    [{ forwardZones: [{ name: 'a.test', servers: ['10.0.0.1'] }], stubZones: [{ name: 'a.test', servers: ['10.0.0.2'] }] },
      /stubZones\[0\]: "a\.test" is both a forward zone and a stub zone/],
  ])('rejects %j', (input, message) => {
    expect(() => new ForwardZones(input)).toThrow(ForwardZonesError);
    expect(() => new ForwardZones(input)).toThrow(message);
    expect(() => resolverOptions(input)).toThrow(ResolverOptionsError);
  });

  it.each([
    ['corp.example', 'corp.example'], ['CORP.example.', 'corp.example'], ['.', '.'], ['_msdcs.corp.example', '_msdcs.corp.example'],
    ['168.192.in-addr.arpa', '168.192.in-addr.arpa'], ['', undefined], ['..', undefined], ['*.corp.example', undefined],
    ['corp example', undefined], ['-corp.example', undefined], [`${'a'.repeat(64)}.example`, undefined],
  ])('zone name %j → %j', (text, name) => {
    expect(parseZoneName(text)).toBe(name);
  });
});
