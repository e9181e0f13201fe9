// Markdown for a benchmark run's results object (bench/run.mjs). Ratios are
// Hops/Unbound from the same run; "target" is the goal from the issue, shown
// for reading, never asserted.

const MiB = 2 ** 20;

function fmt(v, digits = 0) {
  if (v === null || v === undefined || Number.isNaN(v)) return '—';
  if (typeof v !== 'number') return String(v);
  return v.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
}
function ratio(a, b, digits = 2) {
  if (typeof a !== 'number' || typeof b !== 'number' || b === 0) return null;
  return Number((a / b).toFixed(digits));
}
function mib(bytes) {
  return typeof bytes === 'number' ? bytes / MiB : null;
}
function verdict(value, op, limit) {
  if (typeof value !== 'number') return '—';
  const ok = op === '<=' ? value <= limit : value >= limit;
  return ok ? 'yes' : 'no';
}
function table(header, rows) {
  const out = [`| ${header.join(' | ')} |`, `|${header.map((_, i) => (i === 0 ? ' --- ' : ' ---: ')).join('|')}|`];
  for (const r of rows) out.push(`| ${r.join(' | ')} |`);
  return out.join('\n');
}

function headline(results) {
  const rows = [];
  const add = (metric, h, u, r, target, met, digits = 0) => rows.push([metric, fmt(h, digits), fmt(u, digits), fmt(r, 2), target, met]);
  for (const [key, title] of [['cache', 'Cache hits'], ['local', 'Local zones']]) {
    const s = results.sections[key];
    if (!s?.servers?.hops?.summary || !s.servers.unbound?.summary) continue;
    const h = s.servers.hops.summary;
    const u = s.servers.unbound.summary;
    const qr = ratio(h.udpQps, u.udpQps);
    const cr = ratio(h.udpCpuUs, u.udpCpuUs);
    add(`${title}: q/s, UDP saturation (loadgen)`, h.udpQps, u.udpQps, qr, '≥ 0.5×', verdict(qr, '>=', 0.5));
    add(`${title}: server CPU µs/query (loadgen UDP)`, h.udpCpuUs, u.udpCpuUs, cr, '≤ 2×', verdict(cr, '<=', 2), 1);
    add(`${title}: p50 latency µs @ ${results.meta.options.rate} q/s`, h.p50Us, u.p50Us, ratio(h.p50Us, u.p50Us), '', '');
    add(`${title}: p99 latency µs @ ${results.meta.options.rate} q/s`, h.p99Us, u.p99Us, ratio(h.p99Us, u.p99Us), '', '');
    if (h.dnsperfUdpQps !== null) add(`${title}: q/s, UDP (dnsperf)`, h.dnsperfUdpQps, u.dnsperfUdpQps, ratio(h.dnsperfUdpQps, u.dnsperfUdpQps), '', '');
    const tr = ratio(h.tcpQps, u.tcpQps);
    add(`${title}: q/s, TCP pipelined (loadgen ${results.meta.options.tcpConns}×${results.meta.options.tcpPipeline})`, h.tcpQps, u.tcpQps, tr, '≥ 1×', verdict(tr, '>=', 1));
    add(`${title}: server CPU µs/query, TCP`, h.tcpCpuUs, u.tcpCpuUs, ratio(h.tcpCpuUs, u.tcpCpuUs), '', '', 1);
    if (h.dnsperfTcpQps !== null) add(`${title}: q/s, TCP (dnsperf)`, h.dnsperfTcpQps, u.dnsperfTcpQps, ratio(h.dnsperfTcpQps, u.dnsperfTcpQps), '', '');
  }
  const cold = results.sections.cold;
  for (const [kind, what] of [['warm', 'running process'], ['fresh', 'fresh process']]) {
    if (!cold?.[kind]?.hops?.summary) continue;
    const h = cold[kind].hops.summary;
    const u = cold[kind].unbound.summary;
    const r = ratio(h.seconds, u.seconds);
    add(`Cold: seconds to resolve ${cold.names} uncached names, ${what} (${cold.window} at a time)`, h.seconds, u.seconds, r, '≤ 1.2×', verdict(r, '<=', 1.2), 3);
  }
  const coldSigned = results.sections['cold-signed'];
  for (const [kind, what] of [['warm', 'running process'], ['fresh', 'fresh process']]) {
    if (!coldSigned?.[kind]?.hops?.summary) continue;
    const h = coldSigned[kind].hops.summary;
    const u = coldSigned[kind].unbound.summary;
    add(`Cold, signed, validating: names/s, ${what}`, h.namesPerSecond, u.namesPerSecond, ratio(h.namesPerSecond, u.namesPerSecond), '', '');
    add(`Cold, signed, validating: server CPU µs/name, ${what}`, h.cpuUsPerNameExact, u.cpuUsPerNameExact, ratio(h.cpuUsPerNameExact, u.cpuUsPerNameExact), '', '');
  }
  const memSigned = results.sections['memory-signed'];
  if (memSigned?.servers?.hops) {
    const us = memSigned.servers.unbound?.steps ?? [];
    for (const step of memSigned.servers.hops.steps) {
      const u = us.find((x) => x.names === step.names);
      add(`Memory: RSS bytes per cached signed RRset (with its RRSIG) at ${fmt(step.names)}`, step.bytesPerEntry, u?.bytesPerEntry, ratio(step.bytesPerEntry, u?.bytesPerEntry), '', '');
    }
    const h = mib(memSigned.servers.hops.idleRss);
    const u = mib(memSigned.servers.unbound?.idleRss);
    add('Idle RSS MiB, validating (primed, before the signed fill)', h, u, ratio(h, u), '', '', 1);
  }
  const mem = results.sections.memory;
  if (mem?.servers?.hops) {
    const hs = mem.servers.hops.steps;
    const us = mem.servers.unbound?.steps ?? [];
    for (const step of hs) {
      const u = us.find((x) => x.names === step.names);
      add(`Memory: RSS bytes per cached RRset at ${fmt(step.names)}`, step.bytesPerEntry, u?.bytesPerEntry, ratio(step.bytesPerEntry, u?.bytesPerEntry),
        step.names >= 1_000_000 ? '≤ 500 B' : '', step.names >= 1_000_000 ? verdict(step.bytesPerEntry, '<=', 500) : '');
    }
    if (mem.hopsIdleRssDefaults) {
      const idleMiB = mib(mem.hopsIdleRssDefaults);
      add('Idle RSS MiB (defaults, recursion on, primed)', idleMiB, mib(results.sections.cache?.servers?.unbound?.startRss), ratio(idleMiB, mib(results.sections.cache?.servers?.unbound?.startRss)),
        '≤ 100 MiB', verdict(idleMiB, '<=', 100), 1);
    }
  }
  return rows.length ? table(['metric (median of rounds)', 'Hops', 'Unbound', 'Hops/Unbound', 'target', 'met'], rows) : '_no comparable results_';
}

