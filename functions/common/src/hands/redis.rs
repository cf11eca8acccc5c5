//! Raised hands in Redis: one sorted set per room, scored by the time each hand went up, that
//! expires with the room's chat.

use super::{Hands, RaisedHand};
use crate::domain::{ParticipantId, RoomId};
use crate::redis_conn::LazyRedis;
use async_trait::async_trait;
use chrono::DateTime;
use std::sync::Arc;
use std::time::Duration;

pub struct RedisHands {
    redis: Arc<LazyRedis>,
    ttl: Duration,
}

impl RedisHands {
    pub fn new(redis: Arc<LazyRedis>, ttl: Duration) -> Self {
        Self { redis, ttl }
    }
}

fn hands_key(room: &RoomId) -> String {
    format!("hands:{{{room}}}")
}

#[async_trait]
impl Hands for RedisHands {
    async fn raise(&self, room: &RoomId, participant: &ParticipantId) -> anyhow::Result<bool> {
        let key = &hands_key(room);
        let member = &participant.to_string();
        let now = chrono::Utc::now().timestamp_millis();
        let ttl = self.ttl.as_secs().max(1);
        let (added,): (i64,) = self
            .redis
            .run("raising a hand", |mut conn| async move {
                // NX: a hand raised again keeps the place it took first.
                redis::pipe()
                    .atomic()
                    .cmd("ZADD")
                    .arg(key)
                    .arg("NX")
                    .arg(now)
                    .arg(member)
                    .cmd("EXPIRE")
                    .arg(key)
                    .arg(ttl)
                    .ignore()
                    .query_async(&mut conn)
                    .await
            })
            .await?;
        Ok(added > 0)
    }

    async fn lower(&self, room: &RoomId, participant: &ParticipantId) -> anyhow::Result<bool> {
        let key = &hands_key(room);
        let member = &participant.to_string();
        let removed: i64 = self
            .redis
            .run("lowering a hand", |mut conn| async move {
                redis::cmd("ZREM").arg(key).arg(member).query_async(&mut conn).await
            })
            .await?;
        Ok(removed > 0)
    }

    async fn lower_all(&self, room: &RoomId) -> anyhow::Result<usize> {
        let key = &hands_key(room);
        let (count, _deleted): (usize, i64) = self
            .redis
            .run("lowering every hand", |mut conn| async move {
                redis::pipe().atomic().cmd("ZCARD").arg(key).cmd("DEL").arg(key).query_async(&mut conn).await
            })
            .await?;
        Ok(count)
    }

    async fn raised(&self, room: &RoomId) -> anyhow::Result<Vec<RaisedHand>> {
        let key = &hands_key(room);
        let entries: Vec<(String, i64)> = self
            .redis
            .run("reading raised hands", |mut conn| async move {
                redis::cmd("ZRANGE").arg(key).arg(0).arg(-1).arg("WITHSCORES").query_async(&mut conn).await
            })
            .await?;
        // Members are only ever written from parsed ids; anything else is skipped.
        Ok(entries
            .into_iter()
            .filter_map(|(member, at)| {
                let participant = ParticipantId::parse(&member)?;
                Some(RaisedHand { participant, raised_at: DateTime::from_timestamp_millis(at).unwrap_or_default() })
            })
            .collect())
    }
}
