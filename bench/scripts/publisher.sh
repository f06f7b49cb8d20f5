#!/usr/bin/env bash
# Publisher API throughput: single POSTs at concurrency 1, 16 and 64, then the batch endpoint with 100 and
# 1000 notifications per request. Each notification goes to a user nobody is connected as: the gateways
# consume and decode every record, deliver nothing.
#
# Then single POSTs driven by wrk (apt package `wrk`, installed if missing), a C load generator far
# cheaper per request than the JVM client, at concurrency 64 and 256 for 20 s each: the API's own ceiling.
#
# usage: bench/scripts/publisher.sh
set -euo pipefail
source "$(dirname "$0")/lib.sh"
OUT=$(results_dir publisher)
trap cluster_down EXIT
trap 'exit 130' INT TERM
raise_fd_limit
build_jars
blog "Tidings at commit $BENCH_COMMIT; results in $OUT"
cluster_up publisher
for run in "3000 1 1" "20000 16 1" "20000 64 1" "50000 4 100" "100000 2 1000"; do
  read -r count conc batch <<< "$run"
  blog "publisher: $count notifications, concurrency $conc, batch size $batch"
  bench publisher --notifications "$count" --concurrency "$conc" --batch-size "$batch" \
    2> >(tee -a "$OUT/publisher.log" >&2) | tee -a "$OUT/publisher.jsonl" || true
done

command -v wrk >/dev/null || { blog "installing wrk"; apt-get update -qq && apt-get install -y -qq wrk >&2; }
TOKEN=$(java -jar "$SRC/cli/target/tidings-cli.jar" token --user bench-wrk --scope notifications:publish)
export TOKEN
for conc in 64 256; do
  blog "publisher: wrk, single POSTs, $conc connections, 20 s"
  wrk -t2 -c"$conc" -d20s --latency -s "$ROOT/bench/scripts/wrk-publish.lua" "http://127.0.0.1:$BENCH_PUBLISHER_PORT/api/v1/notifications" \
    2> >(tee -a "$OUT/publisher.log" >&2) | tee -a "$OUT/wrk-$conc.txt" | grep '^{' | tee -a "$OUT/publisher.jsonl" || true
done
