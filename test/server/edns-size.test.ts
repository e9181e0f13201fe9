// RFC 6891 §6.2.3–§6.2.5 and RFC 1035 §4.2.1: how big a response may be, and
// truncation on RRset boundaries with TC=1 when it does not fit (RFC 2181 §9).

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeMessage } from '../../src/dns/codec.js';
import { silentLogger } from '../../src/util/log.js';
import { QueryHandler } from '../../src/server/query-handler.js';
import { responseSizeLimit } from '../../src/server/edns.js';
import { startServer, type RunningServer } from '../../src/server/server.js';
import type { ClientInfo } from '../../src/server/message-handler.js';
import { BIG_TXT, FakeRecursor, FakeZones, MANY_A, TcpClient, query, udpExchange } from './helpers.js';

const UDP: ClientInfo = { address: '127.0.0.1', port: 1, transport: 'udp' };
const TCP: ClientInfo = { ...UDP, transport: 'tcp' };
const edns = (udpSize: number) => ({ udpSize, version: 0, dnssecOk: false, extendedRcode: 0, options: [] });

describe('responseSizeLimit', () => {
  it('is 512 over UDP without EDNS', () => expect(responseSizeLimit(undefined, 'udp')).toBe(512));
  it('honours the client\'s size between 512 and 1232', () => expect(responseSizeLimit(edns(1000), 'udp')).toBe(1000));
  it('treats sizes below 512 as 512 (RFC 6891 §6.2.5)', () => expect(responseSizeLimit(edns(100), 'udp')).toBe(512));
  it('never exceeds the 1232 we advertise', () => expect(responseSizeLimit(edns(4096), 'udp')).toBe(1232));
  it('is 65535 over TCP, EDNS or not', () => {
    expect(responseSizeLimit(undefined, 'tcp')).toBe(65535);
    expect(responseSizeLimit(edns(512), 'tcp')).toBe(65535);
  });
});

describe('truncation in the handler', () => {
  const h = new QueryHandler({ zones: new FakeZones(), recursor: new FakeRecursor(), recursion: true, logger: silentLogger });
  const handle = async (wire: Buffer, client: ClientInfo) => (await h.handle(wire, client))!;

  it('cuts a big TXT RRset to 512 bytes without EDNS: TC=1, no partial RRset', async () => {
    const reply = await handle(query('big.example.test', 'TXT'), UDP);
    expect(reply.length).toBeLessThanOrEqual(512);
    const msg = decodeMessage(reply);
    expect(msg.tc).toBe(true);
    expect(msg.answers).toEqual([]);
    expect(msg.questions[0].name).toBe('big.example.test');
  });

  it('honours the client\'s EDNS size and keeps the OPT when truncating', async () => {
    const reply = await handle(query('many.example.test', 'A', { edns: { udpSize: 1000 } }), UDP);
    expect(reply.length).toBeLessThanOrEqual(1000);
    const msg = decodeMessage(reply);
    expect(msg.tc).toBe(true);
    expect(msg.edns?.udpSize).toBe(1232);
  });

  it('sends no more than 1232 bytes over UDP however large the client allows', async () => {
    const reply = await handle(query('many.example.test', 'A', { edns: { udpSize: 4096 } }), UDP);
    expect(reply.length).toBeLessThanOrEqual(1232);
    expect(decodeMessage(reply).tc).toBe(true);
  });

  it('does not truncate what fits', async () => {
    const msg = decodeMessage(await handle(query('www.example.test', 'A'), UDP));
    expect(msg.tc).toBe(false);
    expect(msg.answers).toHaveLength(1);
  });

  it('sends the whole RRset over TCP', async () => {
    for (const [name, type, expected] of [['big.example.test', 'TXT', BIG_TXT], ['many.example.test', 'A', MANY_A]] as const) {
      const reply = await handle(query(name, type, { edns: true }), TCP);
      expect(reply.length).toBeGreaterThan(1232);
      const msg = decodeMessage(reply);
      expect(msg.tc).toBe(false);
      expect(msg.answers).toHaveLength(expected.length);
    }
  });
});

describe('truncation over real sockets', () => {
  let server: RunningServer;
  let port: number;
  beforeAll(async () => {
    const handler = new QueryHandler({ zones: new FakeZones(), recursion: false, logger: silentLogger });
    server = await startServer({ listen: [{ host: '127.0.0.1', port: 0 }], handler, logger: silentLogger });
    port = server.addresses[0].port;
  });
  afterAll(() => server.close());

  it('UDP: TC=1 within 512 bytes, then the full answer over TCP', async () => {
    const wire = query('big.example.test', 'TXT', { id: 77 });
    const udp = decodeMessage((await udpExchange('127.0.0.1', port, wire))!);
    expect(udp).toMatchObject({ id: 77, tc: true });
    const client = await TcpClient.connect('127.0.0.1', port);
    client.send(wire);
    const [reply] = await client.waitFor(1);
    client.close();
    const tcp = decodeMessage(reply);
    expect(tcp).toMatchObject({ id: 77, tc: false });
    expect(tcp.answers).toHaveLength(BIG_TXT.length);
  });

  it('UDP with EDNS 1232: the 100 A records do not fit, TC=1', async () => {
    const reply = (await udpExchange('127.0.0.1', port, query('many.example.test', 'A', { edns: { udpSize: 1232 } })))!;
    expect(reply.length).toBeLessThanOrEqual(1232);
    expect(decodeMessage(reply).tc).toBe(true);
  });
});
