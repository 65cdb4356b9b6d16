# Shared by compare.sh and memory.sh (sourced, not run): where the servers are, how to build
# the anchors, how to start a server and learn its port, how to stop it and check its log.
#
# Environment:
#   JAVA_HOME   a JDK 25 (default /usr/lib/jvm/temurin-25-jdk-amd64)
#   ANCHORS     the anchors folder (default /work/shared/anchors); it is copied to a temporary
#               folder and built there, because the shared copy may be read-only
#   ANCHORS_BUILT  an anchors folder already built (c/ made, netty-echo packaged): skip that build
#   SELECTOR_JAVA_OPTS  JVM options for server-selector (default none)

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
export JAVA_HOME
JAVA="$JAVA_HOME/bin/java"
ANCHORS=${ANCHORS:-/work/shared/anchors}
SELECTOR_JAVA_OPTS=${SELECTOR_JAVA_OPTS:-}
WORK=$(mktemp -d -t selector-bench.XXXXXX)
BUILT=   # the built copy of the anchors, set by build_anchors

die() { printf '%s: %s\n' "$(basename "$0")" "$*" >&2; exit 2; }

# Builds server-selector (package, never install) and a private copy of the anchors.
build_all() {
    echo "building server-selector ..." >&2
    (cd "$ROOT" && ./mvnw -B -q -ntp -pl server-selector -am package -DskipTests) || die "the build of server-selector failed."
    if [ -n "${ANCHORS_BUILT:-}" ]; then BUILT=$ANCHORS_BUILT; return; fi
    echo "building the anchors in $WORK/anchors ..." >&2
    cp -r "$ANCHORS" "$WORK/anchors" && chmod -R u+w "$WORK/anchors"
    BUILT="$WORK/anchors"
    make -s -C "$BUILT/c" >/dev/null || die "make in $BUILT/c failed."
    (cd "$BUILT/netty-echo" && mvn -B -q package >/dev/null 2>&1) || die "the Netty anchor's build failed (cd $BUILT/netty-echo && mvn -B package)."
    [ -x "$BUILT/c/echo_load" ] && [ -f "$BUILT/netty-echo/target/netty-echo.jar" ] || die "anchor build incomplete."
}

# The command line of server $1 with port 0 and log file $2.
server_cmd() {
    case $1 in
        selector)   echo "$JAVA $SELECTOR_JAVA_OPTS -jar $ROOT/server-selector/target/server-selector.jar --reactors 1 --port 0 --log $2" ;;
        selector2)  echo "$JAVA $SELECTOR_JAVA_OPTS -jar $ROOT/server-selector/target/server-selector.jar --reactors 2 --port 0 --log $2" ;;
        netty)      echo "$JAVA -jar $BUILT/netty-echo/target/netty-echo.jar -p 0 -l $2" ;;
        select)     echo "$BUILT/c/select_server -p 0 -l $2" ;;
        epoll)      echo "$BUILT/c/epoll_server -t 1 -p 0 -l $2" ;;
        *) die "unknown server '$1' (selector, selector2, netty, select, epoll)." ;;
    esac
}

SPID= PORT= SDIR=
# Starts server $1 pinned to CPU 0 in a fresh folder; returns once it printed its
# 'listening on' line (read from a FIFO, no polling); sets SPID, PORT and SDIR.
start_server() {
    SDIR=$(mktemp -d "$WORK/$1.XXXX")
    mkfifo "$SDIR/stdout"
    # shellcheck disable=SC2046
    taskset -c 0 $(server_cmd "$1" "$SDIR/log") >"$SDIR/stdout" 2>"$SDIR/stderr" &
    SPID=$!
    exec {SOUT}<"$SDIR/stdout"
    PORT=
    local line
    while IFS= read -r -t 60 line <&"$SOUT"; do
        echo "$line" >>"$SDIR/out"
        case $line in "listening on "*) PORT=${line##*:}; break ;; esac
    done
    [ -n "$PORT" ] || { cat "$SDIR/stderr" >&2; die "server $1 did not print 'listening on' within 60 s."; }
    cat <&"$SOUT" >>"$SDIR/out" &    # keep draining its stdout (the summary line comes at exit)
    SCAT=$!
    exec {SOUT}<&-
}

STOPPED=
# SIGTERM, wait for exit; sets STOPPED to "exit=RC log_records=N [log_check=...] summary {...}",
# checking the log against $1 (the number of messages the load generator sent) when given.
# Not to be called in $(...): wait needs the shell that started the server.
stop_server() {
    kill -TERM "$SPID"
    local rc=0 records verdict=""
    wait "$SPID" || rc=$?
    wait "$SCAT" || true
    SPID=
    records=$(wc -l <"$SDIR/log")
    if [ -n "${1:-}" ]; then
        if [ "$records" -eq "$1" ] && [ "$rc" -eq 0 ]; then verdict=" log_check=ok"; else verdict=" log_check=FAILED(expected_$1)"; fi
    fi
    STOPPED="exit=$rc log_records=$records$verdict $(grep '^summary' "$SDIR/out" || true)"
    rm -f "$SDIR/log"
}

load() {   # echo_load pinned to CPU 1 against the current server
    taskset -c 1 "$BUILT/c/echo_load" -p "$PORT" "$@"
}

sent_sum() { sed -n 's/.*sent_total=\([0-9]*\).*/\1/p' "$@" | awk '{s += $1} END {print s + 0}'; }

cleanup() {
    if [ -n "${SPID:-}" ] && kill -0 "$SPID" 2>/dev/null; then kill -TERM "$SPID"; wait "$SPID" || true; fi
    rm -rf "$WORK"
}
trap cleanup EXIT
