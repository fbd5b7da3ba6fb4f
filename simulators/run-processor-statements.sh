#!/usr/bin/env bash
# Statements a processor runs per event, measured alone: single deposits posted with wrk
# (simulators/wrk-deposits.lua: 40 accounts of 4 institutions, one occurredAt), then the ledger stopped,
# the processor's token and tables emptied, and the ledger started again with pg_stat_statements on: the
# processor replays every event while nothing else runs. Prints the facts replayed (alerts: account facts,
# rows of alert_activity; read-models: deposits, rows of order_view), the replay's rate (rough: samples once
# a second) and each statement's calls per fact.
#
#   simulators/run-processor-statements.sh
#   PROCESSOR=read-models simulators/run-processor-statements.sh
#   LEDGER_JAR=/tmp/before.jar simulators/run-processor-statements.sh     # an earlier build, to compare
#
# Environment: PROCESSOR (alerts, or read-models), PORT (8088), WORK (/tmp/processor-statements-run), SECONDS_EACH
# (20 s of wrk at 8 connections), OFFLINE=1 to build offline. Needs wrk and psql.
set -euo pipefail
cd "$(dirname "$0")/.."
PORT=${PORT:-8088}
WORK=${WORK:-/tmp/processor-statements-run}
SECONDS_EACH=${SECONDS_EACH:-20}
PROCESSOR=${PROCESSOR:-alerts}
case $PROCESSOR in
    # what each processor's reset handlers empty, and the rows that count its facts
    alerts) TABLES="alert, alert_change, alert_activity, alert_account, alert_window, alert_dispute" FACTS=alert_activity ;;
    read-models) TABLES="account_view, order_view, held_outflow_view, dispute_view, refund_obligation_view, institution_view"
        FACTS=order_view ;;
    *) echo "PROCESSOR is alerts or read-models" >&2; exit 2 ;;
esac
for tool in wrk psql; do
    command -v $tool > /dev/null || { echo "$tool is missing (Debian: apt-get install wrk postgresql-client)" >&2; exit 2; }
done

./mvnw -q -B ${OFFLINE:+-o} -pl ledger-api,simulators -am package -DskipTests
# shellcheck source=simulators/ledger-up.sh
. simulators/ledger-up.sh
sql() { embedded_sql "$WORK" "$@"; }
restart_ledger() {
    kill "$LEDGER_PID"
    wait "$LEDGER_PID" || true
    LEDGER_KEEP_DATA=1 start_ledger "$PORT" "$WORK"
}
# the facts the processor has taken in, once they stop growing (sampled every second); the
# time of the last sample that grew goes to WORK/last-growth
facts_when_caught_up() {
    local last=-1 now same=0
    while [ "$same" -lt 3 ]; do
        now=$(sql -c "select count(*) from $FACTS")
        if [ "$now" = "$last" ]; then same=$((same + 1)); else same=0; date +%s.%N > "$WORK/last-growth"; fi
        last=$now
        sleep 1
    done
    echo "$now"
}

start_ledger "$PORT" "$WORK"
sql -c "alter system set shared_preload_libraries = 'pg_stat_statements'" -c "alter system set pg_stat_statements.track = 'all'"
restart_ledger
sql -c "create extension if not exists pg_stat_statements"
java -jar simulators/target/simulators.jar client-cost --base "http://localhost:$PORT" \
    --principals "$WORK/demo-principals.json" --wrk-env "$WORK/wrk.env" --seconds 5 --warmup 5 --rounds 1 > /dev/null
# shellcheck disable=SC1091
. "$WORK/wrk.env"
RUN="${RUN}s" wrk -t 2 -c 8 -d "${SECONDS_EACH}s" -s simulators/wrk-deposits.lua "http://localhost:$PORT" \
    | grep -E "requests in|answered"
posted=$(facts_when_caught_up)
echo "facts taken in live: $posted; alerts: $(sql -c "select count(*) from alert")"

sql -c "delete from token_entry where processor_name = '$PROCESSOR'" -c "truncate table $TABLES"
restart_ledger
sql -c "select pg_stat_statements_reset()" > /dev/null
started=$(date +%s.%N)
# the replay began with the ledger: what it took in before the reset is left out of the counts
before=$(sql -c "select count(*) from $FACTS")
after=$(facts_when_caught_up)
facts=$((after - before))
echo "$PROCESSOR replayed after the reset: $facts facts, $(awk -v n=$facts -v a="$started" -v b="$(cat "$WORK/last-growth")" \
    'BEGIN { printf "%.0f/s (rough)", n / (b - a) }'); alerts now: $(sql -c "select count(*) from alert")"
echo "calls per fact | mean ms | statement"
sql -F ' | ' -c "select round(calls::numeric / $facts, 3), round((total_exec_time / calls)::numeric, 3),
    left(regexp_replace(query, '\s+', ' ', 'g'), 120) from pg_stat_statements
    where query not like '%pg_stat_statements%' and query not like '%count(*) from%' order by calls desc limit 20"
sql -c "select 'in all: ' || round(sum(calls)::numeric / $facts, 2) || ' statements per fact, '
    || round((sum(total_exec_time) / $facts)::numeric, 3) || ' ms of execution; on the alert tables: '
    || round((sum(calls) filter (where query ~ 'alert_|alert '))::numeric / $facts, 2) || ', on the views: '
    || round((sum(calls) filter (where query ~ '_view'))::numeric / $facts, 2)
    from pg_stat_statements where query not like '%pg_stat_statements%' and query not like '%count(*) from%'"
