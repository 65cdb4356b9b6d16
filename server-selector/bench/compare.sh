#!/usr/bin/env bash
# Throughput and p99 of server-selector --reactors 1 beside the anchors (Netty, C select, C epoll -t 1),
# in one run, as issue 3 asks: server pinned to CPU 0, echo_load pinned to CPU 1, closed loop,
# 64-byte messages, 10 s measured after 1 s warm-up, at 16 and 256 connections, 3 repetitions,
# median per server and connection count.
#
#   server-selector/bench/compare.sh                 the full run (about 4 servers x 3 reps x 30 s)
#   REPS=1 DURATION=3 server-selector/bench/compare.sh   a quick look (noisy; not for the report)
#
# Environment: REPS (3), DURATION (10 s), CONNS ("16 256"), SERVERS ("selector netty select epoll"),
# OUT (results folder, default results/runs/selector-compare-DATE, git-ignored), plus lib.sh's.
#
# Order: repetitions outermost, servers inside, each rep a fresh server process with the same
# warm-up (3 s at 16 connections: JIT for the JVMs), so slow drifts of a shared machine spread
# over all servers instead of favouring one. After each process: SIGTERM, exit status 0 and
# log records == messages echo_load sent ("log_check=ok"); a throughput without it does not count.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

REPS=${REPS:-3}
DURATION=${DURATION:-10}
CONNS=${CONNS:-16 256}
SERVERS=${SERVERS:-selector netty select epoll}
OUT=${OUT:-$ROOT/results/runs/selector-compare-$(date -u +%Y%m%dT%H%M%SZ)}
mkdir -p "$OUT"
RAW="$OUT/raw.txt"
: >"$RAW"

build_all
{
    echo "# machine: $(nproc) CPUs, $(uname -r), $("$JAVA" -version 2>&1 | head -1), load average $(cut -d' ' -f1-3 /proc/loadavg)"
    echo "# command: REPS=$REPS DURATION=$DURATION CONNS='$CONNS' SERVERS='$SERVERS' SELECTOR_JAVA_OPTS='$SELECTOR_JAVA_OPTS' $0"
} | tee -a "$RAW"

for rep in $(seq "$REPS"); do
    for s in $SERVERS; do
        start_server "$s"
        runs="$SDIR/runs.txt"
        load -c 16 -s 64 -d 3 -t 1 >"$runs"          # warm-up, not reported
        for c in $CONNS; do
            line=$(load -c "$c" -s 64 -d "$DURATION" -w 1 -t 1)
            echo "$line" >>"$runs"
            echo "server=$s rep=$rep conns=$c $line" | tee -a "$RAW"
        done
        stop_server "$(sent_sum "$runs")"
        echo "server=$s rep=$rep $STOPPED" | tee -a "$RAW"
    done
done

# Medians and ratios, as a markdown table.
python3 - "$RAW" "$CONNS" >"$OUT/summary.md" <<'EOF'
import re, statistics, sys
raw, conns = sys.argv[1], sys.argv[2].split()
runs, checks = {}, {}
for line in open(raw):
    kv = dict(re.findall(r'(\w+)=(\S+)', line))
    if 'rate' in kv and 'conns' in kv:
        runs.setdefault((kv['server'], kv['conns']), []).append((float(kv['rate']), float(kv['p99_us'])))
    elif 'exit' in kv:
        checks.setdefault(kv['server'], []).append(kv.get('log_check', '?'))
servers = list(dict.fromkeys(s for s, _ in runs))
med = {k: (statistics.median(r for r, _ in v), statistics.median(p for _, p in v)) for k, v in runs.items()}
print("| server | conns | msgs/s (median) | p99 µs (median) | msgs/s per rep | vs netty | vs select | vs epoll | log checks |")
print("| --- | ---: | ---: | ---: | --- | ---: | ---: | ---: | --- |")
for c in conns:
    for s in servers:
        if (s, c) not in med: continue
        rate, p99 = med[(s, c)]
        ratio = lambda other: f"{rate / med[(other, c)][0]:.2f}x" if (other, c) in med else "-"
        reps = " / ".join(f"{r:.0f}" for r, _ in runs[(s, c)])
        print(f"| {s} | {c} | {rate:,.0f} | {p99:.1f} | {reps} | {ratio('netty')} | {ratio('select')} | {ratio('epoll')} | {','.join(checks.get(s, []))} |")
EOF
cat "$OUT/summary.md"
echo "raw output: $RAW"
