#!/usr/bin/env bash
# Installs the web app's packages when package-lock.json changed, then builds web/dist.
#   build-web.sh          install + build
#   build-web.sh install  install only
set -euo pipefail
cd "$(dirname "$0")/../../web"
lock_hash=$(sha256sum package-lock.json | cut -c1-16)
if [ "$(cat node_modules/.lock-hash 2>/dev/null)" != "$lock_hash" ]; then
  npm ci --no-audit --no-fund --loglevel=error
  echo "$lock_hash" > node_modules/.lock-hash
fi
[ "${1:-}" = install ] || npm run --silent build
