# Sourced by the run-*.sh scripts: start_ledger PORT WORK [NAME=VALUE...] starts the built ledger jar
# on PORT with a fresh embedded database in WORK/pg (with LEDGER_KEEP_DATA=1: the one already there; environment
# NAME=VALUE pairs added, and LEDGER_JAVA_OPTS given to the JVM), stops it when the script exits (then runs the command LEDGER_EXIT_HOOK,
# if set), and returns once /actuator/health answers.
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
        -jar ledger-api/target/ledger-api.jar > "$work/ledger.log" 2>&1 &
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
