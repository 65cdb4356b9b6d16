#!/usr/bin/env bash
# Connect-to-first-echo of the forking server, per connection, over 200 sequential connections:
# p50/p99 without the AOT cache, then with it (issue target: p50 <= 40 ms with the cache).
# The server and its children are pinned to CPU 0, the client to CPU 1 (SERVER_CPUS=0,1 lets the
# children's JVM start use both cores: its threads run in parallel). Run on a quiet machine.
# Also prints the CPU time per connection of the handler children (user + system, from the
# parent's cutime/cstime in /proc/PID/stat: reaped children's CPU), which load on the machine
# does not inflate the way it inflates the wall-clock figures.
#
#   server-forking/bench/first-echo.sh [COUNT=200]
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
COUNT=${1:-200}
JAVA=${JAVA:-${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java}
JAR=$ROOT/server-forking/target/server-forking.jar
SERVER_CPUS=${SERVER_CPUS:-0}
CLIENT_CPUS=${CLIENT_CPUS:-1}
CACHE=$ROOT/server-forking/target/server-forking-child.aot
[ -f "$JAR" ] || { echo "build first: ./suite build" >&2; exit 2; }
TMP=$(mktemp -d); trap 'rm -rf "$TMP"' EXIT

children_cpu_ticks() {  # cutime + cstime of PID: CPU of its reaped children, in clock ticks
  awk '{ sub(/.*\) /, ""); print $14 + $15 }' /proc/"$1"/stat
}

run() {  # LABEL SERVER-ARGS...
  local label=$1; shift
  taskset -c "$SERVER_CPUS" "$JAVA" -jar "$JAR" --port 0 --log "$TMP/log.txt" "$@" >"$TMP/out" 2>"$TMP/err" &
  local pid=$! port=""
  for _ in $(seq 300); do
    port=$(sed -n 's/^listening on .*:\([0-9]*\)$/\1/p' "$TMP/out"); [ -n "$port" ] && break
    kill -0 "$pid" 2>/dev/null || { cat "$TMP/err" >&2; exit 1; }
    sleep 0.1
  done
  taskset -c "$CLIENT_CPUS" "$JAVA" "$ROOT/server-forking/bench/FirstEcho.java" "$port" 5 warm-up >/dev/null
  local before after
  before=$(children_cpu_ticks "$pid")
  taskset -c "$CLIENT_CPUS" "$JAVA" "$ROOT/server-forking/bench/FirstEcho.java" "$port" "$COUNT" "$label"
  after=$(children_cpu_ticks "$pid")
  awk -v t=$((after - before)) -v n="$COUNT" -v hz="$(getconf CLK_TCK)" \
    'BEGIN { printf "  children CPU per connection: %.1f ms (user+system)\n", t * 1000 / hz / n }'
  kill -TERM "$pid"; wait "$pid" || true
  grep '^summary' "$TMP/out" >&2 || true
  rm -f "$TMP/log.txt"
}

run "without AOT cache:" --no-aot-cache
if [ ! -f "$CACHE" ] || [ "$JAR" -nt "$CACHE" ]; then
  # The server makes the cache in the background on its first start; wait for the file (bounded).
  echo "making the AOT cache (first start) ..." >&2
  taskset -c "$SERVER_CPUS" "$JAVA" -jar "$JAR" --port 0 --log "$TMP/log.txt" >"$TMP/out" 2>"$TMP/err" &
  pid=$!
  for _ in $(seq 1200); do [ -f "$CACHE" ] && [ "$CACHE" -nt "$JAR" ] && break; sleep 0.1; done
  kill -TERM "$pid"; wait "$pid" || true
  [ -f "$CACHE" ] || { echo "no AOT cache was made:" >&2; cat "$TMP/err" >&2; exit 1; }
fi
run "with AOT cache:   " --aot-cache "$CACHE"
