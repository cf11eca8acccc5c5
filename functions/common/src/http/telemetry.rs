//! What browsers report about their calls (`api/telemetry.rs`), turned into metrics: the only
//! view operators have of whether people's media actually connects.

use super::extract::{ApiJson, ClientIp};
use super::{AppState, measure};
use crate::api::responses::{BadRequest, Forbidden, RateLimited, TooLarge, Unprocessable, UnsupportedMediaType};
use crate::api::telemetry::{
    ClientEvent, MAX_EVENTS, MAX_FIRST_FRAME_MS, MAX_JOINS, TelemetryAccepted, TelemetryReport,
};
use crate::domain::InvalidField;
use crate::error::ApiResult;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;

#[utoipa::path(post, path = "/api/telemetry", tag = "telemetry", operation_id = "reportTelemetry",
    summary = "Report how calls went in this browser",
    description = "No session needed and nothing personal: join outcomes, time to the first remote frame, \
        connection failures by stage, reconnects and device errors, each from a fixed set. \
        Counted into metrics, never stored. Rate-limited per client address; while the rate limiter \
        cannot be reached, reports are still counted.",
    request_body = TelemetryReport,
    responses(
        (status = 202, body = TelemetryAccepted, description = "Counted."),
        (status = 400, response = BadRequest),
        (status = 403, response = Forbidden),
        (status = 413, response = TooLarge),
        (status = 415, response = UnsupportedMediaType),
        (status = 422, response = Unprocessable),
        (status = 429, response = RateLimited),
    ))]
pub async fn report(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    ApiJson(body): ApiJson<TelemetryReport>,
) -> ApiResult<(StatusCode, Json<TelemetryAccepted>)> {
    validate(&body)?;
    // Reports matter most while something is down; a limiter that cannot answer lets them in
    // (they only add to counters of fixed names).
    state.rate_limit_or_allow(&format!("telemetry:{ip}"), state.config.rate_limits.telemetry).await?;
    for event in &body.events {
        measure::client_event(event);
    }
    Ok((StatusCode::ACCEPTED, Json(TelemetryAccepted { accepted: body.events.len() })))
}

fn validate(report: &TelemetryReport) -> Result<(), InvalidField> {
    if report.events.is_empty() || report.events.len() > MAX_EVENTS {
        return Err(InvalidField::new("events", format!("must have 1 to {MAX_EVENTS} entries")));
    }
    let too_long =
        |event: &ClientEvent| matches!(event, ClientEvent::FirstRemoteFrame { ms } if *ms > MAX_FIRST_FRAME_MS);
    if report.events.iter().any(too_long) {
        return Err(InvalidField::new("ms", format!("must be at most {MAX_FIRST_FRAME_MS}")));
    }
    // A page joins once per attempt: a report that speaks for many joins speaks for more
    // than one browser, and would let one address move the alarm on joins.
    let joins = report.events.iter().filter(|event| matches!(event, ClientEvent::Join { .. })).count();
    if joins > MAX_JOINS {
        return Err(InvalidField::new("events", format!("may report at most {MAX_JOINS} joins")));
    }
    Ok(())
}
