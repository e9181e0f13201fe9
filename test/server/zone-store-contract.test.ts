// The real ZoneStore behind the listeners: the LocalZones contract the
// QueryHandler relies on, exercised end to end over UDP and TCP.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeMessage } from '../../src/dns/codec.js';
import { RCode } from '../../src/dns/message.js';
import { silentLogger } from '../../src/util/log.js';
import { parseZoneFile } from '../../src/zones/zone-file.js';
import { ZoneStore } from '../../src/zones/zone-store.js';
import { QueryHandler } from '../../src/server/query-handler.js';
import { startServer, type RunningServer } from '../../src/server/server.js';
import { TcpClient, query, udpExchange } from './helpers.js';

const ZONE = `
$TTL 300
@       SOA  ns hostmaster 1 3600 600 86400 60
        NS   ns
ns      A    192.0.2.53
www     A    192.0.2.1
kids    NS   ns.kids
ns.kids A    192.0.2.54
${Array.from({ length: 60 }, (_, i) => `many A 198.51.100.${i + 1}`).join('\n')}
`;

describe('QueryHandler with the real ZoneStore', () => {
  let server: RunningServer;
  let port: number;
  const udp = async (name: string, type: string, options = {}) =>
    decodeMessage((await udpExchange('127.0.0.1', port, query(name, type, options)))!);

  beforeAll(async () => {
    const parsed = parseZoneFile(ZONE, { file: 'example.test.zone', origin: 'example.test' });
    if (!parsed.zone) throw new Error(parsed.errors.join('\n'));
    const handler = new QueryHandler({ zones: new ZoneStore([parsed.zone]), recursion: false, logger: silentLogger });
    server = await startServer({ listen: [{ host: '127.0.0.1', port: 0 }], handler, logger: silentLogger });
    port = server.addresses[0].port;
  });
  afterAll(() => server.close());

  it('answers authoritatively, echoing the question as written', async () => {
    const reply = await udp('WWW.Example.Test', 'A', { id: 11, edns: true });
    expect(reply).toMatchObject({ id: 11, aa: true, ra: false, rcode: RCode.NOERROR });
    expect(reply.questions[0].name).toBe('WWW.Example.Test');
    expect(reply.answers.map((rr) => rr.data)).toEqual(['192.0.2.1']);
    expect(reply.edns?.udpSize).toBe(1232);
  });

  it('answers NXDOMAIN with the SOA, and refers with AA=0 below a delegation', async () => {
    const nx = await udp('nope.example.test', 'A');
    expect(nx).toMatchObject({ rcode: RCode.NXDOMAIN, aa: true });
    expect(nx.authorities.map((rr) => rr.type)).toEqual(['SOA']);
    const referral = await udp('a.kids.example.test', 'A');
    expect(referral).toMatchObject({ rcode: RCode.NOERROR, aa: false });
    expect(referral.authorities.map((rr) => rr.type)).toEqual(['NS']);
  });

  it('refuses names outside its zones when recursion is off', async () => {
    expect((await udp('www.example.org', 'A')).rcode).toBe(RCode.REFUSED);
  });

  it('truncates a big RRset over UDP and sends it whole over TCP', async () => {
    expect((await udp('many.example.test', 'A')).tc).toBe(true);
    const client = await TcpClient.connect('127.0.0.1', port);
    client.send(query('many.example.test', 'A'));
    const reply = decodeMessage((await client.waitFor(1))[0]);
    client.close();
    expect(reply.tc).toBe(false);
    expect(reply.answers).toHaveLength(60);
  });
});
