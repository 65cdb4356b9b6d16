# Sourced by the bench scripts: start a server by name, pinned, and wait for its listening line.
#   start_server NAME CPU LOGFILE  -> sets SERVER_PID and SERVER_PORT
#   stop_server                     -> SIGTERM by pid, waits, prints its summary line
# NAME: a project server (threaded, virtualthreads, selector, forking, "forking --prefork 8", ...)
# or an anchor: c:fork_server, c:select_server, c:epoll_server, c:thread_server, netty.
ROOT=${ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}
JAVA=${JAVA:-${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java}
ANCHOR_DIR=${ANCHOR_DIR:-$ROOT/target/anchors}

start_server() {
  local name=$1 cpu=$2 log=$3 out
  out=$(mktemp)
  local -a cmd
  case "$name" in
    c:epoll_server) cmd=("$ANCHOR_DIR/c/epoll_server" -t 1 -p 0 -l "$log") ;;
    c:*)            cmd=("$ANCHOR_DIR/c/${name#c:}" -p 0 -l "$log") ;;
    netty)          cmd=("$JAVA" -jar "$ANCHOR_DIR/netty-echo/target/netty-echo.jar" -p 0 -l "$log") ;;
    *)              read -r -a words <<<"$name"
                    cmd=("$JAVA" ${SERVER_JAVA_OPTS:-} -jar "$ROOT/server-${words[0]}/target/server-${words[0]}.jar"
                         "${words[@]:1}" --port 0 --log "$log") ;;
  esac
  taskset -c "$cpu" "${cmd[@]}" >"$out" 2>"$out.err" &
  SERVER_PID=$!
  SERVER_OUT=$out
  # Wait for the listening line (event), bounded at 30 s.
  local i
  for i in $(seq 300); do
    if grep -q '^listening on ' "$out"; then break; fi
    kill -0 "$SERVER_PID" 2>/dev/null || { cat "$out.err" >&2; echo "server $name died" >&2; return 1; }
    sleep 0.1
  done
  SERVER_PORT=$(sed -n 's/^listening on .*:\([0-9]*\)$/\1/p' "$out" | head -n 1)
  [ -n "$SERVER_PORT" ] || { echo "server $name did not listen" >&2; stop_server >/dev/null; return 1; }
}

# For an EXIT trap: stops the server if a failing step left it running.
cleanup_server() {
  if [ -n "${SERVER_PID:-}" ] && kill -0 "$SERVER_PID" 2>/dev/null; then stop_server >/dev/null; fi
}

stop_server() {
  kill -TERM "$SERVER_PID" 2>/dev/null || true
  wait "$SERVER_PID" 2>/dev/null || true
  grep '^summary ' "$SERVER_OUT" || true
  rm -f "$SERVER_OUT" "$SERVER_OUT.err"
}

# PSS and RSS in KiB summed over a process and all its descendants.
tree_pids() {
  local p=$1 c
  echo "$p"
  for c in $(cat /proc/"$p"/task/*/children 2>/dev/null); do tree_pids "$c"; done
}
tree_mem_kib() {  # prints "RSS PSS" in KiB
  local rss=0 pss=0 p r s
  for p in $(tree_pids "$1"); do
    r=$(awk '/^Rss:/{print $2}' /proc/"$p"/smaps_rollup 2>/dev/null || echo 0)
    s=$(awk '/^Pss:/{print $2}' /proc/"$p"/smaps_rollup 2>/dev/null || echo 0)
    rss=$((rss + ${r:-0})); pss=$((pss + ${s:-0}))
  done
  echo "$rss $pss"
}
