//! The connection check: before joining, or after a join failed to connect, a person tests
//! the real path to the media server from their own browser (the web app runs livekit-client's
//! checks with this token).

use super::AppState;
use super::extract::ClientIp;
use crate::api::connection_check::CheckIssued;
use crate::api::responses::{Forbidden, RateLimited, Unavailable};
use crate::error::{ApiError, ApiResult};
use axum::Json;
use axum::extract::State;

#[utoipa::path(post, path = "/api/connection-check", tag = "token", operation_id = "connectionCheck",
    summary = "A token for testing the connection to the media server",
    description = "Opens a throwaway LiveKit room of one and returns a token for it, valid for five minutes. \
        No meeting, session or room id is involved. Rate-limited per client address and in total; refused \
        (503) when the rate limiter cannot be reached.",
    responses(
        (status = 200, body = CheckIssued, description = "A token for a room nobody else can enter."),
        (status = 403, response = Forbidden),
        (status = 429, response = RateLimited),
        (status = 503, response = Unavailable),
    ))]
pub async fn issue(State(state): State<AppState>, ClientIp(ip): ClientIp) -> ApiResult<Json<CheckIssued>> {
    // Each check opens a LiveKit room: without the limiter, none is opened.
    let limits = &state.config.rate_limits;
    state.rate_limit_or_refuse(&format!("check:{ip}"), limits.connection_check, ApiError::MediaUnavailable).await?;
    state.rate_limit_or_refuse("check:all", limits.connection_check_total, ApiError::MediaUnavailable).await?;
    let issued = state.media.check_room().await.map_err(ApiError::MediaUnavailable)?;
    Ok(Json(CheckIssued { token: issued.token, livekit_url: issued.url, expires_at: issued.expires_at }))
}
