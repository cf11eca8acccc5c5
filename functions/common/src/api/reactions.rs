//! Bodies of the route in `http/reactions.rs`: a reaction shown over the sender's tile for a
//! few seconds, which also travels on its own LiveKit data topic.

use crate::domain::ParticipantId;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// The reactions people can send: a small fixed set, so that nothing else can float over a tile.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, ToSchema)]
pub enum Emoji {
    #[serde(rename = "👍")]
    ThumbsUp,
    #[serde(rename = "👏")]
    Clap,
    #[serde(rename = "😂")]
    Laugh,
    #[serde(rename = "❤️")]
    Heart,
    #[serde(rename = "🎉")]
    Party,
    #[serde(rename = "😮")]
    Surprised,
}

#[derive(Deserialize, ToSchema)]
pub struct SendReaction {
    pub emoji: Emoji,
}

/// A reaction as everyone in the room gets it (the `reaction` data topic), and as its sender
/// gets it back.
#[derive(Serialize, ToSchema)]
pub struct Reaction {
    pub participant_id: ParticipantId,
    pub emoji: Emoji,
    pub sent_at: DateTime<Utc>,
}
