#!/usr/bin/env bash
# Reconnect storm: every client on gateway 1 (the victim) while notifications are published at a fixed rate (a
# seeded user/group/broadcast mix); after BEFORE_KILL_SECONDS the victim is killed (kill -9) and each client
# reconnects to gateway 2 (the survivor) with the cursor of the last frame it got, after a random 0..JITTER_MS ms.
# One JSON line: kill-to-resumed times, loss over each client's two connections (lost must be 0), the survivor's
# CPU during the storm and its peak heap and RSS.
#
# The open-file limit bounds N: the bench process holds N sockets and the survivor ends up holding all N, each
# within `ulimit -Hn` (20000 on the benchmark machine), so N=10000 fits.
#
# usage: bench/scripts/storm.sh [extra bench storm options]
# env:   CLIENTS (10000)  RATE (200)  MIX ("80:19:1" user:group:broadcast)  BEFORE_KILL_SECONDS (5)
#        AFTER_RESUME_SECONDS (5)  JITTER_MS (1000)  SOURCE_IPS (4)  WARM_UP (0; 1 = warm the fresh cluster up first)
#        WARM_UP_SCENARIO ("SCENARIO N RATE": with WARM_UP=1, also 20 s of that scenario, as profile.sh warms up)
#        PROFILE_SURVIVOR (0; 1 = async-profiler on the survivor for the whole storm run, CPU samples of 1 ms of
#        every thread, written to survivor.collapsed beside the results)
#        plus lib.sh's BENCH_* settings
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cluster_script storm
BENCH_NODES=2
cluster_up storm
if [[ ${WARM_UP:-0} == 1 ]]; then
  # shellcheck disable=SC2086 # "SCENARIO N RATE" is three words
  warm_up ${WARM_UP_SCENARIO:-}
fi
SURVIVOR=
if [[ ${PROFILE_SURVIVOR:-0} == 1 ]]; then
  LIB=$(async_profiler_lib)
  SURVIVOR=$(listener $((BENCH_GATEWAY_PORT + 1)))
  blog "profiling the survivor (pid $SURVIVOR)"
  # jcmd would read the agent's key=value options as its own: they go in quotes.
  jcmd "$SURVIVOR" JVMTI.agent_load "$LIB" "\"start,event=cpu,interval=1ms,threads\"" > /dev/null
fi
blog "storm: ${CLIENTS:-10000} clients on gateway 1 at ${RATE:-200}/s, kill -9 after ${BEFORE_KILL_SECONDS:-5} s (load average before: $(cut -d' ' -f1-3 /proc/loadavg))"
bench storm --clients "${CLIENTS:-10000}" --rate "${RATE:-200}" --mix "${MIX:-80:19:1}" \
  --before-kill-seconds "${BEFORE_KILL_SECONDS:-5}" --after-resume-seconds "${AFTER_RESUME_SECONDS:-5}" \
  --reconnect-jitter-ms "${JITTER_MS:-1000}" --source-ips "${SOURCE_IPS:-4}" "$@" \
  2> >(tee -a "$OUT/storm.log" >&2) | tee -a "$OUT/storm.jsonl"
if [[ -n $SURVIVOR ]]; then
  jcmd "$SURVIVOR" JVMTI.agent_load "$LIB" "\"stop,collapsed,file=$OUT/survivor.collapsed\"" > /dev/null || true
  blog "the survivor's CPU samples: $OUT/survivor.collapsed"
fi
