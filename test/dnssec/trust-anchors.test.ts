// Trust anchor files (RFC 4035 §4.4) in the format of Unbound's
// trust-anchor-file: DS or DNSKEY records in zone-file presentation format.

import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { INSTALL_DIR } from '../../src/config.js';
import { loadTrustAnchors, parseTrustAnchors, TrustAnchorError } from '../../src/dnssec/trust-anchors.js';

describe('trust anchor files', () => {
  it('the shipped root anchors: the DS of KSK-2017 (20326) and KSK-2024 (38696), RSASHA256, SHA-256 (IANA root-anchors.xml)', () => {
    const anchors = loadTrustAnchors([join(INSTALL_DIR, 'trust-anchors', 'root.ds')]);
    expect(anchors.map((rr) => [rr.name, rr.type, (rr.data as Buffer).readUInt16BE(0), (rr.data as Buffer)[2], (rr.data as Buffer)[3]]))
      .toEqual([['.', 'DS', 20326, 8, 2], ['.', 'DS', 38696, 8, 2]]);
    expect((anchors[0].data as Buffer).subarray(4).toString('hex').toUpperCase())
      .toBe('E06D44B80B8F1D39A95C0B0D7C65D08458E880409BBC683457104237C7F8EC8D');
  });

  it('reads DS and DNSKEY, TTL and class optional in either order, comments, parentheses over lines, mnemonics', () => {
    const text = `
; a comment
example.        3600 IN DS 31589 8 2 ( 3490A6806D47F17A34C29E2CE80E8A99
                                      9FFBE4BE )  ; split digest
test. IN 300 DNSKEY 257 3 ECDSAP256SHA256 AAAA BBBB
`;
    const records = parseTrustAnchors(text, 'x');
    expect(records).toHaveLength(2);
    expect(records[0]).toMatchObject({ name: 'example', type: 'DS', class: 'IN', ttl: 3600 });
    expect((records[0].data as Buffer).toString('hex')).toBe('7b6508023490a6806d47f17a34c29e2ce80e8a999ffbe4be');
    expect(records[1]).toMatchObject({ name: 'test', type: 'DNSKEY', ttl: 300 });
    expect((records[1].data as Buffer).subarray(0, 4)).toEqual(Buffer.from([1, 1, 3, 13]));
  });

  it.each([
    ['relative owner', 'example IN DS 1 8 2 AA', /line 1: owner "example" must be absolute/],
    ['other type', '. IN NS a.root-servers.net.', /line 1: expected a DS or DNSKEY record, found NS/],
    ['short DS', '. DS 1 8', /line 1: a DS needs key tag/],
    ['bad hex', '. DS 1 8 2 XYZ1', /line 1: the DS digest must be hexadecimal/],
    ['key tag too large', '. DS 70000 8 2 AA', /key tag "70000"/],
    ['protocol not 3', '. DNSKEY 257 2 8 AAAA', /protocol must be 3/],
    ['unclosed parenthesis', '. DS 1 8 2 ( AA\n', /line 1: "\(" never closed/],
  ])('%s: an error naming the file and line', (_what, text, message) => {
    expect(() => parseTrustAnchors(`${text}\n`, 'anchors.txt')).toThrow(TrustAnchorError);
    expect(() => parseTrustAnchors(`${text}\n`, 'anchors.txt')).toThrow(message);
  });

  it('a missing file, or one with no record, stops with its name', () => {
    expect(() => loadTrustAnchors(['/nonexistent/root.key'])).toThrow(/trust anchor file \/nonexistent\/root.key: cannot read it \(ENOENT\)/);
    expect(() => loadTrustAnchors([join(INSTALL_DIR, 'package.json')])).toThrow(/package.json, line 1: owner "\{" must be absolute/);
  });
});
