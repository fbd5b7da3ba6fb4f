#!/usr/bin/env bash
# One benchmark against a fresh ledger, in one command, from any directory: builds the ledger and
# the simulators, starts the ledger on its own port with a fresh embedded database (durable: fsync on)
# and demo principals, waits for /actuator/health, runs the simulator command, and stops the ledger.
#
#   simulators/run-bench.sh speed                          # single and batch postings vs raw JDBC, alert latency
#   simulators/run-bench.sh alert-latency --rates 100,250,500 --seconds 30
#
# Environment: PORT (8087), WORK (/tmp/bench-run: database, principals, log), LEDGER_JAVA_OPTS (e.g.
# -Xmx512m), OFFLINE=1 to build with Maven offline. Arguments after the command go to it.
set -euo pipefail
cd "$(dirname "$0")/.."
PORT=${PORT:-8087}
WORK=${WORK:-/tmp/bench-run}
[ $# -ge 1 ] || { echo "usage: $0 <simulator command> [options]" >&2; exit 2; }

./mvnw -q -B ${OFFLINE:+-o} -pl ledger-api,simulators -am package -DskipTests
# shellcheck source=simulators/ledger-up.sh
. simulators/ledger-up.sh
start_ledger "$PORT" "$WORK"

command=$1
shift
java -jar simulators/target/simulators.jar "$command" --base "http://localhost:$PORT" \
    --principals "$WORK/demo-principals.json" --db-url-file "$WORK/embedded-postgres.url" "$@"
