import { describe, expect, it } from 'vitest';
import { parseZoneFile, type ParseZoneOptions } from '../../src/zones/zone-file.js';
import { show } from './helpers.js';

const HEAD = `$TTL 3600
@ SOA ns1 hostmaster 1 7200 900 1209600 300
@ NS ns1
ns1 A 192.0.2.1
`; // lines 1-4: a valid zone to which cases append

function parse(text: string, options: Partial<ParseZoneOptions> = {}) {
  return parseZoneFile(text, { file: 'example.com.zone', origin: 'example.com', ...options });
}

function records(text: string): string[] {
  const result = parse(text);
  expect(result.errors.map(String)).toEqual([]);
  return result.zone!.records.map(show);
}

/** The records of `text` other than HEAD's SOA, NS and A. */
function extra(text: string): string[] {
  return records(HEAD + text).slice(3);
}

function errors(text: string, options: Partial<ParseZoneOptions> = {}): string[] {
  const result = parse(text, options);
  expect(result.zone).toBeUndefined();
  return result.errors.map(String);
}

describe('zone file syntax (RFC 1035 §5)', () => {
  it('reads a zone using every syntax feature', () => {
    const text = [
      '; a comment line',
      '$TTL 1h30m',
      '@ IN SOA ns1 hostmaster.example.com. ( 2024010101 ; serial',
      '     2h 30M   ; refresh, retry',
      '     2W 1D )  ; expire, minimum',
      '  NS ns1',
      '  ns ns2.example.net.',
      'ns1 300 in a 192.0.2.1',
      '  IN 600 AAAA 2001:DB8:0::1',
      'www 1w cname ns1',
      'MAIL.Example.COM. Mx 10 ns1.example.com.',
      'txt TXT "a; not a comment" plain "q\\"b\\\\" "\\065\\066C" ""',
      '_sip._tcp SRV 1 2 5060 ns1',
      '@ CAA 128 issue "ca.example.net"',
      '$ORIGIN sub.example.com.',
      'host A 192.0.2.9',
      '$origin example.com.',
      'gen TYPE1 \\# 4 c0000202',
      'big TYPE65280 \\# 3 01 0203',
      'empty TYPE65281 \\# 0',
      'old HINFO \\# 4 01410142',
      '\\042.esc A 192.0.2.10',
    ].join('\n');
    expect(records(text)).toEqual([
      'example.com 5400 SOA ns1.example.com hostmaster.example.com 2024010101 7200 1800 1209600 86400',
      'example.com 5400 NS ns1.example.com',
      'example.com 5400 NS ns2.example.net',
      'ns1.example.com 300 A 192.0.2.1',
      'ns1.example.com 600 AAAA 2001:db8::1',
      'www.example.com 604800 CNAME ns1.example.com',
      'mail.example.com 5400 MX 10 ns1.example.com',
      'txt.example.com 5400 TXT "a; not a comment" "plain" "q\\"b\\\\" "ABC" ""',
      '_sip._tcp.example.com 5400 SRV 1 2 5060 ns1.example.com',
      'example.com 5400 CAA 128 issue ca.example.net',
      'host.sub.example.com 5400 A 192.0.2.9',
      'gen.example.com 5400 A 192.0.2.2',
      'big.example.com 5400 TYPE65280 \\# 3 010203',
      'empty.example.com 5400 TYPE65281 \\# 0 ',
      'old.example.com 5400 HINFO \\# 4 01410142',
      '*.esc.example.com 5400 A 192.0.2.10',
    ]);
  });

  it('takes the origin from the options and treats "@" and "." specially', () => {
    const text = HEAD.replaceAll('ns1', 'ns1.example.com.') + 'ptr PTR .\n';
    const result = parse(text, { origin: 'example.com.' });
    expect(result.zone!.records.map(show).at(-1)).toBe('ptr.example.com 3600 PTR .');
  });

  it('accepts TTL and class in either order, and class TYPE/CLASS numbers', () => {
    expect(extra('a 60 IN A 192.0.2.5\nb IN 60 A 192.0.2.6\nc CLASS1 TYPE1 192.0.2.7\n')).toEqual([
      'a.example.com 60 A 192.0.2.5',
      'b.example.com 60 A 192.0.2.6',
      'c.example.com 3600 A 192.0.2.7',
    ]);
  });

  it('reads TTL units in any case and combination', () => {
    expect(extra('a 1w2d3h4m5s A 192.0.2.5\nb 2D A 192.0.2.6\nc 0 A 192.0.2.7\n').map((r) => r.split(' ')[1]))
      .toEqual([String(604800 + 2 * 86400 + 3 * 3600 + 4 * 60 + 5), '172800', '0']);
  });

  it('converts RFC 3597 generic data of known types to their usual shape', () => {
    expect(extra([
      'a MX \\# 6 000a026d7800',
      'b TXT \\# 6 0568656c6c6f',
      'c AAAA \\# 16 20010db8000000000000000000000001',
      'd CAA \\# 11 0005697373756563612e6e',
    ].join('\n') + '\n')).toEqual([
      'a.example.com 3600 MX 10 mx',
      'b.example.com 3600 TXT "hello"',
      'c.example.com 3600 AAAA 2001:db8::1',
      'd.example.com 3600 CAA 0 issue ca.n',
    ]);
  });

  it('keeps TXT strings of exactly 255 octets, and several strings per record', () => {
    const long = 'x'.repeat(255);
    expect(extra(`t TXT ${long} "${long}"\n`)).toEqual([`t.example.com 3600 TXT "${long}" "${long}"`]);
  });

  it('accepts names up to 255 octets and labels up to 63', () => {
    const label = 'a'.repeat(63);
    // 3 labels of 63 + "example.com" = 3*64 + 13 = 205 octets in wire form.
    expect(extra(`${label}.${label}.${label} A 192.0.2.5\n`)).toEqual([`${label}.${label}.${label}.example.com 3600 A 192.0.2.5`]);
  });
});

