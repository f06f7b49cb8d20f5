#!/usr/bin/env bash
# Everyday load, side by side with the Socket.IO + Redis peer harness (bench/peers/socketio/run.sh, from a private
# copy), publishing through the publisher's HTTP API as a product service would, warm and cold, every process's CPU.
#
# Per scenario, one after the other, never two systems at once:
#   Tidings cold: a fresh cluster's first COLD_SECONDS (40), measured by a warm load generator, as browsers and
#                 services that outlive a deployment meet it: the load generator runs WARM_SECONDS (30) of the
#                 scenario on a first cluster and closes its clients; that cluster goes down and a fresh one
#                 (`tidings up`: empty broker, publisher, two gateways, each a new JVM) comes up in its pause; as
#                 soon as every service reports UP the load generator connects its clients afresh and publishes the
#                 scenario. COLD_INSTRUMENT=cold measures the fresh cluster with a fresh load generator instead,
#                 whose own JIT warm-up then shares the two cores and lands in its figures: its JVM is started before
#                 the cluster and waits (--start-file), or once the services are up with LOADGEN_FIRST=0.
#   Tidings warm: the same cluster, then WARM_SECONDS (30) more of the same load (not measured), then SECONDS_PER_RUN
#                 (30) measured.
#   Tidings gateways restarted: then both gateways restarted one at a time, as the chart's rolling update does
#                 (SIGTERM, a fresh JVM with the same settings, UP before the next; RESTART_ALL_AT_ONCE=1 restarts
#                 both at once), and as soon as both report UP (their warm-up done) the same load,
#                 new clients, for COLD_SECONDS: a gateway's first seconds on a warm publisher and broker. The load
#                 generator is warm: it ran WARM_SECONDS of the load before the restart, in the same process.
#                 RESTART=0 leaves it out.
#   Tidings rolling restart: then, on the same cluster, the load generator (warmed WARM_SECONDS) measures
#                 ROLLING_SECONDS (240) of the load across a rolling restart under it: ROLLING_LEAD_SECONDS (10)
#                 in, the gateways restart one at a time as above, while the load goes on. A gateway that stops
#                 closes its sessions (1013) and its clients come back as the JS SDK does (--reconnect: a jittered
#                 wait of up to RECONNECT_JITTER_MS (500, the SDK's), the next gateway, their cursor, up to
#                 RECONNECT_WELCOME_TIMEOUT_MS (10000, the SDK's) for the welcome), so the survivor takes the
#                 restarted one's clients and then the fresh gateway takes them all. Live p99 counts what reached connected clients; what a
#                 client got between its close and its resume's end is catch-up, reported apart. ROLLING=0
#                 leaves it out.
#   peer:         its own run.sh, unchanged (fresh Redis and nodes, SECONDS_PER_RUN).
# Scenarios: user 10000 x 2000/s, group (size 10) 10000 x 1000/s, broadcast 2000 x 50/s; payload 100 B.
# One table at the end (everyday-table.js): p50/p95/p99, lost, machine busy, the CPU of every process (publisher,
# broker or Redis, both nodes, load generator), and the ratios the targets are stated in.
#
# usage: bench/scripts/everyday.sh [--tidings-only | --peer-only]
# env:   ONLY (extended regex over "scenario N rate")  RESTART (1)  ROLLING (1)  ROLLING_SECONDS (240)  ROLLING_LEAD_SECONDS (10)  RECONNECT_JITTER_MS (500)  RECONNECT_WELCOME_TIMEOUT_MS (10000)  RESTART_ALL_AT_ONCE (0)  COLD_SECONDS (40)  WARM_SECONDS (30)  SECONDS_PER_RUN (30)
#        COLD_INSTRUMENT (warm | cold)  LOADGEN_FIRST (1, with COLD_INSTRUMENT=cold)
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
    restart_gateways --scenario "$scenario" --clients "$n" --rate "$rate" --seconds "$COLD" --warm-up-seconds "$WARM" \
    2> >(tee -a "$OUT/tidings.log" >&2) || return 0
  wait "$BENCH_PID" || true
  tag restarted < "$OUT/restarted-$scenario.jsonl" | tee -a "$OUT/tidings.jsonl"
}

