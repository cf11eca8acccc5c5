//! The moderation port: what hosts do to a room and the people in it, and the log of it.

use super::{Participant, Refused};
use crate::domain::policy::Transition;
use crate::domain::{DisplayName, ParticipantId, ParticipantStatus, Role, RoomId, RoomTitle};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use serde::Serialize;
use std::time::Duration;
use utoipa::ToSchema;

/// A participant as the participant list and the lobby show them.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ParticipantView {
    pub id: ParticipantId,
    #[schema(value_type = DisplayName)]
    pub display_name: String,
    pub role: Role,
    /// Joined with the host key: no other host can remove them.
    pub owner: bool,
    pub status: ParticipantStatus,
    pub joined_at: DateTime<Utc>,
}

/// One recorded host action: who did what to whom, and when.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ActionRecord {
    pub id: i64,
    #[schema(value_type = ParticipantId)]
    pub actor_id: String,
    pub action: Action,
    /// `null` for actions on the room itself.
    #[schema(value_type = Option<ParticipantId>, required = true)]
    pub target_id: Option<String>,
    /// What changed, for actions with more to say than their name (`update_room`, `mute`).
    #[schema(value_type = Object)]
    pub detail: serde_json::Value,
    pub created_at: DateTime<Utc>,
}

/// A host action, as the log stores and the API shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    Admit,
    Deny,
    Kick,
    Ban,
    Promote,
    Mute,
    UpdateRoom,
    End,
    LowerHands,
}

impl Action {
    pub const ALL: [Action; 9] = [
        Action::Admit,
        Action::Deny,
        Action::Kick,
        Action::Ban,
        Action::Promote,
        Action::Mute,
        Action::UpdateRoom,
        Action::End,
        Action::LowerHands,
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
            Action::LowerHands => "lower_hands",
        }
    }

    /// The log entry a host's transition writes.
    pub fn logged_for(transition: Transition) -> Option<Action> {
        match transition {
            Transition::Admit => Some(Action::Admit),
            Transition::Deny => Some(Action::Deny),
            Transition::Kick => Some(Action::Kick),
            Transition::Ban => Some(Action::Ban),
            Transition::Promote => Some(Action::Promote),
            _ => None,
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
        id: &ParticipantId,
        connect_grace: Duration,
    ) -> anyhow::Result<Option<ParticipantView>>;

    /// Identities of hosts LiveKit reports connected (who gets lobby updates).
    async fn connected_hosts(&self, room: &RoomId) -> anyhow::Result<Vec<String>>;

    /// Records an action whose effect lives elsewhere (a mute happens in LiveKit).
    async fn record(
        &self,
        actor: Actor<'_>,
        action: Action,
        target: Option<&ParticipantId>,
        detail: serde_json::Value,
    ) -> anyhow::Result<()>;

    async fn update_room(
        &self,
        actor: Actor<'_>,
        patch: &RoomPatch,
        connect_grace: Duration,
    ) -> Result<super::Room, Refused>;

    /// Marks the room ended and everyone in it gone.
    async fn end_room(&self, actor: Actor<'_>, connect_grace: Duration) -> Result<(), Refused>;

    /// Every recorded action, oldest first.
    async fn actions(&self, room: &RoomId) -> anyhow::Result<Vec<ActionRecord>>;
}

impl ParticipantView {
    pub fn display_name(&self) -> DisplayName {
        DisplayName::trusted(self.display_name.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_api_names_each_action_as_the_log_stores_it() {
        for action in Action::ALL {
            assert_eq!(serde_json::to_value(action).unwrap(), action.as_str());
        }
    }
}
