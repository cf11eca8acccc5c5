//! The chat log port: an ordered, capped, expiring history per room. Adapter: [`redis`].

pub mod redis;

use crate::domain::{
    ChatText, DisplayName, InvalidField, RoomId, SealedText, api_schema, plain_token_pattern, string_schema,
};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A message id: a Redis stream id (`<ms>-<seq>`), increasing within a room, used as the cursor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MessageId(String);

impl MessageId {
    pub fn parse(raw: &str) -> Result<Self, InvalidField> {
        // Redis stream ids are two u64s; anything else would reach Redis and fail there.
        let number = |part: &str| part.bytes().all(|b| b.is_ascii_digit()) && part.parse::<u64>().is_ok();
        // The very last id has nothing after it that Redis could name.
        let valid = raw.split_once('-').is_some_and(|(ms, seq)| number(ms) && number(seq))
            && raw != format!("{}-{}", u64::MAX, u64::MAX);
        if valid {
            Ok(Self(raw.to_owned()))
        } else {
            Err(InvalidField::new("after", "must be a message id such as 1764132000000-0"))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The time the log assigned: the millisecond part of the id.
    pub fn sent_at(&self) -> DateTime<Utc> {
        let ms = self.0.split('-').next().and_then(|ms| ms.parse().ok()).unwrap_or(0);
        DateTime::from_timestamp_millis(ms).unwrap_or_default()
    }
}

/// A client's own id for a message, so a retried send is stored once.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientMessageId(String);

impl ClientMessageId {
    const LENGTH: std::ops::RangeInclusive<usize> = 1..=64;

    pub fn parse(raw: &str) -> Result<Self, InvalidField> {
        let valid = Self::LENGTH.contains(&raw.len()) && crate::domain::is_plain_token(raw);
        if valid {
            Ok(Self(raw.to_owned()))
        } else {
            Err(InvalidField::new("client_id", "must be 1 to 64 letters, digits, '-' or '_'"))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

api_schema!(
    MessageId,
    string_schema(
        "A message's id, increasing within a room; also the cursor for paging.",
        None,
        Some("^[0-9]+-[0-9]+$")
    )
);

api_schema!(
    ClientMessageId,
    string_schema(
        "The sender's own id for a message, so that a retried send is stored once.",
        None,
        Some(&plain_token_pattern(&ClientMessageId::LENGTH))
    )
);

#[derive(Debug, Clone, Serialize, PartialEq, Eq, ToSchema)]
pub struct Sender {
    pub identity: String,
    pub display_name: String,
}

/// A message sealed in the browser, in an end-to-end encrypted room: all the server stores and
/// sends of its text. Its plaintext follows the rules of `ChatText`.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Encrypted {
    #[schema(value_type = crate::domain::SealedNonce)]
    pub iv: String,
    #[schema(value_type = crate::domain::SealedCiphertext)]
    pub ct: String,
}

/// A stored message, exactly as the API and the LiveKit fan-out show it: `text` in a room that
/// is not end-to-end encrypted, `encrypted` in one that is.
#[derive(Debug, Clone, Serialize, PartialEq, Eq, ToSchema)]
pub struct Message {
    #[schema(value_type = MessageId)]
    pub id: String,
    #[schema(value_type = RoomId)]
    pub room_id: String,
    pub sender: Sender,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<ChatText>, nullable = false)]
    pub text: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub encrypted: Option<Encrypted>,
    pub sent_at: DateTime<Utc>,
    /// The sender's own id for the message, so their client can match it to what it sent.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<ClientMessageId>, nullable = false)]
    pub client_id: Option<String>,
}

pub struct NewMessage<'a> {
    pub room: &'a RoomId,
    pub sender_identity: &'a str,
    pub sender_name: &'a DisplayName,
    pub body: &'a Body,
    pub client_id: Option<&'a ClientMessageId>,
}

/// What a message says: text, or a sealed text that only the room's browsers can open.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Body {
    Text(ChatText),
    Sealed(SealedText),
}

