// The listeners as a real DNS client sees them: BIND's dig against an
// in-process server on loopback.

import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/util/log.js';
import { QueryHandler } from '../../src/server/query-handler.js';
import { startServer, type RunningServer } from '../../src/server/server.js';
import { FakeRecursor, FakeZones } from './helpers.js';

const run = promisify(execFile);
const haveDig = await run('dig', ['-v']).then(() => true, () => false);

describe.skipIf(!haveDig)('dig against the listeners', () => {
  let server: RunningServer;
  let v4: number;
  let v6: number;
  const recursor = new FakeRecursor();

  beforeAll(async () => {
    const handler = new QueryHandler({ zones: new FakeZones(), recursor, recursion: true, logger: silentLogger });
    server = await startServer({ listen: [{ host: '127.0.0.1', port: 0 }, { host: '::1', port: 0 }], handler, logger: silentLogger });
    [v4, v6] = server.addresses.map((a) => a.port);
  });
  afterAll(() => server.close());

  const dig = async (...args: string[]) =>
    (await run('dig', ['@127.0.0.1', '-p', String(v4), '+time=2', '+tries=1', ...args])).stdout;

  it('answers over UDP and TCP, IPv4 and IPv6', async () => {
    for (const out of [
      await dig('www.example.test', 'A'),
      await dig('www.example.test', 'A', '+tcp'),
      (await run('dig', ['@::1', '-p', String(v6), '+time=2', '+tries=1', 'www.example.test', 'A', '+tcp'])).stdout,
    ]) {
      expect(out).toContain('status: NOERROR');
      expect(out).toMatch(/flags: qr aa rd ra;/);
      expect(out).toMatch(/www\.example\.test\.\s+300\s+IN\s+A\s+192\.0\.2\.1/);
    }
  });

  it('sets TC on a UDP answer too big for 512 bytes, and dig gets it all over TCP', async () => {
    expect(await dig('big.example.test', 'TXT', '+noedns', '+ignore')).toMatch(/flags: qr aa tc rd ra;/);
    const retried = await dig('big.example.test', 'TXT', '+noedns');
    expect(retried).toContain('Truncated, retrying in TCP mode.');
    expect(retried).toContain('ANSWER: 40,');
  });

  it('advertises 1232 bytes in its OPT record', async () => {
    expect(await dig('www.example.test', 'A', '+bufsize=4096')).toMatch(/EDNS: version: 0, flags:; udp: 1232/);
  });

  it('answers BADVERS to EDNS version 1', async () => {
    const out = await dig('www.example.test', 'A', '+edns=1', '+noednsneg');
    expect(out).toContain('status: BADVERS');
    expect(out).toContain('EDNS: version: 0');
  });

  it('refuses CHAOS version.bind', async () => {
    expect(await dig('version.bind', 'TXT', 'CH')).toContain('status: REFUSED');
  });

  it('refuses AXFR', async () => {
    const out = await dig('example.test', 'AXFR');
    expect(out).toMatch(/Transfer failed|REFUSED/);
  });

  it('answers NOTIMP to NOTIFY', async () => {
    expect(await dig('example.test', 'SOA', '+opcode=notify')).toContain('status: NOTIMP');
  });

  it('recurses for other names, from cache only when RD=0', async () => {
    expect(await dig('www.example.org', 'A')).toMatch(/flags: qr rd ra;/);
    expect(await dig('www.example.org', 'A', '+norecurse')).toMatch(/flags: qr ra;/);
    expect(recursor.calls.map((c) => c.options.cacheOnly)).toEqual([false, true]);
  });
});
