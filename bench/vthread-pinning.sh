#!/usr/bin/env bash
# Shows that the virtual-thread server never pins a carrier on the echo path: runs it with JFR
# recording jdk.VirtualThreadPinned at threshold 0 (every pinned park, however short), drives it
# with the anchors' echo_load (closed loop, 256 connections, 64-byte messages, 10 s), stops it
# with SIGTERM (JFR writes the recording at exit) and counts the pinned events.
#
#   bench/vthread-pinning.sh [SECONDS]
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
DUR=${1:-10}
export ANCHOR_DIR; ANCHOR_DIR=$("$ROOT/bench/anchors.sh")
TMP=$(mktemp -d); trap 'cleanup_server; rm -rf "$TMP"' EXIT
cat >"$TMP/pinned.jfc" <<'XML'
<?xml version="1.0" encoding="UTF-8"?>
<configuration version="2.0">
  <event name="jdk.VirtualThreadPinned"><setting name="enabled">true</setting><setting name="stackTrace">true</setting><setting name="threshold">0 ms</setting></event>
  <event name="jdk.VirtualThreadSubmitFailed"><setting name="enabled">true</setting></event>
</configuration>
XML
export SERVER_JAVA_OPTS="-XX:StartFlightRecording=filename=$TMP/rec.jfr,settings=$TMP/pinned.jfc"
source "$ROOT/bench/servers.sh"
start_server virtualthreads 0 "$TMP/log.txt"
taskset -c 1 "$ANCHOR_DIR/c/echo_load" -p "$SERVER_PORT" -c 256 -s 64 -d "$DUR" -t 1
stop_server
JFR=$(dirname "$JAVA")/jfr
pinned=$("$JFR" summary "$TMP/rec.jfr" | awk '$1 == "jdk.VirtualThreadPinned" {print $2}')
echo "jdk.VirtualThreadPinned events over the run: ${pinned:-0}"
"$JFR" print --events jdk.VirtualThreadPinned "$TMP/rec.jfr" | head -40
