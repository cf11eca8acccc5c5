//! Process start-up shared by every binary: logging, TLS, clients built once, and serving
//! the router under Lambda or on a local port.

use crate::chat::redis::RedisChatLog;
use crate::config::{Config, StoreConfig};
use crate::hands::redis::RedisHands;
use crate::http::{AppState, Endpoint, Function, Services};
use crate::media::WithoutSecret;
use crate::media::livekit::LiveKit;
use crate::rate_limit::RedisRateLimiter;
use crate::redis_conn::LazyRedis;
use crate::store::RoomStore;
use crate::store::measured::Measured;
use crate::store::moderation::ModerationStore;
use anyhow::Context;
use axum::Router;
use axum::extract::Request;
use axum::middleware::Next;
use axum::response::Response;
use lambda_http::RequestExt;
use std::io::IsTerminal;
use std::net::SocketAddr;
use std::sync::{Arc, OnceLock};
use tracing_subscriber::filter::Targets;
use tracing_subscriber::layer::{Layer, SubscriberExt};
use tracing_subscriber::util::SubscriberInitExt;

/// Variables the process reads besides `Config`'s (logging, and the port outside Lambda).
pub const RUNTIME_VARIABLES: &[&str] = &[
    "RUST_LOG",
    "LOG_FORMAT",
    "PORT",
    "BIND_ADDRESS",
    "WEB_DIR",
    "METRICS_PORT",
    "METRICS_NAMESPACE",
    "OTEL_EXPORTER_OTLP_ENDPOINT",
];

fn running_in_lambda() -> bool {
    std::env::var_os("AWS_LAMBDA_RUNTIME_API").is_some()
}

/// Logging, traces and the TLS provider; call first thing in `main`. `service` names the
/// process in traces (`meet-create-room`, `meet-local-server`, …).
pub fn init(service: &str) {
    // rustls' provider for every client that does not bring its own (LiveKit's, the traces').
    let _ = rustls::crypto::ring::default_provider().install_default();
    let wanted = std::env::var("RUST_LOG").unwrap_or_default();
    let filter = log_filter(&wanted);
    let json = running_in_lambda() || std::env::var("LOG_FORMAT").as_deref() == Ok("json");
    // Colour codes only for a person at a terminal, never in files or log collectors.
    let logs = tracing_subscriber::fmt::layer().with_ansi(std::io::stdout().is_terminal());
    let logs = if json {
        // Lambda adds its own timestamps; JSON lines keep fields (request_id) searchable.
        logs.json().flatten_event(true).with_current_span(true).without_time().boxed()
    } else {
        logs.boxed()
    };
    let (traces, failed) = match crate::traces::layer(service) {
        Ok(layer) => (layer, None),
        Err(error) => (None, Some(error)),
    };
    tracing_subscriber::registry()
        .with(logs)
        .with(traces)
        .with(filter.clone().unwrap_or_else(default_log_filter))
        .init();
    if filter.is_none() && !wanted.trim().is_empty() {
        tracing::warn!(RUST_LOG = wanted, "RUST_LOG is not a list of target=level directives; logging at info");
    }
    // Without a collector the service still runs; the log says why traces are missing.
    if let Some(error) = failed {
        tracing::error!(error = format!("{error:#}"), "traces are not exported");
    }
}

/// RUST_LOG's `target=level` directives (`info,sqlx=warn`; empty ones are skipped), or none
/// when it sets nothing or something else. EnvFilter's span filters (`[span]=debug`) are not
/// understood: its parser brings a regex engine, a quarter of a megabyte in every function.
fn log_filter(directives: &str) -> Option<Targets> {
    let directives: Vec<&str> = directives.split(',').map(str::trim).filter(|d| !d.is_empty()).collect();
    if directives.is_empty() || directives.iter().any(|d| d.contains(['[', '{'])) {
        return None;
    }
    directives.join(",").parse().ok()
}

fn default_log_filter() -> Targets {
    Targets::new().with_default(tracing::Level::INFO).with_target("sqlx", tracing::Level::WARN)
}

impl AppState {
    /// Builds every client once; nothing connects until a request needs it.
    pub async fn from_config(config: Config) -> anyhow::Result<Self> {
        let redis = Arc::new(LazyRedis::new(config.redis_url.expose(), config.dependency_timeout)?);
        let (rooms, moderation) = stores(&config).await?;
        Ok(AppState(Arc::new(Services {
            moderation,
            rooms,
            chat: Arc::new(RedisChatLog::new(redis.clone(), config.chat_ttl, config.chat_max_messages)),
            hands: Arc::new(RedisHands::new(redis.clone(), config.chat_ttl)),
            limiter: Arc::new(RedisRateLimiter::new(redis)),
            media: match config.livekit.api_secret.clone() {
                Some(secret) => Arc::new(LiveKit::new(config.livekit.clone(), secret, config.dependency_timeout)),
                None => Arc::new(WithoutSecret),
            },
            config,
        })))
    }
}