# rolling_phase SCENARIO N RATE: the load generator measures ROLLING seconds of the load while the gateways restart
# one at a time, ROLLING_LEAD seconds into it; the line gets restartWindowS, when the restarts began and ended in
# seconds since the measured publishing started.
rolling_phase() {
  local scenario=$1 n=$2 rate=$3 signal=$OUT/measuring-rolling-$scenario pid t0 began ended
  local window=${ROLLING_SECONDS:-240} lead=${ROLLING_LEAD_SECONDS:-10}
  blog "tidings rolling restart $scenario N=$n rate=$rate: ${window}s measured, the gateways restarted one at a time ${lead}s in" 2>&1 | tee -a "$OUT/tidings.log" >&2
  rm -f "$signal"
  bench --scenario "$scenario" --clients "$n" --rate "$rate" --seconds "$window" --warm-up-seconds "$WARM" \
    --reconnect --reconnect-jitter "${RECONNECT_JITTER_MS:-500}" --reconnect-welcome-timeout "${RECONNECT_WELCOME_TIMEOUT_MS:-10000}" --measuring-file "$signal" --slowest-out "$OUT/rolling-$scenario-slowest.csv" \
    > "$OUT/rolling-$scenario.jsonl" 2> >(tee -a "$OUT/tidings.log" >&2) &
  pid=$!
  if ! await_signal "$signal" "$pid" 1500; then
    blog "the rolling restart's load generator never started measuring" 2>&1 | tee -a "$OUT/tidings.log" >&2
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    return 0
  fi
  t0=$(date +%s%N)
  sleep "$lead"
  began=$(( ($(date +%s%N) - t0) / 1000000000 ))
  # Not in a pipeline: restart_gateways records the new gateways' pids for cluster_down in this shell.
  restart_gateways 2> >(tee -a "$OUT/tidings.log" >&2) || true
  ended=$(( ($(date +%s%N) - t0) / 1000000000 ))
  ((ended < window)) || blog "the restarts ended ${ended}s in, past the ${window}s window: raise ROLLING_SECONDS" 2>&1 | tee -a "$OUT/tidings.log" >&2
  wait "$pid" || true
  tag rolling "{\"restartWindowS\":[$began,$ended]}" < "$OUT/rolling-$scenario.jsonl" | tee -a "$OUT/tidings.jsonl"
}

# fresh_cluster_phase SCENARIO N RATE: with a first cluster up, the load generator warms itself up on it for WARM
# seconds; in its pause a fresh cluster replaces the first; it then measures the fresh cluster's first COLD seconds.
# Returns 1 when the fresh cluster did not come up.
fresh_cluster_phase() {
  local scenario=$1 n=$2 rate=$3
  blog "tidings cold $scenario N=$n rate=$rate: the load generator warms up ${WARM}s on a first cluster, a fresh cluster replaces it, then ${COLD}s measured" 2>&1 | tee -a "$OUT/tidings.log" >&2
  bench_across_restart "$OUT/pause-cold-$scenario" "$OUT/cold-$scenario.jsonl" >(tee -a "$OUT/tidings.log" >&2) \
    "replace_cluster $scenario-$n" --scenario "$scenario" --clients "$n" --rate "$rate" --seconds "$COLD" \
    --warm-up-seconds "$WARM" --slowest-out "$OUT/cold-$scenario-slowest.csv" 2> >(tee -a "$OUT/tidings.log" >&2) ||
    return 1
  wait "$BENCH_PID" || true
  tag cold < "$OUT/cold-$scenario.jsonl" | tee -a "$OUT/tidings.jsonl"
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

# tag PHASE [JSON] < BENCH-LINE: the line with "phase", and JSON's fields, added.
tag() { node -e 'const d = JSON.parse(require("fs").readFileSync(0, "utf8")); d.phase = process.argv[1]; Object.assign(d, JSON.parse(process.argv[2] || "{}")); console.log(JSON.stringify(d));' "$1" "${2:-}"; }

for s in "${SCENARIOS[@]}"; do
  [[ -z ${ONLY:-} ]] || [[ $s =~ $ONLY ]] || continue
  read -r scenario n rate <<< "$s"
  if ((RUN_TIDINGS)); then
    up=0
    if [[ ${COLD_INSTRUMENT:-warm} == warm ]]; then
      cluster_up "$scenario-$n-first" && fresh_cluster_phase "$scenario" "$n" "$rate" && up=1
    else
      cold_start "$scenario" "$n" "$rate"
      if cluster_up "$scenario-$n"; then
        up=1
        blog "tidings cold $scenario N=$n rate=$rate ${COLD}s, a fresh load generator (load average before: $(cut -d' ' -f1-3 /proc/loadavg))" 2>&1 | tee -a "$OUT/tidings.log" >&2
        cold_run "$scenario" "$n" "$rate"
      fi
    fi
    if ((up)); then
      blog "tidings warm $scenario N=$n rate=$rate: ${WARM}s more of it, then ${SECS}s measured" 2>&1 | tee -a "$OUT/tidings.log" >&2
      bench --scenario "$scenario" --clients "$n" --rate "$rate" --seconds "$SECS" --warm-up-seconds "$WARM" \
        2> >(tee -a "$OUT/tidings.log" >&2) | tag warm | tee -a "$OUT/tidings.jsonl" || true
      if ((${RESTART:-1})); then restarted_phase "$scenario" "$n" "$rate"; fi
      if ((${ROLLING:-1})); then rolling_phase "$scenario" "$n" "$rate"; fi
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
