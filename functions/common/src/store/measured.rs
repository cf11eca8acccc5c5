//! Either store, with every call timed under `meet_dependency_duration_seconds` and traced as
//! a span (the dependency is `postgres` or `dynamodb`, the operation the method's name). A refusal the
//! rules make (a full room, a removed participant) is an answer, not a failed call: only a
//! store error counts as `outcome="error"`.

use super::moderation::{Action, ActionRecord, Actor, ModerationStore, ParticipantView, RoomPatch};
use super::{Applied, Audience, Change, NewParticipant, NewRoom, Participant, Refused, Room, RoomStore, Unavailable};
use crate::domain::{ParticipantId, RoomId, SecretHash};
use crate::http::measure::dependency;
use async_trait::async_trait;
use std::time::Duration;

pub struct Measured<S> {
    dependency: &'static str,
    budget: Duration,
    inner: S,
}

impl<S> Measured<S> {
    /// `budget`: how long one call may take (`DEPENDENCY_TIMEOUT_MS`), a transaction's
    /// retries included.
    pub fn new(dependency: &'static str, budget: Duration, inner: S) -> Self {
        Self { dependency, budget, inner }
    }

    pub fn inner(&self) -> &S {
        &self.inner
    }

    /// Times and traces one call, and gives up on it past the dependency budget: a store that
    /// stopped answering makes requests fail fast with `store_unavailable`, not pile up.
    async fn time<T, E: FailedCall>(&self, operation: &str, call: impl Future<Output = Result<T, E>>) -> Result<T, E> {
        let within_budget = async {
            match tokio::time::timeout(self.budget, call).await {
                Ok(result) => result,
                Err(_) => {
                    Err(E::timed_out(format!("{} {operation} took longer than {:?}", self.dependency, self.budget)))
                }
            }
        };
        dependency(self.dependency, operation, within_budget, |result| {
            result.as_ref().err().is_none_or(|e| !e.failed_call())
        })
        .await
    }
}

/// Whether an error means the store did not answer (rather than answered no).
trait FailedCall {
    fn failed_call(&self) -> bool;
    /// The error a call cut short at the budget answers with.
    fn timed_out(what: String) -> Self;
}

impl FailedCall for anyhow::Error {
    fn failed_call(&self) -> bool {
        true
    }

    fn timed_out(what: String) -> Self {
        Unavailable(what).into()
    }
}

impl FailedCall for Refused {
    fn failed_call(&self) -> bool {
        matches!(self, Refused::Store(_))
    }

    fn timed_out(what: String) -> Self {
        Refused::Store(Unavailable(what).into())
    }
}

#[async_trait]
impl<S: RoomStore> RoomStore for Measured<S> {
    async fn create_room(&self, room: &NewRoom) -> anyhow::Result<Option<Room>> {
        self.time("create_room", self.inner.create_room(room)).await
    }

    async fn room(&self, id: &RoomId, connect_grace: Duration) -> anyhow::Result<Option<(Room, i64)>> {
        self.time("room", self.inner.room(id, connect_grace)).await
    }

    async fn join(&self, new: &NewParticipant) -> Result<Participant, Refused> {
        self.time("join", self.inner.join(new)).await
    }

    async fn session(
        &self,
        room: &RoomId,
        session: &SecretHash,
        connect_grace: Duration,
    ) -> anyhow::Result<Option<Participant>> {
        self.time("session", self.inner.session(room, session, connect_grace)).await
    }

    async fn apply(&self, room: &RoomId, id: &ParticipantId, change: Change<'_>) -> Result<Applied, Refused> {
        self.time("apply", self.inner.apply(room, id, change)).await
    }

    async fn audience(&self, room: &RoomId) -> anyhow::Result<Audience> {
        self.time("audience", self.inner.audience(room)).await
    }

    async fn same_browser(&self, room: &RoomId, participant: &ParticipantId) -> anyhow::Result<Vec<ParticipantId>> {
        self.time("same_browser", self.inner.same_browser(room, participant)).await
    }

    async fn delivered(&self, event_id: &str) -> anyhow::Result<bool> {
        self.time("delivered", self.inner.delivered(event_id)).await
    }

    async fn record_delivery(&self, event_id: &str) -> anyhow::Result<()> {
        self.time("record_delivery", self.inner.record_delivery(event_id)).await
    }
}

#[async_trait]
impl<S: ModerationStore> ModerationStore for Measured<S> {
    async fn participants(&self, room: &RoomId, connect_grace: Duration) -> anyhow::Result<Vec<ParticipantView>> {
        self.time("participants", self.inner.participants(room, connect_grace)).await
    }

    async fn lobby(&self, room: &RoomId) -> anyhow::Result<Vec<ParticipantView>> {
        self.time("lobby", self.inner.lobby(room)).await
    }

    async fn participant(
        &self,
        room: &RoomId,
        id: &ParticipantId,
        connect_grace: Duration,
    ) -> anyhow::Result<Option<ParticipantView>> {
        self.time("participant", self.inner.participant(room, id, connect_grace)).await
    }

    async fn connected_hosts(&self, room: &RoomId) -> anyhow::Result<Vec<String>> {
        self.time("connected_hosts", self.inner.connected_hosts(room)).await
    }

    async fn record(
        &self,
        actor: Actor<'_>,
        action: Action,
        target: Option<&ParticipantId>,
        detail: serde_json::Value,
    ) -> anyhow::Result<()> {
        self.time("record", self.inner.record(actor, action, target, detail)).await
    }

    async fn update_room(&self, actor: Actor<'_>, patch: &RoomPatch, connect_grace: Duration) -> Result<Room, Refused> {
        self.time("update_room", self.inner.update_room(actor, patch, connect_grace)).await
    }

    async fn end_room(&self, actor: Actor<'_>, connect_grace: Duration) -> Result<(), Refused> {
        self.time("end_room", self.inner.end_room(actor, connect_grace)).await
    }

    async fn actions(&self, room: &RoomId) -> anyhow::Result<Vec<ActionRecord>> {
        self.time("actions", self.inner.actions(room)).await
    }
}
