// The trust anchors and negative trust anchors a validator starts from:
// which zone's keys are trusted without proof (RFC 4035 §4.4), and below
// which names nothing is validated (RFC 7646).

import type { ResourceRecord } from '../dns/message.js';
import { isSubdomain, normalizeName, parentName, ROOT } from '../dns/name.js';

export class TrustAnchors {
  private readonly byZone = new Map<string, ResourceRecord[]>();
  private readonly negative: string[];

  constructor(anchors: readonly ResourceRecord[], negativeAnchors: readonly string[] = []) {
    for (const rr of anchors) {
      const zone = normalizeName(rr.name);
      const list = this.byZone.get(zone) ?? [];
      list.push({ ...rr, name: zone });
      this.byZone.set(zone, list);
    }
    this.negative = negativeAnchors.map(normalizeName);
  }

  /** The deepest anchored zone at or above `name`, if any. */
  closestAnchor(name: string): string | undefined {
    for (let n = name; ; n = parentName(n)) {
      if (this.byZone.has(n)) return n;
      if (n === ROOT) return undefined;
    }
  }

  /** The negative trust anchor at or above `name`, if any: validation is off there. */
  negativeAnchorFor(name: string): string | undefined {
    return this.negative.find((nta) => isSubdomain(name, nta));
  }

  dsFor(zone: string): ResourceRecord[] {
    return (this.byZone.get(zone) ?? []).filter((rr) => rr.type === 'DS');
  }

  dnskeysFor(zone: string): ResourceRecord[] {
    return (this.byZone.get(zone) ?? []).filter((rr) => rr.type === 'DNSKEY');
  }
}
