//! What the service counts, under one set of names for every runtime (the local server
//! exposes them for Prometheus; and under Lambda writes them to the log for CloudWatch; see `runtime::record_metrics`). Every request is counted by
//! route, method, status and error code (`ok` when there is none), and timed by route; so
//! are calls to dependencies, and the events operators ask about: refusals by rate limit,
//! host actions, chat messages, data fanned out through LiveKit, and LiveKit's webhooks.

use crate::api::telemetry::ClientEvent;
use crate::error::ApiError;
use crate::store::moderation::Action;
#[cfg(feature = "postgres")]
use crate::store::postgres::PoolCounts;
use axum::extract::{MatchedPath, Request};
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::Response;
use std::sync::Arc;
use std::time::Instant;
use tracing::Instrument;

pub const REQUESTS: &str = "meet_http_requests_total";
pub const REQUEST_SECONDS: &str = "meet_http_request_duration_seconds";
pub const DEPENDENCY_SECONDS: &str = "meet_dependency_duration_seconds";
pub const RATE_LIMIT_REFUSALS: &str = "meet_rate_limit_refusals_total";
pub const MODERATION_ACTIONS: &str = "meet_moderation_actions_total";
pub const CHAT_MESSAGES: &str = "meet_chat_messages_total";
pub const FANOUTS: &str = "meet_data_fanouts_total";
pub const WEBHOOK_EVENTS: &str = "meet_webhook_events_total";
pub const WEBHOOK_REFUSALS: &str = "meet_webhook_refusals_total";
pub const JOINS: &str = "meet_joins_total";
pub const DB_POOL_CONNECTIONS: &str = "meet_db_pool_connections";
pub const CLIENT_JOINS: &str = "meet_client_joins_total";
pub const CLIENT_FIRST_FRAME_SECONDS: &str = "meet_client_first_remote_frame_seconds";
pub const CLIENT_CONNECTION_FAILURES: &str = "meet_client_connection_failures_total";
pub const CLIENT_RECONNECTS: &str = "meet_client_reconnects_total";
pub const CLIENT_DEVICE_ERRORS: &str = "meet_client_device_errors_total";

/// The route whose outcomes `meet_joins_total` counts on its own, for alarms on the failure rate.
const JOIN_ROUTE: &str = "/api/rooms/{room_id}/join";

/// Histogram buckets, in seconds, for requests and dependency calls.
pub const BUCKETS: &[f64] = &[0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0];
/// Buckets for what people wait for in their browser (seconds, up to a minute).
pub const CLIENT_BUCKETS: &[f64] = &[0.25, 0.5, 1.0, 1.5, 2.0, 3.0, 5.0, 8.0, 13.0, 20.0, 30.0, 60.0];

/// Units and help texts, for Prometheus' `# HELP` lines and CloudWatch's units.
pub fn describe() {
    use metrics::{Unit, describe_counter, describe_gauge, describe_histogram};
    describe_counter!(REQUESTS, Unit::Count, "Requests by route, method, status and error code");
    describe_histogram!(REQUEST_SECONDS, Unit::Seconds, "Time to answer a request, by route");
    describe_histogram!(DEPENDENCY_SECONDS, Unit::Seconds, "Time of a call to the store, Redis or LiveKit");
    describe_counter!(RATE_LIMIT_REFUSALS, Unit::Count, "Requests refused by a rate limit");
    describe_counter!(MODERATION_ACTIONS, Unit::Count, "Host actions that took effect");
    describe_counter!(CHAT_MESSAGES, Unit::Count, "Chat messages accepted");
    describe_counter!(FANOUTS, Unit::Count, "Data sent to a room through LiveKit");
    describe_counter!(WEBHOOK_EVENTS, Unit::Count, "Verified LiveKit webhook deliveries");
    describe_counter!(JOINS, Unit::Count, "Joins by outcome: ok, refused, failed");
    describe_gauge!(DB_POOL_CONNECTIONS, Unit::Count, "The database pool's connections: in_use, idle, max");
    describe_counter!(CLIENT_JOINS, Unit::Count, "Browsers' joins: connected to the media server or not");
    describe_histogram!(CLIENT_FIRST_FRAME_SECONDS, Unit::Seconds, "Browsers' time from Join to a first remote frame");
    describe_counter!(CLIENT_CONNECTION_FAILURES, Unit::Count, "Browsers' media connection failures by stage");
    describe_counter!(CLIENT_RECONNECTS, Unit::Count, "Browsers' media reconnects: recovered or lost");
    describe_counter!(CLIENT_DEVICE_ERRORS, Unit::Count, "Cameras, microphones and screens browsers could not open");
    describe_counter!(WEBHOOK_REFUSALS, Unit::Count, "LiveKit webhook deliveries refused");
}

