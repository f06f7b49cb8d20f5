#!/usr/bin/env bash
# Profiles gateway node 1 with JFR during one scenario (default broadcast 10000 x 20/s for 30 s) and prints the
# hottest frames: by top frame (self time) and by any Tidings frame on the stack (inclusive).
#
# usage: bench/scripts/profile.sh [SCENARIO N RATE SECONDS]
set -euo pipefail
source "$(dirname "$0")/lib.sh"
SCENARIO=${1:-broadcast} N=${2:-10000} RATE=${3:-20} SECS=${4:-30}
OUT=$(results_dir profile)
trap cluster_down EXIT
trap 'exit 130' INT TERM
raise_fd_limit
build_jars
blog "Tidings at commit $BENCH_COMMIT; results in $OUT"
cluster_up profile
warm_up
GW_PID=$(ss -ltnpH "sport = :$BENCH_GATEWAY_PORT" | grep -o 'pid=[0-9]*' | head -1 | cut -d= -f2)
jcmd "$GW_PID" JFR.start name=bench settings=profile duration=$((SECS + 60))s filename="$OUT/gw1.jfr" >&2
bench --scenario "$SCENARIO" --clients "$N" --rate "$RATE" --seconds "$SECS" | tee "$OUT/result.json"
jcmd "$GW_PID" JFR.stop name=bench >&2 || true
[[ -f $OUT/gw1.jfr ]] || { blog "no recording written"; exit 1; }
jfr summary "$OUT/gw1.jfr" > "$OUT/summary.txt"
jfr print --stack-depth 64 --events jdk.ExecutionSample "$OUT/gw1.jfr" > "$OUT/samples.txt"
# Top frames (self) and inclusive counts of the sampled methods.
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
