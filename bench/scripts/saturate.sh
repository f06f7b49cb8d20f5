#!/usr/bin/env bash
# Raises the publish rate per scenario type until loss appears or p99 passes 100 ms (or a run errors),
# against one warmed-up cluster per scenario type (peak RSS reset before each step). N=10000 clients.
#
# usage: bench/scripts/saturate.sh [broadcast|user|group ...]      (default: all three)
# Publishes straight to Kafka by default (PUBLISH=kafka): the bench's JDK HTTP client tops out below 2k single
# requests/s here (see publisher.sh for the API's own ceiling, measured with wrk), and that would be what the
# user and group probes find. PUBLISH=http uses the API.
# env:   STEP_SECONDS (20)  P99_LIMIT_MS (100)  CLIENTS (10000)  PUBLISH (kafka)
#        RATES_BROADCAST ("5 10 20 40")  RATES_USER ("2000 5000 10000 20000")  RATES_GROUP ("1000 2000 5000 10000")
set -euo pipefail
source "$(dirname "$0")/lib.sh"

TYPES=("$@"); ((${#TYPES[@]})) || TYPES=(broadcast user group)
STEP_SECONDS=${STEP_SECONDS:-20} P99_LIMIT_MS=${P99_LIMIT_MS:-100} CLIENTS=${CLIENTS:-10000}
declare -A RATES=([broadcast]="${RATES_BROADCAST:-5 10 20 40}" [user]="${RATES_USER:-2000 5000 10000 20000}"
  [group]="${RATES_GROUP:-1000 2000 5000 10000}")
OUT=$(results_dir saturate)
trap cluster_down EXIT
trap 'exit 130' INT TERM
raise_fd_limit
build_jars
blog "Tidings at commit $BENCH_COMMIT; results in $OUT"

for type in "${TYPES[@]}"; do
  [[ -n ${RATES[$type]:-} ]] || { echo "unknown scenario $type" >&2; exit 2; }
  cluster_up "saturate-$type" || continue
  direct=()
  [[ ${PUBLISH:-kafka} == kafka ]] && direct=(--direct-kafka "127.0.0.1:$BENCH_KAFKA_PORT")
  first_rate=${RATES[$type]%% *}
  # Warm with the full client count at the first rate: the first measured step must not be the cold one.
  warm_up "$type" "$CLIENTS" "$first_rate" "${direct[@]}"
  for rate in ${RATES[$type]}; do
    blog "saturate $type N=$CLIENTS rate=$rate ${STEP_SECONDS}s"
    line=$(bench --scenario "$type" --clients "$CLIENTS" --rate "$rate" --seconds "$STEP_SECONDS" --reset-peak-rss "${direct[@]}" \
      2> >(tee -a "$OUT/saturate.log" >&2) || true)
    echo "$line" | tee -a "$OUT/saturate.jsonl"
    verdict=$(node -e '
      const r = JSON.parse(process.argv[1] || "{}"); const limit = +process.argv[2];
      if (r.error) console.log("error: " + r.error);
      else if (r.lost > 0) console.log("loss " + r.lossPct + "%");
      else if (r.latencyMs.p99 > limit) console.log("p99 " + r.latencyMs.p99 + " ms > " + limit + " ms");
      else console.log("ok");' "$line" "$P99_LIMIT_MS" 2>/dev/null || echo "unreadable result")
    blog "$type @ $rate/s: $verdict"
    [[ $verdict == ok ]] || break
  done
  cluster_down
done
node "$(dirname "$0")/table.js" "$OUT/saturate.jsonl" | tee "$OUT/table.md"
