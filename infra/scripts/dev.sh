#!/usr/bin/env bash
# `make dev`: installs what is missing, starts PostgreSQL, Redis and LiveKit natively on
# loopback, and serves the API and the web app at http://localhost:8080. Ctrl-C stops it all.
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
echo "  Ctrl-C stops everything."
echo
target/debug/local-server
