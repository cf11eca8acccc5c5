//! Traces, when `OTEL_EXPORTER_OTLP_ENDPOINT` names an OpenTelemetry collector (Jaeger under
//! `make dev`; under Lambda, the collector layer the template adds). Every request is a span,
//! named by its route and continuing the trace of a W3C `traceparent` header when the caller
//! sent one (the web app does, so a join can be followed from the click); every call to the
//! store, Redis or LiveKit is a child span (`http::measure::dependency`). Spans leave in
//! batches over OTLP/HTTP, and under Lambda are flushed after each request.

use anyhow::Context as _;
use axum::http::HeaderMap;
use opentelemetry::propagation::TextMapPropagator;
use opentelemetry::trace::TracerProvider as _;
use opentelemetry_http::HeaderExtractor;
use opentelemetry_sdk::Resource;
use opentelemetry_sdk::propagation::TraceContextPropagator;
use opentelemetry_sdk::trace::SdkTracerProvider;
use std::sync::OnceLock;
use tracing_opentelemetry::OpenTelemetrySpanExt;

static PROVIDER: OnceLock<SdkTracerProvider> = OnceLock::new();

/// The layer that turns spans into OpenTelemetry spans for `service`, or none when no
/// collector is configured.
pub fn layer<S>(
    service: &str,
) -> anyhow::Result<Option<tracing_opentelemetry::OpenTelemetryLayer<S, opentelemetry_sdk::trace::Tracer>>>
where
    S: tracing::Subscriber + for<'span> tracing_subscriber::registry::LookupSpan<'span>,
{
    if std::env::var("OTEL_EXPORTER_OTLP_ENDPOINT").unwrap_or_default().is_empty() {
        return Ok(None);
    }
    // The exporter's blocking HTTP client may be neither built nor dropped on an async
    // runtime's thread: it is built on a thread of its own.
    let exporter = std::thread::spawn(|| opentelemetry_otlp::SpanExporter::builder().with_http().build())
        .join()
        .map_err(|_| anyhow::anyhow!("building the OTLP exporter panicked"))?
        .context("building the OTLP exporter")?;
    let provider = SdkTracerProvider::builder()
        .with_batch_exporter(exporter)
        .with_resource(Resource::builder().with_service_name(service.to_owned()).build())
        .build();
    let tracer = provider.tracer("meet");
    let _ = PROVIDER.set(provider);
    Ok(Some(tracing_opentelemetry::layer().with_tracer(tracer)))
}

/// Makes `span` continue the trace the request's `traceparent` names, if any.
pub fn continue_trace(span: &tracing::Span, headers: &HeaderMap) {
    let parent = TraceContextPropagator::new().extract(&HeaderExtractor(headers));
    let _ = span.set_parent(parent);
}

/// Sends every finished span now (under Lambda the process may be frozen right after the
/// answer). Blocks: call it off the async runtime's threads.
pub fn flush() {
    if let Some(provider) = PROVIDER.get()
        && let Err(error) = provider.force_flush()
    {
        tracing::warn!(%error, "spans not exported");
    }
}

/// Whether traces are being exported.
pub fn enabled() -> bool {
    PROVIDER.get().is_some()
}
