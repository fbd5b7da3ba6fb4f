# Sourced by the run-*.sh scripts: start_ledger PORT WORK [NAME=VALUE...] starts the built ledger jar
# (or the jar LEDGER_JAR names, e.g. an earlier build to compare with) on PORT with a fresh embedded
# database in WORK/pg (with LEDGER_KEEP_DATA=1: the one already there; environment NAME=VALUE pairs added,
# and LEDGER_JAVA_OPTS given to the JVM), stops it when the script exits (then runs the command
# LEDGER_EXIT_HOOK, if set), and returns once /actuator/health answers.
start_ledger() {
    local port=$1 work=$2
    shift 2
    # LEDGER_KEEP_DATA=1: start again on the database an earlier start_ledger left in WORK/pg
    [ -n "${LEDGER_KEEP_DATA:-}" ] || rm -rf "$work/pg" "$work/embedded-postgres.url"
    mkdir -p "$work"
    # shellcheck disable=SC2086
    env SERVER_PORT="$port" "$@" java ${LEDGER_JAVA_OPTS:-} -Dledger.embedded-db.dir="$work/pg" \
        -Dledger.demo-principals-file="$work/demo-principals.json" \
        -Dledger.security-audit.file="$work/security-audit.log" \
        -jar "${LEDGER_JAR:-ledger-api/target/ledger-api.jar}" > "$work/ledger.log" 2>&1 &
    LEDGER_PID=$!
    trap 'kill "$LEDGER_PID" 2>/dev/null; wait "$LEDGER_PID" 2>/dev/null || true; ${LEDGER_EXIT_HOOK:-}' EXIT
    for _ in $(seq 1 180); do
        curl -sf "http://localhost:$port/actuator/health" > /dev/null && return 0
        kill -0 "$LEDGER_PID" 2>/dev/null || { echo "the ledger did not start; see $work/ledger.log" >&2; exit 1; }
        sleep 1
    done
    echo "the ledger is not healthy; see $work/ledger.log" >&2
    exit 1
}

# embedded_sql WORK ARGS...: psql (unaligned, tuples only) on the embedded PostgreSQL of the ledger started in WORK
embedded_sql() {
    local work=$1
    shift
    PGPASSWORD=$(cat "$work/embedded-postgres.password") psql -h localhost \
        -p "$(sed 's/.*localhost:\([0-9]*\).*/\1/' "$work/embedded-postgres.url")" -U postgres -qAtX "$@"
}

# as_postgres COMMAND...: runs it as the postgres user when the script runs as root (PostgreSQL refuses root).
as_postgres() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

# fresh_cluster WORK: empties WORK (stopping a database an earlier, killed run left running in it) and creates
# a new PostgreSQL cluster (the machine's initdb) in WORK/db, which it names in DB.
fresh_cluster() {
    DB="$1/db"
    [ -f "$DB/postmaster.pid" ] && { as_postgres pg_ctl -D "$DB" -m immediate stop > /dev/null 2>&1 || true; }
    rm -rf "$1"
    mkdir -p "$1"
    chmod 777 "$1"
    as_postgres initdb -D "$DB" -U postgres --auth=trust > "$1/initdb.log"
}

# start_nodes COUNT PORT WORK PGPORT: COUNT ledgers on the PostgreSQL at PGPORT, one after the other (so node1
# holds every segment): node k on PORT+k-1, named nodek in the token store (ledger.node-name), logging to
# WORK/nodek/ledger.log, all with node1's demo keys. Sets pids and bases (URLs); when the script exits, stops
# every node and then the database in DB.
start_nodes() {
    local count=$1 port=$2 work=$3 pgport=$4 k
    pids=()
    bases=()
    LEDGER_EXIT_HOOK=stop_nodes
    for k in $(seq 1 "$count"); do
        mkdir -p "$work/node$k"
        [ "$k" = 1 ] || cp "$work/node1/demo-principals.json" "$work/node$k/"
        start_ledger $((port + k - 1)) "$work/node$k" SPRING_DATASOURCE_URL="jdbc:postgresql://localhost:$pgport/postgres" \
            SPRING_DATASOURCE_USERNAME=postgres SPRING_DATASOURCE_PASSWORD= LEDGER_NODE_NAME="node$k"
        pids+=("$LEDGER_PID")
        bases+=("http://localhost:$((port + k - 1))")
    done
}

stop_nodes() {
    # a node a scenario killed is gone already: kill fails for it, and must not fail the run
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done
    as_postgres pg_ctl -D "$DB" -m fast stop > /dev/null 2>&1 || true
}
