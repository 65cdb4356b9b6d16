#!/usr/bin/env bash
# The load generator measured against the anchors' C client, side by side (issue 5, "Performance"):
#
#   1. closed loop: server pinned to CPU 0, load to CPU 1; for each repetition and connection count,
#      the anchors' echo_load and then `loadgen pingpong`, same server process, same settings
#      (64-byte messages, 10 s after 1 s warm-up, one load thread); medians of the repetitions,
#      ratios loadgen / echo_load (targets: msgs/s >= 0.9x, p50 <= 1.2x);
#   2. rate: `loadgen rate` at 50 % of loadgen's closed-loop median at 16 connections, 16 connections:
#      corrected (from intended send times) and uncorrected (service time) p99;
#   3. hold: a fresh server, `loadgen hold` of 10,000 connections: established, failed, the load
#      generator's own RSS.
#
# The server's log (its line count, after SIGTERM) is checked against what both clients say they sent.
# Run it on a quiet machine: the figures are only as good as the machine is idle.
#
#   loadgen/bench/compare.sh [-c "1 16 256"] [-r 3] [-d 10] [-H 10000] [-o OUTDIR] [SERVER]
#   SERVER: c:epoll_server (default), another anchor (c:select_server, netty) or a project server.
#   A short try: loadgen/bench/compare.sh -c "1 16" -r 1 -d 3 -H 2000
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
CONNS="1 16 256"; REPS=3; DUR=10; HOLD=10000; OUT=""
while getopts "c:r:d:H:o:" o; do
  case $o in c) CONNS=$OPTARG;; r) REPS=$OPTARG;; d) DUR=$OPTARG;; H) HOLD=$OPTARG;; o) OUT=$OPTARG;;
             *) echo "usage: $0 [-c CONNS] [-r REPS] [-d SECS] [-H HOLD] [-o OUTDIR] [SERVER]" >&2; exit 2;; esac
done
shift $((OPTIND - 1))
SERVER=${1:-c:epoll_server}
OUT=${OUT:-$ROOT/target/bench-loadgen/$(date -u +%Y%m%dT%H%M%SZ)}
mkdir -p "$OUT"

"$ROOT/suite" build >&2
export ANCHOR_DIR; ANCHOR_DIR=$("$ROOT/bench/anchors.sh" $([ "$SERVER" = netty ] && echo --netty))
source "$ROOT/bench/servers.sh"
ECHO_LOAD="$ANCHOR_DIR/c/echo_load"
LOADGEN=("$JAVA" ${LOADGEN_JAVA_OPTS:-} -jar "$ROOT/loadgen/target/loadgen.jar")
RAW=$OUT/raw.txt; : >"$RAW"
LOG=$OUT/server-log.txt
SENT=0   # messages both clients sent to the current server process

