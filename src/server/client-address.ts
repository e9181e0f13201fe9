// A client's address as numbers, read once per query for the access list and
// the rate limiter. util/cidr.ts works in BigInt, which is fine for parsing
// configuration but too slow to run on every datagram: here IPv4 is one
// 32-bit word and IPv6 four, so matching is a few integer ANDs.

/** `words` has 1 element for IPv4, 4 for IPv6 (most significant first, unsigned). */
export interface ClientAddress {
  family: 4 | 6;
  words: number[];
}

/**
 * Parses an address as a socket reports it: "192.0.2.1", "2001:db8::1",
 * "fe80::1%eth0" (the zone index is dropped) or IPv4-mapped "::ffff:192.0.2.1"
 * (RFC 4291 §2.5.5.2), which becomes IPv4 so a dual-stack socket's clients
 * match IPv4 rules. Undefined for anything else.
 */
export function parseClientAddress(text: string): ClientAddress | undefined {
  if (!text.includes(':')) {
    const v4 = parseIpv4(text);
    return v4 === undefined ? undefined : { family: 4, words: [v4] };
  }
  const words = parseIpv6(text);
  if (!words) return undefined;
  if (words[0] === 0 && words[1] === 0 && words[2] === 0xffff) return { family: 4, words: [words[3]] };
  return { family: 6, words };
}

// A character loop rather than split and regular expressions: this runs for
// every query, and IPv4 is what most clients have.
function parseIpv4(text: string): number | undefined {
  let value = 0;
  let part = -1;
  let dots = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x2e) {
      if (part < 0 || ++dots > 3) return undefined;
      value = value * 256 + part;
      part = -1;
    } else if (c >= 0x30 && c <= 0x39) {
      part = part < 0 ? c - 0x30 : part * 10 + c - 0x30;
      if (part > 255) return undefined;
    } else {
      return undefined;
    }
  }
  return part < 0 || dots !== 3 ? undefined : value * 256 + part;
}

function parseIpv6(text: string): number[] | undefined {
  const percent = text.indexOf('%');
  let rest = percent < 0 ? text : text.slice(0, percent);
  const groups: number[] = [];
  // A trailing dotted quad stands for the last two groups.
  const lastColon = rest.lastIndexOf(':');
  let tail: number | undefined;
  if (rest.includes('.', lastColon)) {
    tail = parseIpv4(rest.slice(lastColon + 1));
    if (tail === undefined) return undefined;
    rest = rest.slice(0, lastColon + 1) + '0:0';
  }
  const halves = rest.split('::');
  if (halves.length > 2) return undefined;
  const head = halves[0] === '' ? [] : halves[0].split(':');
  const back = halves.length === 2 && halves[1] !== '' ? halves[1].split(':') : [];
  const missing = 8 - head.length - back.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return undefined;
  for (const g of [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill('0'), ...back]) {
    if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return undefined;
    groups.push(parseInt(g, 16));
  }
  const words = [0, 1, 2, 3].map((i) => groups[2 * i] * 0x10000 + groups[2 * i + 1]);
  if (tail !== undefined) words[3] = tail;
  return words;
}

/**
 * The network a client is rate-limited with: its /24 (IPv4) or /56 (IPv6),
 * the prefixes BIND's RRL uses by default, since one host or one customer's
 * delegated IPv6 prefix can use any address inside them. Numbers for IPv4,
 * strings for IPv6, so the two never collide in one Map.
 */
export function networkKey(address: ClientAddress): number | string {
  if (address.family === 4) return Math.floor(address.words[0] / 256);
  return `${address.words[0].toString(16)}:${Math.floor(address.words[1] / 256).toString(16)}`;
}
