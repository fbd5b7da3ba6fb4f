#!/usr/bin/env bash
# Throughput with 1, 2 and 3 ledger nodes on one PostgreSQL, side by side in one run, in one command
# (docs/benchmarks.md, "Several nodes"): builds, starts its own PostgreSQL (the machine's initdb/pg_ctl, as
# run-faults.sh does, durable: fsync on) and NODES ledgers on it, runs the nodes benchmark (single deposits
# from closed-loop writers spread over the first 1, 2, 3 nodes; the same accounts on every node, then each
# node on its own), then checks the figures with wrk (Debian package wrk) on 1 node and on 2 at once.
#
#   simulators/run-nodes.sh                                    # 8 writers, 20 s a step, 30 s warm-up
#   simulators/run-nodes.sh --concurrency 16 --seconds 30
#   LEDGER_JAR=/tmp/before/ledger-api.jar OFFLINE=1 simulators/run-nodes.sh   # an earlier build, same client
#
# Environment: PORT (18301; node k listens on PORT+k-1), PGPORT (18311), NODES (3), WORK (/tmp/nodes-run),
# LEDGER_JAR, LEDGER_JAVA_OPTS, WRK_SECONDS (20; 0 leaves wrk out), OFFLINE=1 to build offline. Options go to
# the nodes command.
set -euo pipefail
cd "$(dirname "$0")/.."
PORT=${PORT:-18301}
PGPORT=${PGPORT:-18311}
NODES=${NODES:-3}
WORK=${WORK:-/tmp/nodes-run}
WRK_SECONDS=${WRK_SECONDS:-20}

./mvnw -q -B ${OFFLINE:+-o} -pl ledger-api,simulators -am package -DskipTests

# shellcheck source=simulators/ledger-up.sh
. simulators/ledger-up.sh
fresh_cluster "$WORK"
as_postgres pg_ctl -D "$DB" -o "-p $PGPORT -k $WORK -c listen_addresses=localhost -c max_connections=200" \
    -l "$WORK/postgres.log" -w start > /dev/null
start_nodes "$NODES" "$PORT" "$WORK" "$PGPORT"

echo "nodes: $NODES ledgers on :$PORT.. (${LEDGER_JAR:-this build}), PostgreSQL on :$PGPORT; logs in $WORK/node*/ledger.log"
java -jar simulators/target/simulators.jar nodes --principals "$WORK/node1/demo-principals.json" \
    --nodes "$(IFS=,; echo "${bases[*]}")" --jdbc "jdbc:postgresql://localhost:$PGPORT/postgres?user=postgres" \
    --wrk-env "$WORK/wrk.env" "$@"

[ "$WRK_SECONDS" != 0 ] || exit 0
command -v wrk > /dev/null || { echo "wrk is missing (apt-get install wrk): no check with wrk" >&2; exit 0; }
# shellcheck source=/dev/null
. "$WORK/wrk.env"
export BANK_KEY ACCOUNTS OCCURRED_AT
# the same deposits on the same accounts as the nodes benchmark's "same" layout, 8 connections in all
wrk_on() {
    local label=$1
    shift
    local per_node=$((8 / $#)) k=0 clients=()
    for base in "$@"; do
        k=$((k + 1))
        RUN="${RUN}${label}${k}" wrk -t 1 -c "$per_node" -d "${WRK_SECONDS}s" -s simulators/wrk-deposits.lua "$base" \
            > "$WORK/wrk-$label-$k.txt" &
        clients+=($!)
    done
    # only the wrk processes: the ledgers are this shell's background jobs too
    wait "${clients[@]}"
    awk -v label="$label" -v nodes=$# '/^Requests\/sec/ { sum += $2 } /answered other than 201/ { refused += $5 }
        END { printf "wrk, %d node(s), 8 connections in all: %.0f postings/s, %d answered other than 201\n",
              nodes, sum, refused }' "$WORK"/wrk-"$label"-*.txt
}
wrk_on one "${bases[0]}"
wrk_on two "${bases[0]}" "${bases[1]}"
