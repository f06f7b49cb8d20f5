#!/usr/bin/env bash
# Idle connections on ONE gateway node: connects in steps and reads the bytes of live objects after a full GC (the
# node's class histogram), RSS and the node's connection gauge at each step; heap per connection = (heap - heap
# before any client) / connections. The first JSON line (clients 0) is that baseline; a histogram jcmd cannot take
# stops the run rather than count garbage.
# Also writes the top of the node's class histogram after the last step.
#
# The open-file limit bounds the steps: a process here may hold at most `ulimit -Hn` descriptors (20000 on the
# benchmark machine, not raisable without CAP_SYS_RESOURCE), which caps both the node and the loadgen.
#
# usage: bench/scripts/idle.sh            env: STEPS ("5000,10000,15000,19500")  SETTLE_SECONDS (10)
set -euo pipefail
source "$(dirname "$0")/lib.sh"
STEPS=${STEPS:-5000,10000,15000,19500}
cluster_script idle
BENCH_NODES=1
cluster_up idle
bench idle --steps "$STEPS" --settle-seconds "${SETTLE_SECONDS:-10}" --source-ips 4 \
  --class-histogram "$OUT/class-histogram" 2> >(tee -a "$OUT/idle.log" >&2) | tee -a "$OUT/idle.jsonl"
