#!/usr/bin/env bash
# One simulated term against a fresh ledger, in one command, from any directory:
# builds the ledger and the simulators, writes the simulator's principals file, starts the ledger on
# its own port with that file and a fresh embedded database, waits for /actuator/health, plays the
# term (traffic command), prints the detection report, checks webhook deliveries to every bank (the
# regulator freezes and unfreezes a sample of accounts), and stops the ledger.
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
mkdir -p "$WORK"
java -jar simulators/target/simulators.jar principals --seed "$SEED" --out "$WORK/principals.json"
# shellcheck source=simulators/ledger-up.sh
. simulators/ledger-up.sh
# the banks' webhook receivers run inside the simulator, on http://127.0.0.1
start_ledger "$PORT" "$WORK" LEDGER_PRINCIPALS_FILE="$WORK/principals.json" LEDGER_WEBHOOKS_ALLOW_HTTP_LOCALHOST=true

java -jar simulators/target/simulators.jar traffic --base "http://localhost:$PORT" --seed "$SEED" \
    --truth "$WORK/ground-truth.csv" "$@"
