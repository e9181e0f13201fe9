// Waiting on the authoritative servers (NSD, Knot, Hops) that integration
// tests start on loopback: is the port taken, and does each zone answer yet.

import { connect } from 'node:net';
import { dig } from './dig.js';
import type { HopsProcess } from './hops-process.js';

/** Whether something accepts TCP on host:port now (300 ms at most): a port already held by another run. */
export function tcpAccepts(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect({ host, port });
    const done = (ok: boolean) => { s.destroy(); resolve(ok); };
    s.setTimeout(300, () => done(false));
    s.once('connect', () => done(true));
    s.once('error', () => done(false));
  });
}

/** Waits until `address` answers an authoritative SOA for each zone over TCP (bounded); names the server's output if not. */
export async function waitForZones(proc: HopsProcess, address: string, origins: string[], timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const results = await Promise.all(origins.map((z) => dig(address, 53, ['+norec', '+tcp', z, 'SOA']).catch(() => undefined)));
    if (results.every((r) => r?.status === 'NOERROR' && r.flags.includes('aa'))) return;
    if (Date.now() > deadline) throw new Error(`${address} does not serve ${origins.join(' ')}:\n${proc.stdout()}${proc.stderr()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
