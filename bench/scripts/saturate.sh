#!/usr/bin/env bash
# Saturation search: raises the publish rate per scenario type until loss appears or p99 passes 100 ms (or a run
# errors, or its load generator publishes under 97 % of the rate asked: a step it cannot drive proves nothing),
# against one warmed-up cluster per scenario type (peak RSS reset before each step). With --with-peer the
# Socket.IO + Redis peer harness (its run.sh, unchanged, from a private copy) is then probed at the same rates under
# the same rule, right after Tidings, so both rows of a type meet the same machine and load. The last line per
# system and type is the highest rate that passed.
#
# usage: bench/scripts/saturate.sh [--with-peer] [broadcast|user|group ...]      (default: all three)
# Publishes straight to Kafka by default (PUBLISH=kafka), as the peer's publisher writes straight into Redis;
# PUBLISH=http goes through the publisher API (see publisher.sh for the API's own ceiling).
# env:   STEP_SECONDS (20)  P99_LIMIT_MS (100)  CLIENTS (10000)  CLIENTS_BROADCAST (CLIENTS)  PUBLISH (kafka)
#        RATES_BROADCAST ("5 10 20 40")  RATES_USER ("2000 5000 10000 20000")  RATES_GROUP ("1000 2000 5000 10000")
set -euo pipefail
source "$(dirname "$0")/lib.sh"

WITH_PEER=0 TYPES=()
for arg in "$@"; do
  case $arg in
    --with-peer) WITH_PEER=1 ;;
    broadcast|user|group) TYPES+=("$arg") ;;
    *) echo "usage: $0 [--with-peer] [broadcast|user|group ...]" >&2; exit 2 ;;
  esac
done
((${#TYPES[@]})) || TYPES=(broadcast user group)
STEP_SECONDS=${STEP_SECONDS:-20} P99_LIMIT_MS=${P99_LIMIT_MS:-100} CLIENTS=${CLIENTS:-10000}
declare -A RATES=([broadcast]="${RATES_BROADCAST:-5 10 20 40}" [user]="${RATES_USER:-2000 5000 10000 20000}"
  [group]="${RATES_GROUP:-1000 2000 5000 10000}")
declare -A N=([broadcast]="${CLIENTS_BROADCAST:-$CLIENTS}" [user]="$CLIENTS" [group]="$CLIENTS")
cluster_script saturate
if ((WITH_PEER)); then peer_setup; fi

# verdict LINE RATE: ok, or why the step fails the rule.
verdict() {
  node -e '
    const r = JSON.parse(process.argv[1] || "{}"); const limit = +process.argv[2]; const rate = +process.argv[3];
    if (r.error) console.log("error: " + r.error);
    else if (r.lost > 0) console.log("loss " + r.lossPct + "%");
    else if (r.publishAchievedRate < 0.97 * rate)
      console.log("load generator published only " + r.publishAchievedRate + "/s of " + rate + "/s: not a measurement of this rate");
    else if (r.latencyMs.p99 > limit) console.log("p99 " + r.latencyMs.p99 + " ms > " + limit + " ms");
    else console.log("ok");' "$1" "$P99_LIMIT_MS" "$2" 2>/dev/null || echo "unreadable result"
}

for type in "${TYPES[@]}"; do
  n=${N[$type]}
  if cluster_up "saturate-$type"; then
    direct=()
    [[ ${PUBLISH:-kafka} == kafka ]] && direct=(--direct-kafka "127.0.0.1:$BENCH_KAFKA_PORT")
    # Warm with the full client count at the first rate: the first measured step must not be the cold one.
    warm_up "$type" "$n" "${RATES[$type]%% *}" "${direct[@]}"
    for rate in ${RATES[$type]}; do
      blog "tidings saturate $type N=$n rate=$rate ${STEP_SECONDS}s"
      line=$(bench --scenario "$type" --clients "$n" --rate "$rate" --seconds "$STEP_SECONDS" --reset-peak-rss "${direct[@]}" \
        2> >(tee -a "$OUT/saturate.log" >&2) || true)
      echo "$line" | tee -a "$OUT/saturate.jsonl"
      v=$(verdict "$line" "$rate")
      blog "tidings $type @ $rate/s: $v"
      [[ $v == ok ]] || break
    done
  fi
  cluster_down
  if ((WITH_PEER)); then
    for rate in ${RATES[$type]}; do
      blog "peer saturate $type N=$n rate=$rate ${STEP_SECONDS}s"
      line=$("$PEER/run.sh" "$type" "$n" "$rate" "$STEP_SECONDS" 2> >(tee -a "$OUT/peer.log" >&2) || true)
      echo "$line" | tee -a "$OUT/peer.jsonl"
      v=$(verdict "$line" "$rate")
      blog "peer $type @ $rate/s: $v"
      [[ $v == ok ]] || break
    done
  fi
done
node "$(dirname "$0")/table.js" "$OUT/saturate.jsonl" "$OUT/peer.jsonl" | tee "$OUT/table.md"
