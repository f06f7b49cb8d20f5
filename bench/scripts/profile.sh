#!/usr/bin/env bash
# Profiles the gateway nodes (or the publisher API, or the broker: PROFILED) during one scenario and prints where their CPU goes.
#
# usage: bench/scripts/profile.sh [SCENARIO N RATE SECONDS]      (default broadcast 10000 20 30)
# env:   PROFILER (async | jfr; default async)  PUBLISH (kafka | http; default kafka)  NODES_PROFILED (1 | 2; default 2)
#        PROFILED (gateways | publisher | kafka | all; default gateways): which processes; publisher implies PUBLISH=http
#        EVENT (cpu | alloc; default cpu; async only)  ASYNC_PROFILER_VERSION (4.1)
#        RESTARTED (0 | 1; default 0): profile gateways restarted on the warm cluster instead, from the moment the
#        load generator (warm: it ran the scenario for 20 s before the restart) has connected its clients to them,
#        as bench/scripts/everyday.sh measures them
#
# PROFILER=async attaches async-profiler (tools.profiler:async-profiler from Maven Central, loaded with
# `jcmd JVMTI.agent_load`) in cpu mode: perf_events samples of every thread, kernel frames included, so time spent
# in system calls and in the kernel's loopback TCP shows up, which JFR cannot see (it samples Java code only).
# Writes per process collapsed stacks (gw1, gw2, publisher, kafka .collapsed, for any flame-graph tool) and a summary (hot.txt): samples per
# thread, the share in the kernel, the hottest frames by self time, and selected frames inclusive.
# EVENT=alloc profiles allocations instead (TLAB-driven, one sample per 256 KB, weighted by size): where the heap
# the collector has to reclaim comes from, and bytes per published record, the run's connects and warm-up included.
# PROFILER=jfr records JFR (settings=profile) on each profiled node and prints node 1's hottest Java frames.
# The cluster is warmed up with the scenario itself first, as in saturate.sh.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
SCENARIO=${1:-broadcast} N=${2:-10000} RATE=${3:-20} SECS=${4:-30}
PROFILER=${PROFILER:-async} NODES_PROFILED=${NODES_PROFILED:-2} EVENT=${EVENT:-cpu} PROFILED=${PROFILED:-gateways}
[[ $PROFILED == publisher || $PROFILED == all ]] && PUBLISH=${PUBLISH:-http}
case $EVENT in
  cpu) AGENT_START="start,event=cpu,interval=1ms,threads" AGENT_STOP="stop,collapsed" ;;
  alloc) AGENT_START="start,event=alloc,alloc=256k,threads" AGENT_STOP="stop,collapsed,total" ;;
  *) echo "EVENT is cpu or alloc" >&2; exit 2 ;;
esac
cluster_script profile
direct=()
[[ ${PUBLISH:-kafka} == kafka ]] && direct=(--direct-kafka "127.0.0.1:$BENCH_KAFKA_PORT")

if [[ $PROFILER == async ]]; then LIB=$(async_profiler_lib); fi

cluster_up profile
warm_up "$SCENARIO" "$N" "$RATE" "${direct[@]}"
if ((${RESTARTED:-0})); then
  bench_across_restart "$OUT/pause" "$OUT/result.json" "$OUT/bench.log" restart_gateways --scenario "$SCENARIO" --clients "$N" \
    --rate "$RATE" --seconds "$SECS" --warm-up-seconds 20 "${direct[@]}" || exit 1
  for ((k = 0; k < 3000; k++)); do sed -n '/resumed/,$p' "$OUT/bench.log" | grep -q 'clients welcomed' && break; sleep 0.1; done
fi
PIDS=() NAMES=()
if [[ $PROFILED == gateways || $PROFILED == all ]]; then
  for ((k = 0; k < NODES_PROFILED; k++)); do
    PIDS+=("$(listener $((BENCH_GATEWAY_PORT + k)))"); NAMES+=("gw$((k + 1))")
  done
fi
if [[ $PROFILED == publisher || $PROFILED == all ]]; then PIDS+=("$(listener "$BENCH_PUBLISHER_PORT")"); NAMES+=(publisher); fi
if [[ $PROFILED == kafka || $PROFILED == all ]]; then PIDS+=("$(listener "$BENCH_KAFKA_PORT")"); NAMES+=(kafka); fi

# jcmd would read the agent's key=value options as its own: they go in quotes.
start() {
  local k
  for k in "${!PIDS[@]}"; do
    if [[ $PROFILER == async ]]; then
      jcmd "${PIDS[$k]}" JVMTI.agent_load "$LIB" "\"$AGENT_START\"" > /dev/null
    else
      jcmd "${PIDS[$k]}" JFR.start name=bench settings=profile filename="$OUT/${NAMES[$k]}.jfr" > /dev/null
    fi
  done
}
stop() {
  local k
  for k in "${!PIDS[@]}"; do
    if [[ $PROFILER == async ]]; then
      jcmd "${PIDS[$k]}" JVMTI.agent_load "$LIB" "\"$AGENT_STOP,file=$OUT/${NAMES[$k]}.collapsed\"" > /dev/null || true
    else
      jcmd "${PIDS[$k]}" JFR.stop name=bench > /dev/null || true
    fi
  done
}

