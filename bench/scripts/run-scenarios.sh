#!/usr/bin/env bash
# Runs the four required fan-out scenarios against Tidings and against the Socket.IO + Redis peer harness
# (bench/peers/socketio/run.sh, from a private copy): per scenario Tidings first, then the
# peer, one after the other, never two at once. Writes every JSON line to RESULTS/tidings.jsonl and RESULTS/peer.jsonl and prints a
# side-by-side table.
#
# Scenarios (as the peer's RESULTS.md): broadcast 2000@50/s, broadcast 10000@20/s, user 10000@2000/s,
# group 10000@1000/s; 30 s each, payload 100 B, group size 10, 2 gateway nodes. Tidings gets a fresh
# cluster per scenario (like the peer's fresh Redis and nodes), warmed up before the measured run: small
# runs of each kind, then the scenario itself for WARM_SECONDS (20 s); the peer's harness runs as it is.
#
# usage: bench/scripts/run-scenarios.sh [--tidings-only | --peer-only] [--direct-kafka]
# env:   SECONDS_PER_RUN (30)  PEER_DIR (bench/peers/socketio)  plus lib.sh's BENCH_* settings
#        ONLY: an extended regex; run only the scenarios whose "scenario N rate" matches, e.g. ONLY='^user'.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

RUN_TIDINGS=1 RUN_PEER=1 DIRECT=0
for arg in "$@"; do
  case $arg in
    --tidings-only) RUN_PEER=0 ;;
    --peer-only) RUN_TIDINGS=0 ;;
    --direct-kafka) DIRECT=1 ;;
    *) echo "usage: $0 [--tidings-only | --peer-only] [--direct-kafka]" >&2; exit 2 ;;
  esac
done
SECS=${SECONDS_PER_RUN:-30}
SCENARIOS=("broadcast 2000 50" "broadcast 10000 20" "user 10000 2000" "group 10000 1000")

# Other work on a shared machine comes and goes: run each scenario on Tidings and then at once on the peer,
# so both meet about the same background load; the load average before each run is logged.
side_by_side_setup scenarios

for s in "${SCENARIOS[@]}"; do
  [[ -z ${ONLY:-} ]] || [[ $s =~ $ONLY ]] || continue
  read -r scenario n rate <<< "$s"
  if ((RUN_TIDINGS)); then
    if cluster_up "$scenario-$n"; then
      extra=()
      ((DIRECT)) && extra=(--direct-kafka "127.0.0.1:$BENCH_KAFKA_PORT")
      warm_up "$scenario" "$n" "$rate" "${extra[@]}"
      blog "tidings $scenario N=$n rate=$rate ${SECS}s (load average before: $(cut -d' ' -f1-3 /proc/loadavg))" 2>&1 | tee -a "$OUT/tidings.log" >&2
      bench --scenario "$scenario" --clients "$n" --rate "$rate" --seconds "$SECS" "${extra[@]}" \
        2> >(tee -a "$OUT/tidings.log" >&2) | tee -a "$OUT/tidings.jsonl" || true
    else
      printf '{"system":"tidings","scenario":"%s","N":%s,"rate":%s,"seconds":%s,"error":"cluster did not start"}\n' \
        "$scenario" "$n" "$rate" "$SECS" | tee -a "$OUT/tidings.jsonl"
    fi
    cluster_down
  fi
  if ((RUN_PEER)); then
    blog "peer $scenario N=$n rate=$rate ${SECS}s (load average before: $(cut -d' ' -f1-3 /proc/loadavg))" 2>&1 | tee -a "$OUT/peer.log" >&2
    "$PEER/run.sh" "$scenario" "$n" "$rate" "$SECS" 2> >(tee -a "$OUT/peer.log" >&2) | tee -a "$OUT/peer.jsonl" || true
  fi
done

node "$(dirname "$0")/table.js" "$OUT"/tidings.jsonl "$OUT"/peer.jsonl 2>/dev/null | tee "$OUT/table.md" || true
blog "done; raw lines in $OUT"