/// The room store `config` chooses, when this build links it (common's `postgres` and
/// `dynamodb` features).
async fn stores(config: &Config) -> anyhow::Result<(Arc<dyn RoomStore>, Arc<dyn ModerationStore>)> {
    match &config.store {
        #[cfg(feature = "postgres")]
        StoreConfig::Postgres { url, max_connections } => {
            let store = crate::store::postgres::PgRoomStore::connect_lazy(url.expose(), *max_connections)?;
            let store = Arc::new(Measured::new("postgres", config.dependency_timeout, store));
            let sampled = Arc::downgrade(&store);
            crate::http::measure::on_sample(move || {
                if let Some(store) = sampled.upgrade() {
                    crate::http::measure::db_pool(&store.inner().pool_counts());
                }
            });
            Ok((store.clone(), store))
        }
        #[cfg(feature = "dynamodb")]
        StoreConfig::DynamoDb { table } => {
            let store = crate::store::dynamodb::DynamoRoomStore::from_env(table, config.dependency_timeout).await;
            let store = Arc::new(Measured::new("dynamodb", config.dependency_timeout, store));
            Ok((store.clone(), store))
        }
        #[allow(unreachable_patterns)]
        StoreConfig::Postgres { .. } => {
            anyhow::bail!(
                "this build has no PostgreSQL store: set DYNAMODB_TABLE, or build with the `postgres` feature"
            )
        }
        #[allow(unreachable_patterns)]
        StoreConfig::DynamoDb { .. } => {
            anyhow::bail!(
                "this build has no DynamoDB store: unset DYNAMODB_TABLE, or build with the `dynamodb` feature"
            )
        }
    }
}

/// `main` of a function binary: serve that function's routes, named by its table in
/// [`crate::http::served`] (so that the binary links no other function's handlers).
pub async fn run_function(served: fn() -> Vec<Endpoint>) -> anyhow::Result<()> {
    let endpoints = served();
    let function = endpoints.first().context("a function serves at least one route")?.function;
    init(&format!("meet-{}", function.name()));
    let config = Config::load().await?;
    require_livekit_secret(&config, &[function])?;
    let state = AppState::from_config(config).await?;
    record_metrics().await?;
    serve(crate::http::router_of(endpoints, state)).await
}

/// Functions that mint tokens or call LiveKit do not start without its secret.
pub fn require_livekit_secret(config: &Config, functions: &[Function]) -> anyhow::Result<()> {
    match functions.iter().find(|f| f.uses_livekit_secret()) {
        Some(function) if config.livekit.api_secret.is_none() => {
            anyhow::bail!("{} needs LIVEKIT_API_SECRET (or LIVEKIT_API_SECRET_SSM_PARAMETER)", function.name())
        }
        _ => Ok(()),
    }
}

/// Where the service's metrics (`http::measure`) go. Under Lambda: CloudWatch embedded-metric-format
/// documents in the function's log, one per label set, written after every request (CloudWatch
/// turns them into metrics in the `METRICS_NAMESPACE` namespace, with the function's name as a
/// dimension). Elsewhere, with `METRICS_PORT` set: Prometheus' format at
/// `http://127.0.0.1:METRICS_PORT/metrics`, a listener of its own that the public API never
/// routes to. Otherwise nothing is recorded.
pub async fn record_metrics() -> anyhow::Result<()> {
    if running_in_lambda() {
        let namespace = std::env::var("METRICS_NAMESPACE").unwrap_or_else(|_| "Meet".to_owned());
        let function = std::env::var("AWS_LAMBDA_FUNCTION_NAME").unwrap_or_default();
        let collector = metrics_cloudwatch_embedded::Builder::new()
            .cloudwatch_namespace(namespace)
            .with_dimension("function", function)
            .init()
            .map_err(|e| anyhow::anyhow!("installing the metrics recorder: {e}"))?;
        let _ = EMBEDDED_METRICS.set(collector);
        crate::http::measure::describe();
        return Ok(());
    }
    let Some(port) = std::env::var("METRICS_PORT").ok().filter(|p| !p.is_empty()) else { return Ok(()) };
    let port: u16 = port.parse().context("METRICS_PORT")?;
    serve_prometheus(port).await
}

