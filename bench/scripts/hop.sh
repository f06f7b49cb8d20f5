#!/usr/bin/env bash
# Where a notification's time goes before a gateway routes it. The gateways time every record from its Kafka
# timestamp (stages `routed` and `written`). On one warmed cluster, straight to Kafka, this alternates the topic's
# timestamp between the producer's send (CreateTime, the default) and the broker's append (LogAppendTime), ROUNDS
# times each: the difference between the two `routed` figures is the hop from the load generator's send() to the
# broker's append (the producer's linger and sender thread, the broker's request handling); what LogAppendTime
# leaves is the broker-to-gateway part and the gateway's own.
#
# usage: bench/scripts/hop.sh ["SCENARIO N RATE"]        (default: "user 10000 2000")
# env:   ROUNDS (3)  STEP_SECONDS (20)  ORDER ("CreateTime LogAppendTime": the order within a round; reverse it to
#        check an effect follows the timestamps, not the run's place)  plus lib.sh's BENCH_* settings
# output: RESULTS/hop.jsonl (one {"timestamps":TYPE,"run":<bench line>} per run) and RESULTS/summary.txt (one line
#         per run, TYPE first, in the columns of lib.sh's run_summary)
set -euo pipefail
source "$(dirname "$0")/lib.sh"

read -r scenario n rate <<< "${1:-user 10000 2000}"
[[ -n $rate ]] || { sed -n '9,9p' "$0" >&2; exit 2; }
ROUNDS=${ROUNDS:-3} STEP_SECONDS=${STEP_SECONDS:-20} ORDER=${ORDER:-CreateTime LogAppendTime}
cluster_script hop
cluster_up hop
direct=(--direct-kafka "127.0.0.1:$BENCH_KAFKA_PORT")
warm_up "$scenario" "$n" "$rate" "${direct[@]}"
for ((round = 1; round <= ROUNDS; round++)); do
  for type in $ORDER; do
    java -cp "$BENCH_JAR" "$(dirname "$0")/TopicTimestampType.java" "127.0.0.1:$BENCH_KAFKA_PORT" "$type"
    blog "round $round, $type timestamps: $scenario $n x $rate/s ${STEP_SECONDS}s"
    line=$(bench --scenario "$scenario" --clients "$n" --rate "$rate" --seconds "$STEP_SECONDS" "${direct[@]}" \
      2>> "$OUT/hop.log" || true)
    [[ $line == \{* ]] || line='{"error":"no result line; see hop.log"}'
    echo "{\"timestamps\":\"$type\",\"run\":$line}" >> "$OUT/hop.jsonl"
    run_summary "$type" <<< "$line" | tee -a "$OUT/summary.txt"
  done
done
blog "done; summary in $OUT/summary.txt"
