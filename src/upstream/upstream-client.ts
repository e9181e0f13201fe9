// One question to one upstream server, as a conversation: UDP with EDNS
// first, TCP when the reply is truncated (RFC 7766 §5), plain DNS when the
// server rejects EDNS (RFC 6891 §7). What it learns about the server (RTT,
// timeouts, EDNS) goes to the ServerInfra; what the reply *means* is the
// resolver's business (scrub, classify).

import type { Clock } from '../util/clock.js';
import type { Random } from '../util/random.js';
import { emptyMessage, RCode, type Message, type Question } from '../dns/message.js';
import type { Budget } from '../resolver/budget.js';
import { serverAddress } from './endpoint.js';
import type { ServerInfra } from './servers.js';
import { NetworkError, TimeoutError, type Transport } from './transport.js';

/**
 * RFC 6891 §6.2.5 / DNS Flag Day 2020: 1232 bytes fits the IPv6 minimum MTU,
 * so replies do not get fragmented (fragments are easy to spoof).
 */
export const EDNS_UDP_SIZE = 1232;

export interface UpstreamClientDeps {
  transport: Transport;
  random: Random;
  clock: Clock;
  infra: ServerInfra;
  port: number;
  /**
   * Validating: DO=1 on every query with EDNS (RFC 4035 §3.2.1, so servers
   * send RRSIG, NSEC and DS), and CD=1 to forwarders (RFC 4035 §3.2.2:
   * we check the data ourselves, so a validating forwarder must not hide
   * bogus data from us behind a SERVFAIL).
   */
  dnssecOk?: boolean;
}

export class UpstreamClient {
  constructor(private readonly deps: UpstreamClientDeps) {}

  /**
   * Asks `address` (`ADDRESS` or `ADDRESS@PORT`, see ./endpoint.ts) the
   * question and returns its reply. Each message sent is charged to `budget`
   * as try number `attempt`; rejects with TimeoutError or NetworkError
   * (already recorded against the server) or BudgetExceededError. `rd`: ask
   * for recursion, for forwarders only.
   */
  async query(address: string, question: Question, budget: Budget, attempt: number, rd = false): Promise<Message> {
    const { transport, clock, infra } = this.deps;
    const server = serverAddress(address, this.deps.port);
    let edns = infra.usesEdns(address);
    let protocol: 'udp' | 'tcp' = 'udp';
    // Each retry switches EDNS off or UDP to TCP, never back: at most three exchanges.
    for (;;) {
      const timeoutMs = budget.spendQuery(attempt);
      const query = this.buildQuery(question, edns, rd);
      const started = clock.now();
      let reply: Message;
      try {
        reply = await transport.exchange(server, query, { protocol, timeoutMs });
      } catch (err) {
        if (err instanceof TimeoutError || err instanceof NetworkError) infra.recordTimeout(address);
        throw err;
      }
      infra.recordRtt(address, clock.now() - started);
      // RFC 6891 §7: a server that does not know EDNS answers FORMERR (some
      // NOTIMP) without an OPT record.
      if (edns && !reply.edns && (reply.rcode === RCode.FORMERR || reply.rcode === RCode.NOTIMP)) {
        infra.disableEdns(address);
        edns = false;
        continue;
      }
      if (reply.tc && protocol === 'udp') {
        protocol = 'tcp';
        continue;
      }
      return reply;
    }
  }

  private buildQuery(question: Question, edns: boolean, rd: boolean): Message {
    // RFC 5452 §9.2: a fresh unpredictable id for every message sent.
    const query = emptyMessage(this.deps.random.int(0x10000));
    query.questions = [{ name: question.name.toLowerCase(), type: question.type, class: question.class }];
    // RD=0 when we iterate: the server should not recurse for us. RD=1 to a forwarder.
    query.rd = rd;
    const dnssecOk = this.deps.dnssecOk === true;
    if (edns) query.edns = { udpSize: EDNS_UDP_SIZE, version: 0, dnssecOk, extendedRcode: 0, options: [] };
    query.cd = dnssecOk && rd;
    return query;
  }
}
