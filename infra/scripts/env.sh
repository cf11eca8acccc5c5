# Ports, paths and local-development settings for one stack profile; sourced, not run.
#   MEET_PROFILE=dev  (default) the stack `make dev` runs: app on :8080, LiveKit on :7880
#   MEET_PROFILE=test the stack `make test` runs, on other ports so both can run at once
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
PROFILE="${MEET_PROFILE:-dev}"
case "$PROFILE" in
  dev)  PG_PORT=54320; REDIS_PORT=63790; LK_PORT=7880;   LK_UDP_START=50000; APP_PORT=8080;  LAMBDA_PORT=9000;  MOTO_PORT=45650; METRICS_PORT=9464 ;;
  test) PG_PORT=54330; REDIS_PORT=63800; LK_PORT=17880; LK_UDP_START=51000; APP_PORT=18080; LAMBDA_PORT=19000; MOTO_PORT=45660; METRICS_PORT=19464 ;;
  *) echo "unknown MEET_PROFILE=$PROFILE (dev or test)" >&2; return 1 ;;
esac
LK_UDP_END=$((LK_UDP_START + 100))
# What operators look at: Prometheus, the exporters and LiveKit's metrics it scrapes, and
# Zipkin (traces). Each profile on ports of its own, offset like the servers above.
case "$PROFILE" in
  dev)  PROM_PORT=9090;  ZIPKIN_PORT=9411;  LK_METRICS_PORT=6789;  REDIS_EXPORTER_PORT=9121;  PG_EXPORTER_PORT=9187 ;;
  test) PROM_PORT=19090; ZIPKIN_PORT=19411; LK_METRICS_PORT=16789; REDIS_EXPORTER_PORT=19121; PG_EXPORTER_PORT=19187 ;;
esac
ZIPKIN_VERSION=3.6.1

# Tools live outside the clone so a fresh clone on the same machine reuses them.
TOOLS_DIR="${MEET_TOOLS_DIR:-$HOME/.cache/meet-tools}"
VENV="$TOOLS_DIR/venv"
ZIPKIN_JAR="$TOOLS_DIR/zipkin/zipkin-server-$ZIPKIN_VERSION-exec.jar"
# Server data and logs stay inside the clone, git-ignored.
STATE_DIR="$ROOT/.stack/$PROFILE"
export PATH="$TOOLS_DIR/bin:$VENV/bin:$PATH"
# The Python API client the end-to-end tests and the benchmarks share (clients/python).
export PYTHONPATH="$ROOT/clients/python${PYTHONPATH:+:$PYTHONPATH}"

# What the backend reads (see functions/common/src/config.rs). The LiveKit secret is a
# local-development default: its prefix makes a production start refuse it.
export APP_ENV=development
export DATABASE_URL="postgres://postgres@127.0.0.1:$PG_PORT/meet"
export REDIS_URL="redis://127.0.0.1:$REDIS_PORT"
export LIVEKIT_URL="ws://127.0.0.1:$LK_PORT"
export LIVEKIT_API_URL="http://127.0.0.1:$LK_PORT"
export LIVEKIT_API_KEY=devkey
export LIVEKIT_API_SECRET=local-dev-only-livekit-secret-change-me-0001
export PUBLIC_BASE_URL="http://localhost:$APP_PORT"
export PORT="$APP_PORT"
# The local server's metrics, on a listener of their own (never through the API's port).
export METRICS_PORT
export WEB_DIR="$ROOT/web/dist"
# DynamoDB, when chosen with DYNAMODB_TABLE, is moto's local server with dummy credentials.
export AWS_ENDPOINT_URL_DYNAMODB="http://127.0.0.1:$MOTO_PORT" AWS_REGION=us-east-1
export AWS_ACCESS_KEY_ID=local-dev-only AWS_SECRET_ACCESS_KEY=local-dev-only
export MEET_PROFILE="$PROFILE" APP_PORT LK_PORT LAMBDA_PORT STATE_DIR
export PROM_PORT ZIPKIN_PORT LK_METRICS_PORT REDIS_EXPORTER_PORT PG_EXPORTER_PORT

# Waits until a command succeeds (a server answers); otherwise shows the end of its log,
# $STATE_DIR/logs/NAME.log, and fails.
wait_for() { # name, seconds, command…
  local name=$1 seconds=$2; shift 2
  for _ in $(seq $((seconds * 5))); do "$@" >/dev/null 2>&1 && return 0; sleep 0.2; done
  echo "$name did not become ready in ${seconds}s; see $STATE_DIR/logs" >&2
  tail -20 "$STATE_DIR/logs/$name.log" >&2 || true
  return 1
}

# Builds the Lambda functions as they are deployed (cargo's arguments follow): the workspace's
# default members, without the local server, which links more of the shared crate.
build_functions() {
  cargo build --locked "$@"
}
