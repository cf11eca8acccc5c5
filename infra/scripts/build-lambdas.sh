#!/usr/bin/env bash
# Builds every function for AWS Lambda (arm64, provided.al2023) exactly as `make deploy` does:
# `sam build`, whose rust-cargolambda method runs cargo-lambda (zig cross-compiles, no Docker)
# for each function of template.yaml. Then prints the size of each bootstrap, and fails when
# one is over the budget: a bigger bootstrap loads and starts slower (Cargo.toml's release
# profile and common's features are what keep them small).
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$ROOT"
bash infra/scripts/install-deps.sh
rustup target list --installed | grep -q '^aarch64-unknown-linux-gnu$' || rustup target add aarch64-unknown-linux-gnu
export SAM_CLI_TELEMETRY=0
sam validate --lint
sam build --beta-features
echo
budget=8000000
echo "function (template)    bootstrap bytes (arm64, stripped, as deployed; budget $budget)"
over=0
for bootstrap in .aws-sam/build/*/bootstrap; do
  bytes=$(stat -c %s "$bootstrap")
  printf '%-22s %s\n' "$(basename "$(dirname "$bootstrap")")" "$bytes"
  [ "$bytes" -le "$budget" ] || over=1
done
[ "$over" = 0 ] || { echo "a bootstrap is over $budget bytes" >&2; exit 1; }