describe('default TTL (as BIND)', () => {
  it('uses $TTL for records without one (RFC 2308 §4)', () => {
    expect(records('$TTL 2h\n@ SOA ns1 h 1 2 3 4 5\n NS ns1\nns1 A 192.0.2.1\n')[2]).toBe('ns1.example.com 7200 A 192.0.2.1');
  });

  it('without $TTL, uses the previous record\'s TTL and warns once (RFC 1035 §5.1)', () => {
    const result = parse('@ 600 SOA ns1 h 1 2 3 4 5\n NS ns1\nns1 A 192.0.2.1\n');
    expect(result.zone!.records.map((r) => r.ttl)).toEqual([600, 600, 600]);
    expect(result.warnings.map(String)).toEqual([
      'example.com.zone:2: no TTL and no $TTL: using the previous record\'s TTL (RFC 1035 §5.1); add a $TTL line to make the default explicit',
    ]);
  });

  it('without any TTL before it, an SOA takes its MINIMUM, with a warning', () => {
    const result = parse('@ SOA ns1 h 1 2 3 4 5\n NS ns1\nns1 A 192.0.2.1\n');
    expect(result.zone!.records.map((r) => r.ttl)).toEqual([5, 5, 5]);
    expect(result.warnings.map(String)[0]).toBe('example.com.zone:1: no TTL and no $TTL: the SOA takes its MINIMUM, 5, as its TTL');
  });

  it('without any TTL before it, another record is an error', () => {
    expect(errors('ns1 A 192.0.2.1\n@ 60 SOA ns1 h 1 2 3 4 5\n NS ns1\n')).toEqual([
      'example.com.zone:1: no TTL: give the record one, or put a $TTL line before it (RFC 2308 §4)',
    ]);
  });
});

