//! Entering and leaving a room.

use super::AppState;
use super::auth::Caller;
use super::extract::{ApiJson, ClientIp, RoomPath, bearer};
use crate::api::participants::{Join, Joined};
use crate::api::responses::{
    BadRequest, Conflict, Forbidden, Gone, NotFound, RateLimited, TooLarge, Unauthorized, Unavailable, Unprocessable,
    UnsupportedMediaType,
};
use crate::domain::policy::Transition;
use crate::domain::{DeviceId, DisplayName, ParticipantStatus, RoomId, SecretToken};
use crate::error::{ApiError, ApiResult};
use crate::store::{Change, NewParticipant, Participant};
use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};

fn joined(participant: &Participant, session: &SecretToken, rejoined: bool) -> (StatusCode, Json<Joined>) {
    (StatusCode::CREATED, Json(Joined::new(participant, session.expose().to_owned(), rejoined)))
}

/// Joins as a new participant, or, when the request carries this room's live session
/// (a page reload), returns that same participant, taking its slot back if it had left.
#[utoipa::path(post, path = "/api/rooms/{room_id}/join", tag = "join-room", operation_id = "joinRoom",
    summary = "Join a room (or wait in its lobby)",
    description = "With this room's live session in `Authorization`, answers the same participant \
        (`rejoined: true`) and takes its slot back if it had left.",
    params(("room_id" = RoomId, Path)),
    request_body = Join,
    responses(
        (status = 201, description = "Joined (or waiting in the lobby).", body = Joined),
        (status = 400, response = BadRequest),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        (status = 409, response = Conflict),
        (status = 410, response = Gone),
        (status = 413, response = TooLarge),
        (status = 415, response = UnsupportedMediaType),
        (status = 422, response = Unprocessable),
        (status = 429, response = RateLimited),
        (status = 503, response = Unavailable),
    ))]
pub async fn join(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    RoomPath(room): RoomPath,
    headers: HeaderMap,
    ApiJson(body): ApiJson<Join>,
) -> ApiResult<(StatusCode, Json<Joined>)> {
    let display_name = DisplayName::parse(&body.display_name)?;
    let device_id = body.device_id.as_deref().map(DeviceId::parse).transpose()?;
    state.rate_limit_or_allow(&format!("join:{ip}"), state.config.rate_limits.join).await?;

    if let Some(session) = bearer(&headers)
        && let Some(participant) = state.rooms.session(&room, &session.hash(), state.config.connect_grace).await?
    {
        if participant.room_ended {
            return Err(ApiError::RoomEnded);
        }
        let participant = match participant.status {
            // Still waiting: the same place in the lobby.
            ParticipantStatus::Waiting => participant,
            _ => {
                let change = Change::by_participant(Transition::Resume, state.config.connect_grace);
                let applied = state.rooms.apply(&room, &participant.id, change).await?;
                Participant { status: applied.participant.status, ..participant }
            }
        };
        return Ok(joined(&participant, &session, true));
    }

    // A flood into one room is bounded here, after a session's own rejoin and never for the
    // owner's host key: nobody can lock the owner out of their meeting by using up its joins.
    if body.host_key.is_none() {
        state.rate_limit_or_allow(&format!("join-room:{room}"), state.config.rate_limits.room_join).await?;
    }
    let session = SecretToken::generate();
    let new = NewParticipant {
        room_id: room,
        display_name,
        host_key: body.host_key.as_deref().map(|key| SecretToken::from_client(key).hash()),
        session: session.hash(),
        session_ttl: state.config.session_ttl,
        connect_grace: state.config.connect_grace,
        device_id,
    };
    let participant = state.rooms.join(&new).await?;
    if participant.status == ParticipantStatus::Waiting {
        state.notify_lobby(&new.room_id).await;
    } else {
        state.notify_roster(&new.room_id).await;
    }
    Ok(joined(&participant, &session, false))
}

/// Leaves for good: the session ends, the slot is freed and LiveKit lets the connection go.
/// Coming back is a new join, which the lock and the waiting room apply to.
#[utoipa::path(post, path = "/api/rooms/{room_id}/leave", tag = "join-room", operation_id = "leaveRoom",
    summary = "Leave the room for good",
    description = "Ends the session and frees the slot; coming back is a new join, which the lock and the \
        waiting room apply to.",
    security(("session" = [])),
    params(("room_id" = RoomId, Path)),
    responses(
        (status = 204, description = "Left; the slot is free."),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        (status = 410, response = Gone),
        (status = 503, response = Unavailable),
    ))]
pub async fn leave(State(state): State<AppState>, Caller { room, participant }: Caller) -> ApiResult<StatusCode> {
    let change = Change::by_participant(Transition::Leave, state.config.connect_grace);
    let applied = state.rooms.apply(&room, &participant.id, change).await?;
    state.follow(&room, &applied).await;
    Ok(StatusCode::NO_CONTENT)
}
