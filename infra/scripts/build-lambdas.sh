#!/usr/bin/env bash
# Cross-builds every function for AWS Lambda (arm64, provided.al2023) with cargo-lambda's
# zig toolchain and prints the size of each bootstrap.
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$ROOT"
bash infra/scripts/install-deps.sh
rustup target list --installed | grep -q '^aarch64-unknown-linux-gnu$' || rustup target add aarch64-unknown-linux-gnu
mapfile -t functions < <(function_names)
args=()
for f in "${functions[@]}"; do args+=(--bin "$f"); done
cargo lambda build --release --arm64 --locked "${args[@]}"
echo
echo "function          bootstrap bytes (arm64, stripped)"
for f in "${functions[@]}"; do
  printf '%-17s %s\n' "$f" "$(stat -c %s "target/lambda/$f/bootstrap")"
done
