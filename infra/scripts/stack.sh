#!/usr/bin/env bash
# Starts or stops PostgreSQL 15, Redis 7, LiveKit and a local DynamoDB (moto) natively on
# loopback for one profile, and what operators look at: Prometheus with the exporters of
# Redis' and PostgreSQL's own gauges, and Zipkin for traces.
#   stack.sh up     start whatever is not running yet, then wait until each answers
#   stack.sh down   stop them all
#   stack.sh env    print the variables the backend needs (for `eval`)
set -euo pipefail
source "$(dirname "$0")/env.sh"

PG_BIN=/usr/lib/postgresql/15/bin
PG_DATA="$STATE_DIR/postgres"
LOGS="$STATE_DIR/logs"

pg_up() {
  # PostgreSQL refuses to run as root, so its data folder belongs to the postgres user.
  if [ ! -f "$PG_DATA/PG_VERSION" ]; then
    mkdir -p "$PG_DATA" && chown postgres:postgres "$PG_DATA" && chmod 700 "$PG_DATA"
    runuser -u postgres -- "$PG_BIN/initdb" -D "$PG_DATA" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >"$LOGS/initdb.log"
  fi
  if ! "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$PG_PORT"; then
    chown postgres:postgres "$LOGS"
    runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$PG_DATA" -l "$LOGS/postgres.log" -w -t 30 \
      -o "-c listen_addresses=127.0.0.1 -p $PG_PORT -k $PG_DATA -c max_connections=300 -c fsync=off" start >/dev/null
  fi
  wait_for postgres 30 "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$PG_PORT"
  psql -q -h 127.0.0.1 -p "$PG_PORT" -U postgres -tc "SELECT 1 FROM pg_database WHERE datname = 'meet'" | grep -q 1 ||
    psql -q -h 127.0.0.1 -p "$PG_PORT" -U postgres -c "CREATE DATABASE meet" >/dev/null
}

redis_up() {
  if ! redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1; then
    mkdir -p "$STATE_DIR/redis"
    # Every acknowledged write is on disk before Redis answers (append-only file, fsync
    # always): a Redis killed and restarted has every chat message it said it stored.
    redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --dir "$STATE_DIR/redis" --daemonize yes \
      --pidfile "$STATE_DIR/redis.pid" --logfile "$LOGS/redis.log" --save "" \
      --appendonly yes --appendfsync always
  fi
  wait_for redis 15 redis-cli -p "$REDIS_PORT" ping
}

livekit_up() {
  if ! curl -fsS "http://127.0.0.1:$LK_PORT" >/dev/null 2>&1; then
    export LK_PORT LK_UDP_START LK_UDP_END APP_PORT
    envsubst < "$ROOT/infra/livekit.yaml" > "$STATE_DIR/livekit.yaml"
    nohup livekit-server --config "$STATE_DIR/livekit.yaml" >"$LOGS/livekit.log" 2>&1 &
    echo $! > "$STATE_DIR/livekit.pid"
  fi
  wait_for livekit 30 curl -fsS "http://127.0.0.1:$LK_PORT"
}

moto_up() {
  if ! curl -fsS "http://127.0.0.1:$MOTO_PORT/moto-api/" >/dev/null 2>&1; then
    nohup python3 "$ROOT/infra/scripts/dynamodb_local.py" 127.0.0.1 "$MOTO_PORT" >"$LOGS/moto.log" 2>&1 &
    echo $! > "$STATE_DIR/moto.pid"
  fi
  wait_for moto 30 curl -fsS "http://127.0.0.1:$MOTO_PORT/moto-api/"
}

# Starts a process in the background unless its port answers already; its pid goes to
# $STATE_DIR/NAME.pid, its output to $LOGS/NAME.log.
start_once() { # name, port, command…
  local name=$1 port=$2; shift 2
  if ! curl -fsS -o /dev/null "http://127.0.0.1:$port/" 2>/dev/null; then
    nohup "$@" >"$LOGS/$name.log" 2>&1 &
    echo $! > "$STATE_DIR/$name.pid"
  fi
}

