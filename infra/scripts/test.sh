#!/usr/bin/env bash
# Everything `make test` runs, against real PostgreSQL, Redis and LiveKit (test profile ports).
set -euo pipefail
export MEET_PROFILE=test
source "$(dirname "$0")/env.sh"
cd "$ROOT"

bash infra/scripts/install-deps.sh --browser
bash infra/scripts/stack.sh up

step() { printf '\n== %s\n' "$*"; }
# Every runner's output also goes here, so the closing line can add up what ran.
results="$STATE_DIR/logs/test-results.log"
mkdir -p "$STATE_DIR/logs" && : >"$results"

step "template: cfn-lint (SAM transform included)"
cfn-lint template.yaml && echo "template.yaml: cfn-lint found nothing"

step "GitHub Actions: the test and deploy workflows, by actionlint"
"$TOOLS_DIR/bin/actionlint" && echo "workflows: actionlint found nothing"

step "Prometheus: the local stack's configuration, and the panels' and alerts' rules by their unit tests"
promtool check config "$STATE_DIR/prometheus/prometheus.yml"
promtool test rules infra/observability/rules.test.yml

step "docker-compose.yml: valid for machines with a Docker engine"
docker-compose -f docker-compose.yml config -q && echo "docker-compose.yml: valid"

step "Rust: formatting and clippy"
cargo fmt --all --check
cargo clippy --workspace --all-targets --locked -q -- -D warnings
# The functions alone, as deployed: the shared crate with DynamoDB's store only.
cargo clippy --locked -q -- -D warnings

step "Rust: unit tests and API tests on the real servers"
cargo test --workspace --locked 2>&1 | tee -a "$results"

step "Rust: the same API tests on the DynamoDB store (moto's server)"
TEST_STORE=dynamodb cargo test --locked -p common --test api 2>&1 | tee -a "$results"

step "web: lint, type-check, unit tests, production build"
bash infra/scripts/build-web.sh install
(cd web && npm run --silent lint && npm run --silent typecheck && npm test 2>&1 | tee -a "$results" && npm run --silent build)

# The local server, and every function's bootstrap for the Lambda runtime emulator and
# `cargo lambda watch`, with PostgreSQL's store as well as DynamoDB's.
cargo build --locked -p local-server
build_functions --features postgres
export APP_URL="http://127.0.0.1:$APP_PORT"
# Rate limits are tested in Rust; here they are out of the way of the fuzzer and of the
# many joins from one address.
export RATE_LIMIT_CREATE_ROOM_MAX=100000 RATE_LIMIT_JOIN_MAX=100000 RATE_LIMIT_ROOM_JOIN_MAX=100000 RATE_LIMIT_CHAT_MAX=100000 RATE_LIMIT_TELEMETRY_MAX=100000
mkdir -p "$STATE_DIR/logs"
server=""
stop_server() { [ -z "$server" ] || { kill "$server" 2>/dev/null; wait "$server" 2>/dev/null || true; server=""; }; }
start_server() { # connect grace period in seconds, then optional VAR=value settings
  stop_server
  env CONNECT_GRACE_SECONDS="$@" target/debug/local-server >>"$STATE_DIR/logs/local-server.log" 2>&1 &
  server=$!
  wait_for local-server 30 curl -fsS "$APP_URL/api/health"
}
trap stop_server EXIT

step "end to end: real LiveKit clients, webhooks, cargo lambda watch, every route under Lambda's runtime emulator"
# A short grace period lets the webhook tests see it run out.
start_server 3
CONNECT_GRACE_SECONDS=3 pytest -q -p no:cacheprovider tests/e2e 2>&1 | tee -a "$results"

step "browsers: two and three people meeting in headless Chromium"
start_server 3600
(cd web && npm run --silent e2e 2>&1 | tee -a "$results")

step "faults under load: Redis killed, LiveKit killed, PostgreSQL restarted, PostgreSQL not answering"
# Last of the tests that share the stack with the server: each fault ends with the stack
# brought back by stack.sh and checked.
start_server 3
CONNECT_GRACE_SECONDS=3 pytest -q -p no:cacheprovider -s tests/faults 2>&1 | tee -a "$results"
cat "$STATE_DIR/logs/faults.json"

fuzz() { # what the server runs on
  step "schemathesis: the running server on $1 against openapi.yaml"
  # The fuzzer is the room's host, so host-only routes get past 403 too.
  setup=$(python3 - <<'PY'
import os
from meet_api import MeetApi
api = MeetApi(os.environ["APP_URL"])
created = api.create_room("Fuzz")
host = api.join(created["room"]["id"], "Fuzzer", host_key=created["host_key"])
print(created["room"]["id"], host["session_token"])
PY
)
  read -r ST_ROOM_ID ST_SESSION <<<"$setup"
  export ST_ROOM_ID ST_SESSION
  schemathesis --config-file tests/schemathesis.toml run openapi.yaml --url "$APP_URL" \
    --checks not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance \
    --max-examples 40 --seed 1 --no-color 2>&1 | tee -a "$results"
}
fuzz PostgreSQL

# The whole API once more through the local server, this time on DynamoDB.
start_server 3600 DYNAMODB_TABLE="fuzz-$(date +%s)"
fuzz DynamoDB

# One closing line for the whole run: Rust tests, pytest tests, schemathesis cases.
python3 - "$results" <<'PY'
import re, sys
text = re.sub(r"\x1b\[[0-9;]*m", "", open(sys.argv[1]).read())
passed = sum(int(n) for n in re.findall(r"test result: ok\. (\d+) passed", text))
passed += sum(int(n) for n in re.findall(r"^(\d+) passed", text, re.M))
passed += sum(int(n) for n in re.findall(r"(\d+) generated, \d+ passed", text))
passed += sum(int(n) for n in re.findall(r"Tests\s+(\d+) passed", text))
passed += sum(int(n) for n in re.findall(r"^# pass (\d+)", text, re.M))
print(f"summary: {passed} passed, 0 failed")
PY
