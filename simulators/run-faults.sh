#!/usr/bin/env bash
# A fault scenario against a ledger started here, in one command, from any directory; prints the
# figures and exits non-zero when anything acknowledged was lost (docs/operations.md, "Faults").
#
#   simulators/run-faults.sh restart-db                     # PostgreSQL stopped (fast) mid-load, started 10 s later
#   simulators/run-faults.sh restart-db --mode immediate    # ... stopped as by a crash (no shutdown checkpoint)
#   simulators/run-faults.sh sigterm                        # NODES ledgers on one database, the first one stopped (SIGTERM) mid-load
#   simulators/run-faults.sh kill-node                      # ... the first one killed (SIGKILL) mid-load
#   simulators/run-faults.sh failover                       # NODES ledgers on a primary with a synchronous standby:
#                                                           # the primary killed (SIGKILL) mid-load, the standby promoted
#
# Each scenario runs its own PostgreSQL (the machine's initdb/pg_ctl, as user postgres) in WORK/db, not the
# embedded one: restart-db stops the database under a running ledger, the node scenarios share it between
# nodes; failover runs a primary in WORK/primary (port PGPORT) and a standby made from it with pg_basebackup in
# WORK/standby (port PGPORT+1). Needs PostgreSQL 15+ binaries (Debian's /usr/lib/postgresql/N/bin is found; when
# there are none, root installs Debian's postgresql package). Environment: PORT (8089; node k listens on
# PORT+k-1), PGPORT (55439), NODES (2), WORK (/tmp/faults-run), OFFLINE=1 to build offline. Options after the
# scenario go to the simulator (restart-db: --seconds 40 --down-after 10 --down-for 10 --concurrency 8; sigterm
# and kill-node: --seconds 30 --kill-after 10 --concurrency 8 --accounts 20; failover: --seconds 40 --kill-after 10
# --promote-after 3 --recover-within 30 --concurrency 8 --accounts 20).
set -euo pipefail
cd "$(dirname "$0")/.."
PORT=${PORT:-8089}
PGPORT=${PGPORT:-55439}
NODES=${NODES:-2}
WORK=${WORK:-/tmp/faults-run}
[ $# -ge 1 ] || { echo "usage: $0 restart-db|sigterm|kill-node|failover [--mode fast|immediate] [simulator options]" >&2; exit 2; }
scenario=$1
shift
case "$scenario" in
    restart-db|sigterm|kill-node|failover) ;;
    *) echo "unknown scenario: $scenario (this script knows restart-db, sigterm, kill-node, failover)" >&2; exit 2 ;;
esac
mode=fast
if [ "${1:-}" = --mode ]; then mode=$2; shift 2; fi

# Debian keeps the server's binaries off the PATH (only some are linked), in /usr/lib/postgresql/N/bin
if ! command -v initdb > /dev/null || ! command -v pg_basebackup > /dev/null; then
    for bin in /usr/lib/postgresql/*/bin; do [ -x "$bin/initdb" ] && PATH="$bin:$PATH"; done
fi
if ! command -v initdb > /dev/null && [ "$(id -u)" = 0 ] && command -v apt-get > /dev/null; then
    apt-get install -y -q postgresql > /dev/null
    for bin in /usr/lib/postgresql/*/bin; do [ -x "$bin/initdb" ] && PATH="$bin:$PATH"; done
fi
command -v initdb > /dev/null || { echo "no PostgreSQL binaries (initdb, pg_ctl, pg_basebackup) found" >&2; exit 1; }

./mvnw -q -B ${OFFLINE:+-o} -pl ledger-api,simulators -am package -DskipTests

# shellcheck source=simulators/ledger-up.sh
. simulators/ledger-up.sh

