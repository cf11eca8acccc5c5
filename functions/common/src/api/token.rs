//! Bodies of the route in `http/token.rs`, and the roster, which also travels on its own
//! LiveKit data topic.

use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;

/// Who may receive the room's media now. The client lets exactly these identities subscribe
/// to its tracks (LiveKit's subscription permissions); updates arrive on the `roster` data
/// topic. `version` is the server's clock in microseconds just before the roster was read: a
/// client keeps the roster with the highest version, so an update read earlier but arriving
/// later cannot give back what a later one took away.
#[derive(Serialize, ToSchema)]
pub struct Roster {
    pub identities: Vec<String>,
    pub version: i64,
}

/// A LiveKit token for this room, valid for about ten minutes.
#[derive(Serialize, ToSchema)]
pub struct TokenIssued {
    pub token: String,
    pub livekit_url: String,
    pub expires_at: DateTime<Utc>,
    pub roster: Roster,
}
