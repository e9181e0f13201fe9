// What went wrong while asking the servers of one zone cut, kept so that
// when no server is left the SERVFAIL can say why (RFC 8914), as Knot
// Resolver does with "No Reachable Authority: delegation <zone>".
//
// RFC 8914 §4.23 (22, No Reachable Authority): "could not reach any of the
// authoritative name servers (or they potentially refused to reply)" covers
// timeouts, closed ports, lame servers (REFUSED, non-authoritative) and
// SERVFAIL alike. §4.24 (23, Network Error, "an unrecoverable error occurred
// while communicating with another server") is kept for when nothing could
// even be sent: every server tried failed at our end of the wire.

import { EdeCode, type ExtendedError } from '../dns/ede.js';
import { ROOT } from '../dns/name.js';
import { NetworkError, type TimeoutError } from '../upstream/transport.js';

/**
 * Socket errors that come from the server's side: its host said nothing
 * listens there (ICMP port unreachable on a connected UDP socket, a TCP RST)
 * or closed the connection. Our network worked; the server is down.
 */
const SERVER_SIDE_ERRNOS = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE']);

interface Outcome {
  /** Nothing left our host (no route, network down, …): a Network Error if that is all there was. */
  unsent: boolean;
  /** What the EXTRA-TEXT says of it: "timed out", "unreachable", "REFUSED", … */
  label: string;
}

export class ZoneFailures {
  /** The last failure of each server address asked. */
  private readonly outcomes = new Map<string, Outcome>();

  /** A query to `address` timed out or could not be exchanged. */
  exchangeFailed(address: string, err: TimeoutError | NetworkError): void {
    if (!(err instanceof NetworkError)) {
      this.outcomes.set(address, { unsent: false, label: 'timed out' });
    } else if (err.errno === undefined || SERVER_SIDE_ERRNOS.has(err.errno)) {
      this.outcomes.set(address, { unsent: false, label: 'unreachable' });
    } else {
      this.outcomes.set(address, { unsent: true, label: `network error ${err.errno}` });
    }
  }

  /** `address` replied, but uselessly (lame or failing); `reason` as classify() gives it. */
  replied(address: string, reason: string): void {
    this.outcomes.set(address, { unsent: false, label: reason });
  }

  /**
   * The Extended DNS Error for "no server of `zone` is left to ask", given
   * the addresses the cut had: 23 when every server asked failed at our end,
   * else 22, with a count per kind of failure, e.g.
   * "zone example.com.: no server answered (timed out: 2, REFUSED: 1)".
   */
  ede(zone: string, addresses: readonly string[]): ExtendedError {
    const fqdn = zone === ROOT ? ROOT : `${zone}.`;
    const counts = new Map<string, number>();
    let unsent = 0;
    for (const outcome of this.outcomes.values()) {
      counts.set(outcome.label, (counts.get(outcome.label) ?? 0) + 1);
      if (outcome.unsent) unsent++;
    }
    // Unresponsive servers not due for a probe: the ServerInfra had them skipped.
    const skipped = [...new Set(addresses)].filter((address) => !this.outcomes.has(address)).length;
    if (skipped > 0) counts.set('unresponsive, not probed yet', skipped);
    if (counts.size === 0) return { code: EdeCode.NoReachableAuthority, text: `zone ${fqdn}: no address for any server` };
    const code = unsent > 0 && unsent === this.outcomes.size ? EdeCode.NetworkError : EdeCode.NoReachableAuthority;
    const details = [...counts].map(([label, n]) => `${label}: ${n}`).join(', ');
    return { code, text: `zone ${fqdn}: no server answered (${details})` };
  }
}
