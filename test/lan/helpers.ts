// Shared by the LAN tests: UDP clients bound to chosen loopback sources, a
// blackhole name server, log waiting and small fixture files. Every address
// is on loopback, under 127.66.0.0/16 (this folder's range).

import { spawn } from 'node:child_process';
import dgram from 'node:dgram';
import net from 'node:net';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FrameReader, frame } from '../../src/dns/tcp-framing.js';
import { spawnProcess } from '../helpers/hops-process.js';

/**
 * Sends every message from one socket bound to `source` and collects what
 * comes back within `timeoutMs`, in arrival order.
 */
export async function udpExchangeFrom(source: string, server: string, port: number, wires: Buffer[],
  timeoutMs = 1500): Promise<Buffer[]> {
  const socket = dgram.createSocket('udp4');
  const replies: Buffer[] = [];
  socket.on('message', (reply) => replies.push(reply));
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.bind({ address: source, port: 0 }, () => resolve());
  });
  for (const wire of wires) socket.send(wire, port, server);
  await new Promise((r) => setTimeout(r, timeoutMs));
  socket.close();
  return replies;
}

/** Pipelines every message over one TCP connection from `source`; resolves with `expected` replies (bounded). */
export function tcpExchangeFrom(source: string, server: string, port: number, wires: Buffer[],
  expected = wires.length, timeoutMs = 3000): Promise<Buffer[]> {
  return new Promise((resolve, reject) => {
    const replies: Buffer[] = [];
    const reader = new FrameReader();
    const socket = net.connect({ host: server, port, localAddress: source });
    const timer = setTimeout(() => finish(new Error(`TCP: ${replies.length} of ${expected} replies in ${timeoutMs} ms`)), timeoutMs);
    const finish = (err?: Error) => {
      clearTimeout(timer);
      socket.destroy();
      if (err) reject(err);
      else resolve(replies);
    };
    socket.on('connect', () => socket.write(Buffer.concat(wires.map(frame))));
    socket.on('data', (chunk) => {
      replies.push(...reader.push(chunk));
      if (replies.length >= expected) finish();
    });
    socket.on('error', finish);
  });
}

/** A UDP socket on host:53 that takes queries and never answers: a dead upstream. */
export async function startBlackhole(host: string): Promise<{ received(): number; close(): Promise<void> }> {
  const socket = dgram.createSocket('udp4');
  let received = 0;
  socket.on('message', () => received++);
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.bind({ address: host, port: 53 }, () => resolve());
  });
  return { received: () => received, close: () => new Promise((resolve) => socket.close(() => resolve())) };
}

/** Runs a command to completion (bounded); never rejects on a non-zero exit. */
export function runCommand(command: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}):
  Promise<{ code: number | null; stdout: string; stderr: string; ms: number }> {
  const started = Date.now();
  const proc = spawnProcess(command, args, options);
  const timer = setTimeout(() => proc.child.kill('SIGKILL'), options.timeoutMs ?? 20_000);
  return proc.exited.then((code) => {
    clearTimeout(timer);
    return { code, stdout: proc.stdout(), stderr: proc.stderr(), ms: Date.now() - started };
  });
}


export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `hops-lan-${prefix}-`));
}

/** Root hints naming one root server at `address`. */
export function writeRootHints(dir: string, address: string, name = 'root.hints'): string {
  const file = join(dir, name);
  writeFileSync(file, `.  3600000 NS a.root-servers.test.\na.root-servers.test. 3600000 A ${address}\n`);
  return file;
}

/** A small zone file `lan.test.zone`: `host.lan.test` has `address`. */
export function lanZone(address: string): string {
  return [
    '$TTL 300',
    '@     SOA ns.lan.test. hostmaster.lan.test. 1 3600 600 86400 300',
    '      NS  ns',
    'ns    A   192.0.2.53',
    `host  A   ${address}`,
    '',
  ].join('\n');
}
