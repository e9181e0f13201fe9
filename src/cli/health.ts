// `hops health`: is this Hops answering? One real DNS query over UDP to the
// local listener, for container health checks.
//
// Any well-formed reply carrying our id and question counts as healthy,
// whatever its RCODE (REFUSED from an ACL, SERVFAIL, ...): it proves the
// listener took the datagram and the whole pipeline produced a response.
// The query has RD=0, so Hops answers from its zones and cache alone and
// never waits on upstream servers (RFC 1034 §4.3.1: no recursion unless
// RD is set); the check works the same with or without internet access.

import { emptyMessage, rcodeName } from '../dns/message.js';
import { normalizeName } from '../dns/name.js';
import { NetTransport } from '../upstream/net-transport.js';
import { NetworkError, TimeoutError } from '../upstream/transport.js';
import { cryptoRandom } from '../util/random.js';

export interface HealthCheckOptions {
  /**
   * The listener's address. The wildcard (0.0.0.0, ::) works too: the kernel
   * sends to loopback instead and takes that as the connected peer.
   */
  host: string;
  port: number;
  /** Whose NS to ask for; default the root. A local zone's apex always has an answer. */
  name?: string;
  timeoutMs: number;
}

export interface HealthCheckResult {
  ok: boolean;
  /** One line for the operator: what answered, or why nothing did. */
  message: string;
}

export async function runHealthCheck(options: HealthCheckOptions): Promise<HealthCheckResult> {
  const server = { address: options.host, port: options.port };
  const query = emptyMessage(cryptoRandom.int(0x10000));
  query.questions.push({ name: normalizeName(options.name ?? '.'), type: 'NS', class: 'IN' });
  const started = performance.now();
  try {
    const reply = await new NetTransport().exchange(server, query, { protocol: 'udp', timeoutMs: options.timeoutMs });
    const ms = Math.round(performance.now() - started);
    return { ok: true, message: `${server.address} port ${server.port} answered ${rcodeName(reply.rcode)} in ${ms} ms` };
  } catch (err) {
    if (err instanceof TimeoutError || err instanceof NetworkError) return { ok: false, message: err.message };
    throw err;
  }
}
