#!/usr/bin/env bash
# How many Kafka requests a notification costs: on one warmed cluster, the requests the broker served by type and
# the ones each Kafka client of the publisher and of the gateways sent, counted over one run of a scenario and
# given per 1000 notifications appended to the topic. Counted from the processes' JMX counters (agents started on
# the running JVMs with `jcmd ManagementAgent.start`, loopback only; KafkaCounters.java reads them), so the services
# run with their usual settings.
#
# usage: bench/scripts/requests.sh ["SCENARIO N RATE"]        (default: "user 10000 2000")
# env:   PUBLISH (http | kafka; default http)  STEP_SECONDS (30)  JMX_PORT (19990: the broker's; the publisher and
#        the gateways get the next ones)  plus lib.sh's BENCH_* settings
# output: RESULTS/before.txt, after.txt (the counters), run.json (the bench line) and summary.txt (the table)
set -euo pipefail
source "$(dirname "$0")/lib.sh"

read -r scenario n rate <<< "${1:-user 10000 2000}"
[[ -n $rate ]] || { sed -n '8,8p' "$0" >&2; exit 2; }
STEP_SECONDS=${STEP_SECONDS:-30} JMX_PORT=${JMX_PORT:-19990}
cluster_script requests
path=()
[[ ${PUBLISH:-http} == kafka ]] && path=(--direct-kafka "127.0.0.1:$BENCH_KAFKA_PORT")
cluster_up requests
warm_up "$scenario" "$n" "$rate" "${path[@]}"

targets=() port=$JMX_PORT
attach() {
  local label=$1 pid
  pid=$(listener "$2")
  [[ -n $pid ]] || { blog "nothing listens on :$2 ($label)"; exit 1; }
  jcmd "$pid" ManagementAgent.start jmxremote.port=$port jmxremote.rmi.port=$port jmxremote.host=127.0.0.1 \
    jmxremote.authenticate=false jmxremote.ssl=false > /dev/null
  targets+=("$label=$port")
  port=$((port + 1))
}
attach kafka "$BENCH_KAFKA_PORT"
attach publisher "$BENCH_PUBLISHER_PORT"
for ((k = 0; k < BENCH_NODES; k++)); do attach "gw$((k + 1))" $((BENCH_GATEWAY_PORT + k)); done
counters() { java "$(dirname "$0")/KafkaCounters.java" "${targets[@]}"; }

counters > "$OUT/before.txt"
blog "counting: $scenario $n x $rate/s ${STEP_SECONDS}s${path[*]:+ straight to Kafka}"
bench --scenario "$scenario" --clients "$n" --rate "$rate" --seconds "$STEP_SECONDS" "${path[@]}" \
  > "$OUT/run.json" 2>> "$OUT/bench.log" || true
counters > "$OUT/after.txt"

node - "$OUT" <<'EOF' | tee "$OUT/summary.txt"
const fs = require('fs');
const dir = process.argv[2];
const read = (f) => {
  const m = new Map();
  for (const line of fs.readFileSync(`${dir}/${f}`, 'utf8').trim().split('\n')) {
    const [label, kind, name, count] = line.split(' ');
    m.set(`${label} ${kind} ${name}`, Number(count));
  }
  return m;
};
const before = read('before.txt'), after = read('after.txt');
const delta = new Map([...after].map(([k, v]) => [k, v - (before.get(k) ?? 0)]).filter(([, v]) => v > 0));
const get = (k) => delta.get(k) ?? 0;
const notifications = get('kafka broker-MessagesInPerSec tidings.notifications');
if (!notifications) { console.log('no notification appended in the window'); process.exit(1); }
const per = (v) => (v * 1000 / notifications).toFixed(1);
const short = (c) => c.replace(/^tidings-inbox\.[^-]*-/, 'inbox ');
let run = {};
try { run = JSON.parse(fs.readFileSync(`${dir}/run.json`, 'utf8')); } catch { /* the line is missing */ }
const c = run.cpuPctDuringPublish ?? {};
console.log(`${notifications} notifications appended in the window (the load generator's own warm-up included);`
  + ` run: lost ${run.lost ?? '?'}, p99 ${run.latencyMs?.p99 ?? '?'} ms, CPU % publisher ${c.publisherApi ?? '-'}`
  + ` kafka ${c.kafka ?? '?'} node1 ${c.node1 ?? '?'} node2 ${c.node2 ?? '?'}, machine ${c.machineBusyPct ?? '?'} % busy`);
console.log('\n| process | client | requests | of them fetches | requests per 1000 notifications |');
console.log('|---|---|---|---|---|');
const clients = [...delta.keys()].filter((k) => k.split(' ')[1] === 'client-requests');
clients.sort((a, b) => get(b) - get(a));
let total = 0;
for (const k of clients) {
  const [label, , client] = k.split(' ');
  const fetches = get(`${label} client-fetches ${client}`);
  total += get(k);
  console.log(`| ${label} | ${short(client)} | ${get(k)} | ${fetches || ''} | ${per(get(k))} |`);
}
console.log(`| all | | ${total} | | ${per(total)} |`);
console.log('\n| broker: requests served | count | per 1000 notifications |');
console.log('|---|---|---|');
for (const k of [...delta.keys()].filter((k) => k.startsWith('kafka broker-requests '))
  .filter((k) => !/ Fetch(Consumer|Follower)$/.test(k)).sort((a, b) => get(b) - get(a))) {
  console.log(`| ${k.split(' ')[2]} | ${get(k)} | ${per(get(k))} |`);
}
console.log('\n| topic | records appended | partitions in produce requests | partitions in fetch requests |');
console.log('|---|---|---|---|');
const topics = new Set([...delta.keys()].filter((k) => k.startsWith('kafka broker-Total') || k.startsWith('kafka broker-Messages'))
  .map((k) => k.split(' ')[2]));
for (const t of [...topics].sort()) {
  console.log(`| ${t} | ${get(`kafka broker-MessagesInPerSec ${t}`)} | ${get(`kafka broker-TotalProduceRequestsPerSec ${t}`)}`
    + ` | ${get(`kafka broker-TotalFetchRequestsPerSec ${t}`)} |`);
}
EOF
