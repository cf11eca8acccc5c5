//! Bodies of the routes in `http/moderation.rs`: host actions, the room's settings, and who
//! is in the room.

use super::rooms::Room;
use crate::domain::RoomTitle;
use crate::media::TrackSource;
pub use crate::store::moderation::{Action, ActionRecord, ParticipantView};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// One participant: the caller (`GET /me`) or the one a host acted on.
#[derive(Serialize, ToSchema)]
pub struct ParticipantAnswer {
    pub participant: ParticipantView,
}

/// Everyone who joined, in join order.
#[derive(Serialize, ToSchema)]
pub struct ParticipantList {
    pub participants: Vec<ParticipantView>,
}

/// Guests waiting to be let in, oldest first. Also what hosts get on the `lobby` data topic.
#[derive(Serialize, ToSchema)]
pub struct Lobby {
    pub waiting: Vec<ParticipantView>,
}

/// Every host action, oldest first.
#[derive(Serialize, ToSchema)]
pub struct ActionLog {
    pub actions: Vec<ActionRecord>,
}

#[derive(Deserialize, Serialize, ToSchema)]
pub struct Mute {
    pub source: TrackSource,
}

/// Only the fields sent change.
#[derive(Deserialize, ToSchema)]
pub struct UpdateRoom {
    pub locked: Option<bool>,
    pub waiting_room: Option<bool>,
    #[schema(value_type = Option<RoomTitle>)]
    pub title: Option<String>,
}

/// The room as it is now.
#[derive(Serialize, ToSchema)]
pub struct RoomUpdated {
    pub room: Room,
}
