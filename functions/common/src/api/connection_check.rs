//! Bodies of the route in `http/connection_check.rs`.

use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;

/// A LiveKit token for a throwaway room of one, to test the connection with. It may publish
/// a camera and a microphone there and nothing else; the room closes soon after it empties.
#[derive(Serialize, ToSchema)]
pub struct CheckIssued {
    pub token: String,
    pub livekit_url: String,
    pub expires_at: DateTime<Utc>,
}
