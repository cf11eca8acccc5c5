//! Values that are valid by construction: parse once at the edge, trust everywhere after.

mod device_id;
mod participant_id;
pub mod policy;
mod room_id;
mod sealed;
mod secret;
mod text;

pub use device_id::DeviceId;
pub use participant_id::ParticipantId;
pub use room_id::RoomId;
pub use sealed::{SealedCiphertext, SealedNonce, SealedText};
pub use secret::{SecretHash, SecretToken};
pub use text::{ChatText, DisplayName, MaxParticipants, RoomTitle};

use utoipa::openapi::RefOr;
use utoipa::openapi::schema::{ObjectBuilder, Schema, Type};

/// The OpenAPI schema of a string that a domain type parses, built from the parser's own
/// bounds so that the published contract cannot drift from what the server accepts.
pub(crate) fn string_schema(description: &str, length: Option<(usize, usize)>, pattern: Option<&str>) -> RefOr<Schema> {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .description(Some(description))
        .min_length(length.map(|(min, _)| min))
        .max_length(length.map(|(_, max)| max))
        .pattern(pattern)
        .into()
}

/// Letters, digits, `-` and `_`: ids a client makes up, safe in keys and logs.
pub(crate) fn is_plain_token(raw: &str) -> bool {
    raw.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// [`is_plain_token`] with a length range, as a pattern for the OpenAPI document.
pub(crate) fn plain_token_pattern(length: &std::ops::RangeInclusive<usize>) -> String {
    format!("^[A-Za-z0-9_-]{{{},{}}}$", length.start(), length.end())
}

/// Gives a domain type its named schema in the OpenAPI document (`#/components/schemas/<name>`).
macro_rules! api_schema {
    ($name:ty, $schema:expr) => {
        impl utoipa::PartialSchema for $name {
            fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
                $schema
            }
        }
        impl utoipa::ToSchema for $name {}
    };
}
pub(crate) use api_schema;

/// Why a piece of input was refused; `field` names the JSON field for the client.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {reason}")]
pub struct InvalidField {
    pub field: &'static str,
    pub reason: String,
}

impl InvalidField {
    pub fn new(field: &'static str, reason: impl Into<String>) -> Self {
        Self { field, reason: reason.into() }
    }
}

/// What a participant may do in a room.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Host,
    Guest,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Host => "host",
            Role::Guest => "guest",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "host" => Some(Role::Host),
            "guest" => Some(Role::Guest),
            _ => None,
        }
    }
}

/// Where a participant stands: `Admitted` and `Connected` hold a slot; `Kicked`,
/// `Banned` and `Denied` are final for that session.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ParticipantStatus {
    Waiting,
    Admitted,
    Connected,
    Left,
    Kicked,
    Banned,
    Denied,
}

impl ParticipantStatus {
    pub const ALL: [ParticipantStatus; 7] =
        [Self::Waiting, Self::Admitted, Self::Connected, Self::Left, Self::Kicked, Self::Banned, Self::Denied];

    pub fn as_str(self) -> &'static str {
        match self {
            ParticipantStatus::Waiting => "waiting",
            ParticipantStatus::Admitted => "admitted",
            ParticipantStatus::Connected => "connected",
            ParticipantStatus::Left => "left",
            ParticipantStatus::Kicked => "kicked",
            ParticipantStatus::Banned => "banned",
            ParticipantStatus::Denied => "denied",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "waiting" => Some(Self::Waiting),
            "admitted" => Some(Self::Admitted),
            "connected" => Some(Self::Connected),
            "left" => Some(Self::Left),
            "kicked" => Some(Self::Kicked),
            "banned" => Some(Self::Banned),
            "denied" => Some(Self::Denied),
            _ => None,
        }
    }

    /// Whether this participant is in the room (counts against the limit).
    pub fn holds_slot(self) -> bool {
        matches!(self, Self::Admitted | Self::Connected)
    }
}