LOADGEN_WARM=15
((${RESTARTED:-0})) && LOADGEN_WARM=0
start
blog "profiling ${NAMES[*]} with $PROFILER ($EVENT) during $SCENARIO $N x $RATE/s for ${SECS}s"
if ((${RESTARTED:-0})); then
  wait "$BENCH_PID" || true
  cat "$OUT/result.json"
else
  bench --scenario "$SCENARIO" --clients "$N" --rate "$RATE" --seconds "$SECS" --warm-up-seconds "$LOADGEN_WARM" \
    "${direct[@]}" | tee "$OUT/result.json"
fi
stop

if [[ $PROFILER == async ]]; then
  for ((w = 0; w < 50; w++)); do # the agent may write its files after jcmd returns
    missing=0
    for name in "${NAMES[@]}"; do [[ -s $OUT/$name.collapsed ]] || missing=1; done
    ((missing)) || break
    sleep 0.2
  done
  for name in "${NAMES[@]}"; do
    f=$OUT/$name.collapsed
    [[ -s $f ]] || { blog "no samples in $f"; continue; }
    # A collapsed line is "[thread];frame;frame;...;leaf COUNT"; kernel frames end in _[k].
    # Records published while profiled: the measured seconds, and the load generator's warm-up at the same rate
    # (15 s; none in the profile of restarted gateways, whose load generator warmed up before it).
    awk -v node="$(basename "$f" .collapsed)" -v event="$EVENT" -v records="$(awk -v r="$RATE" -v s="$SECS" -v w="$LOADGEN_WARM" 'BEGIN { print r * (s + w) }')" '
      {
        n = $NF; line = $0; sub(/ [0-9]+$/, "", line); total += n
        k = split(line, fr, ";"); thread = fr[1]; gsub(/[0-9]+/, "#", thread); byThread[thread] += n
        leaf = fr[k]; self[leaf] += n
        if (leaf ~ /_\[k\]$/) kernel += n
        delete seen
        for (i = 2; i <= k; i++) if (!(fr[i] in seen)) { seen[fr[i]] = 1; incl[fr[i]] += n }
      }
      END {
        if (event == "alloc") printf "== %s: %.0f MB allocated, %.0f bytes per published record ==\n", node, total / 1e6, total / records
        else printf "== %s: %d samples (1 ms of CPU each), %.1f%% in the kernel ==\n", node, total, 100 * kernel / total
        print "-- by thread --"
        for (t in byThread) printf "%7d %5.1f%% %s\n", byThread[t], 100 * byThread[t] / total, t | "sort -rn | head -12"
        close("sort -rn | head -12")
        print "-- self (leaf frame) --"
        for (f in self) printf "%7d %5.1f%% %s\n", self[f], 100 * self[f] / total, f | "sort -rn | head -30"
        close("sort -rn | head -30")
        print "-- inclusive, selected --"
        for (f in incl) if (f ~ /^(dev\/tidings|org\/springframework\/web\/server\/handler\/FilteringWebHandler\.handle|org\/apache\/kafka\/clients\/producer\/KafkaProducer\.doSend|io\/netty\/channel\/(epoll\/EpollEventLoop\.run|nio\/NioEventLoop\.run|AbstractChannelHandlerContext\.flush$)|org\/apache\/kafka\/clients\/consumer\/.*\.poll$|__x64_sys_|do_syscall_64|tcp_sendmsg|tcp_v4_rcv|ep_poll|futex_wait|org\/springframework\/kafka\/listener\/KafkaMessageListenerContainer\$ListenerConsumer\.run)/)
          printf "%7d %5.1f%% %s\n", incl[f], 100 * incl[f] / total, f | "sort -rn | head -45"
        close("sort -rn | head -45")
      }' "$f"
  done | tee "$OUT/hot.txt"
else
  f=$OUT/${NAMES[0]}.jfr
  [[ -f $f ]] || { blog "no recording written"; exit 1; }
  jfr summary "$f" > "$OUT/summary.txt"
  jfr print --stack-depth 64 --events jdk.ExecutionSample "$f" > "$OUT/samples.txt"
  awk '
    /stackTrace = \[/ { inStack = 1; depth = 0; delete seen; total++; next }
    inStack && /^[[:space:]]*\]/ { inStack = 0; next }
    inStack {
      frame = $0; sub(/^[[:space:]]+/, "", frame); sub(/[[:space:]]+line:.*/, "", frame)
      if (depth == 0) self[frame]++
      if (!(frame in seen)) { seen[frame] = 1; incl[frame]++ }
      depth++
    }
    END {
      print "samples " total
      print "== self (top frame) =="; for (f in self) printf "%6d %5.1f%% %s\n", self[f], 100 * self[f] / total, f | "sort -rn | head -40"
      close("sort -rn | head -40")
      print "== inclusive =="; for (f in incl) printf "%6d %5.1f%% %s\n", incl[f], 100 * incl[f] / total, f | "sort -rn | head -60"
    }' "$OUT/samples.txt" | tee "$OUT/hot.txt"
fi
blog "profile in $OUT"
