#!/usr/bin/env bash
# Everything `make test` runs, against real PostgreSQL, Redis and LiveKit (test profile ports).
set -euo pipefail
export MEET_PROFILE=test
source "$(dirname "$0")/env.sh"
cd "$ROOT"

bash infra/scripts/install-deps.sh
bash infra/scripts/stack.sh up

step() { printf '\n== %s\n' "$*"; }

step "Rust: unit tests and API tests on the real servers"
cargo test --workspace --locked

step "starting the local server for end-to-end tests"
cargo build --locked -p local-server
# A short grace period lets the webhook tests see it expire; limits are tested in Rust,
# so here they are out of the way of the fuzzer and the many joins from one address.
export CONNECT_GRACE_SECONDS=3 RATE_LIMIT_CREATE_ROOM_MAX=100000 RATE_LIMIT_JOIN_MAX=100000 RATE_LIMIT_CHAT_MAX=100000
export APP_URL="http://127.0.0.1:$APP_PORT"
mkdir -p "$STATE_DIR/logs"
target/debug/local-server >"$STATE_DIR/logs/local-server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
for _ in $(seq 150); do curl -fsS "$APP_URL/api/health" >/dev/null 2>&1 && break; sleep 0.2; done
curl -fsS "$APP_URL/api/health" >/dev/null || { tail -30 "$STATE_DIR/logs/local-server.log"; exit 1; }

step "end to end: real LiveKit clients, webhooks, cargo lambda watch"
pytest -q -p no:cacheprovider tests/e2e

step "schemathesis: the running server against openapi.yaml"
schemathesis run openapi.yaml --url "$APP_URL" \
  --checks not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance \
  --max-examples 40 --seed 1 --no-color
