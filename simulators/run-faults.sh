#!/usr/bin/env bash
# A fault scenario against a ledger started here, in one command, from any directory; prints the
# figures and exits non-zero when anything acknowledged was lost (docs/operations.md, "Faults").
#
#   simulators/run-faults.sh restart-db                     # PostgreSQL stopped (fast) mid-load, started 10 s later
#   simulators/run-faults.sh restart-db --mode immediate    # ... stopped as by a crash (no shutdown checkpoint)
#   simulators/run-faults.sh sigterm                        # NODES ledgers on one database, the first one stopped (SIGTERM) mid-load
#   simulators/run-faults.sh kill-node                      # ... the first one killed (SIGKILL) mid-load
#
# Each scenario runs its own PostgreSQL (the machine's initdb/pg_ctl, as user postgres) in WORK/db, not the
# embedded one: restart-db stops the database under a running ledger, the node scenarios share it between
# nodes. Needs PostgreSQL 15+ binaries on the PATH. Environment: PORT (8089; node k listens on PORT+k-1),
# PGPORT (55439), NODES (2), WORK (/tmp/faults-run), OFFLINE=1 to build offline. Options after the scenario go
# to the simulator (restart-db: --seconds 40 --down-after 10 --down-for 10 --concurrency 8; sigterm and
# kill-node: --seconds 30 --kill-after 10 --concurrency 8 --accounts 20).
set -euo pipefail
cd "$(dirname "$0")/.."
PORT=${PORT:-8089}
PGPORT=${PGPORT:-55439}
NODES=${NODES:-2}
WORK=${WORK:-/tmp/faults-run}
[ $# -ge 1 ] || { echo "usage: $0 restart-db|sigterm|kill-node [--mode fast|immediate] [simulator options]" >&2; exit 2; }
scenario=$1
shift
case "$scenario" in
    restart-db|sigterm|kill-node) ;;
    *) echo "unknown scenario: $scenario (this script knows restart-db, sigterm, kill-node)" >&2; exit 2 ;;
esac
mode=fast
if [ "${1:-}" = --mode ]; then mode=$2; shift 2; fi

./mvnw -q -B ${OFFLINE:+-o} -pl ledger-api,simulators -am package -DskipTests

# shellcheck source=simulators/ledger-up.sh
. simulators/ledger-up.sh
fresh_cluster "$WORK"
pg_start="pg_ctl -D $DB -o '-p $PGPORT -k $WORK -c listen_addresses=localhost -c max_connections=100' -l $WORK/postgres.log -w start"
pg_stop="pg_ctl -D $DB -m $mode -w stop"
if [ "$(id -u)" = 0 ]; then
    pg_start="runuser -u postgres -- $pg_start"
    pg_stop="runuser -u postgres -- $pg_stop"
fi
bash -c "$pg_start" > /dev/null

if [ "$scenario" = restart-db ]; then
    start_ledger "$PORT" "$WORK" SPRING_DATASOURCE_URL="jdbc:postgresql://localhost:$PGPORT/postgres" \
        SPRING_DATASOURCE_USERNAME=postgres SPRING_DATASOURCE_PASSWORD=
    trap 'kill "$LEDGER_PID" 2>/dev/null; wait "$LEDGER_PID" 2>/dev/null || true; as_postgres pg_ctl -D "$DB" -m fast stop > /dev/null 2>&1 || true' EXIT

    echo "restart-db: ledger on :$PORT, PostgreSQL on :$PGPORT (stop mode $mode); log in $WORK/ledger.log"
    java -jar simulators/target/simulators.jar restart-db --base "http://localhost:$PORT" \
        --principals "$WORK/demo-principals.json" --stop "$pg_stop" --start "$pg_start" "$@"
    exit
fi

# NODES ledgers on the one database; node1 is the victim
start_nodes "$NODES" "$PORT" "$WORK" "$PGPORT"

echo "$scenario: $NODES ledgers on :$PORT.. (node1 is the victim, pid ${pids[0]}), PostgreSQL on :$PGPORT; logs in $WORK/node*/ledger.log"
java -jar simulators/target/simulators.jar "$scenario" --principals "$WORK/node1/demo-principals.json" \
    --nodes "$(IFS=,; echo "${bases[*]}")" --victim 0 --victim-pid "${pids[0]}" --victim-name node1 \
    --jdbc "jdbc:postgresql://localhost:$PGPORT/postgres?user=postgres" "$@"
