// Who may ask. Recursion is offered only to the client networks in `allow`:
// an open resolver is a ready-made amplifier for reflection attacks, and
// RFC 5358 §4 asks that recursion be limited to the intended clients. Local
// zones answer everyone by default, as an authoritative server does
// (`localZonesAccess: all`), or only the same networks (`allowed`).

import { parseCidr, type Cidr } from '../util/cidr.js';
import type { ClientAddress } from './client-address.js';

export type LocalZonesAccess = 'all' | 'allowed';

/** One allowed network, pre-split into the 32-bit words parseClientAddress yields. */
interface Rule {
  network: number[];
  masks: number[];
}

export class AccessControl {
  /** Some network is 0.0.0.0/0 or ::/0: every client of that family gets recursion. */
  readonly open: boolean;
  /** Local-zone answers go to every client, not only the allowed ones. */
  readonly localZonesForAll: boolean;
  private readonly v4: Rule[] = [];
  private readonly v6: Rule[] = [];

  /** @param allow CIDR strings, already validated by the config layer. */
  constructor(allow: readonly string[], localZonesAccess: LocalZonesAccess) {
    const cidrs = allow.map(parseCidr);
    for (const cidr of cidrs) (cidr.family === 4 ? this.v4 : this.v6).push(toRule(cidr));
    this.open = cidrs.some((c) => c.prefix === 0);
    this.localZonesForAll = localZonesAccess === 'all';
  }

  /**
   * True when the client may recurse (and, with `allowed`, read local zones).
   * Takes the address parseClientAddress made (undefined: unreadable, refused).
   */
  allows(client: ClientAddress | undefined): boolean {
    if (!client) return false;
    const rules = client.family === 4 ? this.v4 : this.v6;
    const words = client.words;
    for (const rule of rules) {
      let i = 0;
      while (i < words.length && ((words[i] & rule.masks[i]) >>> 0) === rule.network[i]) i++;
      if (i === words.length) return true;
    }
    return false;
  }
}

function toRule(cidr: Cidr): Rule {
  const count = cidr.family === 4 ? 1 : 4;
  const network: number[] = [];
  const masks: number[] = [];
  for (let i = 0; i < count; i++) {
    const shift = BigInt(32 * (count - 1 - i));
    network.push(Number((cidr.network >> shift) & 0xffffffffn));
    const bits = Math.min(32, Math.max(0, cidr.prefix - 32 * i));
    masks.push(bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0);
  }
  return { network, masks };
}
