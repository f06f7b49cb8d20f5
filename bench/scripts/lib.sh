# Shared helpers of the bench scripts: a private Tidings cluster for one benchmark, and the bench jar.
# Source it; it defines functions and defaults only.
#
# The cluster is started with the repository's own `tidings up`, but from a snapshot of the built jars in a
# private state directory and on private ports, so that a benchmark never collides with a developer's
# `./tidings up` (ports 8080-8082, 9092, .tidings/) and a rebuild during a run cannot swap a jar under it.
#
# env: BENCH_KAFKA_PORT (19092)  BENCH_PUBLISHER_PORT (18080)  BENCH_GATEWAY_PORT (18081; gw-2 gets the next)
#      BENCH_NODES (2)  BENCH_JAVA_OPTS (JVM options of publisher and gateways)
#      BENCH_GATEWAY_JAVA_OPTS (added for the gateways)  BENCH_LOADGEN_OPTS (the load generator's JVM)
#      BENCH_KAFKA_JAVA_OPTS (the broker's JVM options; default: `tidings up`'s)
#      BENCH_CLUSTER_JAVA (the java that runs `tidings up`, and so every service; default: java on PATH; the load
#      generator keeps java on PATH)
#      BENCH_STATE (/tmp/tidings-bench)  BENCH_REV (HEAD; `worktree` = the jars built in the working tree)
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)
BENCH_JAR=$ROOT/bench/target/tidings-bench.jar
SRC=$ROOT
BENCH_COMMIT=worktree
BENCH_KAFKA_PORT=${BENCH_KAFKA_PORT:-19092}
BENCH_PUBLISHER_PORT=${BENCH_PUBLISHER_PORT:-18080}
BENCH_GATEWAY_PORT=${BENCH_GATEWAY_PORT:-18081}
BENCH_NODES=${BENCH_NODES:-2}
BENCH_STATE=${BENCH_STATE:-/tmp/tidings-bench}
# 2 GiB heap caps, heap dumps off; ExitOnOutOfMemoryError so an OOM shows as a dead node. The publisher keeps G1
# (request/response: throughput first); the gateways run on
# Shenandoah, as in their image: G1's young pauses under load were the delivery latency tail. As in the image, a
# gateway's whole heap is committed and touched at start, so the first concurrent cycle under full load does not
# evacuate into pages the kernel has yet to fault in; and, as in the image, Shenandoah's control thread checks every
# 10 ms instead of every 1 ms under allocation; and, as in the image, the gateway's background threads (inbox,
# dead-letter check) run at nice 10 (BENCH_THREAD_PRIORITIES). docs/tuning.md has what each saves.
BENCH_JAVA_OPTS=${BENCH_JAVA_OPTS:--Xms256m -Xmx2g -XX:+ExitOnOutOfMemoryError}
BENCH_THREAD_PRIORITIES="-XX:ThreadPriorityPolicy=1 -XX:JavaPriority1_To_OSPriority=10 $(printf -- '-XX:JavaPriority%d_To_OSPriority=0 ' {2..10})"
BENCH_THREAD_PRIORITIES=${BENCH_THREAD_PRIORITIES% }
BENCH_GATEWAY_JAVA_OPTS=${BENCH_GATEWAY_JAVA_OPTS:--XX:+UseShenandoahGC -Xms2g -XX:+AlwaysPreTouch -XX:+UnlockExperimentalVMOptions -XX:ShenandoahControlIntervalMin=10 $BENCH_THREAD_PRIORITIES}
# The load generator's own JVM: BENCH_LOADGEN_OPTS when set, else bench/loadgen.jvm.options (a java @argument file,
# shared with `./tidings bench`), which says which options and why.

UP_PID=
blog() { echo "[bench $(date +%H:%M:%S)] $*" >&2; }

raise_fd_limit() {
  ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
  blog "open-file limit $(ulimit -n)"
}

