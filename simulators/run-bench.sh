#!/usr/bin/env bash
# One benchmark against a fresh ledger, in one command, from any directory: builds the ledger and
# the simulators, starts the ledger on its own port with a fresh embedded database (durable: fsync on)
# and demo principals, waits for /actuator/health, runs the simulator command, and stops the ledger.
#
#   simulators/run-bench.sh speed                          # single and batch postings vs raw JDBC, alert latency
#   PGLEDGER=/tmp/pgledger simulators/run-bench.sh speed   # ... and first pgledger with pgbench (run-pgledger.sh)
#   simulators/run-bench.sh alert-latency --rates 100,250,500 --seconds 30
#
# Environment: PORT (8087), WORK (/tmp/bench-run: database, principals, log), LEDGER_JAVA_OPTS (e.g.
# -Xmx512m), OFFLINE=1 to build with Maven offline, PGLEDGER (a checkout of github.com/pgr0ss/pgledger: speed
# measures it first, PGPORT and the other settings of run-pgledger.sh apply). Arguments after the command go to it.
set -euo pipefail
cd "$(dirname "$0")/.."
PORT=${PORT:-8087}
WORK=${WORK:-/tmp/bench-run}
[ $# -ge 1 ] || { echo "usage: $0 <simulator command> [options]" >&2; exit 2; }

./mvnw -q -B ${OFFLINE:+-o} -pl ledger-api,simulators -am package -DskipTests
command=$1
shift
extra=()
if [ "$command" = speed ] && [ -n "${PGLEDGER:-}" ]; then
    # the same machine, minutes before the ledger: its best transfers/s goes into the speed table
    WORK="$WORK/pgledger" simulators/run-pgledger.sh "$PGLEDGER" | tee "$WORK.pgledger.txt"
    best=$(awk -F'|' '/^\| [0-9]/ { gsub(/ /, "", $3); if ($3 + 0 > best) best = $3 + 0 } END { print best }' "$WORK.pgledger.txt")
    extra=(--pgledger "$best")
fi
# shellcheck source=simulators/ledger-up.sh
. simulators/ledger-up.sh
start_ledger "$PORT" "$WORK"

java -jar simulators/target/simulators.jar "$command" --base "http://localhost:$PORT" \
    --principals "$WORK/demo-principals.json" --db-url-file "$WORK/embedded-postgres.url" "${extra[@]}" "$@"
