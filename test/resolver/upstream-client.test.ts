// UpstreamClient: how one question is put to one server.

import { describe, expect, it } from 'vitest';
import { emptyMessage, RCode, type Message } from '../../src/dns/message.js';
import { Budget, BudgetExceededError, DEFAULT_BUDGET } from '../../src/resolver/budget.js';
import { ServerInfra } from '../../src/upstream/servers.js';
import { TimeoutError, type ExchangeOptions, type Transport } from '../../src/upstream/transport.js';
import { UpstreamClient } from '../../src/upstream/upstream-client.js';
import { ManualClock } from '../../src/util/clock.js';
import { seededRandom } from '../../src/util/random.js';

const QUESTION = { name: 'WWW.example.com', type: 'A', class: 'IN' };

/** A transport answering with `respond`, recording what it was sent. */
function scripted(respond: (query: Message, options: ExchangeOptions) => Partial<Message> | 'timeout') {
  const sent: { query: Message; options: ExchangeOptions }[] = [];
  const transport: Transport = {
    async exchange(_server, query, options) {
      sent.push({ query, options });
      const reply = respond(query, options);
      if (reply === 'timeout') throw new TimeoutError();
      return { ...emptyMessage(query.id), qr: true, questions: query.questions, ...reply };
    },
  };
  return { sent, transport };
}

function setup(transport: Transport) {
  const clock = new ManualClock();
  const infra = new ServerInfra(clock, seededRandom(1));
  const client = new UpstreamClient({ transport, random: seededRandom(42), clock, infra, port: 53 });
  return { clock, infra, client, budget: new Budget(DEFAULT_BUDGET, clock) };
}

describe('UpstreamClient', () => {
  it('sends an iterative query with a random id and EDNS (1232 bytes) over UDP', async () => {
    const { sent, transport } = scripted(() => ({ aa: true }));
    const { client, budget } = setup(transport);
    await client.query('192.0.2.1', QUESTION, budget, 0);
    const { query, options } = sent[0];
    expect(query).toMatchObject({ rd: false, qr: false, questions: [{ name: 'www.example.com', type: 'A', class: 'IN' }] });
    expect(query.edns).toMatchObject({ udpSize: 1232, version: 0, dnssecOk: false });
    expect(query.id).toBe(seededRandom(42).int(0x10000));
    expect(options).toEqual({ protocol: 'udp', timeoutMs: 400 });
  });

  it('repeats a truncated UDP query over TCP', async () => {
    const { sent, transport } = scripted((_q, o) => ({ tc: o.protocol === 'udp' }));
    const { client, budget } = setup(transport);
    const reply = await client.query('192.0.2.1', QUESTION, budget, 0);
    expect(reply.tc).toBe(false);
    expect(sent.map((s) => s.options.protocol)).toEqual(['udp', 'tcp']);
  });

  it.each([['FORMERR', RCode.FORMERR], ['NOTIMP', RCode.NOTIMP]])('repeats without EDNS after %s without OPT, and remembers', async (_n, rcode) => {
    const { sent, transport } = scripted((q) => (q.edns ? { rcode } : { aa: true }));
    const { client, infra, budget } = setup(transport);
    expect((await client.query('192.0.2.1', QUESTION, budget, 0)).rcode).toBe(RCode.NOERROR);
    expect(sent.map((s) => s.query.edns !== undefined)).toEqual([true, false]);
    expect(infra.usesEdns('192.0.2.1')).toBe(false);
  });

  it('keeps EDNS when a FORMERR reply carries OPT (the server understood EDNS)', async () => {
    const opt = { udpSize: 1232, version: 0, dnssecOk: false, extendedRcode: 0, options: [] };
    const { sent, transport } = scripted(() => ({ rcode: RCode.FORMERR, edns: opt }));
    const { client, budget } = setup(transport);
    expect((await client.query('192.0.2.1', QUESTION, budget, 0)).rcode).toBe(RCode.FORMERR);
    expect(sent).toHaveLength(1);
  });

  it('records timeouts against the server and waits longer on later tries', async () => {
    const { sent, transport } = scripted(() => 'timeout');
    const { client, infra, budget } = setup(transport);
    await expect(client.query('192.0.2.1', QUESTION, budget, 2)).rejects.toBeInstanceOf(TimeoutError);
    expect(sent[0].options.timeoutMs).toBe(900); // 400 × 2² capped at 900
    expect(infra.srtt('192.0.2.1')).toBeGreaterThanOrEqual(1000);
  });

  it('charges every message to the budget', async () => {
    const { transport } = scripted((_q, o) => ({ tc: o.protocol === 'udp' }));
    const { client, clock } = setup(transport);
    const budget = new Budget({ ...DEFAULT_BUDGET, maxUpstreamQueries: 1 }, clock);
    await expect(client.query('192.0.2.1', QUESTION, budget, 0)).rejects.toBeInstanceOf(BudgetExceededError);
  });
});
