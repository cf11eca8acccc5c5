//! Handing an admitted participant a LiveKit token for their room.

use super::AppState;
use super::auth::Caller;
use crate::domain::policy::Transition;
use crate::error::{ApiError, ApiResult};
use crate::media::TokenRequest;
use crate::store::Change;
use axum::Json;
use axum::extract::State;
use serde_json::{Value, json};

/// A participant who dropped out (network loss, connect grace expired) gets their slot
/// back here if one is free, so reconnecting needs no second join. The LiveKit room is
/// created here, by the backend alone: LiveKit refuses joins to rooms it does not have.
/// Whoever sits in the LiveKit room without being on the roster is removed first, so a seat
/// taken by an old token (a signalling-only connection, of which LiveKit sends no webhook)
/// never keeps someone entitled to it out.
pub async fn issue(State(state): State<AppState>, Caller { room, participant }: Caller) -> ApiResult<Json<Value>> {
    let change = Change::by_participant(Transition::Resume, state.config.connect_grace);
    let applied = state.rooms.apply(&room, &participant.id, change).await?;
    state.media.open(&room, applied.room.max_participants.get()).await.map_err(ApiError::MediaUnavailable)?;
    let issued = state.media.room_token(&TokenRequest {
        room: &room,
        identity: &participant.id.to_string(),
        display_name: &participant.display_name,
        role: applied.participant.role,
    })?;
    let roster = state.roster(&room).await?;
    state.sweep(&room, &roster.identities).await;
    Ok(Json(json!({
        "token": issued.token, "livekit_url": issued.url, "expires_at": issued.expires_at, "roster": roster,
    })))
}
