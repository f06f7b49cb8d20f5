#!/usr/bin/env bash
# Everyday load, side by side with the Socket.IO + Redis peer harness (bench/peers/socketio/run.sh, from a private
# copy), publishing through the publisher's HTTP API as a product service would, warm and cold, every process's CPU.
#
# Per scenario, one after the other, never two systems at once:
#   Tidings cold: a fresh cluster (`tidings up`: broker, publisher, two gateways); as soon as every service reports
#                 UP, the load generator connects the clients and publishes the scenario for COLD_SECONDS (40), with
#                 no warm-up of any kind: what a freshly (re)started deployment serves. The load generator's JVM is
#                 started before the cluster and waits (--start-file): its own start, a 3 GiB heap touched page by
#                 page, would otherwise take the cores in the services' first seconds.
#                 LOADGEN_FIRST=0 starts it once the services are up instead.
#   Tidings warm: the same cluster, then WARM_SECONDS (30) more of the same load (not measured), then SECONDS_PER_RUN
#                 (30) measured.
#   Tidings gateways restarted: then both gateways restarted one at a time, as the chart's rolling update does
#                 (SIGTERM, a fresh JVM with the same settings, UP before the next; RESTART_ALL_AT_ONCE=1 restarts
#                 both at once), and as soon as both report UP (their warm-up done) the same load,
#                 new clients, for COLD_SECONDS: a gateway's first seconds on a warm publisher and broker. The load
#                 generator is warm: it ran WARM_SECONDS of the load before the restart, in the same process.
#                 RESTART=0 leaves it out.
#   peer:         its own run.sh, unchanged (fresh Redis and nodes, SECONDS_PER_RUN).
# Scenarios: user 10000 x 2000/s, group (size 10) 10000 x 1000/s, broadcast 2000 x 50/s; payload 100 B.
# One table at the end (everyday-table.js): p50/p95/p99, lost, machine busy, the CPU of every process (publisher,
# broker or Redis, both nodes, load generator), and the ratios the targets are stated in.
#
# usage: bench/scripts/everyday.sh [--tidings-only | --peer-only]
# env:   ONLY (extended regex over "scenario N rate")  RESTART (1)  RESTART_ALL_AT_ONCE (0)  COLD_SECONDS (40)  WARM_SECONDS (30)  SECONDS_PER_RUN (30)
#        LOADGEN_FIRST (1)
#        PEER_DIR (bench/peers/socketio)  plus lib.sh's BENCH_* settings (BENCH_REV: the commit measured)
set -euo pipefail
source "$(dirname "$0")/lib.sh"

RUN_TIDINGS=1 RUN_PEER=1
for arg in "$@"; do
  case $arg in
    --tidings-only) RUN_PEER=0 ;;
    --peer-only) RUN_TIDINGS=0 ;;
    *) echo "usage: $0 [--tidings-only | --peer-only]" >&2; exit 2 ;;
  esac
done
SECS=${SECONDS_PER_RUN:-30} COLD=${COLD_SECONDS:-40} WARM=${WARM_SECONDS:-30}
SCENARIOS=("user 10000 2000" "group 10000 1000" "broadcast 2000 50")
side_by_side_setup everyday
# One secret for every cluster of the run, known before the first starts: the cold run's load generator is started
# before its cluster.
export TIDINGS_JWT_SECRET=${TIDINGS_JWT_SECRET:-$(dev_secret)}

# restarted_phase SCENARIO N RATE: the load generator warms itself up on the warm cluster for WARM_SECONDS and
# closes its clients; the gateways restart in its pause; it connects its clients afresh and measures COLD_SECONDS.
# So a warm instrument measures the restarted gateways, as browsers on other machines would meet them.
restarted_phase() {
  local scenario=$1 n=$2 rate=$3
  blog "tidings gateways restarted $scenario N=$n rate=$rate: the load generator warms up ${WARM}s, the gateways restart, then ${COLD}s measured" 2>&1 | tee -a "$OUT/tidings.log" >&2
  bench_across_restart "$OUT/pause-$scenario" "$OUT/restarted-$scenario.jsonl" >(tee -a "$OUT/tidings.log" >&2) \
    --scenario "$scenario" --clients "$n" --rate "$rate" --seconds "$COLD" --warm-up-seconds "$WARM" \
    2> >(tee -a "$OUT/tidings.log" >&2) || return 0
  wait "$BENCH_PID" || true
  tag restarted < "$OUT/restarted-$scenario.jsonl" | tee -a "$OUT/tidings.jsonl"
}

