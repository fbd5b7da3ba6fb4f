#!/usr/bin/env bash
# What the simulators' HTTP client costs, in one command (docs/benchmarks.md, "The simulators' client"):
# builds, starts a fresh ledger like run-bench.sh, runs the client-cost command (closed loops of single
# deposits through the hand-built client and through the client generated from docs/openapi.json,
# after a warm-up), then sends the same deposits to the same accounts with wrk (Debian package wrk),
# an independent load generator, with as many connections as the simulator had writers.
#
#   simulators/run-client-cost.sh                                  # 8 writers, 20 s a step, 60 s warm-up
#   PORT=8200 simulators/run-client-cost.sh --concurrency 16 --seconds 30
#
# Environment: PORT (8088), WORK (/tmp/client-cost-run), LEDGER_JAVA_OPTS, OFFLINE=1 to build with
# Maven offline. Arguments go to the client-cost command.
set -euo pipefail
cd "$(dirname "$0")/.."
PORT=${PORT:-8088}
WORK=${WORK:-/tmp/client-cost-run}
command -v wrk > /dev/null || { echo "wrk is missing (apt-get install wrk)" >&2; exit 2; }

./mvnw -q -B ${OFFLINE:+-o} -pl ledger-api,simulators -am package -DskipTests
# shellcheck source=simulators/ledger-up.sh
. simulators/ledger-up.sh
start_ledger "$PORT" "$WORK"

java -jar simulators/target/simulators.jar client-cost --base "http://localhost:$PORT" \
    --principals "$WORK/demo-principals.json" --wrk-env "$WORK/wrk.env" "$@"

# shellcheck source=/dev/null
. "$WORK/wrk.env"
export BANK_KEY ACCOUNTS RUN OCCURRED_AT
connections=8
for arg in "$@"; do
    [ "${previous:-}" = "--concurrency" ] && connections=$arg
    previous=$arg
done
seconds=20
for arg in "$@"; do
    [ "${before:-}" = "--seconds" ] && seconds=$arg
    before=$arg
done
echo "wrk, $connections connections, ${seconds} s (after a 10 s warm-up):"
RUN="${RUN}a" wrk -t 2 -c "$connections" -d 10s -s simulators/wrk-deposits.lua "http://localhost:$PORT" > /dev/null
TIMEFORMAT="wrk's own CPU: %U s user + %S s system"
time wrk -t 2 -c "$connections" -d "${seconds}s" --latency -s simulators/wrk-deposits.lua "http://localhost:$PORT"
