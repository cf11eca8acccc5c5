//! Bodies of the routes in `http/hands.rs`: raised hands, which also travel on their own
//! LiveKit data topic.

use crate::domain::ParticipantId;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Serialize, ToSchema)]
pub struct RaisedHand {
    pub participant_id: ParticipantId,
    pub raised_at: DateTime<Utc>,
}

/// The raised hands of people in the room, first raised first. Also what everyone gets on
/// the `hands` data topic after every change; like the roster, a client keeps the list with
/// the highest `version` (the server's clock in microseconds before the read).
#[derive(Serialize, ToSchema)]
pub struct HandList {
    pub hands: Vec<RaisedHand>,
    pub version: i64,
}

/// Which hand a host lowers: one participant's, or every hand when none is named.
#[derive(Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LowerHands {
    #[schema(value_type = Option<ParticipantId>)]
    pub participant_id: Option<String>,
}
