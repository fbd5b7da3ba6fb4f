#!/usr/bin/env bash
# A fault scenario against a ledger started here, in one command, from any directory; prints the
# figures and exits non-zero when anything acknowledged was lost (docs/operations.md, "Faults").
#
#   simulators/run-faults.sh restart-db                     # PostgreSQL stopped (fast) mid-load, started 10 s later
#   simulators/run-faults.sh restart-db --mode immediate    # ... stopped as by a crash (no shutdown checkpoint)
#
# restart-db runs its own PostgreSQL (the machine's initdb/pg_ctl, as user postgres) in WORK/db, not the
# embedded one: the scenario must stop the database under a running ledger. Needs PostgreSQL 15+ binaries
# on the PATH. Environment: PORT (8089), PGPORT (55439), WORK (/tmp/faults-run), OFFLINE=1 to build offline.
# Options after the scenario go to the simulator (--seconds 40 --down-after 10 --down-for 10 --concurrency 8).
set -euo pipefail
cd "$(dirname "$0")/.."
PORT=${PORT:-8089}
PGPORT=${PGPORT:-55439}
WORK=${WORK:-/tmp/faults-run}
[ $# -ge 1 ] || { echo "usage: $0 restart-db [--mode fast|immediate] [simulator options]" >&2; exit 2; }
scenario=$1
shift
[ "$scenario" = restart-db ] || { echo "unknown scenario: $scenario (this script knows restart-db)" >&2; exit 2; }
mode=fast
if [ "${1:-}" = --mode ]; then mode=$2; shift 2; fi

./mvnw -q -B ${OFFLINE:+-o} -pl ledger-api,simulators -am package -DskipTests

# PostgreSQL refuses to run as root: the data directory belongs to the postgres user.
as_postgres() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
DB="$WORK/db"
# a database left running by an earlier run that was killed
[ -f "$DB/postmaster.pid" ] && { as_postgres pg_ctl -D "$DB" -m immediate stop > /dev/null 2>&1 || true; }
rm -rf "$WORK"
mkdir -p "$WORK"
chmod 777 "$WORK"
as_postgres initdb -D "$DB" -U postgres --auth=trust > "$WORK/initdb.log"
pg_start="pg_ctl -D $DB -o '-p $PGPORT -k $WORK -c listen_addresses=localhost -c max_connections=100' -l $WORK/postgres.log -w start"
pg_stop="pg_ctl -D $DB -m $mode -w stop"
if [ "$(id -u)" = 0 ]; then
    pg_start="runuser -u postgres -- $pg_start"
    pg_stop="runuser -u postgres -- $pg_stop"
fi
bash -c "$pg_start" > /dev/null

# shellcheck source=simulators/ledger-up.sh
. simulators/ledger-up.sh
start_ledger "$PORT" "$WORK" SPRING_DATASOURCE_URL="jdbc:postgresql://localhost:$PGPORT/postgres" \
    SPRING_DATASOURCE_USERNAME=postgres SPRING_DATASOURCE_PASSWORD=
trap 'kill "$LEDGER_PID" 2>/dev/null; wait "$LEDGER_PID" 2>/dev/null || true; as_postgres pg_ctl -D "$DB" -m fast stop > /dev/null 2>&1 || true' EXIT

echo "restart-db: ledger on :$PORT, PostgreSQL on :$PGPORT (stop mode $mode); log in $WORK/ledger.log"
java -jar simulators/target/simulators.jar restart-db --base "http://localhost:$PORT" \
    --principals "$WORK/demo-principals.json" --stop "$pg_stop" --start "$pg_start" "$@"
