#!/usr/bin/env bash
# The three ways the forking server pays for a process per connection, side by side in one run
# with the C fork-per-connection anchor and the threaded server (issue 12's targets):
#   1. connect to first echo, sequential connections GAP ms apart (FirstEcho.java), p50/p90/p99;
#   2. closed-loop msgs/s at 16 connections (the anchors' echo_load, -d 10 -w 1), REPS repetitions,
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
echo "# server-forking/bench/spares.sh -n $COUNT -g $GAP -r $REPS; $(date -u +%FT%TZ); $(nproc) CPUs; $(uname -r)" >"$OUT"

for server in "$@"; do
  start_server "$server" 0 "$TMP/log.txt"
  sleep 2   # let background start-up work (spares warming, the AOT training) finish: a quiet server
  taskset -c 1 "$JAVA" "$ROOT/server-forking/bench/FirstEcho.java" "$SERVER_PORT" 5 warm-up "$GAP" >/dev/null
  line=$(taskset -c 1 "$JAVA" "$ROOT/server-forking/bench/FirstEcho.java" "$SERVER_PORT" "$COUNT" first-echo "$GAP")
  echo "$server|first-echo|$line" | tee -a "$OUT" >&2
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
fe, rates = {}, collections.defaultdict(list)
for line in open(sys.argv[1]):
    if line.startswith("#"): continue
    parts = line.rstrip("\n").split("|")
    if parts[1] == "first-echo":
        fe[parts[0]] = dict(x.split("=", 1) for x in parts[2].split() if "=" in x)
    elif parts[1] == "c16":
        f = dict(x.split("=", 1) for x in parts[3].split())
        rates[parts[0]].append((float(f["rate"]), int(f.get("errors", 0))))
ref = next(iter(rates)) if rates else None
print("| server | first echo p50 ms | p90 ms | p99 ms | 16 conns msgs/s median (min–max) | vs %s | errors |" % ref)
print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
refmed = statistics.median(r for r, _ in rates[ref]) if ref else 1
for server in rates:
    rs = [r for r, _ in rates[server]]
    med = statistics.median(rs)
    f = fe.get(server, {})
    print(f"| {server} | {f.get('p50','-')} | {f.get('p90','-')} | {f.get('p99','-').rstrip(' ms')} | {med:,.0f} ({min(rs):,.0f}–{max(rs):,.0f}) | {med/refmed:.2f} | {sum(e for _, e in rates[server])} |")
PY
echo "raw: $OUT" >&2
