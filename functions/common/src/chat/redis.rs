//! Chat history in Redis: one capped stream per room that expires after the last message.

use super::{Appended, Body, ChatLog, Encrypted, Message, MessageId, NewMessage, Page, Sender};
use crate::domain::RoomId;
use crate::redis_conn::LazyRedis;
use anyhow::Context;
use async_trait::async_trait;
use redis::Script;
use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use std::sync::{Arc, LazyLock};
use std::time::Duration;

/// Appends atomically (see the script for its keys and arguments).
static APPEND: LazyLock<Script> = LazyLock::new(|| Script::new(include_str!("append.lua")));

pub struct RedisChatLog {
    redis: Arc<LazyRedis>,
    ttl: Duration,
    max_messages: u32,
}

impl RedisChatLog {
    pub fn new(redis: Arc<LazyRedis>, ttl: Duration, max_messages: u32) -> Self {
        Self { redis, ttl, max_messages }
    }
}

fn stream_key(room: &RoomId) -> String {
    format!("chat:{{{room}}}")
}

/// What the stream keeps of a message besides its id, as one JSON field (`m`): reading a page
/// then parses one value per message instead of one per attribute, which was most of
/// list-chat's CPU time (docs/capacity.md).
#[derive(Serialize, Deserialize)]
struct Stored<'a> {
    identity: Cow<'a, str>,
    name: Cow<'a, str>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    text: Option<Cow<'a, str>>,
    /// A sealed text's nonce and ciphertext (an end-to-end encrypted room), instead of `text`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    iv: Option<Cow<'a, str>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    ct: Option<Cow<'a, str>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    cid: Option<Cow<'a, str>>,
}

/// A message from its stream id and its flat field list. Entries written before the JSON
/// field kept one field per attribute; they are read too until their TTL has passed.
fn message_from_entry(room: &RoomId, id: String, flat: &[String]) -> anyhow::Result<Message> {
    let field = |name: &str| flat.chunks_exact(2).find(|kv| kv[0] == name).map(|kv| kv[1].as_str());
    let stored = match field("m") {
        Some(json) => serde_json::from_str(json).context("reading stored chat message")?,
        None => Stored {
            identity: field("identity").unwrap_or_default().into(),
            name: field("name").unwrap_or_default().into(),
            text: Some(field("text").unwrap_or_default().into()),
            iv: None,
            ct: None,
            cid: field("cid").map(Cow::from),
        },
    };
    let sent_at = MessageId(id.clone()).sent_at();
    Ok(Message {
        id,
        room_id: room.to_string(),
        sender: Sender { identity: stored.identity.into_owned(), display_name: stored.name.into_owned() },
        encrypted: match (stored.iv, stored.ct) {
            (Some(iv), Some(ct)) => Some(Encrypted { iv: iv.into_owned(), ct: ct.into_owned() }),
            _ => None,
        },
        text: stored.text.map(Cow::into_owned),
        client_id: stored.cid.map(Cow::into_owned),
        sent_at,
    })
}

#[async_trait]
impl ChatLog for RedisChatLog {
    async fn append(&self, new: NewMessage<'_>) -> anyhow::Result<Appended> {
        let stream = stream_key(new.room);
        let dedupe = format!("{stream}:sent:{}:{}", new.sender_identity, new.client_id.map_or("", |c| c.as_str()));
        let (text, iv, ct) = match new.body {
            Body::Text(text) => (Some(Cow::from(text.as_str())), None, None),
            Body::Sealed(sealed) => (None, Some(sealed.iv().into()), Some(sealed.ct().into())),
        };
        let stored = &serde_json::to_string(&Stored {
            identity: new.sender_identity.into(),
            name: new.sender_name.as_str().into(),
            text,
            iv,
            ct,
            cid: new.client_id.map(|c| c.as_str().into()),
        })?;
        let (stream, dedupe) = (&stream, &dedupe);
        let (id, flat, created): (String, Vec<String>, i64) = self
            .redis
            .run("appending chat message", |mut conn| async move {
                APPEND
                    .key(stream)
                    .key(dedupe)
                    .arg(self.max_messages)
                    .arg(self.ttl.as_secs().max(1))
                    .arg(if new.client_id.is_some() { "1" } else { "0" })
                    .arg(stored)
                    .invoke_async(&mut conn)
                    .await
            })
            .await?;
        Ok(Appended { message: message_from_entry(new.room, id, &flat)?, created: created == 1 })
    }

    async fn delete_room(&self, room: &RoomId) -> anyhow::Result<()> {
        let stream = &stream_key(room);
        self.redis
            .run("deleting chat history", |mut conn| async move {
                redis::cmd("DEL").arg(stream).query_async(&mut conn).await
            })
            .await
    }

    async fn list(&self, room: &RoomId, after: Option<&MessageId>, limit: usize) -> anyhow::Result<Page> {
        let stream = &stream_key(room);
        let start = &after.map_or_else(|| "-".to_owned(), |id| format!("({}", id.as_str()));
        // Each entry is [id, [field, value, ...]].
        let entries: Vec<(String, Vec<String>)> = self
            .redis
            .run("listing chat messages", |mut conn| async move {
                redis::cmd("XRANGE")
                    .arg(stream)
                    .arg(start)
                    .arg("+")
                    .arg("COUNT")
                    .arg(limit + 1)
                    .query_async(&mut conn)
                    .await
            })
            .await?;
        let mut messages = entries
            .into_iter()
            .map(|(id, flat)| message_from_entry(room, id, &flat))
            .collect::<anyhow::Result<Vec<_>>>()?;
        let next_cursor = (messages.len() > limit).then(|| {
            messages.truncate(limit);
            messages[limit - 1].id.clone()
        });
        Ok(Page { messages, next_cursor })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn flat(pairs: &[(&str, &str)]) -> Vec<String> {
        pairs.iter().flat_map(|(k, v)| [k.to_string(), v.to_string()]).collect()
    }

    #[test]
    fn an_entry_is_read_from_its_json_field_and_from_the_older_one_field_per_attribute_layout() {
        let room = RoomId::parse("abc-defg-hij").unwrap();
        let json = r#"{"identity":"p1","name":"Ann","text":"hi \"there\"","cid":"c-1"}"#;
        let new = message_from_entry(&room, "1700000000000-0".into(), &flat(&[("m", json)])).unwrap();
        let old = message_from_entry(
            &room,
            "1700000000000-0".into(),
            &flat(&[("identity", "p1"), ("name", "Ann"), ("text", "hi \"there\""), ("cid", "c-1")]),
        )
        .unwrap();
        assert_eq!(new, old);
        assert_eq!(new.text.as_deref(), Some("hi \"there\""));
        assert_eq!(new.encrypted, None);
        assert_eq!(new.sender, Sender { identity: "p1".into(), display_name: "Ann".into() });
        assert_eq!(new.client_id.as_deref(), Some("c-1"));
        assert_eq!(new.sent_at.timestamp_millis(), 1_700_000_000_000);
        assert!(message_from_entry(&room, "1-0".into(), &flat(&[("m", "{not json")])).is_err());
    }
}