describe('zone file errors name the file and the line the record starts on', () => {
  const cases: Array<[string, string, number, RegExp]> = [
    ['bad IPv4', 'a A 256.0.0.1', 5, /bad IPv4 address "256.0.0.1"/],
    ['IPv4 with leading zero', 'a A 192.0.2.01', 5, /bad IPv4 address/],
    ['bad IPv6', 'a AAAA 2001:db8::1::2', 5, /bad IPv6 address/],
    ['IPv6 with a zone index', 'a AAAA fe80::1%eth0', 5, /bad IPv6 address/],
    ['16-bit field too big', 'a MX 65536 ns1', 5, /bad MX preference "65536": expected a number from 0 to 65535/],
    ['negative number', 'a SRV -1 0 0 ns1', 5, /bad SRV priority "-1"/],
    ['32-bit serial too big', 'a SOA ns1 h 4294967296 1 2 3 4', 5, /bad SOA serial "4294967296"/],
    ['SOA timer with bad unit', 'a SOA ns1 h 1 1x 2 3 4', 5, /bad SOA refresh "1x"/],
    ['8-bit CAA flags too big', 'a CAA 256 issue "x"', 5, /bad CAA flags "256"/],
    ['bad CAA tag', 'a CAA 0 is-sue "x"', 5, /bad CAA tag "is-sue"/],
    ['label too long', `${'a'.repeat(64)} A 192.0.2.1`, 5, /label of 64 octets/],
    ['name too long', `${Array(4).fill('a'.repeat(63)).join('.')} A 192.0.2.1`, 5, /longer than 255 octets/],
    ['empty label', 'a..b A 192.0.2.1', 5, /empty label in name "a..b"/],
    ['escaped dot in a label', 'a\\.b A 192.0.2.1', 5, /cannot serve in a label/],
    ['quoted name', '"a" A 192.0.2.1', 5, /must not be quoted/],
    ['unknown type', 'a FOO 1', 5, /unknown record type "FOO"/],
    ['meta type', 'a AXFR 1', 5, /AXFR is a query or meta type/],
    ['meta type by number', 'a TYPE255 \\# 0', 5, /ANY is a query or meta type/],
    ['class ANY', 'a ANY A 192.0.2.1', 5, /class ANY is not supported/],
    ['OPT', 'a OPT \\# 0', 5, /OPT is a query or meta type/],
    ['DNAME', 'a DNAME b', 5, /DNAME records are not supported/],
    ['other class', 'a CH A 192.0.2.1', 5, /class CH is not supported/],
    ['missing type', 'a 300 IN', 5, /record has no type/],
    ['missing field', 'a MX 10', 5, /MX record is missing its exchange name/],
    ['trailing field', 'a A 192.0.2.1 192.0.2.2', 5, /unexpected "192.0.2.2" after the A record data/],
    ['TXT string over 255 octets', `a TXT "${'x'.repeat(256)}"`, 5, /TXT text is 256 octets/],
    ['escape above 255', 'a TXT "\\256"', 5, /bad escape "\\256"/],
    ['escape with two digits', 'a TXT "\\12"', 5, /bad escape "\\12"/],
    ['TTL above 2^31-1', 'a 2147483648 A 192.0.2.1', 5, /TTL "2147483648" is 2147483648 seconds, more than 2147483647/],
    ['TTL with unknown unit', 'a 5y A 192.0.2.1', 5, /bad TTL "5y"/],
    ['type only in generic form', 'a HINFO "pc" "linux"', 5, /HINFO records must be written in RFC 3597 generic form/],
    ['generic length mismatch', 'a TYPE65280 \\# 3 0102', 5, /says 3 octets but the hex data has 2/],
    ['generic bad hex', 'a TYPE65280 \\# 1 zz', 5, /bad hex data/],
    ['generic odd hex', 'a TYPE65280 \\# 1 012', 5, /bad hex data/],
    ['generic without length', 'a TYPE65280 \\#', 5, /missing data length/],
    ['generic data invalid for the type', 'a TYPE1 \\# 3 010203', 5, /not valid A data/],
    ['generic name with a compression pointer', 'a NS \\# 2 c000', 5, /(not valid NS data|not in a form Hops can serve)/],
    ['unknown directive', '$GENERATE 1-5 a$ A 192.0.2.$', 5, /unknown directive \$GENERATE/],
    ['$TTL without value', '$TTL', 5, /\$TTL takes 1 argument, not 0/],
    ['$ORIGIN with two values', '$ORIGIN a. b.', 5, /\$ORIGIN takes 1 argument, not 2/],
    ['unterminated quote', 'a TXT "abc', 5, /quoted string not closed/],
    ['quote inside a word', 'a TXT ab"c"', 5, /a quote in the middle of a word/],
    ['unbalanced ")"', 'a A 192.0.2.1 )', 5, /"\)" without a matching "\("/],
    ['nested "("', 'a TXT ( ( "x" ) )', 5, /"\(" inside parentheses/],
    ['"(" never closed, reported where it opened', 'a TXT ( "x"\n\nb A 192.0.2.1', 5, /"\(" not closed before the end of the file/],
    ['backslash at end of line', 'a TXT x\\', 5, /"\\" at the end of a line/],
  ];
  it.each(cases)('%s', (_, line, expectedLine, reason) => {
    const result = parse(HEAD + line + '\n');
    expect(result.zone).toBeUndefined();
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]).toMatchObject({ file: 'example.com.zone', line: expectedLine });
    expect(result.errors[0].reason).toMatch(reason);
  });

  it('reports the first line of a record that spans lines', () => {
    expect(errors(HEAD + 'a TXT ( "one"\n  "two"\n  "x\\999" )\n')).toEqual([
      'example.com.zone:5: bad escape "\\999" in "x\\999": \\DDD takes three digits, 000 to 255',
    ]);
  });

  it('collects every error instead of stopping at the first, and counts lines across parentheses', () => {
    expect(errors(HEAD + 'a A 1.2.3\nb ( MX\n 1 )\nc A 1.2.3.4.5\n').map((e) => e.split(': ')[0])).toEqual([
      'example.com.zone:5', 'example.com.zone:6', 'example.com.zone:8',
    ]);
  });

  it('rejects a blank owner before any record', () => {
    expect(errors('$TTL 60\n  A 192.0.2.1\n')).toEqual([
      'example.com.zone:2: line starts with a blank (same owner as before) but there is no record before it',
    ]);
  });

  it('rejects an origin that is not a domain name, at line 0', () => {
    expect(errors(HEAD, { origin: 'my zone' })).toEqual([
      'example.com.zone: origin "my zone" is not a valid domain name: name "my zone." has a character Hops cannot serve in a label (only printable ASCII, no dot)',
    ]);
  });
});