impl Body {
    /// What a sender may say in a room: plain text, or, when the room is end-to-end encrypted,
    /// only a sealed text, so that no client can leak the meeting's chat to the server by
    /// mistake.
    pub fn parse(text: Option<&str>, encrypted: Option<&Encrypted>, room_e2ee: bool) -> Result<Self, BodyRefused> {
        match (text, encrypted) {
            (Some(_), Some(_)) => Err(InvalidField::new("encrypted", "cannot be sent with `text`").into()),
            (Some(_), None) if room_e2ee => Err(BodyRefused::EncryptionRequired),
            (Some(text), None) => Ok(Body::Text(ChatText::parse(text)?)),
            (None, Some(sealed)) if room_e2ee => Ok(Body::Sealed(SealedText::parse(&sealed.iv, &sealed.ct)?)),
            (None, Some(_)) => {
                Err(InvalidField::new("encrypted", "is only for end-to-end encrypted rooms; send `text`").into())
            }
            (None, None) => Err(InvalidField::new(if room_e2ee { "encrypted" } else { "text" }, "is required").into()),
        }
    }
}

/// Why a message's body was refused.
#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum BodyRefused {
    #[error("plain text in an end-to-end encrypted room")]
    EncryptionRequired,
    #[error(transparent)]
    Invalid(#[from] InvalidField),
}

pub struct Appended {
    pub message: Message,
    /// False when the client id had been seen before and the earlier message was returned.
    pub created: bool,
}

/// One page of history, oldest first, as list-chat answers it.
#[derive(Debug, Serialize, ToSchema)]
pub struct Page {
    pub messages: Vec<Message>,
    /// Present when more messages follow: ask again with `after` set to it.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<MessageId>, nullable = false)]
    pub next_cursor: Option<String>,
}

#[async_trait]
pub trait ChatLog: Send + Sync {
    async fn append(&self, message: NewMessage<'_>) -> anyhow::Result<Appended>;

    /// Deletes the room's whole history (the meeting ended).
    async fn delete_room(&self, room: &RoomId) -> anyhow::Result<()>;

    /// Oldest first, strictly after `after` (from the start when `None`).
    async fn list(&self, room: &RoomId, after: Option<&MessageId>, limit: usize) -> anyhow::Result<Page>;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn message_ids_parse_and_carry_their_time() {
        let id = MessageId::parse("1764132000123-7").unwrap();
        assert_eq!(id.sent_at().timestamp_millis(), 1764132000123);
        for bad in ["", "-", "12", "12-", "-3", "a-1", "1-1-1", "1 -1"] {
            assert!(MessageId::parse(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn an_encrypted_room_takes_only_sealed_text_and_any_other_room_only_text() {
        let sealed = Encrypted { iv: "AAAAAAAAAAAAAAAA".into(), ct: "A".repeat(24) };
        let field = |r: Result<Body, BodyRefused>| match r {
            Err(BodyRefused::Invalid(f)) => f.field,
            other => panic!("{other:?}"),
        };
        assert!(matches!(Body::parse(Some("hi"), None, false), Ok(Body::Text(_))));
        assert!(matches!(Body::parse(None, Some(&sealed), true), Ok(Body::Sealed(_))));
        assert_eq!(Body::parse(Some("hi"), None, true), Err(BodyRefused::EncryptionRequired));
        assert_eq!(field(Body::parse(None, Some(&sealed), false)), "encrypted");
        assert_eq!(field(Body::parse(Some("hi"), Some(&sealed), true)), "encrypted");
        assert_eq!(field(Body::parse(None, None, true)), "encrypted");
        assert_eq!(field(Body::parse(None, None, false)), "text");
        assert_eq!(field(Body::parse(Some(" "), None, false)), "text");
        let short = Encrypted { ct: "A".repeat(8), ..sealed };
        assert_eq!(field(Body::parse(None, Some(&short), true)), "encrypted.ct");
    }

    #[test]
    fn client_ids_are_short_and_plain() {
        assert!(ClientMessageId::parse("c-1_A").is_ok());
        assert!(ClientMessageId::parse("").is_err());
        assert!(ClientMessageId::parse(&"x".repeat(65)).is_err());
        assert!(ClientMessageId::parse("a:b").is_err());
    }
}
