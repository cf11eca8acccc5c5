//! Handing an admitted participant a LiveKit token for their room.

use super::extract::RoomPath;
use super::{AppState, refuse_removed};
use crate::domain::ParticipantStatus;
use crate::error::{ApiError, ApiResult};
use crate::media::TokenRequest;
use axum::Json;
use axum::extract::State;
use axum::http::HeaderMap;
use serde_json::{Value, json};

/// A participant who dropped out (network loss, connect grace expired) gets their slot
/// back here if one is free, so reconnecting needs no second join.
pub async fn issue(
    State(state): State<AppState>,
    RoomPath(room): RoomPath,
    headers: HeaderMap,
) -> ApiResult<Json<Value>> {
    let participant = state.authenticate(&headers, &room).await?;
    refuse_removed(participant.status)?;
    let participant = match participant.status {
        ParticipantStatus::Left => state.rooms.readmit(&participant, state.config.connect_grace).await?,
        ParticipantStatus::Admitted | ParticipantStatus::Connected => participant,
        _ => return Err(ApiError::NotAdmitted),
    };
    let issued = state.media.room_token(&TokenRequest {
        room: &room,
        identity: &participant.id,
        display_name: &participant.display_name,
        role: participant.role,
    })?;
    Ok(Json(json!({"token": issued.token, "livekit_url": issued.url, "expires_at": issued.expires_at})))
}
