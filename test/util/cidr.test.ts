import { describe, expect, it } from 'vitest';
import { CidrSet, clientPrefixKey, parseCidr } from '../../src/util/cidr.js';
import { DEFAULT_ALLOW } from '../../src/config.js';

describe('CidrSet', () => {
  const lan = new CidrSet(DEFAULT_ALLOW);
  it.each([
    ['127.0.0.1', true], ['127.9.9.9', true], ['10.20.30.40', true], ['172.16.0.1', true], ['172.31.255.255', true],
    ['172.32.0.1', false], ['192.168.1.10', true], ['100.64.0.1', true], ['100.128.0.1', false], ['169.254.1.1', true],
    ['203.0.113.5', false], ['8.8.8.8', false], ['::1', true], ['fd00::1', true], ['fe80::1', true],
    ['2001:db8::1', false], ['::ffff:192.168.1.2', true], ['::ffff:203.0.113.9', false],
  ])('default allow list: %s → %s', (addr, expected) => expect(lan.contains(addr)).toBe(expected));

  it('0.0.0.0/0 and ::/0 open everything', () => {
    const open = new CidrSet(['0.0.0.0/0', '::/0']);
    expect(open.isOpen).toBe(true);
    expect(open.contains('203.0.113.5')).toBe(true);
    expect(open.contains('2001:db8::1')).toBe(true);
    expect(lan.isOpen).toBe(false);
  });

  it('rejects bad CIDRs', () => {
    for (const bad of ['10.0.0.0/33', 'x/8', '10.0.0.0/8/1', '::/129']) expect(() => parseCidr(bad)).toThrow();
  });

  it('groups clients by /24 and /56', () => {
    expect(clientPrefixKey('192.0.2.7')).toBe(clientPrefixKey('192.0.2.200'));
    expect(clientPrefixKey('192.0.2.7')).not.toBe(clientPrefixKey('192.0.3.7'));
    expect(clientPrefixKey('2001:db8:0:1::1')).toBe(clientPrefixKey('2001:db8:0:ff::2'));
    expect(clientPrefixKey('2001:db8:0:100::1')).not.toBe(clientPrefixKey('2001:db8:0:ff::2'));
  });
});
