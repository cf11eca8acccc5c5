//! Bodies of the route in `http/telemetry.rs`: what a browser reports about its calls. Nothing
//! in a report names a person, a room or a device: only what happened, from fixed sets, and
//! one duration.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// At most this many events in one report.
pub const MAX_EVENTS: usize = 20;
/// At most this many join outcomes in one report (a page retrying a failed join, say).
pub const MAX_JOINS: usize = 3;
/// The longest time to a first remote frame worth reporting: ten minutes, in milliseconds.
pub const MAX_FIRST_FRAME_MS: u32 = 600_000;

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TelemetryReport {
    /// 1 to 20 events, of which at most 3 `join`.
    pub events: Vec<ClientEvent>,
}

/// One thing that happened in a browser.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, ToSchema)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum ClientEvent {
    /// How joining the meeting's media ended.
    Join { outcome: JoinOutcome },
    /// Milliseconds from clicking Join to the first frame of someone else's video.
    FirstRemoteFrame { ms: u32 },
    /// Where a connection to the media server failed (a join, or a step of the connection check).
    ConnectionFailure { stage: ConnectionStage },
    /// The media connection dropped and came back (`recovered`) or did not (`lost`).
    Reconnect { outcome: ReconnectOutcome },
    /// A camera, microphone or screen the browser could not open.
    DeviceError { device: Device, reason: DeviceFailure },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum JoinOutcome {
    Connected,
    Failed,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ConnectionStage {
    /// Reaching the media server at all (its WebSocket).
    Signalling,
    /// The WebRTC connection (ICE over UDP or TCP).
    Ice,
    /// The TURN relay.
    Turn,
    /// Sending the camera or microphone once connected.
    Publish,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ReconnectOutcome {
    Recovered,
    Lost,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Device {
    Camera,
    Microphone,
    Screen,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum DeviceFailure {
    /// The person or the browser refused permission.
    Denied,
    NotFound,
    /// Another program holds it.
    InUse,
    Other,
}

/// How many events were counted.
#[derive(Serialize, ToSchema)]
pub struct TelemetryAccepted {
    pub accepted: usize,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn events_outside_the_fixed_sets_do_not_parse() {
        for wrong in [
            r#"{"type":"join","outcome":"maybe"}"#,
            r#"{"type":"first_remote_frame","ms":-1}"#,
            r#"{"type":"join","outcome":"connected","room":"abc-defg-hij"}"#,
            r#"{"type":"page_view"}"#,
        ] {
            assert!(serde_json::from_str::<ClientEvent>(wrong).is_err(), "{wrong}");
        }
    }
}
