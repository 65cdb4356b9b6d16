#!/usr/bin/env bash
# Issue 3's throughput comparison: server-selector --reactors 1 beside the anchors (Netty, C select,
# C epoll -t 1) in one run. Server pinned to CPU 0, the anchors' echo_load pinned to CPU 1, closed
# loop, 64-byte messages, 10 s measured after 1 s warm-up, at 16 and 256 connections, 3 repetitions;
# median msgs/s and median p99 per server and connection count, with ratios to each anchor.
#
#   server-selector/bench/compare.sh                       the full run (~4 servers x 3 reps x 30 s)
#   REPS=1 DURATION=3 server-selector/bench/compare.sh     a quick look (noisy; not for a report)
#
# Environment: REPS (3), DURATION (10), CONNS ("16 256"),
#   SERVERS (comma-separated names of bench/servers.sh; default
#            "selector --reactors 1,netty,c:select_server,c:epoll_server"),
#   SERVER_JAVA_OPTS (JVM options for the project's servers), OUT (results folder; default
#   results/runs/selector-compare-DATE, git-ignored).
#
# Differences from bench/closed-loop.sh, which it builds on (bench/servers.sh, bench/anchors.sh):
# repetitions are the OUTER loop and each is a fresh server process with the same 3 s warm-up, so
# slow drifts of a shared machine spread over all servers instead of favouring one; each process
# is stopped with SIGTERM and its log must hold exactly as many records as echo_load sent
# ("log ok"); the table gives p99 and the ratios the issue's targets are stated in, and the server's
# CPU time per message (user + system of its process tree, /proc/PID/stat, over each run's sent
# messages), which a busy shared machine disturbs much less than throughput.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
REPS=${REPS:-3}
DURATION=${DURATION:-10}
CONNS=${CONNS:-16 256}
SERVERS=${SERVERS:-selector --reactors 1,netty,c:select_server,c:epoll_server}
OUT=${OUT:-$ROOT/results/runs/selector-compare-$(date -u +%Y%m%dT%H%M%SZ)}
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}

(cd "$ROOT" && ./mvnw -B -q -ntp -pl server-selector -am package -DskipTests)
export ANCHOR_DIR; ANCHOR_DIR=$("$ROOT/bench/anchors.sh" --netty)
source "$ROOT/bench/servers.sh"
LOAD="$ANCHOR_DIR/c/echo_load"
TMP=$(mktemp -d); trap 'cleanup_server; rm -rf "$TMP"' EXIT
cpu_ticks() {   # user + system clock ticks of the server's process tree (the C anchors fork a logger)
    local t=0 p
    for p in $(tree_pids "$SERVER_PID"); do
        t=$((t + $(awk '{ sub(/^.*\) /, ""); print $12 + $13 }' /proc/"$p"/stat 2>/dev/null || echo 0)))
    done
    echo "$t"
}
HZ=$(getconf CLK_TCK)
mkdir -p "$OUT"
RAW="$OUT/raw.txt"
{
    echo "# $(date -u +%FT%TZ) $(nproc) CPUs, Linux $(uname -r), $("$JAVA" -version 2>&1 | head -n 1), load average $(cut -d' ' -f1-3 /proc/loadavg)"
    echo "# REPS=$REPS DURATION=$DURATION CONNS='$CONNS' SERVERS='$SERVERS' SERVER_JAVA_OPTS='${SERVER_JAVA_OPTS:-}'"
} | tee "$RAW" >&2

IFS=, read -r -a servers <<<"$SERVERS"
for rep in $(seq "$REPS"); do
    for server in "${servers[@]}"; do
        start_server "$server" 0 "$TMP/log.txt"
        taskset -c 1 "$LOAD" -p "$SERVER_PORT" -c 16 -s 64 -d 3 -t 1 >"$TMP/runs.txt"   # warm-up (JIT)
        for c in $CONNS; do
            t0=$(cpu_ticks)
            line=$(taskset -c 1 "$LOAD" -p "$SERVER_PORT" -c "$c" -s 64 -d "$DURATION" -w 1 -t 1)
            t1=$(cpu_ticks)
            echo "$line" >>"$TMP/runs.txt"
            sent=$(sed -n 's/.*sent_total=\([0-9]*\).*/\1/p' <<<"$line")
            cpu_us=$(awk -v t=$((t1 - t0)) -v hz="$HZ" -v n="$sent" 'BEGIN { printf "%.2f", t * 1e6 / hz / n }')
            echo "$server|$c|$rep|$line cpu_us_per_msg=$cpu_us" | tee -a "$RAW" >&2
        done
        stop_server >"$TMP/summary"   # not in $(...): stop_server waits for the server, a child of this shell
        summary=$(cat "$TMP/summary")
        sent=$(sed -n 's/.*sent_total=\([0-9]*\).*/\1/p' "$TMP/runs.txt" | awk '{s += $1} END {print s + 0}')
        records=$(wc -l <"$TMP/log.txt")
        verdict="log ok"; [ "$records" -eq "$sent" ] || verdict="LOG MISMATCH"
        echo "$server|stop|$rep|records=$records sent=$sent verdict=${verdict// /_} $summary" | tee -a "$RAW" >&2
        rm -f "$TMP/log.txt"
    done
done

python3 - "$RAW" "$CONNS" <<'PY' | tee "$OUT/summary.md"
import collections, statistics, sys
raw, conns = sys.argv[1], sys.argv[2].split()
runs, verdicts = collections.defaultdict(list), collections.defaultdict(list)
for line in open(raw):
    if line.startswith("#"): continue
    server, c, rep, kv = line.rstrip("\n").split("|", 3)
    f = dict(x.split("=", 1) for x in kv.split() if "=" in x)
    if c == "stop":
        verdicts[server].append(f["verdict"].replace("_", " "))
    else:
        runs[(server, c)].append((float(f["rate"]), float(f["p99_us"]), int(f.get("errors", 0)),
                                  float(f["cpu_us_per_msg"])))
servers = list(dict.fromkeys(s for s, _ in runs))
med = {k: (statistics.median(r[0] for r in v), statistics.median(r[1] for r in v),
           statistics.median(r[3] for r in v)) for k, v in runs.items()}
anchors = [a for a in ("netty", "c:select_server", "c:epoll_server") if a in servers]
print("| server | conns | msgs/s (median) | p99 µs (median) | server CPU µs/msg (median) | msgs/s per rep | errors | "
      + " | ".join(f"msgs/s vs {a}" for a in anchors) + " | log checks |")
print("| --- | ---: | ---: | ---: | ---: | --- | ---: | " + " | ".join("---:" for _ in anchors) + " | --- |")
for c in conns:
    for s in servers:
        if (s, c) not in med: continue
        rate, p99, cpu = med[(s, c)]
        per = " / ".join(f"{r[0]:,.0f}" for r in runs[(s, c)])
        errors = sum(r[2] for r in runs[(s, c)])
        ratios = " | ".join(f"{rate / med[(a, c)][0]:.2f}x" for a in anchors)
        print(f"| {s} | {c} | {rate:,.0f} | {p99:,.1f} | {cpu:.2f} | {per} | {errors} | {ratios} | {', '.join(verdicts[s])} |")
PY
echo "raw output: $RAW" >&2
