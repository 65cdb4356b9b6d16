#!/usr/bin/env bash
# Builds the reference ("anchor") servers and the C load client of ../shared/anchors into
# target/anchors (the shared folder is read-only; nothing of it is copied into the project's
# sources). Prints the folder. Usage: bench/anchors.sh [--netty]
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
SRC=${ANCHORS:-$ROOT/../shared/anchors}
OUT=$ROOT/target/anchors
[ -d "$SRC/c" ] || { echo "anchors: no anchors at $SRC (set ANCHORS=...)" >&2; exit 2; }
mkdir -p "$OUT"
if [ ! -x "$OUT/c/echo_load" ] || [ "$SRC/c/Makefile" -nt "$OUT/c/echo_load" ]; then
  rm -rf "$OUT/c" && cp -r "$SRC/c" "$OUT/c"
  make -s -C "$OUT/c" >&2
fi
if [ "${1:-}" = "--netty" ] && [ ! -f "$OUT/netty-echo/target/netty-echo.jar" ]; then
  rm -rf "$OUT/netty-echo" && cp -r "$SRC/netty-echo" "$OUT/netty-echo"
  (cd "$OUT/netty-echo" && JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64} \
     "$ROOT/mvnw" -B -q -ntp package >&2)
fi
echo "$OUT"
