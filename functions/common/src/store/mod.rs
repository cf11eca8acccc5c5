//! The room store port: rooms, participants and their sessions. Adapters: [`postgres`] and
//! [`dynamodb`]. The rules are [`crate::domain::policy`]'s; a store only makes them atomic.

#[cfg(feature = "dynamodb")]
pub mod dynamodb;
pub mod measured;
pub mod moderation;
#[cfg(feature = "postgres")]
pub mod postgres;

use crate::domain::policy::{Refusal, Step, Transition};
use crate::domain::{
    DeviceId, DisplayName, MaxParticipants, ParticipantId, ParticipantStatus, Role, RoomId, RoomTitle, SecretHash,
};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use moderation::ParticipantView;
use std::time::Duration;

#[derive(Debug, Clone)]
pub struct Room {
    pub id: RoomId,
    pub title: RoomTitle,
    pub max_participants: MaxParticipants,
    pub waiting_room: bool,
    pub locked: bool,
    /// Media and chat are encrypted in the browsers; the server stores chat only as ciphertext.
    pub e2ee: bool,
    pub created_at: DateTime<Utc>,
    pub ended: bool,
}

#[derive(Debug, Clone)]
pub struct NewRoom {
    pub id: RoomId,
    pub title: RoomTitle,
    pub max_participants: MaxParticipants,
    pub waiting_room: bool,
    pub e2ee: bool,
    pub host_key: SecretHash,
}

#[derive(Debug, Clone)]
pub struct Participant {
    pub id: ParticipantId,
    pub room_id: RoomId,
    pub display_name: DisplayName,
    pub role: Role,
    /// Joined with the host key; other hosts cannot remove them.
    pub owner: bool,
    pub status: ParticipantStatus,
    /// A host ended the meeting; the session answers 410 from then on.
    pub room_ended: bool,
    /// The room is end-to-end encrypted: chat reaches it only as ciphertext. Read with the
    /// session (`RoomStore::session`), which is what decides what a message may be; a
    /// participant read otherwise (a join's answer) leaves it false.
    pub room_e2ee: bool,
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

/// Who may receive the room's data, and whether anyone is there to receive it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Audience {
    /// Identities that may receive the room's media and data now (see
    /// [`crate::domain::policy::may_receive`]), in join order.
    pub receivers: Vec<String>,
    /// Whether LiveKit has reported anyone connected to the room.
    pub anyone_connected: bool,
}

/// Writes to the same items kept colliding with others' until the store gave up: the caller
/// may try again in a moment (`503 busy`).
#[derive(Debug, thiserror::Error)]
#[error("the store stayed busy with concurrent writes to the same items")]
pub struct Contention;

/// The store could not be reached, or did not answer within the dependency budget
/// (`503 store_unavailable`; the caller may try again in a moment). A transaction cut short
/// rolls back, except in the instant between sending its commit and hearing back: a join
/// answered 503 then may exist, holding its slot only until the connect grace period ends.
#[derive(Debug, thiserror::Error)]
#[error("the store did not answer: {0}")]
pub struct Unavailable(pub String);

impl Unavailable {
    /// Whether `error` says the store was out of reach (as opposed to a query we got wrong).
    pub fn explains(error: &anyhow::Error) -> bool {
        error.chain().any(|cause| cause.is::<Unavailable>() || out_of_reach(cause))
    }
}

/// Whether a linked adapter's driver says its server was out of reach.
fn out_of_reach(cause: &(dyn std::error::Error + 'static)) -> bool {
    #[cfg(feature = "postgres")]
    if postgres::out_of_reach(cause) {
        return true;
    }
    #[cfg(feature = "dynamodb")]
    if dynamodb::out_of_reach(cause) {
        return true;
    }
    false
}

/// Why a store did not do what was asked; each maps to one public error code.
#[derive(Debug, thiserror::Error)]
pub enum Refused {
    /// The policy says no (see [`Refusal`]).
    #[error(transparent)]
    Rule(#[from] Refusal),
    #[error("room not found")]
    RoomNotFound,
    #[error("no such participant in this room")]
    ParticipantNotFound,
    /// The acting host was removed or is no longer a host by the time the action is written.
    #[error("the actor is no longer a host in the room")]
    ActorNotHost,
    #[error(transparent)]
    Store(#[from] anyhow::Error),
}

/// One transition asked of a store, with who asks and LiveKit's connection id if it came from there.
#[derive(Clone, Copy)]
pub struct Change<'a> {
    pub transition: Transition,
    /// The host acting, for host actions (who is then checked and logged).
    pub actor: Option<&'a Participant>,
    /// The LiveKit connection a presence event is about.
    pub sid: Option<&'a str>,
    pub connect_grace: Duration,
}

impl<'a> Change<'a> {
    pub fn by_participant(transition: Transition, connect_grace: Duration) -> Self {
        Change { transition, actor: None, sid: None, connect_grace }
    }

    pub fn by_host(transition: Transition, host: &'a Participant, connect_grace: Duration) -> Self {
        Change { transition, actor: Some(host), sid: None, connect_grace }
    }

    pub fn from_livekit(transition: Transition, sid: &'a str, connect_grace: Duration) -> Self {
        Change { transition, actor: None, sid: Some(sid), connect_grace }
    }
}

/// What a transition did: the participant afterwards, the step the policy chose, and the
/// room as the decision found it.
#[derive(Debug, Clone)]
pub struct Applied {
    pub participant: ParticipantView,
    pub step: Step,
    pub room: Room,
}

#[async_trait]
pub trait RoomStore: Send + Sync {
    /// Stores a new room; a colliding id is reported as `Ok(None)` so the caller can retry.
    async fn create_room(&self, room: &NewRoom) -> anyhow::Result<Option<Room>>;

    /// The room and how many participants hold a slot now.
    async fn room(&self, id: &RoomId, connect_grace: Duration) -> anyhow::Result<Option<(Room, i64)>>;

    /// Admits (or queues) a new participant as [`crate::domain::policy::entry`] decides,
    /// never exceeding the room's limit or its lobby cap however many race.
    async fn join(&self, new: &NewParticipant) -> Result<Participant, Refused>;

    /// The participant behind a live session in this room; an admission whose connect
    /// grace period ran out reads as `Left`.
    async fn session(
        &self,
        room: &RoomId,
        session: &SecretHash,
        connect_grace: Duration,
    ) -> anyhow::Result<Option<Participant>>;

    /// Applies one transition to participant `id` if the policy allows it from the state
    /// the participant is in when it is written; a concurrent change is never overwritten.
    async fn apply(&self, room: &RoomId, id: &ParticipantId, change: Change<'_>) -> Result<Applied, Refused>;

    /// Who the room's data goes to now, in one read of its participants: every change that
    /// is sent to the room needs it, and a big room's participants are many.
    async fn audience(&self, room: &RoomId) -> anyhow::Result<Audience>;

    /// The room's other participants (any status) that joined from the same browser as
    /// `participant`: a ban takes every session of that browser out, not only the one shown.
    async fn same_browser(&self, room: &RoomId, participant: &ParticipantId) -> anyhow::Result<Vec<ParticipantId>>;

    /// Whether a webhook event with this id was already acted on.
    async fn delivered(&self, event_id: &str) -> anyhow::Result<bool>;

    /// Remembers that the webhook event `event_id` was acted on, so a retry changes nothing.
    async fn record_delivery(&self, event_id: &str) -> anyhow::Result<()>;
}