# cold_start SCENARIO N RATE: with LOADGEN_FIRST (1), starts the cold run's load generator before the cluster and
# waits until its JVM is up and waiting for its start file; cold_run starts it (or, with LOADGEN_FIRST=0, starts a
# fresh one) and waits for its line; cold_abandon stops one that will not run.
cold_start() {
  COLD_PID="" COLD_FILE="$OUT/cold-$1.start"
  ((${LOADGEN_FIRST:-1})) || return 0
  rm -f "$COLD_FILE" "$COLD_FILE.ready"
  cold_bench "$@" --start-file "$COLD_FILE" > "$OUT/cold-$1.jsonl" 2> >(tee -a "$OUT/tidings.log" >&2) &
  COLD_PID=$!
  await_signal "$COLD_FILE.ready" "$COLD_PID" 600 && return 0
  blog "the cold run's load generator did not start; starting it with the cluster up instead" 2>&1 | tee -a "$OUT/tidings.log" >&2
  cold_abandon
}
cold_run() {
  if [[ -n $COLD_PID ]]; then
    touch "$COLD_FILE"
    wait "$COLD_PID" || true
    COLD_PID=""
    tag cold < "$OUT/cold-$1.jsonl" | tee -a "$OUT/tidings.jsonl" || true
  else
    cold_bench "$@" 2> >(tee -a "$OUT/tidings.log" >&2) | tag cold | tee -a "$OUT/tidings.jsonl" || true
  fi
}
# cold_bench SCENARIO N RATE [BENCH ARGS...]: runs the cold run's load generator with ARGS added.
cold_bench() {
  local scenario=$1 n=$2 rate=$3
  shift 3
  bench --scenario "$scenario" --clients "$n" --rate "$rate" --seconds "$COLD" --warm-up-seconds 0 \
    --slowest-out "$OUT/cold-$scenario-slowest.csv" "$@"
}
cold_abandon() {
  if [[ -n ${COLD_PID:-} ]]; then
    kill "$COLD_PID" 2>/dev/null || true
    wait "$COLD_PID" 2>/dev/null || true
    COLD_PID=""
  fi
}

# tag PHASE < BENCH-LINE: the line with "phase" added.
tag() { node -e 'const d = JSON.parse(require("fs").readFileSync(0, "utf8")); d.phase = process.argv[1]; console.log(JSON.stringify(d));' "$1"; }

for s in "${SCENARIOS[@]}"; do
  [[ -z ${ONLY:-} ]] || [[ $s =~ $ONLY ]] || continue
  read -r scenario n rate <<< "$s"
  if ((RUN_TIDINGS)); then
    cold_start "$scenario" "$n" "$rate"
    if cluster_up "$scenario-$n"; then
      blog "tidings cold $scenario N=$n rate=$rate ${COLD}s (load average before: $(cut -d' ' -f1-3 /proc/loadavg))" 2>&1 | tee -a "$OUT/tidings.log" >&2
      cold_run "$scenario" "$n" "$rate"
      blog "tidings warm $scenario N=$n rate=$rate: ${WARM}s more of it, then ${SECS}s measured" 2>&1 | tee -a "$OUT/tidings.log" >&2
      bench --scenario "$scenario" --clients "$n" --rate "$rate" --seconds "$SECS" --warm-up-seconds "$WARM" \
        2> >(tee -a "$OUT/tidings.log" >&2) | tag warm | tee -a "$OUT/tidings.jsonl" || true
      if ((${RESTART:-1})); then restarted_phase "$scenario" "$n" "$rate"; fi
    else
      cold_abandon
      printf '{"system":"tidings","phase":"cold","scenario":"%s","N":%s,"rate":%s,"error":"cluster did not start"}\n' \
        "$scenario" "$n" "$rate" | tee -a "$OUT/tidings.jsonl"
    fi
    cluster_down
  fi
  if ((RUN_PEER)); then
    blog "peer $scenario N=$n rate=$rate ${SECS}s (load average before: $(cut -d' ' -f1-3 /proc/loadavg))" 2>&1 | tee -a "$OUT/peer.log" >&2
    "$PEER/run.sh" "$scenario" "$n" "$rate" "$SECS" 2> >(tee -a "$OUT/peer.log" >&2) | tee -a "$OUT/peer.jsonl" || true
  fi
done

node "$(dirname "$0")/everyday-table.js" "$OUT"/tidings.jsonl "$OUT"/peer.jsonl | tee "$OUT/table.md"
blog "done; raw lines in $OUT"
