#!/usr/bin/env bash
# The three ways the forking server pays for a process per connection, side by side in one run
# with the C fork-per-connection anchor and the threaded server (issue 12's targets):
#   1. connect to first echo, sequential connections GAP ms apart (FirstEcho.java), p50/p90/p99,
#      and the server's CPU per connection over them;
#   2. a connect storm: 16 connections at once (./suite loadgen pingpong -c 16), the time from the
#      first connect to the last connection's first echo (allFirstEchoMs);
#   3. closed-loop msgs/s at 16 connections (the anchors' echo_load, -d 10 -w 1), REPS repetitions,
#      min/median/max, each repetition on fresh connections (so a fresh process per connection).
# Server on CPU 0, client on CPU 1, as bench/closed-loop.sh. Writes the raw lines to OUT (default
# results/bench/spares-TIMESTAMP.txt) and prints the tables.
#
#   server-forking/bench/spares.sh [-n COUNT=50] [-g GAP_MS=100] [-r REPS=3] [SERVER...]
#   default servers: c:fork_server threaded "forking --spares 0" forking "forking --prefork 16"
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
COUNT=50; GAP=100; REPS=3
while getopts "n:g:r:" o; do case $o in n) COUNT=$OPTARG;; g) GAP=$OPTARG;; r) REPS=$OPTARG;; *) exit 2;; esac; done
shift $((OPTIND - 1))
[ $# -ge 1 ] || set -- c:fork_server threaded "forking --spares 0" forking "forking --prefork 16"
export ANCHOR_DIR; ANCHOR_DIR=$("$ROOT/bench/anchors.sh")
source "$ROOT/bench/servers.sh"
LOAD="$ANCHOR_DIR/c/echo_load"
OUT=${OUT:-$ROOT/results/bench/spares-$(date -u +%Y%m%dT%H%M%SZ).txt}
mkdir -p "$(dirname "$OUT")"
TMP=$(mktemp -d); trap 'cleanup_server; rm -rf "$TMP"' EXIT
# CPU of the server's process and of its reaped children (utime + stime + cutime + cstime), in
# clock ticks: per connection, what a sequence of connections costs the server, replacements
# of the spares included (a spare still alive at the end is counted when the next one is reaped).
tree_cpu_ticks() { awk '{ sub(/.*\) /, ""); print $12 + $13 + $14 + $15 }' /proc/"$1"/stat; }
JAR=$ROOT/server-forking/target/server-forking.jar
CACHE=$ROOT/server-forking/target/server-forking-child.aot
LOADGEN=$ROOT/loadgen/target/loadgen.jar
[ -f "$JAR" ] && [ -f "$LOADGEN" ] || { echo "build first: ./suite build" >&2; exit 2; }
if [ ! -f "$CACHE" ] || [ "$JAR" -nt "$CACHE" ]; then
  # The server makes its children's AOT cache in the background on its first start: wait for it
  # (bounded), so that no measurement below shares the CPU with the training run.
  echo "making the AOT cache (first start) ..." >&2
  start_server "forking --spares 0" 0 "$TMP/log.txt"
  for _ in $(seq 1200); do [ -f "$CACHE" ] && [ "$CACHE" -nt "$JAR" ] && break; sleep 0.1; done
  stop_server >/dev/null
fi
echo "# server-forking/bench/spares.sh -n $COUNT -g $GAP -r $REPS; $(date -u +%FT%TZ); $(nproc) CPUs; $(uname -r)" >"$OUT"

for server in "$@"; do
  start_server "$server" 0 "$TMP/log.txt"
  sleep 2   # let background start-up work (spares warming, the AOT training) finish: a quiet server
  taskset -c 1 "$JAVA" "$ROOT/server-forking/bench/FirstEcho.java" "$SERVER_PORT" 5 warm-up "$GAP" >/dev/null
  before=$(tree_cpu_ticks "$SERVER_PID")
  line=$(taskset -c 1 "$JAVA" "$ROOT/server-forking/bench/FirstEcho.java" "$SERVER_PORT" "$COUNT" first-echo "$GAP")
  sleep 1   # the last children end and are reaped: their CPU is in the parent's cutime/cstime only then
  after=$(tree_cpu_ticks "$SERVER_PID")
  cpu=$(awk -v t=$((after - before)) -v n="$COUNT" -v hz="$(getconf CLK_TCK)" 'BEGIN { printf "%.0f", t * 1000 / hz / n }')
  echo "$server|first-echo|$line cpu_ms_per_conn=$cpu" | tee -a "$OUT" >&2
  taskset -c 1 "$JAVA" -jar "$LOADGEN" pingpong -c 16 -d 2 --warmup 0 --json "$TMP/storm.json" "127.0.0.1:$SERVER_PORT" >/dev/null 2>&1
  echo "$server|storm|$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1])).get("allFirstEchoMs"))' "$TMP/storm.json")" | tee -a "$OUT" >&2
  for rep in $(seq "$REPS"); do
    line=$(taskset -c 1 "$LOAD" -p "$SERVER_PORT" -c 16 -s 64 -d 10 -w 1 -t 1)
    echo "$server|c16|$rep|$line" | tee -a "$OUT" >&2
  done
  summary=$(stop_server)
  echo "$server|summary|$summary" >>"$OUT"
  rm -f "$TMP/log.txt"
done

python3 - "$OUT" <<'PY'
import sys, collections, statistics
fe, storm, rates = {}, {}, collections.defaultdict(list)
for line in open(sys.argv[1]):
    if line.startswith("#"): continue
    parts = line.rstrip("\n").split("|")
    if parts[1] == "first-echo":
        fe[parts[0]] = dict(x.split("=", 1) for x in parts[2].split() if "=" in x)
    elif parts[1] == "storm":
        storm[parts[0]] = parts[2]
    elif parts[1] == "c16":
        f = dict(x.split("=", 1) for x in parts[3].split())
        rates[parts[0]].append((float(f["rate"]), int(f.get("errors", 0))))
ref = next(iter(rates)) if rates else None
print("| server | first echo p50 ms | p90 ms | p99 ms | CPU per connection ms | 16 at once: all first echoes ms | 16 conns msgs/s median (min–max) | vs %s | errors |" % ref)
print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
refmed = statistics.median(r for r, _ in rates[ref]) if ref else 1
for server in rates:
    rs = [r for r, _ in rates[server]]
    med = statistics.median(rs)
    f = fe.get(server, {})
    print(f"| {server} | {f.get('p50','-')} | {f.get('p90','-')} | {f.get('p99','-')} | {f.get('cpu_ms_per_conn','-')} | {storm.get(server, '-')} | {med:,.0f} ({min(rs):,.0f}–{max(rs):,.0f}) | {med/refmed:.2f} | {sum(e for _, e in rates[server])} |")
PY
echo "raw: $OUT" >&2