json_field() { python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(eval("d"+sys.argv[2]))' "$@"; }

finish_server() {  # stop the server; its log must hold every message both clients sent, once
  local logged
  stop_server >>"$RAW"   # not in $(...): stop_server waits for the server, a child of this shell
  logged=$(wc -l <"$LOG")
  if [ "$logged" = "$SENT" ]; then echo "server log check: $logged records logged = $SENT sent" | tee -a "$RAW" >&2
  else echo "server log check FAILED: $logged records logged, $SENT sent" | tee -a "$RAW" >&2; fi
  rm -f "$LOG"; SENT=0
}

# ---- 1. closed loop -------------------------------------------------------------------------------
start_server "$SERVER" 0 "$LOG"
echo "server $SERVER on CPU 0, port $SERVER_PORT; results in $OUT" >&2
# Warm-up, once per server process (the JIT, for Java servers and for the load generator's own first run).
w=$(taskset -c 1 "$ECHO_LOAD" -p "$SERVER_PORT" -c 16 -s 64 -d 3 -t 1)
SENT=$((SENT + $(echo "$w" | sed -n 's/.*sent_total=\([0-9]*\).*/\1/p')))
taskset -c 1 "${LOADGEN[@]}" pingpong -q -c 16 -s 64 -d 3 --warmup 0 --threads 1 --json "$OUT/warmup.json" "127.0.0.1:$SERVER_PORT"
SENT=$((SENT + $(json_field "$OUT/warmup.json" '["messagesSent"]')))
for rep in $(seq "$REPS"); do
  for c in $CONNS; do
    line=$(taskset -c 1 "$ECHO_LOAD" -p "$SERVER_PORT" -c "$c" -s 64 -d "$DUR" -w 1 -t 1)
    echo "echo_load|$c|$rep|$line" | tee -a "$RAW" >&2
    SENT=$((SENT + $(echo "$line" | sed -n 's/.*sent_total=\([0-9]*\).*/\1/p')))
    json=$OUT/pingpong-c$c-r$rep.json
    taskset -c 1 "${LOADGEN[@]}" pingpong -q -c "$c" -s 64 -d "$DUR" --warmup 1 --threads 1 \
        --json "$json" --hlog "${json%.json}.hlog" "127.0.0.1:$SERVER_PORT" || echo "loadgen exit status $?" >&2
    echo "loadgen|$c|$rep|$(json_field "$json" '["messagesPerSecond"]') $(json_field "$json" '["latencyUs"]["p50"]') $(json_field "$json" '["latencyUs"]["p99"]') $(json_field "$json" '["errors"]')" \
        | tee -a "$RAW" >&2
    SENT=$((SENT + $(json_field "$json" '["messagesSent"]')))
  done
done

# ---- 2. rate at 50 % of the closed-loop maximum at 16 connections ------------------------------------
RATE_JSON=$OUT/rate.json
RATE=$(python3 - "$OUT" "$REPS" <<'PY'
import json, sys, statistics, os
out, reps = sys.argv[1], int(sys.argv[2])
runs = [json.load(open(f"{out}/pingpong-c16-r{r}.json")) for r in range(1, reps + 1) if os.path.exists(f"{out}/pingpong-c16-r{r}.json")]
print(round(statistics.median(r["messagesPerSecond"] for r in runs) * 0.5) if runs else 0)
PY
)
if [ "$RATE" -gt 0 ]; then
  taskset -c 1 "${LOADGEN[@]}" rate -q -R "$RATE" -c 16 -s 64 -d "$DUR" --warmup 1 --threads 1 \
      --json "$RATE_JSON" --hlog "$OUT/rate.hlog" "127.0.0.1:$SERVER_PORT" || echo "loadgen exit status $?" >&2
  SENT=$((SENT + $(json_field "$RATE_JSON" '["messagesSent"]')))
else
  echo "rate: skipped (no closed-loop run at 16 connections; add 16 to -c)" >&2
fi
finish_server

# ---- 3. hold, on a fresh server ------------------------------------------------------------------------
HOLD_JSON=$OUT/hold.json
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true   # each side needs one descriptor per connection
start_server "$SERVER" 0 "$LOG"
taskset -c 1 "${LOADGEN[@]}" hold -q -c "$HOLD" -d 5 --warmup 1 --threads 1 --json "$HOLD_JSON" \
    "127.0.0.1:$SERVER_PORT" || echo "loadgen exit status $?" >&2
SENT=$((SENT + $(json_field "$HOLD_JSON" '["messagesSent"]')))
finish_server

# ---- report ----------------------------------------------------------------------------------------------
python3 - "$RAW" "$OUT" "$SERVER" "$HOLD" <<'PY' | tee "$OUT/summary.md"
import json, os, statistics, sys, collections
raw, out, server, hold = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
ec = collections.defaultdict(list)   # conns -> [(rate, p50, p99)]
lg = collections.defaultdict(list)
for line in open(raw):
    parts = line.rstrip("\n").split("|", 3)
    if len(parts) != 4: continue
    tool, c, rep, rest = parts
    if tool == "echo_load":
        f = dict(x.split("=", 1) for x in rest.split())
        ec[int(c)].append((float(f["rate"]), float(f["p50_us"]), float(f["p99_us"])))
    elif tool == "loadgen":
        v = rest.split()
        lg[int(c)].append((float(v[0]), float(v[1]), float(v[2])))
med = lambda xs, i: statistics.median(x[i] for x in xs)
print(f"## loadgen pingpong vs echo_load, server {server} on CPU 0, load on CPU 1, 64 B, medians\n")
print("| conns | echo_load msgs/s | loadgen msgs/s | ratio (>= 0.9) | echo_load p50 µs | loadgen p50 µs | ratio (<= 1.2) | echo_load p99 µs | loadgen p99 µs | reps |")
print("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
for c in sorted(ec):
    if not lg.get(c): continue
    er, lr = med(ec[c], 0), med(lg[c], 0)
    ep, lp = med(ec[c], 1), med(lg[c], 1)
    print(f"| {c} | {er:,.0f} | {lr:,.0f} | {lr/er:.2f} {'ok' if lr/er >= 0.9 else 'MISSED'} | {ep:.1f} | {lp:.1f} | "
          f"{lp/ep:.2f} {'ok' if lp/ep <= 1.2 else 'MISSED'} | {med(ec[c], 2):.1f} | {med(lg[c], 2):.1f} | {len(lg[c])} |")
rate = f"{out}/rate.json"
if os.path.exists(rate):
    r = json.load(open(rate))
    print(f"\n## rate at 50 % of loadgen's closed-loop median at 16 connections\n")
    print(f"target {r['targetRate']:,.0f} msgs/s, achieved {r['messagesPerSecond']:,.0f} msgs/s: "
          f"p99 corrected {r['latencyUs']['p99']:.1f} µs, uncorrected (service time) {r['serviceTimeUs']['p99']:.1f} µs; "
          f"p50 {r['latencyUs']['p50']:.1f} / {r['serviceTimeUs']['p50']:.1f} µs; errors {sum(r['errors'].values())}")
h = f"{out}/hold.json"
if os.path.exists(h):
    r = json.load(open(h))
    print(f"\n## hold {hold:,} connections\n")
    print(f"established {r['established']:,}, failed {r['failed']:,} {r['errorReasons'] or ''}; probe p50 {r['latencyUs']['p50']} µs, "
          f"p99 {r['latencyUs']['p99']} µs; loadgen RSS {r['loadgenRssKiB']/1024:.0f} MiB (peak {r['loadgenPeakRssKiB']/1024:.0f} MiB)")
PY
echo "raw results and JSON/hlog files: $OUT" >&2
