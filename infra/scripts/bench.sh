#!/usr/bin/env bash
# `make bench`: measurements, not pass/fail tests. Starts the test stack, builds release
# binaries, and reports; it only ever sends traffic to this machine's loopback addresses.
set -euo pipefail
export MEET_PROFILE=test
source "$(dirname "$0")/env.sh"
cd "$ROOT"
bash infra/scripts/install-deps.sh
bash infra/scripts/stack.sh up
cargo build --release --locked --bins

# The functions run on the cloud's store, DynamoDB (moto's server locally).
export DYNAMODB_TABLE="bench-$(date +%s)" APP_URL="http://127.0.0.1:$APP_PORT"
target/release/local-server >"$STATE_DIR/logs/bench-server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
for _ in $(seq 150); do curl -fsS "$APP_URL/api/health" >/dev/null 2>&1 && break; sleep 0.2; done

echo
python3 bench/cold_start.py
