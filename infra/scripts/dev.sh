#!/usr/bin/env bash
# `make dev`: installs what is missing, starts PostgreSQL, Redis and LiveKit natively on
# loopback with Prometheus and Zipkin beside them, and serves the API and the web app at
# http://localhost:8080, its spans going to Zipkin. Ctrl-C stops it all.
set -euo pipefail
export MEET_PROFILE=dev
source "$(dirname "$0")/env.sh"
cd "$ROOT"

bash infra/scripts/install-deps.sh
bash infra/scripts/stack.sh up
trap 'bash infra/scripts/stack.sh down' EXIT INT TERM
cargo build --locked -p local-server
bash infra/scripts/build-web.sh
echo
echo "  app:      $PUBLIC_BASE_URL"
echo "  API:      $PUBLIC_BASE_URL/api"
echo "  LiveKit:  $LIVEKIT_URL"
echo "  metrics:  http://127.0.0.1:$METRICS_PORT/metrics, in Prometheus at http://127.0.0.1:$PROM_PORT"
echo "  traces:   http://127.0.0.1:$ZIPKIN_PORT/zipkin/"
echo "  Ctrl-C stops everything."
echo
OTEL_TRACES_EXPORTER=zipkin OTEL_EXPORTER_ZIPKIN_ENDPOINT="http://127.0.0.1:$ZIPKIN_PORT/api/v2/spans" \
  target/debug/local-server
