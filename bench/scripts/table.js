// Prints a markdown table of bench result lines (Tidings and/or the Socket.IO peer), same columns as
// the peer's RESULTS.md, plus where Tidings' gateways spent the latency (mean and p99 bucket bound, ms, from the
// records' Kafka timestamps to routed by a node's consumer, and to written on its event loops).
// usage: node table.js FILE.jsonl [FILE.jsonl ...]
const fs = require('fs');
const rows = [];
for (const file of process.argv.slice(2)) {
  if (!fs.existsSync(file)) continue;
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    if (!line.trim().startsWith('{')) continue;
    try { rows.push(JSON.parse(line)); } catch (e) { /* not a result line */ }
  }
}
const v = (x) => (x === undefined || x === null ? '–' : x);
console.log('| system | scenario | N | rate msg/s | deliveries/s | expected / delivered | loss % | dup | misrouted | p50 / p95 / p99 ms | max ms | peak RSS n1 / n2 MB | node CPU % n1 / n2 | machine busy % | node CPU µs/delivery | connect ms | gateway routed / written, mean (p99) ms |');
console.log('|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|');
for (const r of rows) {
  const sys = r.system || 'socket.io+redis';
  if (r.error) { console.log(`| ${sys} | ${r.scenario} | ${r.N} | ${r.rate} | error: ${r.error} ||||||||||||`); continue; }
  const l = r.latencyMs || {}, rss = r.peakRssMB || {}, cpu = r.cpuPctDuringPublish || {};
  const dup = r.duplicates !== undefined ? r.duplicates : r.dupOrReorder;
  const g = r.gatewayLatencyMs, stage = (s) => `${v(s.mean)} (${v(s.p99)})`;
  const stages = g ? `${stage(g.routed || {})} / ${stage(g.written || {})}` : '–';
  console.log(`| ${sys}${r.publishPath ? ' (' + r.publishPath + ')' : ''} | ${r.scenario} | ${r.N} | ${r.rate} | ${v(r.deliveriesPerSec)} | ${v(r.expected)} / ${v(r.delivered)} | ${v(r.lossPct)} | ${v(dup)} | ${v(r.misrouted)} | ${v(l.p50)} / ${v(l.p95)} / ${v(l.p99)} | ${v(l.max)} | ${v(rss.node1)} / ${v(rss.node2)} | ${v(cpu.node1)} / ${v(cpu.node2)} | ${v(cpu.machineBusyPct)} | ${v(r.nodeCpuUsPerDelivery)} | ${v(r.connectMs)} | ${stages} |`);
}
