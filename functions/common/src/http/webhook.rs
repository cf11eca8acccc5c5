//! LiveKit's webhooks: who actually connected and who left.

use super::AppState;
use crate::domain::{ParticipantStatus, RoomId};
use crate::error::{ApiError, ApiResult};
use crate::media::MediaEvent;
use crate::store::Presence;
use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::http::header::AUTHORIZATION;
use serde_json::{Value, json};

/// LiveKit events carry full participant and track info, larger than API request bodies.
pub const MAX_BODY_BYTES: usize = 1024 * 1024;

pub async fn receive(State(state): State<AppState>, headers: HeaderMap, body: Bytes) -> ApiResult<Json<Value>> {
    let authorization = headers.get(AUTHORIZATION).and_then(|v| v.to_str().ok()).ok_or(ApiError::Unauthorized)?;
    let body = std::str::from_utf8(&body).map_err(|_| ApiError::Unauthorized)?;
    let event = state.media.verify_webhook(body, authorization).map_err(|rejected| {
        tracing::warn!(error = %rejected, "webhook refused");
        ApiError::Unauthorized
    })?;
    tracing::info!(?event, "LiveKit webhook");
    match event {
        MediaEvent::ParticipantJoined { room, identity, sid } => {
            state.rooms.record_presence(&room, &identity, &sid, Presence::Connected).await?;
            // Someone a host removed may still hold a room token from before; out again.
            if let Some(room_id) = RoomId::parse(&room) {
                let current = state.moderation.participant(&room_id, &identity, state.config.connect_grace).await?;
                if current.is_some_and(|p| {
                    matches!(
                        p.status,
                        ParticipantStatus::Kicked | ParticipantStatus::Banned | ParticipantStatus::Denied
                    )
                }) {
                    state.media.remove(&room_id, &identity).await?;
                }
            }
        }
        MediaEvent::ParticipantLeft { room, identity, sid } => {
            state.rooms.record_presence(&room, &identity, &sid, Presence::Disconnected).await?
        }
        MediaEvent::RoomFinished { room } => state.rooms.record_room_finished(&room).await?,
        MediaEvent::Other(_) => {}
    }
    Ok(Json(json!({"status": "ok"})))
}
