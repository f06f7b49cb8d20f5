#!/usr/bin/env bash
# The failure tests of the gateway at full size, on the real broker the tests use (embedded KRaft, or
# KAFKA_BOOTSTRAP_SERVERS): the same tests CI runs at a size that fits there.
#
#   bench/scripts/chaos.sh            # all three (~10 min on 2 cores)
#   bench/scripts/chaos.sh stuck      # 30 stuck sessions resumed over 20,000 x 2 KiB, the 512 MiB default budget
#   bench/scripts/chaos.sh storm      # 10,000 clients resume 100 x 1 KiB each on one survivor with 512 MiB of heap
#   bench/scripts/chaos.sh ancient    # 10 resumes from offset 0 of a 1 GiB topic on a node with 512 MiB of heap
#
# Prints each test's figure line (the test's own log line) and its outcome; the full Maven output is
# in target/chaos/<name>.log.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
mkdir -p target/chaos
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

run() {
  local name=$1 test=$2
  shift 2
  echo "=== $name: $test $*"
  local log="target/chaos/$name.log"
  if ./mvnw -B -ntp verify -pl e2e-tests -am -Dtest=NONE -Dsurefire.failIfNoSpecifiedTests=false \
      -Dit.test="$test" -Dfailsafe.failIfNoSpecifiedTests=false "-DargLine=-Xmx6g -Xss256k" "$@" >"$log" 2>&1; then
    echo "passed"
  else
    echo "FAILED (see $log)"
  fi
  grep -E "INFO +\[main\] d?e?v?\.?t?i?d?i?n?g?s?\.?e2e\.|Tests run:.*in dev" "$log" | sed 's/^/  /' || true
}

what=${1:-all}
if [[ $what == all || $what == stuck ]]; then
  run stuck StuckSessionsIT -Dtidings.chaos.stuck.sessions=30 -Dtidings.chaos.stuck.backlog=20000 \
    -Dtidings.chaos.stuck.budget=536870912
fi
if [[ $what == all || $what == storm ]]; then
  run storm ReconnectStormIT -Dtidings.chaos.storm.clients=10000 -Dtidings.chaos.storm.heap=512m -Dtidings.chaos.storm.resume-buffer=67108864
fi
if [[ $what == all || $what == ancient ]]; then
  run ancient 'ForgedAndAncientCursorsIT#tenResumes*' -Dtidings.chaos.ancient.records=500000
fi