# all_up PORT...: whether the service on each port reports UP in /actuator/health.
all_up() {
  local port
  for port in "$@"; do
    curl -fs "http://127.0.0.1:$port/actuator/health" 2>/dev/null | grep -q '"status":"UP"' || return 1
  done
}

gateway_ports() { seq "$BENCH_GATEWAY_PORT" $((BENCH_GATEWAY_PORT + BENCH_NODES - 1)); }

gateway_urls() {
  local urls="" k
  for ((k = 0; k < BENCH_NODES; k++)); do urls+="${urls:+,}ws://127.0.0.1:$((BENCH_GATEWAY_PORT + k))/ws"; done
  echo "$urls"
}

# build_jars: builds the services, the CLI and the bench from a committed tree (BENCH_REV, default HEAD) exported
# with `git archive` to $BENCH_STATE/src, with `package` only: the figures belong to a commit, other developers'
# uncommitted edits never leak in, and nothing is installed into ~/.m2 under them. BENCH_REV=worktree uses the
# working tree's jars as they are.
build_jars() {
  local rev=${BENCH_REV:-HEAD}
  if [[ $rev == worktree ]]; then SRC=$ROOT; BENCH_COMMIT="worktree"; return 0; fi
  SRC=$BENCH_STATE/src
  BENCH_COMMIT=$(git -C "$ROOT" rev-parse --short "$rev")
  if [[ -f $SRC/.commit && $(cat "$SRC/.commit") == "$BENCH_COMMIT" && -f $SRC/bench/target/tidings-bench.jar ]]; then
    blog "jars of $BENCH_COMMIT already built in $SRC"
  else
    blog "building $BENCH_COMMIT in $SRC (./mvnw -B -q -DskipTests package -pl publisher-api,gateway-node,cli,bench -am)"
    rm -rf "$SRC"; mkdir -p "$SRC"
    git -C "$ROOT" archive "$rev" | tar -x -C "$SRC"
    (cd "$SRC" && ./mvnw -B -q -DskipTests package -pl publisher-api,gateway-node,cli,bench -am) >&2
    echo "$BENCH_COMMIT" > "$SRC/.commit"
  fi
  BENCH_JAR=$SRC/bench/target/tidings-bench.jar
}

# dev_secret: a fresh random secret of 48 characters for a local cluster's tokens.
dev_secret() { head -c 48 /dev/urandom | base64 | tr -d '/+=' | head -c 48; }

# await_signal FILE PID TRIES: waits, polling every 0.2 s at most TRIES times, until FILE exists; returns 1 when it
# still does not, or when PID exited without writing it.
await_signal() {
  local file=$1 pid=$2 tries=$3 k
  for ((k = 0; k < tries; k++)); do
    [[ -f $file ]] && return 0
    kill -0 "$pid" 2>/dev/null || { [[ -f $file ]]; return; }
    sleep 0.2
  done
  [[ -f $file ]]
}

