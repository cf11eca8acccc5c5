#!/usr/bin/env bash
# Installs every server and tool the local stack and the tests need, skipping whatever
# is already present at the right version. Safe to run on every `make dev` / `make test`.
set -euo pipefail
source "$(dirname "$0")/env.sh"

LIVEKIT_VERSION=v1.13.5
ZIPKIN_SHA1=5800cc1f3d2eb8f38d2d6905d59f9a0414b6d7dd # of zipkin-server-$ZIPKIN_VERSION-exec.jar (env.sh)
PY_REQUIREMENTS="$ROOT/infra/requirements-test.txt"

apt_missing=()
[ -x /usr/lib/postgresql/15/bin/postgres ] || apt_missing+=(postgresql-15)
command -v redis-server >/dev/null || apt_missing+=(redis-server)
# Validates docker-compose.yml without a Docker engine (`make test`).
command -v docker-compose >/dev/null || apt_missing+=(docker-compose)
# Operators' views: Prometheus and the exporters of Redis' and PostgreSQL's own gauges, and a
# Java runtime for the trace viewer (Zipkin, below).
command -v prometheus >/dev/null || apt_missing+=(prometheus)
command -v prometheus-redis-exporter >/dev/null || apt_missing+=(prometheus-redis-exporter)
command -v prometheus-postgres-exporter >/dev/null || apt_missing+=(prometheus-postgres-exporter)
command -v java >/dev/null || apt_missing+=(openjdk-17-jre-headless)
# Browser tests only: `install-deps.sh --browser`.
[ "${1:-}" != --browser ] || [ -x /usr/bin/chromium ] || apt_missing+=(chromium)
# Reactions and raised hands are emoji: without a colour emoji font the screenshots show boxes.
[ "${1:-}" != --browser ] || [ -f /usr/share/fonts/truetype/noto/NotoColorEmoji.ttf ] || apt_missing+=(fonts-noto-color-emoji)
# `make bench` only: redis-benchmark comes with Redis, pgbench with PostgreSQL.
[ "${1:-}" != --bench ] || command -v redis-benchmark >/dev/null || apt_missing+=(redis-tools)
if [ ${#apt_missing[@]} -gt 0 ]; then
  echo "installing Debian packages: ${apt_missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q
  # A package that ships a service (prometheus) must not start one: the stack runs its own.
  policy=/usr/sbin/policy-rc.d
  if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\nexit 101\n' > "$policy" && chmod +x "$policy"
    trap 'rm -f "$policy"' EXIT
  fi
  apt-get install -y -q --no-install-recommends "${apt_missing[@]}"
  # Nor start one at the next boot, on the ports the stack uses.
  if command -v systemctl >/dev/null; then
    for service in prometheus prometheus-redis-exporter prometheus-postgres-exporter; do
      case " ${apt_missing[*]} " in *" $service "*) systemctl disable "$service" >/dev/null 2>&1 || true ;; esac
    done
  fi
fi

mkdir -p "$TOOLS_DIR/bin"

# LiveKit server: built from its Go module; the version file makes reruns instant.
if [ "$(cat "$TOOLS_DIR/livekit-server.version" 2>/dev/null)" != "$LIVEKIT_VERSION" ]; then
  echo "building livekit-server $LIVEKIT_VERSION (first time takes a few minutes)"
  GOBIN="$TOOLS_DIR/gobin" go install "github.com/livekit/livekit-server/cmd/server@$LIVEKIT_VERSION"
  mv "$TOOLS_DIR/gobin/server" "$TOOLS_DIR/bin/livekit-server"
  echo "$LIVEKIT_VERSION" > "$TOOLS_DIR/livekit-server.version"
fi

# actionlint: checks the GitHub Actions workflows (`make test`).
ACTIONLINT_VERSION=v1.7.12
if [ "$(cat "$TOOLS_DIR/actionlint.version" 2>/dev/null)" != "$ACTIONLINT_VERSION" ]; then
  echo "building actionlint $ACTIONLINT_VERSION"
  GOBIN="$TOOLS_DIR/bin" go install "github.com/rhysd/actionlint/cmd/actionlint@$ACTIONLINT_VERSION"
  echo "$ACTIONLINT_VERSION" > "$TOOLS_DIR/actionlint.version"
fi

# AWS's Lambda Runtime Interface Emulator: runs each bootstrap as Lambda does (`make test`, `make bench`).
RIE_VERSION=v0.0.0-20261030222936-bef5c4ba774d
if [ "$(cat "$TOOLS_DIR/aws-lambda-rie.version" 2>/dev/null)" != "$RIE_VERSION" ]; then
  echo "building aws-lambda-rie $RIE_VERSION"
  GOBIN="$TOOLS_DIR/bin" go install "github.com/aws/aws-lambda-runtime-interface-emulator/cmd/aws-lambda-rie@$RIE_VERSION"
  echo "$RIE_VERSION" > "$TOOLS_DIR/aws-lambda-rie.version"
fi

# Zipkin, the trace viewer: one jar from Maven Central (its UI included), checked against the
# SHA-1 Maven Central publishes for it.
if [ ! -f "$ZIPKIN_JAR" ]; then
  echo "downloading Zipkin $ZIPKIN_VERSION"
  mkdir -p "$TOOLS_DIR/zipkin"
  curl -fsSL -o "$ZIPKIN_JAR.part" "https://repo1.maven.org/maven2/io/zipkin/zipkin-server/$ZIPKIN_VERSION/zipkin-server-$ZIPKIN_VERSION-exec.jar"
  echo "$ZIPKIN_SHA1  $ZIPKIN_JAR.part" | sha1sum -c --quiet
  mv "$ZIPKIN_JAR.part" "$ZIPKIN_JAR"
fi

# Python tools for tests: real LiveKit clients, webhook verification, schemathesis, cargo-lambda.
req_hash=$(sha256sum "$PY_REQUIREMENTS" | cut -c1-16)
if [ "$(cat "$VENV/.req-hash" 2>/dev/null)" != "$req_hash" ]; then
  echo "installing Python test tools into $VENV"
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install -q -r "$PY_REQUIREMENTS"
  echo "$req_hash" > "$VENV/.req-hash"
fi

# SAM CLI, for `make build` (`sam build`, the first step of `make deploy`): a venv of its own,
# since it pins its own versions of the libraries the test tools use.
SAM_VERSION=1.170.0
if [ "$(cat "$TOOLS_DIR/sam.version" 2>/dev/null)" != "$SAM_VERSION" ]; then
  echo "installing the SAM CLI $SAM_VERSION into $TOOLS_DIR/sam-venv"
  python3 -m venv "$TOOLS_DIR/sam-venv"
  "$TOOLS_DIR/sam-venv/bin/pip" install -q "aws-sam-cli==$SAM_VERSION"
  ln -sf "$TOOLS_DIR/sam-venv/bin/sam" "$TOOLS_DIR/bin/sam"
  echo "$SAM_VERSION" > "$TOOLS_DIR/sam.version"
fi

# `make bench` only: oha (the HTTP load generator) and the Node token peer's packages.
if [ "${1:-}" = --bench ]; then
  OHA_VERSION=1.16.0
  if [ "$(cat "$TOOLS_DIR/oha.version" 2>/dev/null)" != "$OHA_VERSION" ]; then
    echo "building oha $OHA_VERSION (first time takes a few minutes)"
    cargo install -q oha --version "$OHA_VERSION" --locked --root "$TOOLS_DIR"
    echo "$OHA_VERSION" > "$TOOLS_DIR/oha.version"
  fi
  peer="$ROOT/bench/node-peer"
  if [ ! -d "$peer/node_modules" ] || [ "$peer/package-lock.json" -nt "$peer/node_modules/.package-lock.json" ]; then
    (cd "$peer" && npm ci --no-audit --no-fund --silent)
  fi
fi
