#!/usr/bin/env bash
# Where a single posting's time goes, in one command: a fresh ledger with pg_stat_statements loaded into
# its embedded PostgreSQL, warmed up, then wrk (simulators/wrk-deposits.lua: single deposits) at each
# connection count for SECONDS each. Per step it prints postings/s and latency (wrk's), the CPU per posting
# of the ledger's threads (grouped by name, from /proc/PID/task/*/stat) and of the PostgreSQL server's
# processes, and the statements per posting with their mean execution time (pg_stat_statements).
#
#   simulators/run-profile.sh                      # 1 and 16 connections, 30 s each after 60 s of warm-up
#   CONNECTIONS="8" SECONDS_EACH=60 JFR=1 simulators/run-profile.sh   # also a JFR recording per step
#   BATCH=1000 CONNECTIONS="1 2" simulators/run-profile.sh  # batches of 1,000 deposits instead
#   CONNECTIONS="1 1 1" simulators/run-profile.sh  # one writer, the last step warm (its own path's JIT done)
#
# Environment: PORT (8088), WORK (/tmp/profile-run: database, principals, log, .jfr files), CONNECTIONS
# ("1 16"), SECONDS_EACH (30), WARMUP (60), JFR (set: record each step with JFR_SETTINGS, default profile;
# JFR_SETTINGS=default samples half as often and costs the ledger much less), BATCH (set: post
# batches of this many deposits over 10 accounts each; figures stay per posting), OFFLINE=1 to build offline. Needs wrk, psql and jcmd (Debian: wrk, postgresql-client, the JDK).
set -euo pipefail
cd "$(dirname "$0")/.."
PORT=${PORT:-8088}
WORK=${WORK:-/tmp/profile-run}
CONNECTIONS=${CONNECTIONS:-1 16}
SECONDS_EACH=${SECONDS_EACH:-30}
WARMUP=${WARMUP:-60}
POSTINGS_PER_REQUEST=1
if [ -n "${BATCH:-}" ]; then
    POSTINGS_PER_REQUEST=$BATCH
    export BATCH
fi
for tool in wrk psql jcmd; do
    command -v $tool > /dev/null || { echo "$tool is missing (Debian: apt-get install wrk postgresql-client)" >&2; exit 2; }
done

./mvnw -q -B ${OFFLINE:+-o} -pl ledger-api,simulators -am package -DskipTests
# shellcheck source=simulators/ledger-up.sh
. simulators/ledger-up.sh
sql() { embedded_sql "$WORK" "$@"; }
# pg_stat_statements must be loaded when the server starts: set it, then start the ledger again on the same data
start_ledger "$PORT" "$WORK"
sql -c "alter system set shared_preload_libraries = 'pg_stat_statements'" -c "alter system set pg_stat_statements.track = 'all'"
kill "$LEDGER_PID"
wait "$LEDGER_PID" || true
LEDGER_KEEP_DATA=1 start_ledger "$PORT" "$WORK"
sql -c "create extension if not exists pg_stat_statements"

java -jar simulators/target/simulators.jar client-cost --base "http://localhost:$PORT" \
    --principals "$WORK/demo-principals.json" --wrk-env "$WORK/wrk.env" --seconds 5 --warmup 20 --rounds 1 > /dev/null
# shellcheck disable=SC1091
. "$WORK/wrk.env"
echo "warming up: $WARMUP s of wrk at $((POSTINGS_PER_REQUEST > 1 ? 2 : 8)) connections"
RUN="${RUN}warm" wrk -t 2 -c $((POSTINGS_PER_REQUEST > 1 ? 2 : 8)) -d "${WARMUP}s" -s simulators/wrk-deposits.lua "http://localhost:$PORT" > /dev/null

postmaster=$(head -1 "$WORK/pg/postmaster.pid")
ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat" 2> /dev/null || echo 0; }
database_ticks() {
    local total=0
    for pid in $postmaster $(ps -o pid= --ppid "$postmaster"); do total=$((total + $(ticks "$pid"))); done
    echo $total
}
thread_ticks() {
    for task in /proc/"$LEDGER_PID"/task/*; do
        # thread names without their numbers: http-nio-8088-exec-12 and -exec-3 are one group
        printf '%s %s\n' "$(tr ' ' _ < "$task/comm" | sed 's/[-_#]*[0-9]*$//')" "$(awk '{ print $14 + $15 }' "$task/stat")"
    done
}
hertz=$(getconf CLK_TCK)
steps=0
for connections in $CONNECTIONS; do
    steps=$((steps + 1))
    # each step its own client ids, also when a connection count repeats (CONNECTIONS="1 1 1": the later
    # steps measure the one-writer path warm); with the same ids they would be answered as replays
    step="s${steps}c$connections"
    sql -c "select pg_stat_statements_reset()" > /dev/null
    [ -n "${JFR:-}" ] && jcmd "$LEDGER_PID" JFR.start name="$step" settings="${JFR_SETTINGS:-profile}" filename="$WORK/$step.jfr" > /dev/null
    thread_ticks > "$WORK/$step.threads-before"
    database_before=$(database_ticks)
    RUN="${RUN}$step" wrk -t $((connections < 2 ? 1 : 2)) -c "$connections" -d "${SECONDS_EACH}s" --latency \
        --timeout 30s -s simulators/wrk-deposits.lua "http://localhost:$PORT" > "$WORK/$step.wrk"
    database_after=$(database_ticks)
    thread_ticks > "$WORK/$step.threads-after"
    [ -n "${JFR:-}" ] && jcmd "$LEDGER_PID" JFR.stop name="$step" > /dev/null
    postings=$(( $(awk '/requests in/ { print $1 }' "$WORK/$step.wrk") * POSTINGS_PER_REQUEST ))
    echo
    echo "== $connections connections, ${SECONDS_EACH} s: $postings postings;" \
        "$(awk -v per="$POSTINGS_PER_REQUEST" '/Requests\/sec/ { rate = $2 } / 50%/ { p50 = $2 } / 99%/ { p99 = $2 }
                END { printf "%.0f postings/s, request p50 %s, p99 %s", rate * per, p50, p99 }' "$WORK/$step.wrk")"
    grep -h 'answered' "$WORK/$step.wrk" || true
    echo "ledger threads, CPU per posting:"
    awk -v n="$postings" -v hz="$hertz" 'NR == FNR { before[$1] += $2; next } { after[$1] += $2 }
        END { for (name in after) { ms = (after[name] - before[name]) * 1000 / hz / n; total += ms
                  if (ms >= 0.01) printf "  %-32s %6.2f ms\n", name, ms }
              printf "  %-32s %6.2f ms\n", "(all)", total }' \
        "$WORK/$step.threads-before" "$WORK/$step.threads-after" | sort -k2 -g -r
    awk -v n="$postings" -v hz="$hertz" -v t=$((database_after - database_before)) \
        'BEGIN { printf "PostgreSQL server, CPU per posting: %.2f ms\n", t * 1000 / hz / n }'
    echo "statements per posting | mean execution ms | statement:"
    sql -F ' | ' -c "select round(calls::numeric / $postings, 2), round((total_exec_time / calls)::numeric, 3),
        left(regexp_replace(query, '\s+', ' ', 'g'), 110) from pg_stat_statements
        where query not like '%pg_stat_statements%' order by calls desc limit 25"
    sql -c "select 'in all: ' || round(sum(calls)::numeric / $postings, 1) || ' statements per posting, '
        || round((sum(total_exec_time) / $postings)::numeric, 2) || ' ms of execution'
        from pg_stat_statements where query not like '%pg_stat_statements%'"
done