#[cfg(feature = "prometheus")]
async fn serve_prometheus(port: u16) -> anyhow::Result<()> {
    let handle = metrics_exporter_prometheus::PrometheusBuilder::new()
        .set_buckets(crate::http::measure::BUCKETS)
        .context("metric buckets")?
        .set_buckets_for_metric(
            metrics_exporter_prometheus::Matcher::Full(crate::http::measure::CLIENT_FIRST_FRAME_SECONDS.to_owned()),
            crate::http::measure::CLIENT_BUCKETS,
        )
        .context("metric buckets")?
        .install_recorder()
        .context("installing the metrics recorder")?;
    crate::http::measure::describe();
    let render = move || {
        crate::http::measure::sample();
        std::future::ready(handle.render())
    };
    let app = Router::new().route("/metrics", axum::routing::get(render));
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", port))
        .await
        .with_context(|| format!("binding 127.0.0.1:{port}"))?;
    tracing::info!("metrics on http://{}/metrics", listener.local_addr()?);
    tokio::spawn(async move { axum::serve(listener, app).await });
    Ok(())
}

#[cfg(not(feature = "prometheus"))]
async fn serve_prometheus(port: u16) -> anyhow::Result<()> {
    tracing::warn!(
        port,
        "METRICS_PORT is set, but this build has no Prometheus exporter (common's `prometheus` feature)"
    );
    Ok(())
}

static EMBEDDED_METRICS: OnceLock<&'static metrics_cloudwatch_embedded::Collector> = OnceLock::new();

/// Writes what the request recorded to the log, tagged with Lambda's request id, and sends its
/// spans: the instance may be frozen as soon as it has answered. A Lambda instance serves one
/// request at a time, so the documents are this request's alone.
async fn flush_after_request(request: Request, next: Next) -> Response {
    let request_id = request.lambda_context_ref().map(|context| context.request_id.clone());
    let response = next.run(request).await;
    if let Some(collector) = EMBEDDED_METRICS.get() {
        if let Some(id) = request_id {
            collector.set_property("RequestId", id);
        }
        if let Err(error) = collector.flush(std::io::stdout().lock()) {
            tracing::warn!(%error, "metrics not written");
        }
    }
    if crate::traces::enabled() {
        let _ = tokio::task::spawn_blocking(crate::traces::flush).await;
    }
    response
}

/// Under Lambda, hand the router to the Lambda runtime; elsewhere serve it on `PORT`.
pub async fn serve(app: Router) -> anyhow::Result<()> {
    if running_in_lambda() {
        let app = app.layer(axum::middleware::from_fn(flush_after_request));
        return lambda_http::run(app).await.map_err(|e| anyhow::anyhow!(e));
    }
    let port: u16 = std::env::var("PORT").ok().and_then(|p| p.parse().ok()).unwrap_or(3000);
    let bind = std::env::var("BIND_ADDRESS").unwrap_or_else(|_| "127.0.0.1".into());
    let listener =
        tokio::net::TcpListener::bind((bind.as_str(), port)).await.with_context(|| format!("binding {bind}:{port}"))?;
    tracing::info!("listening on http://{}", listener.local_addr()?);
    axum::serve(listener, app.into_make_service_with_connect_info::<SocketAddr>())
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await
        .context("serving")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rust_log_takes_target_level_directives_and_nothing_else() {
        let filter = log_filter("warn, ,common=debug,").expect("empty directives are skipped");
        assert_eq!(filter.default_level(), Some(tracing::level_filters::LevelFilter::WARN));
        assert!(filter.would_enable("common::http", &tracing::Level::DEBUG));
        assert!(!filter.would_enable("hyper", &tracing::Level::INFO));
        for nothing in ["", " , ,", "[join]=debug", "common=loud"] {
            assert!(log_filter(nothing).is_none(), "{nothing:?}");
        }
    }

    #[test]
    fn functions_that_call_livekit_refuse_to_start_without_its_secret_and_the_others_start() {
        let vars = |name: &str| match name {
            "DATABASE_URL" => Some("postgres://localhost/db".to_owned()),
            "REDIS_URL" => Some("redis://localhost".to_owned()),
            "LIVEKIT_URL" => Some("ws://localhost:7880".to_owned()),
            "LIVEKIT_API_KEY" => Some("key".to_owned()),
            "PUBLIC_BASE_URL" => Some("http://localhost:8080".to_owned()),
            _ => None,
        };
        let config = Config::from_lookup(&vars).unwrap();
        for function in [Function::CreateRoom, Function::ListChat] {
            assert!(require_livekit_secret(&config, &[function]).is_ok(), "{}", function.name());
        }
        for function in [Function::Token, Function::JoinRoom, Function::SendChat, Function::Moderation] {
            let refusal = require_livekit_secret(&config, &[function]).unwrap_err().to_string();
            assert!(refusal.contains("LIVEKIT_API_SECRET"), "{refusal}");
        }
        assert!(require_livekit_secret(&config, &Function::ALL).is_err(), "the local server serves them all");
    }
}
