// Prints everyday.sh's table: per scenario, Tidings cold, warm, with its gateways restarted and across a rolling
// restart under load, and the peer, with every process's CPU, then the ratios the targets are stated in (Tidings warm
// against the peer; Tidings cold, restarted and rolling against warm), then what the rolling restart's clients met.
// usage: node everyday-table.js TIDINGS.jsonl PEER.jsonl
const fs = require('fs');
const read = (file) => (fs.existsSync(file) ? fs.readFileSync(file, 'utf8').split('\n') : [])
  .filter((line) => line.trim().startsWith('{'))
  .map((line) => { try { return JSON.parse(line); } catch (e) { return null; } })
  .filter(Boolean);
const [tidingsFile, peerFile] = process.argv.slice(2);
const rows = [...read(tidingsFile).map((r) => ({ ...r, system: 'Tidings' })),
  ...read(peerFile).map((r) => ({ ...r, system: 'Socket.IO + Redis', phase: '–' }))];
const v = (x) => (x === undefined || x === null ? '–' : x);
const key = (r) => `${r.scenario} ${r.N} × ${r.rate}/s`;
// CPU % of one core during the publishing window, per process; "services" leaves the load generator out.
const cpu = (r) => {
  const c = r.cpuPctDuringPublish || {};
  const publisher = r.system === 'Tidings' ? c.publisherApi : c.publisher;
  const store = r.system === 'Tidings' ? c.kafka : c.redis;
  const parts = [publisher, store, c.node1, c.node2];
  const services = parts.every((x) => typeof x === 'number') ? parts.reduce((a, b) => a + b, 0) : null;
  return { publisher, store, node1: c.node1, node2: c.node2, loadgen: c.loadgen, services, busy: c.machineBusyPct };
};
console.log('| scenario | system | phase | p50 / p95 / p99 ms | lost / expected | machine busy % | CPU % of a core: publisher · Kafka or Redis · node 1 · node 2 | services together | load generator |');
console.log('|---|---|---|---|---|---|---|---|---|');
const byScenario = new Map();
for (const r of rows) {
  if (!byScenario.has(key(r))) byScenario.set(key(r), []);
  byScenario.get(key(r)).push(r);
}
const ratios = [];
const rollingLines = [];
for (const [scenario, list] of byScenario) {
  for (const r of list) {
    if (r.error) { console.log(`| ${scenario} | ${r.system} | ${r.phase} | error: ${r.error} ||||||`); continue; }
    const l = r.latencyMs || {}, c = cpu(r);
    console.log(`| ${scenario} | ${r.system} | ${r.phase} | ${v(l.p50)} / ${v(l.p95)} / ${v(l.p99)} | ${v(r.lost)} / ${v(r.expected)} | ${v(c.busy)} | ${v(c.publisher)} · ${v(c.store)} · ${v(c.node1)} · ${v(c.node2)} | ${v(c.services)} | ${v(c.loadgen)} |`);
  }
  const ok = (r) => r && !r.error && r.latencyMs;
  const warm = list.find((r) => r.system === 'Tidings' && r.phase === 'warm');
  const cold = list.find((r) => r.system === 'Tidings' && r.phase === 'cold');
  const restarted = list.find((r) => r.system === 'Tidings' && r.phase === 'restarted');
  const rolling = list.find((r) => r.system === 'Tidings' && r.phase === 'rolling');
  if (ok(rolling)) {
    const k = rolling.catchUpMs || {}, j = rolling.reconnects || {};
    rollingLines.push(`| ${scenario} | ${v(rolling.restartWindowS && rolling.restartWindowS.join('–'))} | ${v(rolling.latencyMs.p99)} | ${v(k.count)} | ${v(k.p50)} / ${v(k.p99)} / ${v(k.max)} | ${v(j.disconnects)} / ${v(j.resumes)} / ${v(j.notRecovered)} / ${v(j.gaveUp)} | ${v((j.closedToResumedMs || {}).p50)} / ${v((j.closedToResumedMs || {}).p99)} / ${v((j.closedToResumedMs || {}).max)} | ${v(rolling.lost)} / ${v(rolling.duplicates)} |`);
  }
  const peer = list.find((r) => r.system !== 'Tidings');
  const x = (a, b) => (typeof a === 'number' && typeof b === 'number' && b > 0 ? (a / b).toFixed(2) + '×' : '–');
  ratios.push(`| ${scenario} | ${ok(warm) && ok(peer) ? x(warm.latencyMs.p99, peer.latencyMs.p99) : '–'} | ${ok(warm) && ok(peer) ? x(cpu(warm).busy, cpu(peer).busy) : '–'} | ${ok(warm) && ok(peer) ? x(cpu(warm).services, cpu(peer).services) : '–'} | ${ok(cold) && ok(warm) ? x(cold.latencyMs.p99, warm.latencyMs.p99) : '–'} | ${ok(restarted) && ok(warm) ? x(restarted.latencyMs.p99, warm.latencyMs.p99) : '–'} | ${ok(rolling) && ok(warm) ? x(rolling.latencyMs.p99, warm.latencyMs.p99) : '–'} |`);
}
console.log('');
console.log('| scenario | p99, Tidings warm ÷ peer | machine busy, Tidings warm ÷ peer | services\' CPU, Tidings warm ÷ peer | p99, Tidings cold ÷ warm | p99, gateways restarted ÷ warm | live p99, rolling restart ÷ warm |');
console.log('|---|---|---|---|---|---|---|');
for (const line of ratios) console.log(line);
if (rollingLines.length) {
  console.log('');
  console.log('| scenario | restarts, s into the window | live p99 ms | catch-up deliveries | catch-up p50 / p99 / max ms | closed / resumed / not recovered / gave up | closed → resumed p50 / p99 / max ms | lost / duplicates |');
  console.log('|---|---|---|---|---|---|---|---|');
  for (const line of rollingLines) console.log(line);
}
