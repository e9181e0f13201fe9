// A real-socket DNS server for tests: UDP and TCP on one loopback port, doing
// whatever the test's script says for each query it receives.

import dgram from 'node:dgram';
import net from 'node:net';
import { decodeMessage } from '../../src/dns/codec.js';
import { FrameReader, frame } from '../../src/dns/tcp-framing.js';
import { NetTransport, type NetTransportOptions } from '../../src/upstream/net-transport.js';
import type { ServerAddress } from '../../src/upstream/transport.js';
import { stepBytes, type ReceivedQuery, type Script } from './server-script.js';
import type { MakeTransportAndServer } from './transport-contract.js';

export interface ReceivedFrom extends ReceivedQuery {
  from: { address: string; port: number };
}

export interface ScriptedServer {
  address: ServerAddress;
  received: ReceivedFrom[];
  close(): Promise<void>;
}

/** A second loopback address to forge replies from; IPv6 loopback has only ::1. */
const OTHER_ADDRESS: Record<string, string | undefined> = { '127.0.0.1': '127.0.0.2' };

export async function startScriptedServer(host: string, script: Script): Promise<ScriptedServer> {
  const received: ReceivedFrom[] = [];
  const { udp, tcp, port } = await listenOnOnePort(host);
  const connections = new Set<net.Socket>();
  const spoofers = new Map<string, dgram.Socket>();

  async function spoofer(from: 'other-port' | 'other-address'): Promise<dgram.Socket> {
    let socket = spoofers.get(from);
    if (!socket) {
      const address = from === 'other-port' ? host : OTHER_ADDRESS[host];
      if (!address) throw new Error(`no other address to spoof ${host} from`);
      socket = await bindUdp(address, from === 'other-port' ? 0 : port);
      spoofers.set(from, socket);
    }
    return socket;
  }

  udp.on('message', async (bytes, rinfo) => {
    const query = decodeMessage(bytes);
    received.push({ protocol: 'udp', query, from: { address: rinfo.address, port: rinfo.port } });
    // One step at a time, each sent before the next, so they arrive in order.
    for (const step of script(query, 'udp')) {
      const socket = 'spoof' in step ? await spoofer(step.from) : udp;
      await new Promise<void>((resolve) => socket.send(stepBytes(step), rinfo.port, rinfo.address, () => resolve()));
    }
  });

  tcp.on('connection', (conn) => {
    connections.add(conn);
    conn.on('close', () => connections.delete(conn));
    conn.on('error', () => {}); // the client closes as soon as it has its reply
    const reader = new FrameReader();
    conn.on('data', (chunk) => {
      for (const bytes of reader.push(chunk)) {
        const query = decodeMessage(bytes);
        received.push({ protocol: 'tcp', query, from: { address: conn.remoteAddress!, port: conn.remotePort! } });
        for (const step of script(query, 'tcp')) {
          if ('spoof' in step) throw new Error('spoofing needs UDP');
          conn.write(frame(stepBytes(step)));
        }
      }
    });
  });

  return {
    address: { address: host, port },
    received,
    async close() {
      for (const conn of connections) conn.destroy();
      await Promise.all([
        new Promise((resolve) => tcp.close(resolve)),
        ...[udp, ...spoofers.values()].map((s) => new Promise<void>((resolve) => s.close(() => resolve()))),
      ]);
    },
  };
}

/** Runs the transport contract against NetTransport and a scripted server on `host`. */
export function netTransportHarness(host: string, options: NetTransportOptions = {}): MakeTransportAndServer {
  return async (script) => {
    const server = await startScriptedServer(host, script);
    return {
      transport: new NetTransport(options), server: server.address, received: server.received,
      closedPort: () => deadPort(host), close: server.close,
    };
  };
}

/** Transports use one port for both protocols, so the server must too. */
async function listenOnOnePort(host: string): Promise<{ udp: dgram.Socket; tcp: net.Server; port: number }> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const tcp = net.createServer();
    await new Promise<void>((resolve, reject) => tcp.once('error', reject).listen(0, host, resolve));
    const port = (tcp.address() as net.AddressInfo).port;
    try {
      return { udp: await bindUdp(host, port), tcp, port };
    } catch {
      await new Promise((resolve) => tcp.close(resolve)); // UDP port taken: try another
    }
  }
  throw new Error(`could not find a free UDP+TCP port on ${host}`);
}

/** A port with nothing listening on it, for UDP and TCP alike (as far as a test can tell). */
export async function deadPort(host: string): Promise<ServerAddress> {
  const socket = await bindUdp(host, 0);
  const { port } = socket.address();
  await new Promise<void>((resolve) => socket.close(() => resolve()));
  return { address: host, port };
}

export function bindUdp(address: string, port: number): Promise<dgram.Socket> {
  const socket = dgram.createSocket(net.isIPv6(address) ? 'udp6' : 'udp4');
  return new Promise((resolve, reject) => {
    socket.once('error', (err) => {
      socket.close();
      reject(err);
    });
    socket.bind(port, address, () => {
      socket.removeAllListeners('error');
      resolve(socket);
    });
  });
}