function sectionDetail(name, s, results) {
  if (!s) return '';
  if (s.error) return `### ${name}\n\nfailed: ${s.error}\n`;
  const labels = Object.keys(s.servers);
  const lines = [`### ${name}`, ''];
  const sum = (l) => s.servers[l].summary ?? {};
  const row = (metric, f, digits = 0) => [metric, ...labels.map((l) => fmt(f(sum(l), s.servers[l]), digits))];
  lines.push(table(['metric (median)', ...labels], [
    row('UDP q/s (loadgen saturation)', (x) => x.udpQps),
    row('UDP server CPU µs/query', (x) => x.udpCpuUs, 1),
    row('UDP lost (sent in window, no answer in 1 s)', (x) => x.udpLost),
    row(`latency p50 µs @ ${results.meta.options.rate} q/s`, (x) => x.p50Us),
    row(`latency p99 µs @ ${results.meta.options.rate} q/s`, (x) => x.p99Us),
    row(`lost @ ${results.meta.options.rate} q/s`, (x) => x.rateLost),
    row(`server CPU µs/query @ ${results.meta.options.rate} q/s`, (x) => x.rateCpuUs, 1),
    row('TCP pipelined q/s (loadgen)', (x) => x.tcpQps),
    row('TCP server CPU µs/query', (x) => x.tcpCpuUs, 1),
    row('TCP lost', (x) => x.tcpLost),
    row('dnsperf UDP q/s', (x) => x.dnsperfUdpQps),
    row('dnsperf UDP server CPU µs/query', (x) => x.dnsperfUdpCpuUs, 1),
    row('dnsperf UDP average latency µs', (x) => x.dnsperfUdpAvgUs),
    row('dnsperf UDP lost', (x) => x.dnsperfUdpLost),
    row('dnsperf TCP q/s', (x) => x.dnsperfTcpQps),
    row('RSS MiB after start', (_, srv) => mib(srv.startRss), 1),
    row('RSS MiB under load (max)', (x) => mib(x.rss), 1),
    row('processes (with descendants)', (_, srv) => srv.processes),
    row('server core: other processes, % (UDP run)', (x) => x.serverCoreOthersPct, 1),
    row('server core: irq+softirq, % (UDP run)', (x) => x.serverCoreIrqPct, 1),
  ]));
  lines.push('');
  lines.push('Per round, loadgen UDP q/s (server CPU µs/query): ' + labels.map((l) =>
    `${l}: ${s.servers[l].runs.map((r) => `${fmt(r.udp.qps)} (${fmt(r.udp.cpu.us_per_answer, 1)})`).join(', ')}`).join('; '));
  lines.push('');
  const rc = labels.map((l) => `${l} ${JSON.stringify(sum(l).rcodes ?? {})}`).join('; ');
  lines.push(`Answer codes (first round, loadgen UDP): ${rc}.`);
  if (s.checks?.sameAnswers) {
    const c = s.checks.sameAnswers;
    lines.push(`Same answers (rcode and answer count) from every server for ${c.asked} sampled questions: ${c.differing === 0 ? 'yes' : `no, ${c.differing} differ, e.g. ${JSON.stringify(c.differences.slice(0, 3))}`}.`);
  }
  if (s.warm) {
    lines.push('');
    lines.push(table(['cache warm-up', 'first pass s', 'answered/sent', 'rcodes', 'second pass p50 µs', 'hierarchy CPU s in third pass'],
      Object.entries(s.warm).map(([l, w]) => [l, fmt(w.first.seconds, 2), `${w.first.answered}/${w.first.sent}`, JSON.stringify(w.first.rcodes), fmt(w.second.latency_us.p50), fmt(w.upstreamCpuSecondsDuringThirdPass, 2)])));
  }
  lines.push('');
  return lines.join('\n');
}

