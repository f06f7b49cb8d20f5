#!/usr/bin/env bash
# Poison-record flood, full size: PoisonFloodIT (e2e-tests) with POISON poison records (default 100000) written
# straight to the topic while broadcasts flow at 100/s to one client on each of two gateway nodes, on a real
# broker. The nodes first serve WARM_UP_SECONDS (30) of that live traffic, then a 4 s baseline, then the flood.
# Prints one line: live p99 without and with the flood, what the flood added, and the dead-letter
# topic's count against the poison records (one copy each is the contract), then fails if the flood added
# P99_ADDED_MS (default 100) or more to the live p99.
#
# CI runs the same test at 10000 records with a looser bound (the broker, publisher, both nodes and the
# flood's producer share one JVM there).
#
# usage: bench/scripts/poison-flood.sh
# env:   POISON (100000)  P99_ADDED_MS (100)  DLQ_PER_SECOND (500: tidings.gateway.dead-letter.max-per-second)
#        WARM_UP_SECONDS (30: live traffic the nodes serve before the baseline; a flood in a node's first seconds
#        meets a JVM still compiling its start-up, which is the cold start bench/scripts/everyday.sh measures)
#        PROCESSES (true: both nodes as processes of their own, 512 MiB each, the Kafka broker as one more, as
#        ./tidings up runs it, and the flood's producer as another, at nice 19, as a service on machines of its own;
#        the test's JVM then holds only the clients that time the live records and their producer. false runs all of
#        them in the test's JVM, as CI does)
#        GATEWAY_JVM_OPTIONS (with PROCESSES: the nodes' JVM options past the heap; by default the gateway image's:
#        Shenandoah with a 10 ms control interval, the heap fixed and touched at start, its thread priorities; empty
#        runs the JVM's defaults (G1); e.g. add -XX:StartFlightRecording=filename=/tmp/jfr/ to profile them)
set -euo pipefail
source "$(dirname "$0")/lib.sh" # BENCH_THREAD_PRIORITIES
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)
out="$root/bench/target/results/$(date -u +%Y%m%dT%H%M%SZ)-poison-flood"
mkdir -p "$out"
cd "$root"
echo "poison flood: ${POISON:-100000} records, bound +${P99_ADDED_MS:-100} ms (load average before: $(cut -d' ' -f1-3 /proc/loadavg)); log in $out" >&2
# The gateway image's collector settings and thread priorities (deploy/helm values, docs/configuration.md), at the
# nodes' 512 MiB.
IMAGE_GATEWAY_OPTIONS="-XX:+UseShenandoahGC -Xms512m -XX:+AlwaysPreTouch -XX:+UnlockExperimentalVMOptions -XX:ShenandoahControlIntervalMin=10"
IMAGE_GATEWAY_OPTIONS+=" $BENCH_THREAD_PRIORITIES"
status=0
./mvnw -B -ntp -q -pl e2e-tests -am verify -Dit.test=PoisonFloodIT -Dtest=none \
  -Dsurefire.failIfNoSpecifiedTests=false -Dfailsafe.failIfNoSpecifiedTests=false \
  -Dtidings.poison.records="${POISON:-100000}" -Dtidings.poison.p99-added-ms="${P99_ADDED_MS:-100}" -Dtidings.poison.dlq-per-second="${DLQ_PER_SECOND:-500}" -Dtidings.poison.processes="${PROCESSES:-true}" -Dtidings.poison.warm-up-seconds="${WARM_UP_SECONDS:-30}" \
  -Dtidings.gateway-process.jvm-options="${GATEWAY_JVM_OPTIONS-$IMAGE_GATEWAY_OPTIONS}" -Dtidings.test.broker-process="${PROCESSES:-true}" \
  > "$out/poison-flood.log" 2>&1 || status=$?
grep -h '^PoisonFloodIT:' "$out/poison-flood.log" | tee "$out/poison-flood.txt" || true
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg); exit $status" >&2
exit "$status"