# cluster_up NAME: fresh state dir, snapshot of the jars, `tidings up` on private ports; waits until healthy.
cluster_up() {
  local name=$1 home
  home=$BENCH_STATE/$name
  rm -rf "$home"; mkdir -p "$home/cli/target" "$home/cli/broker" "$home/.tidings" "$home/publisher-api/target" \
    "$home/gateway-node/target"
  cp -r "$SRC/cli/target/tidings-cli.jar" "$SRC/cli/target/lib" "$home/cli/target/"
  cp "$SRC/cli/broker/pom.xml" "$home/cli/broker/pom.xml"
  cp "$SRC"/publisher-api/target/tidings-publisher-api-*-exec.jar "$home/publisher-api/target/"
  cp "$SRC"/gateway-node/target/tidings-gateway-node-*-exec.jar "$home/gateway-node/target/"
  ln -s "$ROOT/mvnw" "$home/mvnw"; ln -s "$ROOT/.mvn" "$home/.mvn"
  # The broker's resolved classpath (jars in ~/.m2); copied after the pom so it counts as current.
  [[ -f $ROOT/.tidings/broker-classpath.txt ]] && cp "$ROOT/.tidings/broker-classpath.txt" "$home/.tidings/"
  export TIDINGS_JWT_SECRET=${TIDINGS_JWT_SECRET:-$(dev_secret)}
  # The load generator publishes as one caller: lift the per-caller rate limit (1000/s by default).
  export TIDINGS_RATE_LIMIT_PER_SECOND=${TIDINGS_RATE_LIMIT_PER_SECOND:-10000000}
  export TIDINGS_RATE_LIMIT_BURST=${TIDINGS_RATE_LIMIT_BURST:-10000000}
  blog "starting cluster $name: kafka :$BENCH_KAFKA_PORT, publisher :$BENCH_PUBLISHER_PORT, gateways $(gateway_urls)"
  # A background job of a non-interactive shell starts with SIGINT ignored, and the JVM then keeps ignoring it:
  # restore the default so cluster_down's Ctrl-C reaches `tidings up`.
  TIDINGS_JAVA_OPTS="$BENCH_JAVA_OPTS" TIDINGS_GATEWAY_JAVA_OPTS="$BENCH_GATEWAY_JAVA_OPTS" env --default-signal=INT \
    ${BENCH_KAFKA_JAVA_OPTS:+"TIDINGS_KAFKA_JAVA_OPTS=$BENCH_KAFKA_JAVA_OPTS"} "${BENCH_CLUSTER_JAVA:-java}" -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xmx128m -Dtidings.home="$home" \
    -jar "$home/cli/target/tidings-cli.jar" up --nodes "$BENCH_NODES" --kafka-port "$BENCH_KAFKA_PORT" \
    --publisher-port "$BENCH_PUBLISHER_PORT" --first-gateway-port "$BENCH_GATEWAY_PORT" > "$home/up.log" 2>&1 &
  UP_PID=$!
  local k
  # `tidings up` waits up to 180 s per service itself; on a busy 2-core machine all four can take minutes.
  for ((k = 0; k < 600; k++)); do
    kill -0 "$UP_PID" 2>/dev/null || { blog "tidings up exited; see $home/up.log"; tail -20 "$home/up.log" >&2; return 1; }
    all_up "$BENCH_PUBLISHER_PORT" $(gateway_ports) && { blog "cluster $name is up ($((k / 2)) s)"; return 0; }
    sleep 0.5
  done
  blog "cluster $name not healthy after 300 s"; tail -20 "$home/up.log" >&2; return 1
}