/** The signed sections' check line: every answer NOERROR with AD, or which were not. */
function secureCheckLine(s) {
  const c = s.checks?.secure;
  if (!c) return '';
  return c.notSecure === 0
    ? `Every answer NOERROR with the AD bit (queries with DO=1): yes, ${fmt(c.secure)} of ${fmt(c.asked)} questions, both servers.`
    : `**Not every answer was NOERROR with the AD bit: ${fmt(c.notSecure)} of ${fmt(c.asked)} were not (or were lost)**, e.g. ${c.examples.slice(0, 6).map((e) => `\`${e}\``).join(', ')}.`;
}

function coldDetail(s, title = 'Cold resolution') {
  if (!s) return '';
  if (s.error) return `### ${title}\n\nfailed: ${s.error}\n`;
  const rows = [];
  for (const [kind, what] of [['warm', 'running process, new names'], ['fresh', 'fresh process']]) {
    for (const [l, x] of Object.entries(s[kind] ?? {})) {
      rows.push([`${l}, ${what}`, fmt(x.summary.seconds, 3), fmt(x.summary.namesPerSecond), fmt(x.summary.p50Us), fmt(x.summary.p99Us),
        fmt(s.dnssec ? x.summary.cpuUsPerNameExact : x.summary.cpuUsPerName),
        fmt(x.summary.answered), ...(s.dnssec ? [fmt(x.summary.secure)] : []), fmt(x.summary.lost), JSON.stringify(x.summary.rcodes), x.runs.map((r) => fmt(r.seconds, 3)).join(', ')]);
    }
  }
  return [`### ${title} (${s.names} names over their own domains, ${s.window} outstanding)`, '',
    'Running process: each server is started once and its code warmed on another list; every round then resolves names from domains it has never seen (root and TLD delegations cached). ' +
    'Fresh process: a new server per round, nothing cached, nothing JIT-compiled.' +
    (s.dnssec ? ' Signed hierarchy, both servers validating; every question asked with DO=1. Server CPU from the threads\' schedstat (ns), not /proc ticks.' : ''), '',
    table(['server', 'seconds (median)', 'names/s', 'p50 µs', 'p99 µs', 'server CPU µs/name', 'answered', ...(s.dnssec ? ['NOERROR+AD'] : []), 'lost', 'rcodes', 'per round s'], rows), '',
    secureCheckLine(s), ''].join('\n');
}

