#!/usr/bin/env node
// Summarises a V8 .cpuprofile (node --cpu-prof): the top functions by self
// time, then self time by file, so a profile of Hops under load says where
// the time goes without opening DevTools.
//
//   node bench/profile-summary.mjs FILE.cpuprofile [--top 25] [--sort self|total] [--json] [--from-us T --to-us T]
//
// --from-us/--to-us keep only the samples in that window of V8's monotonic
// clock (CLOCK_MONOTONIC on Linux, as bench/loadgen's window_mono_us), so the
// start-up and cache warm-up of a profiled process can be left out.

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { relative } from 'node:path';

const REPO = fileURLToPath(new URL('..', import.meta.url));

function shortUrl(url) {
  if (!url) return '';
  const path = url.startsWith('file://') ? fileURLToPath(url) : url;
  if (path.startsWith('node:')) return path;
  // bench/run.mjs measures a copy of dist/ (bench/.build/hops-dist-PID/): show it as dist/.
  const rel = relative(REPO, path).replace(/^bench\/\.build\/hops-dist-\d+\//, 'dist/');
  return rel.startsWith('..') ? path : rel;
}

/** Where a function lives, grouped coarsely: hops source, a dependency, Node itself, or V8. */
function category(url, name) {
  if (!url) return name.startsWith('(') ? name : 'native';
  const u = shortUrl(url);
  if (u.startsWith('dist/')) return 'hops';
  const dep = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(u);
  if (dep) return dep[1];
  if (u.startsWith('node:')) return 'node';
  return u;
}

/**
 * Reads a profile object and returns { totalMs, sampled, functions, files, categories }.
 * Self time: the sum of the sample intervals whose top frame is the function.
 * Total time: intervals where the function is anywhere on the stack (recursion counted once).
 */
export function summarize(profile, { top = 25, fromUs, toUs, sort = 'self' } = {}) {
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const selfUs = new Map();
  const deltas = profile.timeDeltas ?? [];
  // Only samples inside [fromUs, toUs] (V8's monotonic clock, as profile.startTime) count, so a
  // profile of a whole process can be read for just the measured window.
  let t = profile.startTime;
  let windowSamples = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    t += deltas[i] ?? 0;
    if ((fromUs !== undefined && t < fromUs) || (toUs !== undefined && t > toUs)) continue;
    windowSamples++;
    const id = profile.samples[i];
    // The interval after sample i is attributed to sample i (what DevTools does).
    const dt = deltas[i + 1] ?? 0;
    selfUs.set(id, (selfUs.get(id) ?? 0) + Math.max(dt, 0));
  }
  const keyOf = (n) => {
    const f = n.callFrame;
    return `${f.functionName || '(anonymous)'}\u0000${f.url}\u0000${f.lineNumber}`;
  };
  const fn = new Map();
  const get = (n) => {
    const key = keyOf(n);
    let e = fn.get(key);
    if (!e) {
      const f = n.callFrame;
      e = { name: f.functionName || '(anonymous)', url: shortUrl(f.url), line: f.lineNumber + 1, category: category(f.url, f.functionName), selfUs: 0, totalUs: 0 };
      fn.set(key, e);
    }
    return e;
  };
  let totalUs = 0;
  for (const [id, us] of selfUs) {
    totalUs += us;
    const n = nodes.get(id);
    get(n).selfUs += us;
    const seen = new Set();
    for (let cur = id; cur !== undefined; cur = parent.get(cur)) {
      const key = keyOf(nodes.get(cur));
      if (seen.has(key)) continue;
      seen.add(key);
      get(nodes.get(cur)).totalUs += us;
    }
  }
  const idleUs = [...fn.values()].filter((e) => e.name === '(idle)').reduce((a, e) => a + e.selfUs, 0);
  const busyUs = totalUs - idleUs;
  const pct = (us, of) => (of > 0 ? Math.round((us / of) * 1000) / 10 : 0);
  const functions = [...fn.values()]
    .filter((e) => e.name !== '(root)' && e.name !== '(idle)')
    .sort((a, b) => (sort === 'total' ? b.totalUs - a.totalUs : b.selfUs - a.selfUs))
    .slice(0, top)
    .map((e) => ({ ...e, selfMs: Math.round(e.selfUs / 100) / 10, selfPctBusy: pct(e.selfUs, busyUs), totalPctBusy: e.name === '(idle)' ? null : pct(e.totalUs, busyUs) }));
  const byGroup = (keyFn) => {
    const m = new Map();
    for (const e of fn.values()) {
      if (e.name === '(idle)' || e.name === '(root)') continue;
      const k = keyFn(e);
      m.set(k, (m.get(k) ?? 0) + e.selfUs);
    }
    return [...m].sort((a, b) => b[1] - a[1]).map(([k, us]) => ({ key: k, selfMs: Math.round(us / 100) / 10, selfPctBusy: pct(us, busyUs) }));
  };
  return {
    window: fromUs !== undefined || toUs !== undefined
      ? { fromUs, toUs, samples: windowSamples, ofSamples: profile.samples.length, profileStartUs: profile.startTime, profileEndUs: profile.endTime }
      : undefined,
    totalMs: Math.round(totalUs / 1000),
    busyMs: Math.round(busyUs / 1000),
    idlePct: pct(idleUs, totalUs),
    functions,
    files: byGroup((e) => e.url || e.name).slice(0, top),
    categories: byGroup((e) => e.category),
  };
}

