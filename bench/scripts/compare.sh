#!/usr/bin/env bash
# Back-to-back comparison of builds or gateway JVM options: for each variant, in the order given, a fresh cluster
# warmed up with the first scenario, then every scenario RUNS times (STEP_SECONDS each, straight to Kafka unless PUBLISH=http). One
# summary line per run in RESULTS/summary.txt, the raw JSON lines in RESULTS/runs.jsonl. Repeat a variant
# (`a b a b`) to interleave them, so both meet the machine's slow and fast spells alike.
#
# usage: bench/scripts/compare.sh VARIANT... -- "SCENARIO N RATE"...
#   VARIANT is NAME=REV or NAME=REV@GATEWAY_JAVA_OPTS, e.g.
#   bench/scripts/compare.sh base=HEAD 'fixed=HEAD@-XX:+UseShenandoahGC -Xms2g -Xmx2g -XX:+AlwaysPreTouch' \
#     -- 'group 10000 5000' 'user 10000 15000'
# env:   RUNS (3)  STEP_SECONDS (20)  GC_LOG (1: each gateway writes its collector's log to RESULTS/gc-NAME-PID.log)
#        PUBLISH (kafka | http; default kafka: straight to Kafka; http: through the publisher API, as a service would)
#        plus lib.sh's BENCH_* settings
# summary columns (lib.sh's run_summary): variant scenario N rate lost misrouted p50 p95 p99 max(ms) cpu%: loadgen node1 node2 kafka
#                  machine-busy  node-cpu-us/delivery  gateway stages (ms, from the records' Kafka timestamps, bucket
#                  bounds): routed mean/p99 written mean/p99  cpu% of the publisher API (- when publishing to Kafka)
#                  p99 (ms) either side of the frames' publishedAt: ingress, since accepted
set -euo pipefail
source "$(dirname "$0")/lib.sh"

VARIANTS=() SCENARIOS=()
while (($#)) && [[ $1 != -- ]]; do VARIANTS+=("$1"); shift; done
(($#)) && shift
SCENARIOS=("$@")
if ((${#VARIANTS[@]} == 0 || ${#SCENARIOS[@]} == 0)); then
  sed -n '7,10p' "$0" >&2
  exit 2
fi
RUNS=${RUNS:-3} STEP_SECONDS=${STEP_SECONDS:-20} GC_LOG=${GC_LOG:-1}
OUT=$(results_dir compare)
trap cluster_down EXIT
trap 'exit 130' INT TERM
raise_fd_limit
blog "results in $OUT"
default_gateway_opts=$BENCH_GATEWAY_JAVA_OPTS
path=(--direct-kafka "127.0.0.1:$BENCH_KAFKA_PORT")
[[ ${PUBLISH:-kafka} == http ]] && path=()

# Every REV is resolved to its commit now, so that a commit made while the comparison runs changes none of it.
declare -A COMMIT
for variant in "${VARIANTS[@]}"; do
  rev=${variant#*=}; rev=${rev%%@*}
  [[ $rev == worktree ]] || COMMIT[$rev]=$(git -C "$ROOT" rev-parse --verify --short "$rev^{commit}")
done

for variant in "${VARIANTS[@]}"; do
  name=${variant%%=*} spec=${variant#*=}
  BENCH_REV=${spec%%@*}
  [[ $BENCH_REV == worktree ]] || BENCH_REV=${COMMIT[$BENCH_REV]}
  BENCH_GATEWAY_JAVA_OPTS=$default_gateway_opts
  [[ $spec == *@* ]] && BENCH_GATEWAY_JAVA_OPTS=${spec#*@}
  ((GC_LOG)) && BENCH_GATEWAY_JAVA_OPTS+=" -Xlog:gc:file=$OUT/gc-$name-%p.log"
  export BENCH_REV BENCH_GATEWAY_JAVA_OPTS
  build_jars
  blog "variant $name: commit $BENCH_COMMIT, gateway JVM options: $BENCH_GATEWAY_JAVA_OPTS" 2>&1 | tee -a "$OUT/summary.log" >&2
  cluster_up "compare-$name"
  read -r scenario n rate <<< "${SCENARIOS[0]}"
  warm_up "$scenario" "$n" "$rate" "${path[@]}"
  for s in "${SCENARIOS[@]}"; do
    read -r scenario n rate <<< "$s"
    for ((run = 1; run <= RUNS; run++)); do
      line=$(bench --scenario "$scenario" --clients "$n" --rate "$rate" --seconds "$STEP_SECONDS" \
        "${path[@]}" 2>> "$OUT/bench.log") || true
      [[ -n $line ]] || line="{\"scenario\":\"$scenario\",\"N\":$n,\"rate\":$rate,\"error\":\"no result\"}"
      echo "$line" >> "$OUT/runs.jsonl"
      run_summary "$name" <<< "$line" | tee -a "$OUT/summary.txt"
    done
  done
  cluster_down
done
blog "done; summary in $OUT/summary.txt"
