#!/usr/bin/env bash
# One simulated term against a fresh ledger, in one command, from any directory:
# builds the ledger and the simulators, writes the simulator's principals file, starts the ledger on
# its own port with that file and a fresh embedded database, waits for /actuator/health, plays the
# term (traffic command), prints the detection report, and stops the ledger.
#
#   simulators/run-traffic.sh                         # the default: seed 1, 500 institutions
#   SEED=7 PORT=8090 simulators/run-traffic.sh --institutions 100 --per-scenario 3
#
# Environment: SEED (1), PORT (8086), WORK (/tmp/traffic-run: principals, database, log, ground
# truth), OFFLINE=1 to build with Maven offline. Arguments go to the traffic command.
set -euo pipefail
cd "$(dirname "$0")/.."
SEED=${SEED:-1}
PORT=${PORT:-8086}
WORK=${WORK:-/tmp/traffic-run}

./mvnw -q -B ${OFFLINE:+-o} -pl ledger-api,simulators -am package -DskipTests
rm -rf "$WORK/pg"
mkdir -p "$WORK"
java -jar simulators/target/simulators.jar principals --seed "$SEED" --out "$WORK/principals.json"

SERVER_PORT=$PORT LEDGER_PRINCIPALS_FILE="$WORK/principals.json" \
    java -Dledger.embedded-db.dir="$WORK/pg" -jar ledger-api/target/ledger-api.jar > "$WORK/ledger.log" 2>&1 &
LEDGER_PID=$!
trap 'kill "$LEDGER_PID" 2>/dev/null; wait "$LEDGER_PID" 2>/dev/null || true' EXIT
for _ in $(seq 1 180); do
    curl -sf "http://localhost:$PORT/actuator/health" > /dev/null && break
    kill -0 "$LEDGER_PID" 2>/dev/null || { echo "the ledger did not start; see $WORK/ledger.log" >&2; exit 1; }
    sleep 1
done
curl -sf "http://localhost:$PORT/actuator/health" > /dev/null || { echo "the ledger is not healthy" >&2; exit 1; }

java -jar simulators/target/simulators.jar traffic --base "http://localhost:$PORT" --seed "$SEED" \
    --truth "$WORK/ground-truth.csv" "$@"