/// Runs inside the error renderer, so a refusal's code is still on the response.
pub async fn requests(request: Request, next: Next) -> Response {
    // Unrouted paths count under one label, so a scan of random URLs cannot grow the series.
    let route = request.extensions().get::<MatchedPath>().map_or("unmatched", |path| path.as_str()).to_owned();
    let method = method_label(request.method()).to_owned();
    let started = Instant::now();
    let response = next.run(request).await;
    let code = response.extensions().get::<Arc<ApiError>>().map_or_else(|| "ok".to_owned(), |e| e.code().to_string());
    if route == JOIN_ROUTE {
        join_outcome(response.status());
    }
    let status = response.status().as_u16().to_string();
    let span = tracing::Span::current();
    span.record("http.response.status_code", status.as_str());
    if response.status().is_server_error() {
        span.record("otel.status_code", "error");
    }
    metrics::histogram!(REQUEST_SECONDS, "route" => route.clone(), "method" => method.clone())
        .record(started.elapsed().as_secs_f64());
    metrics::counter!(REQUESTS, "route" => route, "method" => method, "status" => status, "code" => code).increment(1);
    response
}

/// A request's method as a label: the standard ones by name, anything else (a client may send
/// any token as a method) as `other`, so that made-up methods cannot grow the series.
pub fn method_label(method: &axum::http::Method) -> &'static str {
    use axum::http::Method;
    match *method {
        Method::GET => "GET",
        Method::POST => "POST",
        Method::PUT => "PUT",
        Method::PATCH => "PATCH",
        Method::DELETE => "DELETE",
        Method::HEAD => "HEAD",
        Method::OPTIONS => "OPTIONS",
        _ => "other",
    }
}

/// A join: `ok` (admitted or waiting), `refused` (the room said no, or the request was bad), or
/// `failed` (our fault or a dependency's).
fn join_outcome(status: StatusCode) {
    let outcome = match status.as_u16() {
        500.. => "failed",
        400.. => "refused",
        _ => "ok",
    };
    metrics::counter!(JOINS, "outcome" => outcome).increment(1);
}

/// Runs one call to a dependency (`postgres`, `dynamodb`, `redis`, `livekit`) in a span of its
/// own (a child of the request's, for traces) and times it; `succeeded` says whether the
/// dependency answered (a refusal is an answer).
pub async fn dependency<T>(
    dependency: &'static str,
    operation: &str,
    call: impl Future<Output = T>,
    succeeded: impl FnOnce(&T) -> bool,
) -> T {
    let span = tracing::info_span!(
        "dependency",
        otel.name = %format_args!("{dependency} {operation}"),
        otel.kind = "client",
        otel.status_code = tracing::field::Empty,
        dependency,
        operation,
    );
    let started = Instant::now();
    let result = call.instrument(span.clone()).await;
    let ok = succeeded(&result);
    if !ok {
        span.record("otel.status_code", "error");
    }
    metrics::histogram!(
        DEPENDENCY_SECONDS,
        "dependency" => dependency,
        "operation" => operation.to_owned(),
        "outcome" => if ok { "ok" } else { "error" },
    )
    .record(started.elapsed().as_secs_f64());
    result
}

