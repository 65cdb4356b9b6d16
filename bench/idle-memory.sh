#!/usr/bin/env bash
# Memory per idle connection: PSS (and RSS) summed over the server's process tree, before and
# after N idle connections (each sends one 64-byte message and reads its echo, then stays idle),
# divided by N. Fresh server per measurement, pinned to CPU 0; the holder runs on CPU 1.
#
#   bench/idle-memory.sh [-n 5000] [-w] SERVER...
#
# -w (warm): before the baseline, open N connections (one echo each) and close them again, so
# that one-time costs (the JIT compiling the accept path, malloc arenas it leaves behind) are in
# the baseline and the figure is the marginal cost of a connection on a server that has already
# served that many. Without -w the figure includes those one-time costs.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
N=5000; WARM=
while getopts "n:w" o; do case $o in n) N=$OPTARG;; w) WARM=1;; *) exit 2;; esac; done
shift $((OPTIND - 1))
[ $# -ge 1 ] || { echo "usage: bench/idle-memory.sh [-n CONNS] [-w] SERVER..." >&2; exit 2; }
ulimit -n $((N + 1000))              # per process: the holder's N sockets, and the server (which inherits it) its N
export ANCHOR_DIR; ANCHOR_DIR=$("$ROOT/bench/anchors.sh" $(printf '%s\n' "$@" | grep -qx netty && echo --netty))
source "$ROOT/bench/servers.sh"
TMP=$(mktemp -d)
# On any exit (a failed holder too) stop the server still running, by its pid, and clean up.
trap 'cleanup_server; rm -rf "$TMP"' EXIT

echo "| server | conns | procs | threads | base RSS / PSS MiB | held RSS / PSS MiB | PSS per conn KiB | RSS per conn KiB |"
echo "| --- | ---: | ---: | ---: | --- | --- | ---: | ---: |"
for server in "$@"; do
  start_server "$server" 0 "$TMP/log.txt"
  # Let the JVM finish start-up work before the baseline: one echo, then a GC-free pause is not
  # needed; the baseline is taken after one round trip so lazy start-up allocations are in it.
  python3 - "$SERVER_PORT" 1 <<'PY' >/dev/null
import socket, sys
s = socket.create_connection(("127.0.0.1", int(sys.argv[1]))); s.sendall(b"x" * 63 + b"\n"); s.recv(64); s.close()
PY
  if [ -n "$WARM" ]; then   # N connections served and closed: the holder ends at stdin EOF
    taskset -c 1 python3 "$ROOT/bench/idle_holder.py" "$SERVER_PORT" "$N" </dev/null >"$TMP/warm.out"
    grep -q "^held $N" "$TMP/warm.out" || { echo "warm-up failed: $(cat "$TMP/warm.out")" >&2; exit 1; }
  fi
  read -r base_rss base_pss < <(tree_mem_kib "$SERVER_PID")
  fifo=$TMP/holder.fifo; mkfifo "$fifo"
  # The holder opens N connections, does one echo on each, prints "held" and waits for stdin EOF.
  taskset -c 1 python3 "$ROOT/bench/idle_holder.py" "$SERVER_PORT" "$N" <"$fifo" >"$TMP/holder.out" &
  holder=$!
  exec 9>"$fifo"
  for i in $(seq 6000); do grep -q '^held' "$TMP/holder.out" && break; kill -0 $holder || break; sleep 0.1; done
  grep -q "^held $N" "$TMP/holder.out" || { echo "holder failed: $(cat "$TMP/holder.out")" >&2; exit 1; }
  read -r rss pss < <(tree_mem_kib "$SERVER_PID")
  procs=$(tree_pids "$SERVER_PID" | wc -l)
  threads=0; for p in $(tree_pids "$SERVER_PID"); do threads=$((threads + $(awk '/^Threads:/{print $2}' /proc/$p/status))); done
  exec 9>&-; wait $holder || true; rm -f "$fifo"
  awk -v s="$server" -v n="$N" -v pr="$procs" -v th="$threads" -v br="$base_rss" -v bp="$base_pss" -v r="$rss" -v p="$pss" \
    'BEGIN { printf "| %s | %d | %d | %d | %.1f / %.1f | %.1f / %.1f | %.2f | %.2f |\n", s, n, pr, th, br/1024, bp/1024, r/1024, p/1024, (p-bp)/n, (r-br)/n }'
  stop_server >/dev/null
  rm -f "$TMP/log.txt"
done