if [ "$scenario" = failover ]; then
    # databases left running by an earlier run that was killed
    for dir in "$WORK/primary" "$WORK/standby"; do
        [ -f "$dir/postmaster.pid" ] && { as_postgres pg_ctl -D "$dir" -m immediate stop > /dev/null 2>&1 || true; }
    done
    rm -rf "$WORK"
    mkdir -p "$WORK"
    chmod 777 "$WORK"
    PRIMARY="$WORK/primary"
    STANDBY="$WORK/standby"
    STANDBY_PORT=$((PGPORT + 1))
    pg_start() { # DIR PORT [postgres -c settings...]
        local dir=$1 port=$2
        shift 2
        as_postgres pg_ctl -D "$dir" -o "-p $port -k $WORK -c listen_addresses=localhost -c max_connections=100 $*" \
            -l "$dir.log" -w start > /dev/null
    }
    stop_databases() {
        for dir in "$PRIMARY" "$STANDBY"; do as_postgres pg_ctl -D "$dir" -m fast stop > /dev/null 2>&1 || true; done
    }
    # The primary commits only once the standby has the commit's WAL on disk (synchronous_commit=on, the default,
    # with standby1 named synchronous): an acknowledged posting is on both. Only the primary is started with the
    # setting: the promoted standby, left alone, must not wait for a standby of its own.
    as_postgres initdb -D "$PRIMARY" -U postgres --auth=trust > "$WORK/initdb.log"
    pg_start "$PRIMARY" "$PGPORT" -c synchronous_standby_names=standby1 -c synchronous_commit=on
    trap stop_databases EXIT
    as_postgres pg_basebackup -D "$STANDBY" -d "host=127.0.0.1 port=$PGPORT user=postgres application_name=standby1" \
        -R -X stream -c fast
    pg_start "$STANDBY" "$STANDBY_PORT"
    for _ in $(seq 1 30); do
        state=$(psql -h 127.0.0.1 -p "$PGPORT" -U postgres -Atc \
            "select sync_state from pg_stat_replication where application_name = 'standby1'")
        [ "$state" = sync ] && break
        sleep 1
    done
    [ "$state" = sync ] || { echo "the standby is not synchronous (sync_state '$state')" >&2; exit 1; }
    echo "failover: primary on :$PGPORT, synchronous standby on :$STANDBY_PORT (pg_stat_replication: standby1 $state)"

    URL="jdbc:postgresql://127.0.0.1:$PGPORT,127.0.0.1:$STANDBY_PORT/postgres?targetServerType=primary"
    pids=()
    bases=()
    stop_ledgers() {
        for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done
        stop_databases
    }
    LEDGER_EXIT_HOOK=stop_ledgers
    for k in $(seq 1 "$NODES"); do
        mkdir -p "$WORK/node$k"
        [ "$k" = 1 ] || cp "$WORK/node1/demo-principals.json" "$WORK/node$k/"
        start_ledger $((PORT + k - 1)) "$WORK/node$k" SPRING_DATASOURCE_URL="$URL" SPRING_DATASOURCE_USERNAME=postgres \
            SPRING_DATASOURCE_PASSWORD= LEDGER_NODE_NAME="node$k"
        pids+=("$LEDGER_PID")
        bases+=("http://localhost:$((PORT + k - 1))")
    done
    echo "failover: $NODES ledgers on :$PORT.. with $URL; logs in $WORK/node*/ledger.log"
    promote="pg_ctl -D $STANDBY -w promote"
    [ "$(id -u)" = 0 ] && promote="runuser -u postgres -- $promote"
    # SIGKILL to the primary's process group (pg_ctl starts the postmaster as its leader): the postmaster and every
    # backend die at once, as with a host crash; nothing is flushed or said to the clients
    java -jar simulators/target/simulators.jar failover --principals "$WORK/node1/demo-principals.json" \
        --nodes "$(IFS=,; echo "${bases[*]}")" \
        --kill "kill -KILL -- -\$(head -1 $PRIMARY/postmaster.pid)" \
        --promote "$promote" \
        --jdbc "$URL&user=postgres" "$@"
    exit
fi
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
