// startServer: binding order, addresses, bind failures and shutdown.

import dgram from 'node:dgram';
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { decodeMessage } from '../../src/dns/codec.js';
import { silentLogger } from '../../src/util/log.js';
import { QueryHandler } from '../../src/server/query-handler.js';
import { BindError } from '../../src/server/bind-error.js';
import { startServer, type RunningServer } from '../../src/server/server.js';
import type { ListenAddress } from '../../src/server/address.js';
import { FakeZones, TcpClient, query, udpExchange } from './helpers.js';

const handler = new QueryHandler({ zones: new FakeZones(), recursion: false, logger: silentLogger });
const running: RunningServer[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((s) => s.close()));
});

async function start(listen: ListenAddress[]): Promise<RunningServer> {
  const server = await startServer({ listen, handler, logger: silentLogger });
  running.push(server);
  return server;
}

async function startError(listen: ListenAddress[]): Promise<BindError> {
  const err = await startServer({ listen, handler, logger: silentLogger }).then(
    (server) => {
      running.push(server);
      throw new Error('startServer should have failed');
    },
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(BindError);
  return err as BindError;
}

function udpPortFree(host: string, port: number): Promise<boolean> {
  const socket = dgram.createSocket(net.isIPv6(host) ? 'udp6' : 'udp4');
  return new Promise((resolve) => {
    socket.once('error', () => resolve(false));
    socket.bind(port, host, () => socket.close(() => resolve(true)));
  });
}

function tcpPortFree(host: string, port: number): Promise<boolean> {
  const server = net.createServer();
  return new Promise((resolve) => {
    server.once('error', () => resolve(false));
    server.listen(port, host, () => server.close(() => resolve(true)));
  });
}

async function works(host: string, port: number): Promise<void> {
  const udp = await udpExchange(host, port, query('www.example.test', 'A', { id: 1 }));
  expect(decodeMessage(udp!).id).toBe(1);
  const client = await TcpClient.connect(host, port);
  client.send(query('www.example.test', 'A', { id: 2 }));
  expect(decodeMessage((await client.waitFor(1))[0]).id).toBe(2);
  client.close();
}

describe('startServer', () => {
  it('listens on UDP and TCP on the same port for every address, IPv4 and IPv6', async () => {
    const server = await start([{ host: '127.0.0.1', port: 0 }, { host: '::1', port: 0 }]);
    expect(server.addresses.map((a) => a.host)).toEqual(['127.0.0.1', '::1']);
    for (const { host, port } of server.addresses) {
      expect(port).toBeGreaterThan(0);
      await works(host, port);
    }
  });

  it('binds 0.0.0.0 and :: on the same port side by side (IPV6_V6ONLY on the wildcard)', async () => {
    const first = await start([{ host: '0.0.0.0', port: 0 }]);
    const { port } = first.addresses[0];
    await first.close();
    const server = await start([{ host: '0.0.0.0', port }, { host: '::', port }]);
    await works('127.0.0.1', port);
    await works('::1', port);
    expect(server.addresses).toEqual([{ host: '0.0.0.0', port }, { host: '::', port }]);
  });

  it('rejects with a BindError saying the address is in use', async () => {
    const { port } = (await start([{ host: '127.0.0.1', port: 0 }])).addresses[0];
    const err = await startError([{ host: '127.0.0.1', port }]);
    expect(err).toMatchObject({ code: 'EADDRINUSE', host: '127.0.0.1', port, protocol: 'udp' });
    expect(err.message).toBe(`cannot listen on 127.0.0.1:${port} (udp): the address is already in use (is another DNS server running?)`);
  });

  it('closes the UDP socket it bound when TCP fails', async () => {
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as net.AddressInfo).port;
    try {
      const err = await startError([{ host: '127.0.0.1', port }]);
      expect(err).toMatchObject({ code: 'EADDRINUSE', protocol: 'tcp', port });
      expect(await udpPortFree('127.0.0.1', port)).toBe(true);
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  });

  it('closes addresses already bound when a later one fails', async () => {
    const taken = (await start([{ host: '127.0.0.1', port: 0 }])).addresses[0].port;
    const probe = await start([{ host: '::1', port: 0 }]);
    const free = probe.addresses[0].port;
    await probe.close();
    const err = await startError([{ host: '::1', port: free }, { host: '127.0.0.1', port: taken }]);
    expect(err).toMatchObject({ code: 'EADDRINUSE', host: '127.0.0.1' });
    expect(await udpPortFree('::1', free)).toBe(true);
    expect(await tcpPortFree('::1', free)).toBe(true);
  });

  it('rejects with EADDRNOTAVAIL for an address this host does not have', async () => {
    const err = await startError([{ host: '192.0.2.1', port: 0 }]);
    expect(err.code).toBe('EADDRNOTAVAIL');
    expect(err.message).toContain('192.0.2.1:0 (udp)');
  });

  it.skipIf(process.getuid?.() === 0)('explains EACCES on a privileged port', async () => {
    const err = await startError([{ host: '127.0.0.1', port: 53 }]);
    expect(err.code).toBe('EACCES');
    expect(err.message).toContain('CAP_NET_BIND_SERVICE');
  });

  it('close() stops accepting and closes open connections; calling it twice is fine', async () => {
    const server = await start([{ host: '127.0.0.1', port: 0 }]);
    const { port } = server.addresses[0];
    const client = await TcpClient.connect('127.0.0.1', port);
    await server.close();
    await client.closed;
    await server.close();
    await expect(TcpClient.connect('127.0.0.1', port)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    expect(await udpPortFree('127.0.0.1', port)).toBe(true);
  });
});

describe('BindError', () => {
  const errno = (code: string) => Object.assign(new Error(`listen ${code}`), { code });

  it('tells how to bind a port below 1024 on EACCES', () => {
    const err = new BindError(errno('EACCES'), '::', 53, 'udp');
    expect(err.message).toBe('cannot listen on [::]:53 (udp): permission denied: ports below 1024 need root or ' +
      'CAP_NET_BIND_SERVICE, or use an unprivileged port, e.g. --listen 127.0.0.1:5353');
    expect(err).toMatchObject({ name: 'BindError', code: 'EACCES', host: '::', port: 53, protocol: 'udp' });
  });

  it('keeps the system message for other errors', () => {
    expect(new BindError(errno('EINVAL'), '10.0.0.1', 5353, 'tcp').message).toBe('cannot listen on 10.0.0.1:5353 (tcp): listen EINVAL');
  });
});