function memoryDetail(s, title = 'Memory') {
  if (!s) return '';
  if (s.error) return `### ${title}\n\nfailed: ${s.error}\n`;
  const rows = [];
  for (const [l, x] of Object.entries(s.servers)) {
    rows.push([l, 'idle (primed)', '—', fmt(mib(x.idleRss), 1), '—', '—', '']);
    for (const st of x.steps) {
      rows.push([l, fmt(st.names), fmt(st.answered), fmt(mib(st.rss), 1), fmt(st.bytesPerEntry), fmt(st.fillQps),
        (st.firstStillCached === null ? `lost ${st.lost}` : `n0 still cached: ${st.firstStillCached ? 'yes' : 'no'}, last cached: ${st.lastCached ? 'yes' : 'no'}, lost ${st.lost}`) +
          (st.secure !== undefined ? `, NOERROR+AD ${fmt(st.secure)}` : '')]);
    }
  }
  const how = s.dnssec
    ? `signed big.org. (${fmt(s.signSeconds, 1)} s to sign, ${fmt(mib(s.signedZoneBytes))} MiB), both servers validating, every name asked once with DO=1 so that the cache holds it with its RRSIG`
    : 'cache filled through the normal miss path from a 1-name-per-query zone on NSD';
  const lines = [`### ${title} (${how})`, '',
    table(['server', 'names asked', 'answered', 'RSS MiB', 'bytes/entry over idle', 'names/s while filling', 'checks'], rows), ''];
  if (s.dnssec) lines.push(secureCheckLine(s), '');
  if (s.hopsIdleRssDefaults) lines.push(`Hops idle RSS with default settings (recursion on, no zones, primed${s.dnssec ? ', validating' : ''}): ${fmt(mib(s.hopsIdleRssDefaults), 1)} MiB. Hops cache size for the fill: ${fmt(s.servers.hops?.cacheSize)} entries; Unbound: ${s.servers.unbound?.cacheConfig ?? '—'}.`, '');
  return lines.join('\n');
}

function profileDetail(s) {
  if (!s) return '';
  if (s.error) return `### Profile\n\nfailed: ${s.error}\n`;
  const lines = [];
  for (const [kind, p] of Object.entries(s)) {
    if (p.error) {
      lines.push(`### Profile: ${kind}`, '', `failed: ${p.error}`, '');
      continue;
    }
    lines.push(`### Profile: Hops under ${kind} load (${p.file}; ${fmt(p.qpsWhileProfiled)} q/s, ${fmt(p.cpuUsPerQuery, 1)} µs CPU/query while profiled; measured window only)`, '');
    lines.push(`${p.summary.busyMs} ms busy of ${p.summary.totalMs} ms sampled (${p.summary.idlePct}% idle). Percentages are of busy time.`, '');
    lines.push(table(['self ms', 'self %', 'total %', 'function', 'where'], p.summary.functions.map((f) => [fmt(f.selfMs, 1), fmt(f.selfPctBusy, 1), fmt(f.totalPctBusy, 1), `\`${f.name}\``, f.url ? `${f.url}:${f.line}` : ''])));
    lines.push('', 'Self time by group: ' + p.summary.categories.slice(0, 10).map((c) => `${c.key} ${c.selfPctBusy}%`).join(', ') + '.', '');
  }
  return lines.join('\n');
}

