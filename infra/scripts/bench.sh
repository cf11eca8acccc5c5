#!/usr/bin/env bash
# `make bench`: measurements, not pass/fail tests. Starts the test stack, builds release
# binaries, measures, writes bench/results/*.json and regenerates docs/capacity.md. It only
# ever sends traffic to this machine's loopback addresses and stops what it started.
set -euo pipefail
export MEET_PROFILE=test
source "$(dirname "$0")/env.sh"
cd "$ROOT"
bash infra/scripts/install-deps.sh --bench
bash infra/scripts/install-deps.sh --browser
# The stack is stopped at the end too, unless it was already running (say, for `make test`).
stack_was_up=no
/usr/lib/postgresql/15/bin/pg_isready -q -h 127.0.0.1 -p "$PG_PORT" && stack_was_up=yes
bash infra/scripts/stack.sh up
eval "$(bash infra/scripts/stack.sh env)"
cargo build --profile server --locked -p local-server
build_functions --release
bash infra/scripts/build-web.sh
mkdir -p "$STATE_DIR/logs" bench/results

export APP_URL="http://127.0.0.1:$APP_PORT" RUST_LOG=warn
# Rate limits protect production from abuse; here they would only measure the 429 path.
export RATE_LIMIT_CREATE_ROOM_MAX=100000000 RATE_LIMIT_JOIN_MAX=100000000 RATE_LIMIT_ROOM_JOIN_MAX=100000000 RATE_LIMIT_CHAT_MAX=100000000
server="" peer=""
stop_all() {
  for pid in $server $peer; do kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done
  server="" peer=""
}
trap 'stop_all; [ "$stack_was_up" = yes ] || bash infra/scripts/stack.sh down' EXIT
start_server() { # VAR=value settings for the store
  stop_all
  env "$@" target/server/local-server >>"$STATE_DIR/logs/bench-server.log" 2>&1 &
  server=$!
  wait_for bench-server 30 curl -fsS "$APP_URL/api/health"
}

echo
echo "== each function built for Lambda as make deploy builds it, for the sizes of what is deployed"
bash infra/scripts/build-lambdas.sh || echo "(measured all the same: a bootstrap is over the budget, see above)"

echo
echo "== cold start of each function under the Lambda runtime emulator, and capacity units per call, on the cloud's store (DynamoDB; moto's server here)"
export DYNAMODB_TABLE="bench-$(date +%s)"
start_server
python3 bench/cold_start.py
python3 bench/dynamodb_units.py
unset DYNAMODB_TABLE

echo
echo "== load on the local server with PostgreSQL, Redis and LiveKit"
bench_db="${DATABASE_URL%/*}/meet_bench"
psql -q -X "${DATABASE_URL}" -c "DROP DATABASE IF EXISTS meet_bench" -c "CREATE DATABASE meet_bench"
start_server DATABASE_URL="$bench_db" DATABASE_MAX_CONNECTIONS="${BENCH_DB_CONNECTIONS:-10}"
PEER_PORT=$((APP_PORT + 3))
PORT=$PEER_PORT node bench/node-peer/server.mjs >"$STATE_DIR/logs/bench-peer.log" 2>&1 &
peer=$!
for _ in $(seq 50); do grep -q listening "$STATE_DIR/logs/bench-peer.log" && break; sleep 0.1; done
DATABASE_URL="$bench_db" PEER_URL="http://127.0.0.1:$PEER_PORT" OHA="$TOOLS_DIR/bin/oha" \
  PGBENCH=/usr/lib/postgresql/15/bin/pgbench python3 bench/load.py

echo
echo "== chat delivery: POST /messages to arrival over LiveKit at ten clients"
python3 bench/chat_latency.py

echo
echo "== media: LiveKit's CPU and memory per subscriber, simulcast on"
python3 bench/media_load.py 2>&1 | grep -v '^livekit::'

echo
echo "== the all-hands: 520 people join one room of 500 within 5 s, at the default rate limits (and paced over 240 s for the local DynamoDB)"
rm -f bench/results/all_hands.json
all_hands_limits=(-u RATE_LIMIT_JOIN_MAX -u RATE_LIMIT_ROOM_JOIN_MAX)
start_server "${all_hands_limits[@]}" DATABASE_URL="$bench_db"
STORE=postgres python3 bench/all_hands.py
start_server "${all_hands_limits[@]}" DYNAMODB_TABLE="bench-all-hands-$(date +%s)"
STORE=dynamodb python3 bench/all_hands.py
# Paced over minutes, the joiners (who never connect to LiveKit) must keep their slots for as
# long, or the room would free and refill them.
start_server "${all_hands_limits[@]}" DYNAMODB_TABLE="bench-all-hands-slow-$(date +%s)" CONNECT_GRACE_SECONDS=600
STORE=dynamodb ALL_HANDS_LABEL="dynamodb, paced for moto" ALL_HANDS_SPREAD=240 python3 bench/all_hands.py

echo
echo "== a meeting of fifty in Chromium: 49 Python SDK cameras, the grid paged, the page's frame rate, long tasks and memory"
rm -f bench/results/large_meeting.json web/e2e/artifacts/large-meeting.json
start_server DATABASE_URL="$bench_db"
# A measurement: if the test fails, the report goes on without it (and says nothing of it).
(cd web && node --test e2e/large.test.mjs) || echo "(the large meeting's test failed: no figures from it)"
[ ! -f web/e2e/artifacts/large-meeting.json ] || cp web/e2e/artifacts/large-meeting.json bench/results/large_meeting.json

echo
echo "== end-to-end encryption's cost: a browser's CPU with two people meeting, encryption off and on in turn"
rm -f bench/results/e2ee_cost.json
node bench/e2ee_cost.mjs bench/results/e2ee_cost.json || echo "(the encryption measurement failed: no figures from it)"

echo
python3 bench/report.py