describe('zone validation', () => {
  it('requires an SOA record (whole-file error, line 0)', () => {
    expect(errors('$TTL 60\n@ NS ns1\nns1 A 192.0.2.1\n')).toEqual([
      'example.com.zone: no SOA record: a zone needs exactly one, at its apex',
    ]);
  });

  it('rejects a second SOA', () => {
    expect(errors(HEAD + 'sub SOA ns1 h 2 2 3 4 5\n')).toEqual([
      "example.com.zone:5: a second SOA record (the zone's SOA is at example.com.zone:2); a zone has exactly one",
    ]);
  });

  it('collapses identical records, including identical SOAs, silently (RFC 2181 §5)', () => {
    const result = parse(HEAD + '@ SOA ns1 hostmaster 1 7200 900 1209600 300\nns1 A 192.0.2.1\nns1 3600 IN A 192.0.2.1\nns1.example.com. A 192.0.2.2\n');
    expect(result.warnings).toEqual([]);
    expect(result.zone!.records.map(show)).toEqual([
      'example.com 3600 SOA ns1.example.com hostmaster.example.com 1 7200 900 1209600 300',
      'example.com 3600 NS ns1.example.com',
      'ns1.example.com 3600 A 192.0.2.1',
      'ns1.example.com 3600 A 192.0.2.2',
    ]);
  });

  it('takes the apex from the SOA owner, and requires NS there', () => {
    expect(errors('$TTL 60\nsub SOA ns1 h 1 2 3 4 5\n@ NS ns1\n')).toEqual([
      'example.com.zone:3: example.com is outside the zone sub.example.com (the owner of its SOA record)',
      'example.com.zone:2: no NS records at the zone apex sub.example.com',
    ]);
  });

  it('rejects records outside the apex', () => {
    expect(errors(HEAD + 'www.example.net. A 192.0.2.1\n')).toEqual([
      'example.com.zone:5: www.example.net is outside the zone example.com (the owner of its SOA record)',
    ]);
  });

  it('rejects a CNAME beside other data, whichever comes first (RFC 1034 §3.6.2)', () => {
    expect(errors(HEAD + 'a CNAME ns1\na TXT "x"\nb A 192.0.2.1\nb CNAME ns1\n')).toEqual([
      'example.com.zone:6: a.example.com has a CNAME and TXT data; a CNAME must be alone at its name (RFC 1034 §3.6.2)',
      'example.com.zone:8: b.example.com has a CNAME and A data; a CNAME must be alone at its name (RFC 1034 §3.6.2)',
    ]);
  });

  it('rejects two CNAMEs at one name, and a CNAME at the apex', () => {
    expect(errors(HEAD + 'a CNAME ns1\na CNAME ns2\n@ CNAME ns1\n')).toEqual([
      'example.com.zone:6: more than one CNAME record at a.example.com',
      'example.com.zone:7: example.com has a CNAME and SOA data; a CNAME must be alone at its name (RFC 1034 §3.6.2)',
    ]);
  });

  it('lets RRSIG and NSEC sit beside a CNAME (RFC 4035 §2.5)', () => {
    expect(extra('a CNAME ns1\na NSEC \\# 3 000000\n')).toEqual([
      'a.example.com 3600 CNAME ns1.example.com',
      'a.example.com 3600 NSEC \\# 3 000000',
    ]);
  });

  it('uses the lowest TTL of an RRset and warns at the record that differs (RFC 2181 §5.2)', () => {
    const result = parse(HEAD + 'a 600 A 192.0.2.1\nb A 192.0.2.9\na 300 A 192.0.2.2\na 900 A 192.0.2.3\n');
    expect(result.zone!.records.map(show).slice(3)).toEqual([
      'a.example.com 300 A 192.0.2.1',
      'a.example.com 300 A 192.0.2.2',
      'a.example.com 300 A 192.0.2.3',
      'b.example.com 3600 A 192.0.2.9',
    ]);
    expect(result.warnings.map(String)).toEqual([
      'example.com.zone:7: the a.example.com A records have TTLs 600 and 300; using 300 for all of them (RFC 2181 §5.2)',
    ]);
  });

  it('warns about data at or below a delegation that will not be served', () => {
    const result = parse(HEAD + 'sub NS ns.sub\nsub TXT "x"\nns.sub A 192.0.2.7\nwww.sub A 192.0.2.8\nwww.sub MX 1 ns1\n');
    expect(result.errors).toEqual([]);
    expect(result.warnings.map(String)).toEqual([
      'example.com.zone:6: sub.example.com TXT is at or below the delegation at sub.example.com and will not be served',
      'example.com.zone:9: www.sub.example.com MX is at or below the delegation at sub.example.com and will not be served',
    ]);
  });
});

