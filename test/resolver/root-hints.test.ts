import { describe, expect, it } from 'vitest';
import { DEFAULT_ROOT_HINTS_PATH, loadRootHintsFile, parseRootHints, RootHintsError } from '../../src/resolver/root-hints.js';

describe('root hints', () => {
  it('loads the shipped IANA file: 13 servers with IPv4 and IPv6 addresses', () => {
    const hints = loadRootHintsFile(DEFAULT_ROOT_HINTS_PATH);
    expect(hints.ns).toHaveLength(13);
    expect(hints.ns[0]).toEqual({ name: '.', type: 'NS', class: 'IN', ttl: 3600000, data: 'a.root-servers.net' });
    expect(hints.addresses.filter((rr) => rr.type === 'A')).toHaveLength(13);
    expect(hints.addresses.filter((rr) => rr.type === 'AAAA')).toHaveLength(13);
    expect(hints.addresses[0]).toMatchObject({ name: 'a.root-servers.net', data: '198.41.0.4' });
  });

  it('accepts an optional TTL and class', () => {
    const hints = parseRootHints('. IN NS A.ROOT.\nA.ROOT. 60 A 192.0.2.1', 'x');
    expect(hints.ns[0].data).toBe('a.root');
    expect(hints.addresses[0]).toMatchObject({ name: 'a.root', ttl: 60 });
  });

  it.each([
    ['. NS a.root.\na.root. A 300.1.1.1', 'h:2: "300.1.1.1" is not an IPv4 address'],
    ['. NS a.root.\na.root. AAAA 192.0.2.1', 'h:2: "192.0.2.1" is not an IPv6 address'],
    ['; only comments\n\ncom. NS a.root.', 'h:3: NS record for "com"'],
    ['. NS a.root.\na.root. MX 10 mail.', 'h:2: expected "name [ttl] [IN] type data"'],
    ['. NS a.root.\na.root. TXT hello', 'h:2: record type TXT does not belong in root hints'],
    ['a.root. A 192.0.2.1', 'h: no NS records for the root'],
    ['. NS a.root.\nb.root. A 192.0.2.1', 'h: none of the root\'s name servers has an A or AAAA record'],
  ])('rejects %j naming file and line', (text, message) => {
    expect(() => parseRootHints(text, 'h')).toThrow(RootHintsError);
    expect(() => parseRootHints(text, 'h')).toThrow(message);
  });

  it('names the file it cannot read', () => {
    expect(() => loadRootHintsFile('/nonexistent/named.root')).toThrow('/nonexistent/named.root: cannot read root hints');
  });
});
