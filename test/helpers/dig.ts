// Runs the real `dig` (bind9-dnsutils) and parses what a user would read.

import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface DigRecord {
  name: string;
  ttl: number;
  class: string;
  type: string;
  data: string;
}

export interface DigResult {
  status: string;
  flags: string[];
  answer: DigRecord[];
  authority: DigRecord[];
  additional: DigRecord[];
  raw: string;
  /** "EDNS: version: 0, flags:; udp: 1232" when an OPT came back. */
  edns?: { version: number; udp: number };
  /** "; EDE: 22 (No Reachable Authority): (text)": the Extended DNS Errors (RFC 8914) of the reply. */
  ede: Array<{ code: number; name: string; text?: string }>;
}

function parseRecords(raw: string, section: string): DigRecord[] {
  const m = new RegExp(`;; ${section} SECTION:\\n([\\s\\S]*?)(?:\\n\\n|$)`).exec(raw);
  if (!m) return [];
  return m[1].split('\n').filter((l) => l && !l.startsWith(';')).map((line) => {
    const [name, ttl, klass, type, ...rest] = line.split(/\s+/);
    return { name, ttl: Number(ttl), class: klass, type, data: rest.join(' ') };
  });
}

export async function dig(server: string, port: number, args: string[]): Promise<DigResult> {
  const { stdout } = await run('dig', [`@${server}`, '-p', String(port), '+tries=1', '+time=3', ...args], { timeout: 20_000 });
  const header = /status: (\w+)/.exec(stdout);
  const flags = /;; flags: ([a-z ]*);/.exec(stdout);
  const edns = /; EDNS: version: (\d+), flags:[^;]*; udp: (\d+)/.exec(stdout);
  return {
    status: header ? header[1] : 'NONE',
    flags: flags ? flags[1].trim().split(/\s+/).filter(Boolean) : [],
    answer: parseRecords(stdout, 'ANSWER'),
    authority: parseRecords(stdout, 'AUTHORITY'),
    additional: parseRecords(stdout, 'ADDITIONAL'),
    raw: stdout,
    edns: edns ? { version: Number(edns[1]), udp: Number(edns[2]) } : undefined,
    ede: [...stdout.matchAll(/^; EDE: (\d+) \(([^)]*)\)(?:: \((.*)\))?$/gm)].map((m) => ({ code: Number(m[1]), name: m[2], text: m[3] })),
  };
}