describe('$INCLUDE', () => {
  const files: Record<string, string> = {
    'zones/hosts.inc': 'www A 192.0.2.80\n  AAAA 2001:db8::80\n',
    'zones/sub/more.inc': '$ORIGIN deeper.example.com.\nx A 192.0.2.81\n',
    'zones/bad.inc': 'ok A 192.0.2.82\n\nbad A 999.0.0.1\n',
    'zones/loop-a.inc': '$INCLUDE loop-b.inc\n',
    'zones/loop-b.inc': 'y A 192.0.2.83\n$INCLUDE loop-a.inc\n',
    'zones/self.inc': '$INCLUDE self.inc\n',
    'zones/nested.inc': '$INCLUDE nested2.inc\n',
    'zones/nested2.inc': 'n A 192.0.2.84\n',
  };
  const readFile = (path: string) => {
    if (!(path in files)) throw new Error(`ENOENT: no such file or directory, open '${path}'`);
    return files[path];
  };
  const opts = { file: 'zones/example.com.zone', readFile };

  it('reads files relative to the including file, with an optional origin that does not leak back', () => {
    const result = parse(HEAD + '$INCLUDE hosts.inc\n$INCLUDE sub/more.inc other.example.com.\n$INCLUDE hosts.inc sub\nafter A 192.0.2.99\n', opts);
    expect(result.errors).toEqual([]);
    expect(result.zone!.records.map(show).slice(3)).toEqual([
      'www.example.com 3600 A 192.0.2.80',
      'www.example.com 3600 AAAA 2001:db8::80',
      'x.deeper.example.com 3600 A 192.0.2.81',
      'www.sub.example.com 3600 A 192.0.2.80',
      'www.sub.example.com 3600 AAAA 2001:db8::80',
      'after.example.com 3600 A 192.0.2.99',
    ]);
  });

  it('reports errors in an included file against that file and its own line', () => {
    expect(errors(HEAD + '$INCLUDE bad.inc\n', opts)).toEqual([
      'zones/bad.inc:3: bad IPv4 address "999.0.0.1"',
    ]);
  });

  it('reports an include loop at the $INCLUDE line that closes it', () => {
    expect(errors(HEAD + '\n$INCLUDE loop-a.inc\n', opts)).toEqual([
      'zones/loop-b.inc:2: $INCLUDE loop: zones/loop-a.inc is already being read',
    ]);
    expect(errors(HEAD + '$INCLUDE self.inc\n', opts)).toEqual([
      'zones/self.inc:1: $INCLUDE loop: zones/self.inc is already being read',
    ]);
    expect(errors(HEAD + '$INCLUDE example.com.zone\n', opts)).toEqual([
      'zones/example.com.zone:5: $INCLUDE loop: zones/example.com.zone is already being read',
    ]);
  });

  it('bounds the include depth', () => {
    expect(parse(HEAD + '$INCLUDE nested.inc\n', { ...opts, maxIncludeDepth: 2 }).errors).toEqual([]);
    expect(errors(HEAD + '$INCLUDE nested.inc\n', { ...opts, maxIncludeDepth: 1 })).toEqual([
      'zones/nested.inc:1: $INCLUDE nested more than 1 deep',
    ]);
  });

  it('reports a missing file at the $INCLUDE line', () => {
    expect(errors(HEAD + '$INCLUDE missing.inc\n', opts)).toEqual([
      "zones/example.com.zone:5: cannot read $INCLUDE file zones/missing.inc: ENOENT: no such file or directory, open 'zones/missing.inc'",
    ]);
  });
});
