#!/usr/bin/env bash
# Runs the JS client's tests that need a real cluster, on a cluster of its own:
#   1. installs what it needs (npm ci; Debian's chromium if missing and this is root),
#   2. starts `./tidings up` from the repository root in the background (it builds what is stale),
#      and waits until the publisher and both gateways answer /actuator/health with 200 (bounded),
#   3. runs the browser test of the demo page (needs both gateways), then the SDK integration test
#      (it kills and restarts a gateway, so it goes last),
#   4. stops the cluster with SIGINT and waits for it to exit; a trap does this on any failure or
#      interruption too, and kills what is left of the cluster's process group past a grace period.
#
# Usage: clients/js/scripts/run-cluster-tests.sh       (from anywhere; CI calls it as is)
# Env:   TIDINGS_UP_TIMEOUT   seconds to wait for a healthy cluster, build included (default 600)
#        TIDINGS_PORT_WAIT    seconds to wait for ports 9092, 8080-8082 to be free (default 60)
#        TIDINGS_TEST_TIMEOUT seconds each test may run (default 900)
#        TIDINGS_JWT_SECRET   passed to `./tidings up` and the tests (else the dev secret and /dev/token)
# Output: clients/js/test-results/ (tidings-up.log, screenshots, the restarted gateway's log).
# Exit:  0 when every test passed; the last line says "cluster-tests: N passed, N failed".
set -euo pipefail

