//! The chat log port: an ordered, capped, expiring history per room. Adapter: [`redis`].

pub mod redis;

use crate::domain::{ChatText, DisplayName, InvalidField, RoomId, api_schema, plain_token_pattern, string_schema};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use serde::Serialize;
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

/// A stored message, exactly as the API and the LiveKit fan-out show it.
#[derive(Debug, Clone, Serialize, PartialEq, Eq, ToSchema)]
pub struct Message {
    #[schema(value_type = MessageId)]
    pub id: String,
    #[schema(value_type = RoomId)]
    pub room_id: String,
    pub sender: Sender,
    #[schema(value_type = ChatText)]
    pub text: String,
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
    pub text: &'a ChatText,
    pub client_id: Option<&'a ClientMessageId>,
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
    fn client_ids_are_short_and_plain() {
        assert!(ClientMessageId::parse("c-1_A").is_ok());
        assert!(ClientMessageId::parse("").is_err());
        assert!(ClientMessageId::parse(&"x".repeat(65)).is_err());
        assert!(ClientMessageId::parse("a:b").is_err());
    }
}