export function formatSummary(s, title = 'profile') {
  const lines = [];
  lines.push(`${title}: ${s.totalMs} ms sampled, ${s.busyMs} ms busy (${s.idlePct}% idle); percentages are of busy time`);
  if (s.window) lines.push(`window: ${s.window.samples} of ${s.window.ofSamples} samples (${s.window.fromUs ?? 'start'} … ${s.window.toUs ?? 'end'} µs)`);
  lines.push('');
  lines.push('  self ms  self%  total%  function                                  where');
  for (const f of s.functions) {
    const where = f.url ? `${f.url}:${f.line}` : '';
    lines.push(`${String(f.selfMs).padStart(9)} ${String(f.selfPctBusy).padStart(6)} ${String(f.totalPctBusy ?? '').padStart(7)}  ${f.name.slice(0, 40).padEnd(40)}  ${where}`);
  }
  lines.push('');
  lines.push('self time by group:');
  for (const c of s.categories.slice(0, 12)) lines.push(`${String(c.selfMs).padStart(9)} ${String(c.selfPctBusy).padStart(6)}%  ${c.key}`);
  lines.push('');
  lines.push('self time by file:');
  for (const c of s.files.slice(0, 15)) lines.push(`${String(c.selfMs).padStart(9)} ${String(c.selfPctBusy).padStart(6)}%  ${c.key}`);
  return lines.join('\n');
}

function main(argv) {
  let file;
  let top = 25;
  let json = false;
  let fromUs;
  let toUs;
  let sort = 'self';
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--top') top = Number(argv[++i]);
    else if (argv[i] === '--sort') sort = argv[++i];
    else if (argv[i] === '--from-us') fromUs = Number(argv[++i]);
    else if (argv[i] === '--to-us') toUs = Number(argv[++i]);
    else if (argv[i] === '--json') json = true;
    else if (argv[i] === '--help' || argv[i] === '-h') {
      process.stdout.write('usage: node bench/profile-summary.mjs FILE.cpuprofile [--top N] [--sort self|total] [--json] [--from-us T --to-us T]\n');
      return 0;
    } else file = argv[i];
  }
  if (!file) {
    process.stderr.write('usage: node bench/profile-summary.mjs FILE.cpuprofile [--top N] [--sort self|total] [--json] [--from-us T --to-us T]\n');
    return 2;
  }
  const summary = summarize(JSON.parse(readFileSync(file, 'utf8')), { top, fromUs, toUs, sort });
  process.stdout.write(json ? JSON.stringify(summary, null, 2) + '\n' : formatSummary(summary, file) + '\n');
  return 0;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) process.exitCode = main(process.argv.slice(2));
