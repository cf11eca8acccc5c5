//! The room store port: rooms, participants and their sessions. Adapters: [`postgres`].

pub mod dynamodb;
pub mod moderation;
pub mod postgres;

use crate::domain::{DeviceId, DisplayName, MaxParticipants, ParticipantStatus, Role, RoomId, RoomTitle, SecretHash};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use std::time::Duration;

#[derive(Debug, Clone)]
pub struct Room {
    pub id: RoomId,
    pub title: RoomTitle,
    pub max_participants: MaxParticipants,
    pub waiting_room: bool,
    pub locked: bool,
    pub created_at: DateTime<Utc>,
    pub ended: bool,
}

#[derive(Debug, Clone)]
pub struct NewRoom {
    pub id: RoomId,
    pub title: RoomTitle,
    pub max_participants: MaxParticipants,
    pub waiting_room: bool,
    pub host_key: SecretHash,
}

#[derive(Debug, Clone)]
pub struct Participant {
    pub id: String,
    pub room_id: RoomId,
    pub display_name: DisplayName,
    pub role: Role,
    pub status: ParticipantStatus,
    /// A host ended the meeting; the session answers 410 from then on.
    pub room_ended: bool,
}

#[derive(Debug, Clone)]
pub struct NewParticipant {
    pub room_id: RoomId,
    pub display_name: DisplayName,
    /// Checked against the room's host key inside the join transaction.
    pub host_key: Option<SecretHash>,
    pub session: SecretHash,
    pub session_ttl: Duration,
    pub connect_grace: Duration,
    /// The browser's own id; a ban in this room refuses it.
    pub device_id: Option<DeviceId>,
}

/// Why a join was refused; each maps to one public error code.
#[derive(Debug, thiserror::Error)]
pub enum JoinRefused {
    #[error("room not found")]
    RoomNotFound,
    #[error("room full")]
    RoomFull,
    #[error("room locked")]
    RoomLocked,
    #[error("room ended")]
    RoomEnded,
    #[error("invalid host key")]
    InvalidHostKey,
    #[error("banned from this room")]
    Banned,
    #[error(transparent)]
    Store(#[from] anyhow::Error),
}

/// A participant's state as LiveKit reports it through webhooks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Presence {
    Connected,
    Disconnected,
}

#[async_trait]
pub trait RoomStore: Send + Sync {
    /// Stores a new room; a colliding id is reported as `Ok(None)` so the caller can retry.
    async fn create_room(&self, room: &NewRoom) -> anyhow::Result<Option<Room>>;

    /// The room and how many participants hold a slot now.
    async fn room(&self, id: &RoomId, connect_grace: Duration) -> anyhow::Result<Option<(Room, i64)>>;

    /// Admits (or queues) a new participant, never exceeding the room's limit however many race.
    async fn join(&self, new: &NewParticipant) -> Result<Participant, JoinRefused>;

    /// The participant behind a live session in this room; an admission whose connect
    /// grace period ran out reads as `Left`.
    async fn session(
        &self,
        room: &RoomId,
        session: &SecretHash,
        connect_grace: Duration,
    ) -> anyhow::Result<Option<Participant>>;

    /// Takes a slot again for a participant who had left (e.g. after a reload), if one is free.
    async fn readmit(&self, participant: &Participant, connect_grace: Duration) -> Result<Participant, JoinRefused>;

    /// Frees the participant's slot at once.
    async fn leave(&self, participant: &Participant) -> anyhow::Result<()>;

    /// Applies a LiveKit presence event; `sid` tells connections of the same identity apart.
    async fn record_presence(&self, room: &str, identity: &str, sid: &str, presence: Presence) -> anyhow::Result<()>;

    /// Whether LiveKit has reported anyone connected to the room.
    async fn has_connected(&self, room: &RoomId) -> anyhow::Result<bool>;

    /// LiveKit closed the room: nobody is connected any more.
    async fn record_room_finished(&self, room: &str) -> anyhow::Result<()>;
}
