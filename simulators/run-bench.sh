#!/usr/bin/env bash
# One benchmark against a fresh ledger, in one command, from any directory: builds the ledger and
# the simulators, starts the ledger on its own port with a fresh embedded database (durable: fsync on)
# and demo principals, waits for /actuator/health, runs the simulator command, and stops the ledger.
#
#   simulators/run-bench.sh speed                          # single and batch postings vs raw JDBC, alert latency
#   simulators/run-bench.sh alert-latency --rates 100,250,500 --seconds 30
#
# Environment: PORT (8087), WORK (/tmp/bench-run: database, principals, log), OFFLINE=1 to build
# with Maven offline. Arguments after the command go to it.
set -euo pipefail
cd "$(dirname "$0")/.."
PORT=${PORT:-8087}
WORK=${WORK:-/tmp/bench-run}
[ $# -ge 1 ] || { echo "usage: $0 <simulator command> [options]" >&2; exit 2; }

./mvnw -q -B ${OFFLINE:+-o} -pl ledger-api,simulators -am package -DskipTests
rm -rf "$WORK/pg" "$WORK/embedded-postgres.url"
mkdir -p "$WORK"

SERVER_PORT=$PORT java -Dledger.embedded-db.dir="$WORK/pg" \
    -Dledger.demo-principals-file="$WORK/demo-principals.json" \
    -jar ledger-api/target/ledger-api.jar > "$WORK/ledger.log" 2>&1 &
LEDGER_PID=$!
trap 'kill "$LEDGER_PID" 2>/dev/null; wait "$LEDGER_PID" 2>/dev/null || true' EXIT
for _ in $(seq 1 180); do
    curl -sf "http://localhost:$PORT/actuator/health" > /dev/null && break
    kill -0 "$LEDGER_PID" 2>/dev/null || { echo "the ledger did not start; see $WORK/ledger.log" >&2; exit 1; }
    sleep 1
done
curl -sf "http://localhost:$PORT/actuator/health" > /dev/null || { echo "the ledger is not healthy" >&2; exit 1; }

command=$1
shift
java -jar simulators/target/simulators.jar "$command" --base "http://localhost:$PORT" \
    --principals "$WORK/demo-principals.json" --db-url-file "$WORK/embedded-postgres.url" "$@"
