//! The moderation port: what hosts do to a room and the people in it, and the log of it.

use super::Participant;
use crate::domain::{DisplayName, ParticipantStatus, Role, RoomId, RoomTitle};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use serde::Serialize;
use std::time::Duration;

/// A participant as the participant list and the lobby show them.
#[derive(Debug, Clone, Serialize)]
pub struct ParticipantView {
    pub id: String,
    pub display_name: String,
    pub role: Role,
    pub status: ParticipantStatus,
    pub joined_at: DateTime<Utc>,
}

/// One recorded host action.
#[derive(Debug, Clone, Serialize)]
pub struct ActionRecord {
    pub id: i64,
    pub actor_id: String,
    pub action: &'static str,
    pub target_id: Option<String>,
    pub detail: serde_json::Value,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Admit,
    Deny,
    Kick,
    Ban,
    Promote,
    Mute,
    UpdateRoom,
    End,
}

impl Action {
    pub const ALL: [Action; 8] = [
        Action::Admit,
        Action::Deny,
        Action::Kick,
        Action::Ban,
        Action::Promote,
        Action::Mute,
        Action::UpdateRoom,
        Action::End,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Action::Admit => "admit",
            Action::Deny => "deny",
            Action::Kick => "kick",
            Action::Ban => "ban",
            Action::Promote => "promote",
            Action::Mute => "mute",
            Action::UpdateRoom => "update_room",
            Action::End => "end",
        }
    }
}

#[derive(Debug, Default, Clone)]
pub struct RoomPatch {
    pub locked: Option<bool>,
    pub waiting_room: Option<bool>,
    pub title: Option<RoomTitle>,
}

impl RoomPatch {
    /// What the audit log records for this change, the same on every store.
    pub fn detail(&self) -> serde_json::Value {
        serde_json::json!({
            "locked": self.locked, "waiting_room": self.waiting_room, "title": self.title.as_ref().map(|t| t.as_str()),
        })
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ModerationRefused {
    #[error("no such participant in this room")]
    ParticipantNotFound,
    #[error("the participant is not in a state this action applies to")]
    InvalidState,
    #[error("room full")]
    RoomFull,
    #[error("room ended")]
    RoomEnded,
    #[error(transparent)]
    Store(#[from] anyhow::Error),
}

/// Who acts, on which room: every method records the action under the same transaction.
pub struct Actor<'a> {
    pub host: &'a Participant,
}

#[async_trait]
pub trait ModerationStore: Send + Sync {
    /// Everyone who ever joined the room, in join order.
    async fn participants(&self, room: &RoomId, connect_grace: Duration) -> anyhow::Result<Vec<ParticipantView>>;

    /// Guests waiting to be let in, oldest first.
    async fn lobby(&self, room: &RoomId) -> anyhow::Result<Vec<ParticipantView>>;

    /// The participant `id` of `room`, if there is one.
    async fn participant(
        &self,
        room: &RoomId,
        id: &str,
        connect_grace: Duration,
    ) -> anyhow::Result<Option<ParticipantView>>;

    /// Identities of hosts LiveKit reports connected (who gets lobby updates).
    async fn connected_hosts(&self, room: &RoomId) -> anyhow::Result<Vec<String>>;

    /// Lets a waiting guest in, taking a slot under the same lock as joins.
    async fn admit(
        &self,
        actor: Actor<'_>,
        target: &str,
        connect_grace: Duration,
    ) -> Result<ParticipantView, ModerationRefused>;

    /// Turns a waiting guest away.
    async fn deny(&self, actor: Actor<'_>, target: &str) -> Result<ParticipantView, ModerationRefused>;

    /// Removes someone; with `ban`, their browser cannot join this room again.
    async fn remove(&self, actor: Actor<'_>, target: &str, ban: bool) -> Result<ParticipantView, ModerationRefused>;

    async fn promote(&self, actor: Actor<'_>, target: &str) -> Result<ParticipantView, ModerationRefused>;

    /// Records an action whose effect lives elsewhere (a mute happens in LiveKit).
    async fn record(
        &self,
        actor: Actor<'_>,
        action: Action,
        target: Option<&str>,
        detail: serde_json::Value,
    ) -> anyhow::Result<()>;

    async fn update_room(&self, actor: Actor<'_>, patch: &RoomPatch) -> Result<super::Room, ModerationRefused>;

    /// Marks the room ended and everyone in it gone.
    async fn end_room(&self, actor: Actor<'_>) -> Result<(), ModerationRefused>;

    /// Every recorded action, oldest first.
    async fn actions(&self, room: &RoomId) -> anyhow::Result<Vec<ActionRecord>>;
}

impl ParticipantView {
    pub fn display_name(&self) -> DisplayName {
        DisplayName::trusted(self.display_name.clone())
    }
}
