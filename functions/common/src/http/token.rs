//! Handing an admitted participant a LiveKit token for their room.

use super::AppState;
use super::auth::Caller;
use crate::api::responses::{Conflict, Forbidden, Gone, NotFound, Unauthorized, Unavailable};
use crate::api::token::TokenIssued;
use crate::domain::RoomId;
use crate::domain::policy::Transition;
use crate::error::{ApiError, ApiResult};
use crate::media::TokenRequest;
use crate::store::Change;
use axum::Json;
use axum::extract::State;

/// A participant who dropped out (network loss, connect grace expired) gets their slot
/// back here if one is free, so reconnecting needs no second join. The LiveKit room is
/// created here, by the backend alone: LiveKit refuses joins to rooms it does not have.
/// Whoever sits in the LiveKit room without being on the roster is removed first, so a seat
/// taken by an old token (a signalling-only connection, of which LiveKit sends no webhook)
/// never keeps someone entitled to it out.
#[utoipa::path(post, path = "/api/rooms/{room_id}/token", tag = "token", operation_id = "roomToken",
    summary = "A LiveKit token for the room",
    description = "A participant who dropped out gets their slot back here if one is free, so reconnecting \
        needs no second join.",
    security(("session" = [])),
    params(("room_id" = RoomId, Path)),
    responses(
        (status = 200, body = TokenIssued,
            description = "A LiveKit token for this room, valid for about ten minutes, and who may receive the \
                room's media now."),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        (status = 409, response = Conflict),
        (status = 410, response = Gone),
        (status = 503, response = Unavailable),
    ))]
pub async fn issue(
    State(state): State<AppState>,
    Caller { room, participant }: Caller,
) -> ApiResult<Json<TokenIssued>> {
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
    Ok(Json(TokenIssued { token: issued.token, livekit_url: issued.url, expires_at: issued.expires_at, roster }))
}