# restart_gateways: a rolling restart of every gateway of the running cluster, one at a time as the Helm chart's
# StatefulSet does: each is stopped with SIGTERM (it closes its sessions with 1013 and commits), started again as a
# fresh JVM with the command line, environment and working directory it had, and waited for until it reports UP, its
# warm-up included, before the next is stopped. RESTART_ALL_AT_ONCE=1 stops them all, then starts them all: two fresh
# JVMs compiling on the same cores at once. The new processes are not `tidings up`'s children: cluster_down stops them.
RESTARTED_PIDS=()
restart_gateways() {
  local dir=$BENCH_STATE/restarted pid k
  local -a old=() batches=()
  mkdir -p "$dir"
  for pid in $(pgrep -f 'tidings[.]service=gw-'); do
    tr '\0' '\n' < "/proc/$pid/cmdline" > "$dir/$pid.cmd"
    tr '\0' '\n' < "/proc/$pid/environ" > "$dir/$pid.env"
    readlink "/proc/$pid/cwd" > "$dir/$pid.cwd"
    old+=("$pid")
  done
  ((${#old[@]})) || { blog "no gateway to restart"; return 1; }
  if ((${RESTART_ALL_AT_ONCE:-0})); then batches=("${old[*]}"); else batches=("${old[@]}"); fi
  local batch begin=$SECONDS
  for batch in "${batches[@]}"; do
    blog "restarting gateway(s) $batch"
    # shellcheck disable=SC2086 # a batch is a list of pids
    kill -TERM $batch
    for pid in $batch; do
      for ((k = 0; k < 600; k++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    done
    for pid in $batch; do
      local -a cmd envs
      mapfile -t cmd < "$dir/$pid.cmd"
      mapfile -t envs < "$dir/$pid.env"
      (cd "$(cat "$dir/$pid.cwd")" && exec env -i "${envs[@]}" "${cmd[@]}" > "$dir/$pid.log" 2>&1) &
      RESTARTED_PIDS+=($!)
    done
    for ((k = 0; k < 600; k++)); do all_up $(gateway_ports) && break; sleep 0.5; done
    ((k < 600)) || { blog "restarted gateways not healthy after 300 s; see $dir"; return 1; }
  done
  blog "gateways restarted and UP ($((SECONDS - begin)) s)"
}

# bench_across_restart PAUSE OUT ERR ACTION BENCH-ARGS...: runs the bench in the background with
# --pause-after-warm-up PAUSE (stdout to OUT, stderr to ERR), runs the command ACTION in its pause (restart_gateways,
# or replace_cluster NAME quoted as one word) and lets it go on. Sets BENCH_PID; the caller waits for it. Returns 1,
# the bench stopped, when it never paused or ACTION failed.
BENCH_PID=
bench_across_restart() {
  local pause=$1 out=$2 err=$3 action=$4
  shift 4
  rm -f "$pause" "$pause.paused"
  bench "$@" --pause-after-warm-up "$pause" 2> "$err" > "$out" &
  BENCH_PID=$!
  # shellcheck disable=SC2086 # ACTION is a command and its words
  if await_signal "$pause.paused" "$BENCH_PID" 3000 && $action; then
    touch "$pause"
    return 0
  fi
  blog "the load generator did not pause, or '$action' failed; see $err"
  kill "$BENCH_PID" 2>/dev/null || true
  wait "$BENCH_PID" 2>/dev/null || true
  return 1
}

# async_profiler_lib: prints the path of async-profiler's agent (tools.profiler:async-profiler from Maven Central,
# ASYNC_PROFILER_VERSION, 4.1), fetched and unpacked under BENCH_STATE when missing.
async_profiler_lib() {
  local version=${ASYNC_PROFILER_VERSION:-4.1} jar ap
  jar=$HOME/.m2/repository/tools/profiler/async-profiler/$version/async-profiler-$version.jar
  [[ -f $jar ]] || "$ROOT/mvnw" -B -q dependency:get -Dartifact="tools.profiler:async-profiler:$version" >&2
  ap=$BENCH_STATE/async-profiler-$version
  [[ -f $ap/linux-x64/libasyncProfiler.so ]] || (mkdir -p "$ap" && cd "$ap" && unzip -q -o "$jar" 'linux-x64/*')
  echo "$ap/linux-x64/libasyncProfiler.so"
}

# replace_cluster NAME: the running cluster down, a fresh one (empty broker, new processes) up under NAME.
replace_cluster() {
  cluster_down
  cluster_up "$1"
}

# cluster_down: Ctrl-C to `tidings up` (it stops its children), bounded; then TERM as a last resort. Gateways
# restart_gateways started get SIGTERM.
cluster_down() {
  if ((${#RESTARTED_PIDS[@]})); then
    kill -TERM "${RESTARTED_PIDS[@]}" 2>/dev/null || true
    wait "${RESTARTED_PIDS[@]}" 2>/dev/null || true
    RESTARTED_PIDS=()
  fi
  [[ -n $UP_PID ]] || return 0
  kill -INT "$UP_PID" 2>/dev/null || true
  local k
  for ((k = 0; k < 120; k++)); do kill -0 "$UP_PID" 2>/dev/null || break; sleep 0.5; done
  if kill -0 "$UP_PID" 2>/dev/null; then blog "tidings up ignored SIGINT for 60 s; sending TERM"; kill -TERM "$UP_PID" 2>/dev/null || true; fi
  wait "$UP_PID" 2>/dev/null || true
  UP_PID=
}

# warm_up [SCENARIO N RATE [BENCH ARGS...]]: JIT-compile the delivery path of a fresh cluster (not measured):
# broadcast, then user and group, small; then, when given, the measured scenario itself at its full size for
# WARM_SECONDS (20): a node that has served 1000 clients has not yet compiled, sized its heap or settled its
# GC for 10000, and the first full-size run measured that (user 10000 x 2000/s: p99 120-480 ms in the first run
# on a fresh cluster, 15-55 ms in the next ones). The publisher API is warmed first with 100,000 single requests
# (64 in flight): its JIT needs about a minute of load to settle (wrk at 256 connections: 2.3k, 8.4k, then ~20k
# requests/s in successive 20 s runs), and an HTTP scenario on a cold publisher measured that instead. The small
# warm-ups publish the way the measured scenario does (its BENCH ARGS); one published straight to Kafka
# (--direct-kafka among them) never meets the publisher, which then is not warmed.
warm_up() {
  local path=()
  (($# > 3)) && path=("${@:4}")
  if [[ " ${path[*]} " == *" --direct-kafka "* ]]; then
    blog "the measured scenario publishes straight to Kafka: no publisher API warm-up"
  else
    blog "warming up the publisher API (100000 single requests, 64 in flight; not measured)"
    bench publisher --notifications 100000 --concurrency 64 --batch-size 1 > /dev/null 2>&1 || true
  fi
  blog "warming up (broadcast 1000 x 20/s 10 s, user 1000 x 1000/s 5 s, group 1000 x 500/s 5 s; not measured)"
  bench --scenario broadcast --clients 1000 --rate 20 --seconds 10 --drain-max 20 "${path[@]}" > /dev/null 2>&1 || true
  bench --scenario user --clients 1000 --rate 1000 --seconds 5 --drain-max 20 "${path[@]}" > /dev/null 2>&1 || true
  bench --scenario group --clients 1000 --rate 500 --seconds 5 --drain-max 20 "${path[@]}" > /dev/null 2>&1 || true
  if (($# >= 3)); then
    local scenario=$1 n=$2 rate=$3
    shift 3
    blog "warming up with the scenario itself ($scenario $n x $rate/s for ${WARM_SECONDS:-20} s; not measured)"
    bench --scenario "$scenario" --clients "$n" --rate "$rate" --seconds "${WARM_SECONDS:-20}" --drain-max 30 "$@" \
      > /dev/null 2>&1 || true
  fi
}

# peer_setup: a private copy of the Socket.IO + Redis peer harness (PEER_DIR, default bench/peers/socketio;
# results/ and node_modules/ are written beside the copy, not in the source tree), with redis-server from apt and its npm
# packages installed when missing. Sets PEER to the copy's directory; run it as "$PEER/run.sh" S N RATE SECONDS.
peer_setup() {
  local dir=${PEER_DIR:-$ROOT/bench/peers/socketio}
  command -v redis-server >/dev/null || { blog "installing redis-server"; apt-get update -qq && apt-get install -y -qq redis-server >&2; }
  PEER=$BENCH_STATE/peer-socketio
  mkdir -p "$PEER"
  cp "$dir"/{run.sh,server.js,loadgen.js,publisher.js,package.json,package-lock.json} "$PEER/"
  chmod u+w "$PEER"/*; chmod +x "$PEER/run.sh"
  [[ -d $PEER/node_modules ]] || (cd "$PEER" && npm ci --no-audit --no-fund >&2)
}

# side_by_side_setup NAME: for the scripts that run Tidings and the peer one after the other. Sets OUT (results dir
# NAME), stops the cluster on exit, raises the open-file limit, and builds the jars (when RUN_TIDINGS=1, logging the
# commit to OUT/tidings.log) and the peer's copy (when RUN_PEER=1).
side_by_side_setup() {
  OUT=$(results_dir "$1")
  trap cluster_down EXIT
  trap 'exit 130' INT TERM
  raise_fd_limit
  blog "results in $OUT"
  if ((RUN_TIDINGS)); then
    build_jars
    blog "Tidings at commit $BENCH_COMMIT" 2>&1 | tee -a "$OUT/tidings.log" >&2
  fi
  if ((RUN_PEER)); then peer_setup; fi
}

# cluster_script NAME: the start of a script that runs its own cluster: OUT (results dir NAME), the cluster stopped on
# exit, the open-file limit raised, and the jars built (the commit logged).
cluster_script() {
  OUT=$(results_dir "$1")
  trap cluster_down EXIT
  trap 'exit 130' INT TERM
  raise_fd_limit
  build_jars
  blog "Tidings at commit $BENCH_COMMIT; results in $OUT"
}

# listener PORT: the pid of the process listening on the TCP port (empty when none).
listener() { ss -ltnpH "sport = :$1" | grep -o 'pid=[0-9]*' | head -1 | cut -d= -f2; }

# results_dir: where this invocation writes its raw lines (git-ignored under bench/target).
results_dir() {
  local dir=${BENCH_RESULTS:-$ROOT/bench/target/results}/$(date -u +%Y%m%dT%H%M%SZ)-$1
  mkdir -p "$dir"; echo "$dir"
}

# bench [idle|publisher|storm] ARGS...: the bench jar against the private cluster (secret from TIDINGS_JWT_SECRET).
bench() {
  local sub=()
  case ${1:-} in idle|publisher|storm) sub=("$1"); shift ;; esac
  local jvm=("@$ROOT/bench/loadgen.jvm.options")
  if [[ -n ${BENCH_LOADGEN_OPTS:-} ]]; then read -ra jvm <<< "$BENCH_LOADGEN_OPTS"; fi
  java "${jvm[@]}" -jar "$BENCH_JAR" "${sub[@]}" --gateways "$(gateway_urls)" \
    --publisher "http://127.0.0.1:$BENCH_PUBLISHER_PORT" --broker-port "$BENCH_KAFKA_PORT" "$@"
}

# run_summary LABEL < BENCH-LINE: one space-separated line per run: LABEL scenario N rate lost misrouted p50 p95 p99
# max (ms), CPU % of loadgen node1 node2 kafka, machine busy %, node CPU µs per delivery, and the gateways' stages
# (ms, from the records' Kafka timestamps, bucket bounds): routed mean/p99, written mean/p99; the publisher API's CPU %
# ("-" when the run published straight to Kafka); the p99 either side of the frames' publishedAt (ms): ingress (publish
# call to the publisher building the record, per notification) and since accepted (from there to each delivery).
# An errored run shows "error:<reason>" where lost would be.
run_summary() {
  node -e '
    const [variant] = process.argv.slice(1);
    const d = JSON.parse(require("fs").readFileSync(0, "utf8"));
    const c = d.cpuPctDuringPublish || {}, l = d.latencyMs || {}, g = d.gatewayLatencyMs || {};
    const r = g.routed || {}, w = g.written || {}, split = d.latencySplitMs || {};
    console.log([variant, d.scenario, d.N, d.rate, d.error ? "error:" + d.error : d.lost, d.misrouted,
      l.p50, l.p95, l.p99, l.max, c.loadgen, c.node1, c.node2, c.kafka, c.machineBusyPct,
      d.nodeCpuUsPerDelivery, r.mean, r.p99, w.mean, w.p99, c.publisherApi ?? "-",
      (split.ingress || {}).p99 ?? "-", (split.sinceAccepted || {}).p99 ?? "-"].join(" "));' "$1"
}
