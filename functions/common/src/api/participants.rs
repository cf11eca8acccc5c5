//! Bodies of the routes in `http/participants.rs`: entering and leaving a room.

use crate::domain::{DeviceId, DisplayName, ParticipantId, ParticipantStatus, Role};
use crate::store::Participant;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Deserialize, ToSchema)]
pub struct Join {
    #[schema(value_type = DisplayName)]
    pub display_name: String,
    /// The key shown when the room was created: joining with it makes the owner, a host.
    pub host_key: Option<String>,
    #[schema(value_type = Option<DeviceId>)]
    pub device_id: Option<String>,
}

/// Where a new participant stands right after joining.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Entry {
    Admitted,
    /// In the lobby until a host lets them in (ask `GET /me`).
    Waiting,
}

#[derive(Serialize, ToSchema)]
pub struct JoinedParticipant {
    pub id: ParticipantId,
    /// The participant's LiveKit identity (the same as `id`).
    pub identity: ParticipantId,
    #[schema(value_type = DisplayName)]
    pub display_name: String,
    pub role: Role,
    /// Joined with the host key: no other host can remove them.
    pub owner: bool,
    pub status: Entry,
}

/// Joined (or waiting in the lobby).
#[derive(Serialize, ToSchema)]
pub struct Joined {
    pub participant: JoinedParticipant,
    /// For `Authorization: Bearer` on every later call in this room.
    pub session_token: String,
    /// The request carried this room's live session: the same participant as before.
    pub rejoined: bool,
}

impl Joined {
    pub fn new(participant: &Participant, session_token: String, rejoined: bool) -> Self {
        let status = match participant.status {
            ParticipantStatus::Waiting => Entry::Waiting,
            _ => Entry::Admitted,
        };
        Joined {
            participant: JoinedParticipant {
                id: participant.id,
                identity: participant.id,
                display_name: participant.display_name.as_str().to_owned(),
                role: participant.role,
                owner: participant.owner,
                status,
            },
            session_token,
            rejoined,
        }
    }
}
