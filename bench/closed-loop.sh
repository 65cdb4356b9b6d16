#!/usr/bin/env bash
# Closed-loop throughput, measured like ../shared/anchors/RESULTS.md: server pinned to CPU 0,
# the anchors' C echo_load on CPU 1, 64-byte messages, 10 s (+1 s warm-up), 3 repetitions
# interleaved over the connection counts, one server process per server, median reported.
#
#   bench/closed-loop.sh [-c "1 16 256"] [-r 3] [-d 10] SERVER...
#   e.g. bench/closed-loop.sh c:thread_server threaded virtualthreads
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
CONNS="1 16 256"; REPS=3; DUR=10
while getopts "c:r:d:" o; do case $o in c) CONNS=$OPTARG;; r) REPS=$OPTARG;; d) DUR=$OPTARG;; *) exit 2;; esac; done
shift $((OPTIND - 1))
[ $# -ge 1 ] || { echo "usage: bench/closed-loop.sh [-c CONNS] [-r REPS] [-d SECS] SERVER..." >&2; exit 2; }
export ANCHOR_DIR; ANCHOR_DIR=$("$ROOT/bench/anchors.sh" $(printf '%s\n' "$@" | grep -qx netty && echo --netty))
source "$ROOT/bench/servers.sh"
LOAD="$ANCHOR_DIR/c/echo_load"
TMP=$(mktemp -d); trap 'cleanup_server; rm -rf "$TMP"' EXIT
RAW=$TMP/raw.txt

for server in "$@"; do
  start_server "$server" 0 "$TMP/log.txt"
  taskset -c 1 "$LOAD" -p "$SERVER_PORT" -c 16 -s 64 -d 3 -t 1 >/dev/null   # warm-up (JIT)
  for rep in $(seq "$REPS"); do
    for c in $CONNS; do
      line=$(taskset -c 1 "$LOAD" -p "$SERVER_PORT" -c "$c" -s 64 -d "$DUR" -w 1 -t 1)
      echo "$server|$c|$rep|$line" | tee -a "$RAW" >&2
    done
  done
  stop_server >&2
  rm -f "$TMP/log.txt"
done

# Median per server and connection count (rate and p50/p99 of the median-rate repetition).
python3 - "$RAW" <<'PY'
import sys, collections
rows = collections.defaultdict(list)
for line in open(sys.argv[1]):
    server, c, rep, kv = line.rstrip("\n").split("|", 3)
    f = dict(x.split("=", 1) for x in kv.split())
    rows[(server, int(c))].append(f)
print("| server | conns | msgs/s (median) | p50 µs | p99 µs | msgs/s per rep | errors |")
print("| --- | ---: | ---: | ---: | ---: | --- | ---: |")
for (server, c), reps in rows.items():
    reps_sorted = sorted(reps, key=lambda f: float(f["rate"]))
    med = reps_sorted[len(reps_sorted) // 2]
    per = " / ".join(str(round(float(f["rate"]))) for f in reps)
    errs = sum(int(f.get("errors", 0)) for f in reps)
    print(f"| {server} | {c} | {float(med['rate']):,.0f} | {med['p50_us']} | {med['p99_us']} | {per} | {errs} |")
PY
