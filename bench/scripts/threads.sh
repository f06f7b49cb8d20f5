#!/usr/bin/env bash
# Where the processes' threads spend a window of time: for every thread of the given processes that ran more than
# MIN_MS (50) in it, its CPU time, its time waiting on a run queue for a CPU, and how often it was scheduled in
# (each one a wake-up or a preemption), from the kernel's /proc/PID/task/TID/schedstat. Busiest thread first.
#
# usage: bench/scripts/threads.sh SECONDS PID...
#   e.g. during a benchmark: bench/scripts/threads.sh 15 $(pgrep -f tidings.service=gw-1) $(pgrep -f tidings.service=kafka)
set -euo pipefail
if (($# < 2)); then
  sed -n '6,7p' "$0" >&2
  exit 2
fi
seconds=$1
shift
declare -A before
for pid in "$@"; do
  for task in /proc/"$pid"/task/*; do
    before[$task]=$(cat "$task/schedstat" 2>/dev/null) || true
  done
done
sleep "$seconds"
printf '%-8s %-18s %9s %9s %9s %9s %10s\n' pid thread cpu-ms wait-ms slices slices/s cpu-us/slice
for pid in "$@"; do
  for task in /proc/"$pid"/task/*; do
    [[ -n ${before[$task]:-} ]] || continue
    after=$(cat "$task/schedstat" 2>/dev/null) || continue
    name=$(cat "$task/comm" 2>/dev/null) || continue
    awk -v pid="$pid" -v name="${name// /_}" -v s="$seconds" -v min="${MIN_MS:-50}" -v b="${before[$task]}" -v a="$after" '
      BEGIN {
        split(b, x, " "); split(a, y, " ")
        cpu = (y[1] - x[1]) / 1e6; wait = (y[2] - x[2]) / 1e6; slices = y[3] - x[3]
        if (cpu >= min) printf "%-8s %-18s %9.0f %9.0f %9d %9.0f %10.1f\n", pid, name, cpu, wait, slices, slices / s,
          slices ? cpu * 1000 / slices : 0
      }'
  done
done | sort -k3,3 -n -r
