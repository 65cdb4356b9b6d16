#!/usr/bin/env bash
# The issue's full reaping check: 1,000 short connections, then no zombie among the parent's
# children and the parent's descriptor count back at its baseline (the module test runs 120
# by default to stay within the test budget; this runs the same test with 1,000).
#
#   server-forking/bench/zombies.sh [CONNECTIONS=1000]
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT"
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
./mvnw -B -ntp -pl server-forking -am verify -Dsurefire.failIfNoSpecifiedTests=false \
  -Dtest='ProcessModelTest#afterManyShortConnections*' -Dforking.shortConnections="${1:-1000}"
