//! Chat history in Redis: one capped stream per room that expires after the last message.

use super::{Appended, ChatLog, Message, MessageId, NewMessage, Page, Sender};
use crate::domain::RoomId;
use crate::redis_conn::LazyRedis;
use anyhow::Context;
use async_trait::async_trait;
use redis::Script;
use redis::streams::StreamRangeReply;
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

fn message_from_fields(room: &RoomId, id: String, fields: &[(String, String)]) -> Message {
    let field = |name: &str| fields.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone()).unwrap_or_default();
    let sent_at = MessageId(id.clone()).sent_at();
    Message {
        id,
        room_id: room.to_string(),
        sender: Sender { identity: field("identity"), display_name: field("name") },
        text: field("text"),
        client_id: fields.iter().find(|(k, _)| k == "cid").map(|(_, v)| v.clone()),
        sent_at,
    }
}

#[async_trait]
impl ChatLog for RedisChatLog {
    async fn append(&self, new: NewMessage<'_>) -> anyhow::Result<Appended> {
        let stream = stream_key(new.room);
        let dedupe = format!("{stream}:sent:{}:{}", new.sender_identity, new.client_id.map_or("", |c| c.as_str()));
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
                    .arg(new.sender_identity)
                    .arg(new.sender_name.as_str())
                    .arg(new.text.as_str())
                    .arg(new.client_id.map_or("", |c| c.as_str()))
                    .invoke_async(&mut conn)
                    .await
            })
            .await?;
        let fields: Vec<(String, String)> = flat.chunks_exact(2).map(|kv| (kv[0].clone(), kv[1].clone())).collect();
        Ok(Appended { message: message_from_fields(new.room, id, &fields), created: created == 1 })
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
        let reply: StreamRangeReply = self
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
        let mut messages = reply
            .ids
            .into_iter()
            .map(|entry| {
                let fields = entry
                    .map
                    .iter()
                    .map(|(k, v)| Ok((k.clone(), redis::from_redis_value_ref::<String>(v)?)))
                    .collect::<Result<Vec<_>, redis::ParsingError>>()
                    .context("reading chat entry")?;
                Ok(message_from_fields(room, entry.id, &fields))
            })
            .collect::<anyhow::Result<Vec<_>>>()?;
        let next_cursor = (messages.len() > limit).then(|| {
            messages.truncate(limit);
            messages[limit - 1].id.clone()
        });
        Ok(Page { messages, next_cursor })
    }
}
