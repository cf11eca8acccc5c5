//! The media server port: room tokens, server-sent data and webhooks. Adapter: [`livekit`].

pub mod livekit;

use crate::domain::{DisplayName, Role, RoomId};
use async_trait::async_trait;
use chrono::{DateTime, Utc};

pub struct TokenRequest<'a> {
    pub room: &'a RoomId,
    pub identity: &'a str,
    pub display_name: &'a DisplayName,
    pub role: Role,
}

pub struct IssuedToken {
    pub token: String,
    pub url: String,
    pub expires_at: DateTime<Utc>,
}

/// A verified webhook delivery: LiveKit's event id (the same on a retry) and the event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Delivery {
    pub id: String,
    pub event: MediaEvent,
}

/// A verified webhook, reduced to what the backend acts on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MediaEvent {
    ParticipantJoined {
        room: String,
        identity: String,
        sid: String,
    },
    ParticipantLeft {
        room: String,
        identity: String,
        sid: String,
    },
    /// LiveKit opened a room: nobody is in it yet (also after LiveKit itself restarted).
    RoomStarted {
        room: String,
    },
    RoomFinished {
        room: String,
    },
    /// Anything else LiveKit reports; acknowledged and ignored.
    Other(String),
}

impl MediaEvent {
    /// The LiveKit room the event is about, if it names one.
    pub fn room(&self) -> Option<&str> {
        match self {
            MediaEvent::ParticipantJoined { room, .. }
            | MediaEvent::ParticipantLeft { room, .. }
            | MediaEvent::RoomStarted { room }
            | MediaEvent::RoomFinished { room } => Some(room),
            MediaEvent::Other(_) => None,
        }
    }

    /// LiveKit's name for the event (`participant_joined`, …), as metrics count it.
    pub fn kind(&self) -> &str {
        match self {
            MediaEvent::ParticipantJoined { .. } => "participant_joined",
            MediaEvent::ParticipantLeft { .. } => "participant_left",
            MediaEvent::RoomStarted { .. } => "room_started",
            MediaEvent::RoomFinished { .. } => "room_finished",
            MediaEvent::Other(kind) => kind,
        }
    }
}

/// What a host can mute.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize, serde::Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum TrackSource {
    Microphone,
    Camera,
    ScreenShare,
}

#[derive(Debug, thiserror::Error)]
pub enum WebhookRejected {
    #[error("webhook signature does not verify: {0}")]
    BadSignature(String),
}

#[async_trait]
pub trait MediaServer: Send + Sync {
    /// A short-lived token that lets one participant into one room, and nothing more.
    fn room_token(&self, request: &TokenRequest<'_>) -> anyhow::Result<IssuedToken>;

    /// A token for a throwaway room of one, opened here, in which a person tests the path
    /// from their browser to the media server (signalling, WebRTC, TURN, publishing) before
    /// or instead of a meeting. Nobody else can enter it, and it closes soon after it empties.
    async fn check_room(&self) -> anyhow::Result<IssuedToken>;

    /// Creates the room in the media server unless it exists: the backend alone creates
    /// rooms, and the media server refuses joins beyond `max_participants`.
    async fn open(&self, room: &RoomId, max_participants: i32) -> anyhow::Result<()>;

    /// Sends `payload` reliably on `topic` to `to` (everyone in the room when empty).
    async fn send(&self, room: &RoomId, topic: &str, payload: Vec<u8>, to: Vec<String>) -> anyhow::Result<()>;

    /// Disconnects a participant now. (LiveKit's open-source server does not revoke the
    /// tokens they hold: the rest of the meeting's clients refuse them their tracks.)
    async fn remove(&self, room: &RoomId, identity: &str) -> anyhow::Result<()>;

    /// Mutes the participant's published track of `source`; `Ok(false)` if there is none.
    async fn mute(&self, room: &RoomId, identity: &str, source: TrackSource) -> anyhow::Result<bool>;

    /// Tells everyone in the room the participant's new role (their metadata).
    async fn set_role(&self, room: &RoomId, identity: &str, role: Role) -> anyhow::Result<()>;

    /// Disconnects everyone and closes the room.
    async fn close(&self, room: &RoomId) -> anyhow::Result<()>;

    /// The identities connected to the room now (none if the room is not open).
    async fn present(&self, room: &RoomId) -> anyhow::Result<Vec<String>>;

    /// Checks the signature over the exact raw body before anything is parsed.
    fn verify_webhook(&self, body: &str, authorization: &str) -> Result<Delivery, WebhookRejected>;
}

/// The media server of a function that holds no LiveKit secret because it never needs one
/// (see [`crate::http::Function::uses_livekit_secret`]): every call fails, and says why.
pub struct WithoutSecret;

fn no_secret() -> anyhow::Error {
    anyhow::anyhow!("this function holds no LiveKit secret")
}

#[async_trait]
impl MediaServer for WithoutSecret {
    fn room_token(&self, _: &TokenRequest<'_>) -> anyhow::Result<IssuedToken> {
        Err(no_secret())
    }

    async fn check_room(&self) -> anyhow::Result<IssuedToken> {
        Err(no_secret())
    }

    async fn open(&self, _: &RoomId, _: i32) -> anyhow::Result<()> {
        Err(no_secret())
    }

    async fn send(&self, _: &RoomId, _: &str, _: Vec<u8>, _: Vec<String>) -> anyhow::Result<()> {
        Err(no_secret())
    }

    async fn remove(&self, _: &RoomId, _: &str) -> anyhow::Result<()> {
        Err(no_secret())
    }

    async fn mute(&self, _: &RoomId, _: &str, _: TrackSource) -> anyhow::Result<bool> {
        Err(no_secret())
    }

    async fn set_role(&self, _: &RoomId, _: &str, _: Role) -> anyhow::Result<()> {
        Err(no_secret())
    }

    async fn close(&self, _: &RoomId) -> anyhow::Result<()> {
        Err(no_secret())
    }

    async fn present(&self, _: &RoomId) -> anyhow::Result<Vec<String>> {
        Err(no_secret())
    }

    fn verify_webhook(&self, _: &str, _: &str) -> Result<Delivery, WebhookRejected> {
        Err(WebhookRejected::BadSignature(no_secret().to_string()))
    }
}
