//! Raised hands: who asked to speak, in the order they asked. Adapter: [`redis`]. The list
//! lives beside the chat (same lifetime, same store in every deployment); who may still be
//! shown is the room store's roster, applied by the handlers.

pub mod redis;

use crate::domain::{ParticipantId, RoomId};
use async_trait::async_trait;
use chrono::{DateTime, Utc};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RaisedHand {
    pub participant: ParticipantId,
    pub raised_at: DateTime<Utc>,
}

#[async_trait]
pub trait Hands: Send + Sync {
    /// Raises the hand; raising it again keeps its place in the queue. True when it was down.
    async fn raise(&self, room: &RoomId, participant: &ParticipantId) -> anyhow::Result<bool>;

    /// Lowers one hand; false when it was not raised.
    async fn lower(&self, room: &RoomId, participant: &ParticipantId) -> anyhow::Result<bool>;

    /// Lowers every hand in the room; how many were raised.
    async fn lower_all(&self, room: &RoomId) -> anyhow::Result<usize>;

    /// Raised hands, first raised first.
    async fn raised(&self, room: &RoomId) -> anyhow::Result<Vec<RaisedHand>>;
}