export function renderMarkdown(results) {
  const m = results.meta;
  const v = m.versions ?? {};
  const o = m.options ?? {};
  const d = m.dataset ?? {};
  const lines = [];
  lines.push(`# Hops vs Unbound — ${m.started ?? ''}${m.partial ? ' (partial)' : ''}`, '');
  lines.push(`Hops ${v.hops?.commit}${v.hops?.srcModified ? ' (src/ modified)' : ''}, Node ${v.node}; ${v.unbound}; ${v.dnsperf}; ${v.nsd}; ${v.ldns ? `${v.ldns}; ` : ''}` +
    `${v.cpus} × ${v.cpu}, Linux ${v.kernel}. Servers pinned to core ${o.serverCpu}, load generators to core ${o.clientCpu}; ` +
    `${o.rounds} round(s) × ${o.duration} s per run, servers alternating. UDP saturation keeps ${o.window} queries outstanding over 8 sockets (EDNS 1232). ` +
    `Data: ${fmt(d.hosts)} hosts in ${fmt(d.domains)} domains; query file ${fmt(d.queryFileLines)} lines, ${fmt(d.distinctQuestions)} distinct questions over ` +
    `${fmt(d.distinctNames)} names; mix ${Object.entries(d.typeCounts ?? {}).map(([t, n]) => `${t} ${((n / d.queryFileLines) * 100).toFixed(0)}%`).join(', ')}.`);
  if (m.hopsBuild) {
    const b = m.hopsBuild;
    lines.push('', `Build measured: \`${b.main}\`${b.snapshot ? ' (copied at the start of the run)' : ''}, sha256 ${b.sha256} of its .js files, built ${b.built}` +
      (b.srcChanges?.length ? `; src/ differs from the commit in ${b.srcChanges.length} file(s): ${b.srcChanges.slice(0, 12).map((c) => `\`${c}\``).join(', ')}${b.srcChanges.length > 12 ? ', …' : ''}` : '; src/ as committed') +
      (b.note ? `. **${b.note}**` : '') + '.');
  }
  if (m.signing) {
    const g = m.signing;
    lines.push('', `Signed sections: zones signed with ${g.signer}, ${g.algorithm}, ${g.keys}, DS ${g.ds}, denial ${g.denial}; ${g.zonesSigned} zones signed ` +
      `(${g.zonesUnsigned} left unsigned, insecure delegations nothing asks about) in ${g.keySeconds} s of key generation and ${g.signSeconds} s of signing; signatures valid ${g.inception} – ${g.expiration}. ` +
      'Hops: `--dnssec validate --trust-anchor` with the root\'s DS; Unbound: `module-config: "validator iterator"`, `trust-anchor-file:` with the same DS.');
  }
  if (m.workersTried?.length > 1) lines.push('', `Hops lists --workers, so it also ran with ${m.workersTried.filter((w) => w > 1).join(', ')} workers (same core set).`);
  for (const w of m.workersProbe ?? []) {
    if (!w.measured) lines.push('', `Hops lists --workers, but \`--workers ${w.workers}\` started ${w.processes} process: not measured (no effect yet).`);
  }
  lines.push('', '## Summary', '', headline(results), '');
  const floor = results.sections.floor;
  if (floor?.servers) {
    const hops = results.sections.cache?.servers?.hops?.summary;
    const unbound = results.sections.cache?.servers?.unbound?.summary;
    const rows = Object.entries(floor.servers).map(([l, x]) => [l, fmt(x.summary.qps), fmt(x.summary.cpuUs, 1)]);
    if (hops) rows.push(['Hops, cache hits (from above)', fmt(hops.udpQps), fmt(hops.udpCpuUs, 1)]);
    if (unbound) rows.push(['Unbound, cache hits (from above)', fmt(unbound.udpQps), fmt(unbound.udpCpuUs, 1)]);
    lines.push('Floors: the same UDP saturation load against servers that do no DNS work (each answer is the query with QR set). ' +
      'The Node echo is the least any single-process Node server spends per query through node:dgram; the C echo is the kernel\'s share.', '',
    table(['server (no DNS work unless named)', 'q/s', 'CPU µs/query'], rows), '');
  }
  lines.push('## Details', '');
  lines.push(sectionDetail('Cache hits (warmed through the simulated hierarchy)', results.sections.cache, results));
  lines.push(sectionDetail('Local zones (Hops zone files, Unbound local-data, same records)', results.sections.local, results));
  lines.push(coldDetail(results.sections.cold));
  lines.push(memoryDetail(results.sections.memory));
  lines.push(coldDetail(results.sections['cold-signed'], 'Cold resolution, signed, validating'));
  lines.push(memoryDetail(results.sections['memory-signed'], 'Memory, signed, validating'));
  lines.push(profileDetail(results.sections.profile));
  return lines.filter((l) => l !== '').join('\n\n').replace(/\n{3,}/g, '\n\n') + '\n';
}
