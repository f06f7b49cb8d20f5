#!/usr/bin/env bash
# Publisher API throughput, each notification to a user nobody is connected as.
#
# Single POSTs are driven by wrk (apt package `wrk`, installed if missing), a C load generator far cheaper
# per request than a JVM client, at 256 connections for 20 s per run: WARM_RUNS runs first (4; the
# publisher's JIT needs 3-4 of them to settle), then RUNS measured runs (3), each followed by the
# publisher's CPU over the run. Then the batch endpoint, 1000 notifications per request, 2 and 4 in flight
# (the bench's JDK client; it prints the CPU of every process itself).
#
# usage: bench/scripts/publisher.sh [--without-gateways]
#   --without-gateways  stop the gateways once the cluster is up: the API and Kafka alone on the machine
#                       (with them, the two gateways consume and decode every record on the same cores)
set -euo pipefail
source "$(dirname "$0")/lib.sh"
WITHOUT_GATEWAYS=0
[[ ${1:-} == --without-gateways ]] && WITHOUT_GATEWAYS=1
cluster_script publisher
cluster_up publisher
if ((WITHOUT_GATEWAYS)); then
  blog "stopping the gateways: the publisher and Kafka alone"
  pkill -f -- '-Dtidings.service=gw-' || true
fi

command -v wrk >/dev/null || { blog "installing wrk"; apt-get update -qq && apt-get install -y -qq wrk >&2; }
TOKEN=$(java -jar "$SRC/cli/target/tidings-cli.jar" token --user bench-wrk --scope notifications:publish)
export TOKEN
PUBLISHER_PID=$(ss -ltnpH "sport = :$BENCH_PUBLISHER_PORT" | grep -o 'pid=[0-9]*' | head -1 | cut -d= -f2)
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$PUBLISHER_PID/stat"; }
wrk_run() {
  wrk -t2 -c256 -d20s --latency -s "$ROOT/bench/scripts/wrk-publish.lua" "http://127.0.0.1:$BENCH_PUBLISHER_PORT/api/v1/notifications" \
    2>> "$OUT/publisher.log" | tee -a "$OUT/wrk.txt" | grep '^{'
}
for ((i = 1; i <= ${WARM_RUNS:-4}; i++)); do
  blog "publisher: wrk warm-up run $i (not measured)"
  wrk_run > /dev/null || true
done
for ((i = 1; i <= ${RUNS:-3}; i++)); do
  blog "publisher: wrk, single POSTs, 256 connections, 20 s (run $i)"
  before=$(cpu_ticks)
  line=$(wrk_run || true)
  after=$(cpu_ticks)
  # Clock ticks are 1/100 s: ticks per second of the 20 s run = % of one core.
  echo "${line%\}},\"publisherCpuPct\":$(((after - before) / 20))}" | tee -a "$OUT/publisher.jsonl"
done

count=$((WITHOUT_GATEWAYS ? 1000000 : 200000))
for conc in 2 4; do
  blog "publisher: $count notifications, batches of 1000, $conc in flight"
  bench publisher --notifications "$count" --concurrency "$conc" --batch-size 1000 \
    2> >(tee -a "$OUT/publisher.log" >&2) | tee -a "$OUT/publisher.jsonl" || true
done