/// A request refused by a rate limit, named by its key's prefix (`join`, `chat`, …).
pub fn rate_limit_refused(key: &str) {
    let limit = key.split(':').next().unwrap_or(key).to_owned();
    metrics::counter!(RATE_LIMIT_REFUSALS, "limit" => limit).increment(1);
}

/// A host action that took effect (the same names as the audit log's).
pub fn moderation_action(action: Action) {
    metrics::counter!(MODERATION_ACTIONS, "action" => action.as_str()).increment(1);
}

/// A chat message accepted: `stored`, or `repeated` for a retry of one stored before.
pub fn chat_message(created: bool) {
    metrics::counter!(CHAT_MESSAGES, "outcome" => if created { "stored" } else { "repeated" }).increment(1);
}

/// Data sent to a room's participants through LiveKit, by topic (`chat`, `hands`, …).
pub fn fanout(topic: &str, ok: bool) {
    metrics::counter!(FANOUTS, "topic" => topic.to_owned(), "outcome" => if ok { "ok" } else { "error" }).increment(1);
}

/// A verified webhook delivery: `applied`, a `duplicate` of one applied before, or about a
/// room that is no meeting's (`not_a_meeting`).
pub fn webhook_event(kind: &str, outcome: &'static str) {
    metrics::counter!(WEBHOOK_EVENTS, "kind" => kind.to_owned(), "outcome" => outcome).increment(1);
}

/// A webhook delivery refused before it was read: `unsigned` (no authorization) or
/// `bad_signature` (forged, tampered with, or signed with another secret).
pub fn webhook_refused(reason: &'static str) {
    metrics::counter!(WEBHOOK_REFUSALS, "reason" => reason).increment(1);
}

/// One event a browser reported, under the same names the API takes.
pub fn client_event(event: &ClientEvent) {
    match *event {
        ClientEvent::Join { outcome } => metrics::counter!(CLIENT_JOINS, "outcome" => name(outcome)).increment(1),
        ClientEvent::FirstRemoteFrame { ms } => {
            metrics::histogram!(CLIENT_FIRST_FRAME_SECONDS).record(f64::from(ms) / 1000.0);
        }
        ClientEvent::ConnectionFailure { stage } => {
            metrics::counter!(CLIENT_CONNECTION_FAILURES, "stage" => name(stage)).increment(1);
        }
        ClientEvent::Reconnect { outcome } => {
            metrics::counter!(CLIENT_RECONNECTS, "outcome" => name(outcome)).increment(1);
        }
        ClientEvent::DeviceError { device, reason } => {
            metrics::counter!(CLIENT_DEVICE_ERRORS, "device" => name(device), "reason" => name(reason)).increment(1);
        }
    }
}

/// A unit enum's name in the API (`in_use`), so metrics and the contract cannot drift apart.
fn name(value: impl serde::Serialize) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(name)) => name,
        _ => "unknown".to_owned(),
    }
}

/// The database pool's connections as the pool counts them; read when metrics are taken.
#[cfg(feature = "postgres")]
pub fn db_pool(counts: &PoolCounts) {
    let in_use = counts.open.saturating_sub(counts.idle);
    for (state, value) in [("in_use", in_use), ("idle", counts.idle), ("max", counts.max)] {
        metrics::gauge!(DB_POOL_CONNECTIONS, "state" => state).set(f64::from(value));
    }
}

type Sampler = Box<dyn Fn() + Send + Sync>;
static SAMPLERS: std::sync::Mutex<Vec<Sampler>> = std::sync::Mutex::new(Vec::new());

/// Gauges that are read rather than counted (the pool's connections) register how to read
/// them; `sample` reads them all just before metrics are taken.
pub fn on_sample(sampler: impl Fn() + Send + Sync + 'static) {
    SAMPLERS.lock().unwrap_or_else(|e| e.into_inner()).push(Box::new(sampler));
}

pub fn sample() {
    for sampler in SAMPLERS.lock().unwrap_or_else(|e| e.into_inner()).iter() {
        sampler();
    }
}
