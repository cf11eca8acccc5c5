//! Entering and leaving a room.

use super::extract::{ApiJson, ClientIp, RoomPath, bearer};
use super::{AppState, refuse_removed};
use crate::domain::{DeviceId, DisplayName, ParticipantStatus, SecretToken};
use crate::error::{ApiError, ApiResult};
use crate::store::{JoinRefused, NewParticipant, Participant};
use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use serde::Deserialize;
use serde_json::{Value, json};

#[derive(Deserialize)]
pub struct Join {
    display_name: String,
    host_key: Option<String>,
    device_id: Option<String>,
}

impl From<JoinRefused> for ApiError {
    fn from(refused: JoinRefused) -> Self {
        match refused {
            JoinRefused::RoomNotFound => ApiError::RoomNotFound,
            JoinRefused::RoomFull => ApiError::RoomFull,
            JoinRefused::RoomLocked => ApiError::RoomLocked,
            JoinRefused::RoomEnded => ApiError::RoomEnded,
            JoinRefused::InvalidHostKey => ApiError::InvalidHostKey,
            JoinRefused::Banned => ApiError::Banned,
            JoinRefused::Store(e) => ApiError::Internal(e),
        }
    }
}

fn joined(participant: &Participant, session: &SecretToken, rejoined: bool) -> (StatusCode, Json<Value>) {
    let body = json!({
        "participant": {
            "id": participant.id,
            "identity": participant.id,
            "display_name": participant.display_name.as_str(),
            "role": participant.role,
            "status": match participant.status {
                ParticipantStatus::Waiting => "waiting",
                _ => "admitted",
            },
        },
        "session_token": session.expose(),
        "rejoined": rejoined,
    });
    (StatusCode::CREATED, Json(body))
}

/// Joins as a new participant, or, when the request carries this room's live session
/// (a page reload), returns that same participant, taking its slot back if it had left.
pub async fn join(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    RoomPath(room): RoomPath,
    headers: HeaderMap,
    ApiJson(body): ApiJson<Join>,
) -> ApiResult<(StatusCode, Json<Value>)> {
    let display_name = DisplayName::parse(&body.display_name)?;
    let device_id = body.device_id.as_deref().map(DeviceId::parse).transpose()?;
    state.rate_limit_or_allow(&format!("join:{ip}"), state.config.rate_limits.join).await?;

    if let Some(session) = bearer(&headers)
        && let Some(participant) = state.rooms.session(&room, &session.hash(), state.config.connect_grace).await?
    {
        if participant.room_ended {
            return Err(ApiError::RoomEnded);
        }
        refuse_removed(participant.status)?;
        let participant = match participant.status {
            ParticipantStatus::Left => state.rooms.readmit(&participant, state.config.connect_grace).await?,
            _ => participant,
        };
        return Ok(joined(&participant, &session, true));
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
    }
    Ok(joined(&participant, &session, false))
}

pub async fn leave(
    State(state): State<AppState>,
    RoomPath(room): RoomPath,
    headers: HeaderMap,
) -> ApiResult<StatusCode> {
    let participant = state.authenticate(&headers, &room).await?;
    state.rooms.leave(&participant).await?;
    Ok(StatusCode::NO_CONTENT)
}
