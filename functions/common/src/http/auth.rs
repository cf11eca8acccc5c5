//! Who is calling: the session behind the request, checked once by an extractor, so no
//! handler re-checks statuses by hand.

use super::AppState;
use super::extract::{ParticipantPath, RoomPath, bearer};
use crate::domain::policy::{self, Refusal};
use crate::domain::{ParticipantId, Role, RoomId};
use crate::error::{ApiError, ApiResult};
use crate::store::Participant;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;

/// Any live session of the room in the path: 401 without one, 410 once the meeting ended.
pub struct Caller {
    pub room: RoomId,
    pub participant: Participant,
}

impl FromRequestParts<AppState> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> ApiResult<Self> {
        let RoomPath(room) = RoomPath::from_request_parts(parts, state).await?;
        let token = bearer(&parts.headers).ok_or(ApiError::Unauthorized)?;
        let participant = state
            .rooms
            .session(&room, &token.hash(), state.config.connect_grace)
            .await?
            .ok_or(ApiError::Unauthorized)?;
        if participant.room_ended {
            return Err(ApiError::RoomEnded);
        }
        Ok(Caller { room, participant })
    }
}

/// A caller who holds a slot in the room; anyone else gets the reason they are out.
pub struct Present {
    pub room: RoomId,
    pub participant: Participant,
}

impl FromRequestParts<AppState> for Present {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> ApiResult<Self> {
        let Caller { room, participant } = Caller::from_request_parts(parts, state).await?;
        if participant.status.holds_slot() {
            Ok(Present { room, participant })
        } else {
            // Why they are out: a host's decision, or not let in yet (or any more).
            Err(policy::removal(participant.status).unwrap_or(Refusal::NotAdmitted).into())
        }
    }
}

/// A present caller who is a host of the room (403 `forbidden` otherwise).
pub struct Host {
    pub room: RoomId,
    pub host: Participant,
}

impl FromRequestParts<AppState> for Host {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> ApiResult<Self> {
        let Present { room, participant } = Present::from_request_parts(parts, state).await?;
        if participant.role == Role::Host { Ok(Host { room, host: participant }) } else { Err(ApiError::Forbidden) }
    }
}

/// A host's call about one participant, named by `{participant_id}`.
pub struct HostOnTarget {
    pub host: Participant,
    pub room: RoomId,
    pub target: ParticipantId,
}

impl FromRequestParts<AppState> for HostOnTarget {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> ApiResult<Self> {
        let ParticipantPath(target) = ParticipantPath::from_request_parts(parts, state).await?;
        let Host { room, host } = Host::from_request_parts(parts, state).await?;
        Ok(HostOnTarget { host, room, target })
    }
}
