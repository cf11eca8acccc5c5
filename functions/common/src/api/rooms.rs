//! Bodies of the routes in `http/rooms.rs`: creating a room and reading its public state.

use crate::domain::{MaxParticipants, RoomId, RoomTitle};
use crate::store::Room as StoredRoom;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Deserialize, ToSchema)]
pub struct CreateRoom {
    #[schema(value_type = RoomTitle)]
    pub title: String,
    #[schema(value_type = Option<MaxParticipants>)]
    pub max_participants: Option<i64>,
    /// Whether guests wait in a lobby until a host lets them in.
    #[schema(default = false)]
    pub waiting_room: Option<bool>,
    /// End-to-end encrypted: media and chat are encrypted in the browsers with a key that the
    /// creator's browser makes and puts in the invitation link's fragment, which no server sees.
    /// Chat messages must then be sent `encrypted`. Chosen here, never changed.
    #[schema(default = false)]
    pub e2ee: Option<bool>,
}

/// A room as everyone may see it.
#[derive(Serialize, ToSchema)]
pub struct Room {
    #[schema(value_type = RoomId)]
    pub id: String,
    #[schema(value_type = RoomTitle)]
    pub title: String,
    #[schema(value_type = MaxParticipants)]
    pub max_participants: i32,
    pub waiting_room: bool,
    /// Nobody new can join a locked room.
    pub locked: bool,
    /// End-to-end encrypted: without the key from the full invitation link, nobody can see,
    /// hear or read the meeting.
    pub e2ee: bool,
    pub created_at: DateTime<Utc>,
}

impl From<&StoredRoom> for Room {
    fn from(room: &StoredRoom) -> Self {
        Room {
            id: room.id.to_string(),
            title: room.title.as_str().to_owned(),
            max_participants: room.max_participants.get(),
            waiting_room: room.waiting_room,
            locked: room.locked,
            e2ee: room.e2ee,
            created_at: room.created_at,
        }
    }
}

/// The new room; `host_key` is shown only here.
#[derive(Serialize, ToSchema)]
pub struct RoomCreated {
    pub room: Room,
    /// Joining with it makes the room's owner, whom no other host can remove.
    pub host_key: String,
    /// The room's link. For an encrypted room it lacks the key: the creator's browser adds it
    /// as the fragment (`#…`).
    pub join_url: String,
}

#[derive(Serialize, ToSchema)]
pub struct RoomWithCount {
    #[serde(flatten)]
    pub room: Room,
    /// How many people hold a place in the room now.
    #[schema(minimum = 0)]
    pub participant_count: i64,
}

/// The room and how many people are in it.
#[derive(Serialize, ToSchema)]
pub struct RoomShown {
    pub room: RoomWithCount,
    pub ended: bool,
}