JS_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
ROOT=$(cd "$JS_DIR/../.." && pwd -P)
RESULTS=$JS_DIR/test-results
UP_LOG=$RESULTS/tidings-up.log
UP_TIMEOUT=${TIDINGS_UP_TIMEOUT:-600}
TEST_TIMEOUT=${TIDINGS_TEST_TIMEOUT:-900}
STOP_TIMEOUT=90
PORTS=(9092 8080 8081 8082)
GATEWAY_URLS=(http://127.0.0.1:8081 http://127.0.0.1:8082)
PUBLISHER_URL=http://127.0.0.1:8080

say() { printf '[cluster-tests] %s\n' "$*"; }
fail() { say "ERROR: $*" >&2; exit 1; }

mkdir -p "$RESULTS"

# ---- prerequisites ---------------------------------------------------------------------------
command -v node >/dev/null || fail "node is not installed (Node 20 or newer is needed)"
command -v curl >/dev/null || fail "curl is not installed"
command -v ss >/dev/null || fail "ss (iproute2) is not installed"
# The cluster's ports must be free; on a shared machine another run may be finishing: wait a little.
port_deadline=$((SECONDS + ${TIDINGS_PORT_WAIT:-60}))
for port in "${PORTS[@]}"; do
  while [[ -n $(ss -Hltn "sport = :$port" 2>/dev/null) ]]; do
    if (( SECONDS >= port_deadline )); then
      fail "port $port is in use on this machine (another cluster running?): see ss -ltnp 'sport = :$port'"
    fi
    say "port $port is in use; waiting for it to be free ..."
    sleep 5
  done
done

CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
if [[ ! -x $CHROMIUM ]]; then
  if [[ $(id -u) == 0 ]] && command -v apt-get >/dev/null; then
    say "installing Debian's chromium (apt-get) ..."
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null \
      || fail "apt-get install chromium failed"
  fi
  [[ -x $CHROMIUM ]] || fail "$CHROMIUM is missing: apt-get install -y chromium (or set CHROMIUM)"
fi
export CHROMIUM

say "npm ci in $JS_DIR ..."
(cd "$JS_DIR" && npm ci --no-audit --no-fund --loglevel=error && npm run --silent build)

# ---- the cluster -----------------------------------------------------------------------------
# The demo pages at :8081 and :8082 publish to :8080: let the publisher allow them (CORS), unless
# the caller already chose origins.
export TIDINGS_CORS_ALLOWED_ORIGINS=${TIDINGS_CORS_ALLOWED_ORIGINS:-http://127.0.0.1:8081,http://127.0.0.1:8082,http://localhost:8081,http://localhost:8082}

UP_PID=
stop_cluster() {
  [[ -n $UP_PID ]] || return 0
  # The services `tidings up` started (each in a process group of its own): stopped below
  # should `up` fail to stop them itself.
  local services
  services=$(pgrep -P "$UP_PID" 2>/dev/null | tr '\n' ' ' || true)
  if kill -0 "$UP_PID" 2>/dev/null; then
    say "stopping the cluster (SIGINT to pid $UP_PID) ..."
    kill -INT "$UP_PID" 2>/dev/null || true
    local waited=0
    while kill -0 "$UP_PID" 2>/dev/null && (( waited < STOP_TIMEOUT )); do
      sleep 1
      waited=$((waited + 1))
      if (( waited == STOP_TIMEOUT / 2 )) && kill -0 "$UP_PID" 2>/dev/null; then
        say "still running after ${waited}s: SIGTERM to pid $UP_PID"
        kill -TERM "$UP_PID" 2>/dev/null || true
      fi
    done
    if kill -0 "$UP_PID" 2>/dev/null; then
      say "the cluster did not stop within ${STOP_TIMEOUT}s: SIGKILL to its process group"
    else
      say "the cluster stopped after ${waited}s"
    fi
  fi
  # `tidings up` leads its own process group (job control below): whatever of it is left goes.
  kill -KILL -- "-$UP_PID" 2>/dev/null || true
  wait "$UP_PID" 2>/dev/null || true
  UP_PID=
  local pid
  for pid in $services; do
    if kill -0 "$pid" 2>/dev/null && tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q 'tidings.service='; then
      say "WARNING: service pid $pid outlived ./tidings up: SIGKILL"
      kill -KILL "$pid" 2>/dev/null || true
    fi
  done
  for port in "${PORTS[@]}"; do
    if [[ -n $(ss -Hltn "sport = :$port" 2>/dev/null) ]]; then
      say "WARNING: port $port still has a listener after the cluster stopped: ss -ltnp 'sport = :$port'"
    fi
  done
}
TEST_PID=
stop_test() {
  [[ -n $TEST_PID ]] || return 0
  if kill -0 "$TEST_PID" 2>/dev/null; then
    say "stopping the running test (SIGTERM to pid $TEST_PID) ..."
    kill -TERM "$TEST_PID" 2>/dev/null || true
    local waited=0
    while kill -0 "$TEST_PID" 2>/dev/null && (( waited < 40 )); do
      sleep 1
      waited=$((waited + 1))
    done
    kill -KILL "$TEST_PID" 2>/dev/null || true
  fi
  wait "$TEST_PID" 2>/dev/null || true
  TEST_PID=
}
# The integration test restarts a gateway as its own child and stops it itself; should the test
# die too hard for that (SIGKILL), the pid it recorded is stopped here.
stop_restarted_gateway() {
  local file=$RESULTS/restarted-gateway.pid pid
  [[ -f $file ]] || return 0
  pid=$(<"$file")
  rm -f "$file"
  if [[ $pid =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null && tr '\0' ' ' <"/proc/$pid/cmdline" | grep -q gateway-node; then
    say "stopping the gateway the integration test restarted (pid $pid)"
    kill -TERM "$pid" 2>/dev/null || true
    local waited=0
    while kill -0 "$pid" 2>/dev/null && (( waited < 30 )); do
      sleep 1
      waited=$((waited + 1))
    done
    kill -KILL "$pid" 2>/dev/null || true
  fi
}
on_exit() {
  local status=$?
  trap - EXIT INT TERM HUP
  stop_test
  stop_restarted_gateway
  stop_cluster
  exit "$status"
}
trap on_exit EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP

say "starting ./tidings up (log $UP_LOG) ..."
# Job control gives the background job its own process group and leaves SIGINT to it: a
# non-interactive shell would otherwise start it with SIGINT ignored. `env --default-signal`
# restores SIGINT even when this script itself was started with it ignored (a JVM started so
# would ignore SIGINT for good).
set -m
(cd "$ROOT" && exec env --default-signal=INT ./tidings up) >"$UP_LOG" 2>&1 </dev/null &
UP_PID=$!
set +m

up_started=$SECONDS
healthy() { [[ $(curl -s -o /dev/null -m 3 -w '%{http_code}' "$1/actuator/health" || true) == 200 ]]; }
deadline=$((SECONDS + UP_TIMEOUT))
while :; do
  if ! kill -0 "$UP_PID" 2>/dev/null; then
    tail -n 40 "$UP_LOG" >&2 || true
    fail "./tidings up exited before the cluster was healthy (log above, full log $UP_LOG)"
  fi
  all=1
  for url in "$PUBLISHER_URL" "${GATEWAY_URLS[@]}"; do healthy "$url" || { all=0; break; }; done
  (( all )) && break
  if (( SECONDS >= deadline )); then
    tail -n 40 "$UP_LOG" >&2 || true
    fail "the cluster was not healthy within ${UP_TIMEOUT}s (log above, full log $UP_LOG)"
  fi
  sleep 2
done
say "cluster healthy $((SECONDS - up_started))s after ./tidings up started: publisher $PUBLISHER_URL, gateways ${GATEWAY_URLS[*]}"

# ---- the tests -------------------------------------------------------------------------------
passed=0
failed=0
run_test() {
  local name=$1
  shift
  say "running $name: $*"
  local status=0
  # In the background with `wait`, so that a signal to this script is handled at once (the trap
  # stops the test, then the cluster) instead of after the test ends.
  (cd "$JS_DIR" && exec timeout -k 30 "$TEST_TIMEOUT" "$@") &
  TEST_PID=$!
  wait "$TEST_PID" || status=$?
  TEST_PID=
  if (( status == 0 )); then
    passed=$((passed + 1))
    say "$name passed"
  else
    failed=$((failed + 1))
    say "$name FAILED (exit $status)"
  fi
}
export TIDINGS_GATEWAYS=ws://127.0.0.1:8081/ws,ws://127.0.0.1:8082/ws
export TIDINGS_PUBLISHER=$PUBLISHER_URL
run_test "browser test (demo page)" node test/browser/demo-page.mjs
run_test "SDK integration test (gateway restart)" node test/integration/gateway-restart.mjs

stop_restarted_gateway
stop_cluster
echo "cluster-tests: $passed passed, $failed failed"
(( failed == 0 ))
