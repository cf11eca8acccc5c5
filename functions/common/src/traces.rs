//! Traces, when `OTEL_EXPORTER_OTLP_ENDPOINT` names an OpenTelemetry collector (under Lambda,
//! the collector layer the template adds), or when `OTEL_TRACES_EXPORTER=zipkin` sends them in
//! Zipkin's format to `OTEL_EXPORTER_ZIPKIN_ENDPOINT` (the viewer `make dev` runs; both
//! variables are OpenTelemetry's standard ones). Every request is a span,
//! named by its route and continuing the trace of a W3C `traceparent` header when the caller
//! sent one (the web app does, so a join can be followed from the click); every call to the
//! store, Redis or LiveKit is a child span (`http::measure::dependency`). Spans leave in
//! batches, and under Lambda are flushed after each request.

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
    let zipkin = std::env::var("OTEL_TRACES_EXPORTER").is_ok_and(|name| name == "zipkin");
    if !zipkin && std::env::var("OTEL_EXPORTER_OTLP_ENDPOINT").unwrap_or_default().is_empty() {
        return Ok(None);
    }
    let provider =
        SdkTracerProvider::builder().with_resource(Resource::builder().with_service_name(service.to_owned()).build());
    let provider = if zipkin {
        provider.with_batch_exporter(zipkin_exporter()?)
    } else {
        provider.with_batch_exporter(off_runtime(|| opentelemetry_otlp::SpanExporter::builder().with_http().build())?)
    }
    .build();
    let tracer = provider.tracer("meet");
    let _ = PROVIDER.set(provider);
    Ok(Some(tracing_opentelemetry::layer().with_tracer(tracer)))
}

/// Zipkin's exporter, for the trace viewer of the local stack.
#[cfg(feature = "zipkin")]
#[allow(deprecated)]
fn zipkin_exporter() -> anyhow::Result<opentelemetry_zipkin::ZipkinExporter> {
    // Deprecated in favour of OTLP, which the Zipkin server on Maven Central does not take
    // yet; it also drops the service's name, so Zipkin lists the spans under no service.
    off_runtime(|| opentelemetry_zipkin::ZipkinExporter::builder().build())
}

#[cfg(not(feature = "zipkin"))]
fn zipkin_exporter() -> anyhow::Result<opentelemetry_otlp::SpanExporter> {
    anyhow::bail!("OTEL_TRACES_EXPORTER=zipkin, but this build has no Zipkin exporter (common's `zipkin` feature)")
}

/// Builds an exporter. Its blocking HTTP client may be neither built nor dropped on an async
/// runtime's thread: it is built on a thread of its own.
fn off_runtime<E, Error>(build: impl FnOnce() -> Result<E, Error> + Send + 'static) -> anyhow::Result<E>
where
    E: Send + 'static,
    Error: std::error::Error + Send + Sync + 'static,
{
    std::thread::spawn(build)
        .join()
        .map_err(|_| anyhow::anyhow!("building the trace exporter panicked"))?
        .context("building the trace exporter")
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