observability_up() {
  start_once redis-exporter "$REDIS_EXPORTER_PORT" prometheus-redis-exporter \
    -redis.addr "redis://127.0.0.1:$REDIS_PORT" -web.listen-address "127.0.0.1:$REDIS_EXPORTER_PORT"
  start_once postgres-exporter "$PG_EXPORTER_PORT" \
    env DATA_SOURCE_NAME="postgresql://postgres@127.0.0.1:$PG_PORT/meet?sslmode=disable" \
    prometheus-postgres-exporter --web.listen-address "127.0.0.1:$PG_EXPORTER_PORT"
  local prom="$STATE_DIR/prometheus"
  mkdir -p "$prom"
  envsubst < "$ROOT/infra/observability/prometheus.yml" > "$prom/prometheus.yml"
  cp "$ROOT/infra/observability/rules.yml" "$prom/rules.yml"
  start_once prometheus "$PROM_PORT" prometheus --config.file "$prom/prometheus.yml" \
    --storage.tsdb.path "$prom/data" --storage.tsdb.retention.time 2d \
    --web.listen-address "127.0.0.1:$PROM_PORT" --web.enable-lifecycle
  # Zipkin keeps traces in memory: they go when it stops.
  start_once zipkin "$ZIPKIN_PORT" java -Xmx256m -jar "$ZIPKIN_JAR" --armeria.ports[0].ip=127.0.0.1 \
    --armeria.ports[0].port="$ZIPKIN_PORT" --armeria.ports[0].protocols=http
  wait_for redis-exporter 15 curl -fsS "http://127.0.0.1:$REDIS_EXPORTER_PORT/metrics"
  wait_for postgres-exporter 15 curl -fsS "http://127.0.0.1:$PG_EXPORTER_PORT/metrics"
  wait_for prometheus 30 curl -fsS "http://127.0.0.1:$PROM_PORT/-/ready"
  wait_for zipkin 60 curl -fsS "http://127.0.0.1:$ZIPKIN_PORT/health"
  # A Prometheus that was already running reads the configuration again.
  curl -fsS -X POST "http://127.0.0.1:$PROM_PORT/-/reload" >/dev/null
}

# Stops a process and waits until it is gone (Zipkin's JVM takes seconds), so that an `up`
# right after never mistakes a server on its way out for one that runs.
stop_pidfile() {
  local file=$1 pid
  [ -f "$file" ] || return 0
  pid=$(cat "$file")
  kill "$pid" 2>/dev/null || true
  for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
  rm -f "$file"
}

case "${1:-}" in
  up)
    mkdir -p "$LOGS"
    pg_up
    redis_up
    livekit_up
    moto_up
    observability_up
    echo "stack '$PROFILE' up: postgres :$PG_PORT, redis :$REDIS_PORT, livekit :$LK_PORT, dynamodb (moto) :$MOTO_PORT (logs in $LOGS)"
    echo "  prometheus http://127.0.0.1:$PROM_PORT, zipkin http://127.0.0.1:$ZIPKIN_PORT/zipkin/"
    ;;
  down)
    for name in livekit moto zipkin prometheus postgres-exporter redis-exporter; do
      stop_pidfile "$STATE_DIR/$name.pid"
    done
    redis-cli -p "$REDIS_PORT" shutdown nosave >/dev/null 2>&1 || true
    if [ -f "$PG_DATA/postmaster.pid" ]; then
      runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$PG_DATA" -m fast -w stop >/dev/null || true
    fi
    echo "stack '$PROFILE' down"
    ;;
  env)
    env | grep -E '^(APP_ENV|DATABASE_URL|REDIS_URL|LIVEKIT_[A-Z_]+|PUBLIC_BASE_URL|PORT|WEB_DIR|AWS_[A-Z_]+)=' | sed 's/^/export /'
    ;;
  *) echo "usage: $0 up|down|env" >&2; exit 2 ;;
esac
