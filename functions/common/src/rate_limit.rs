//! Fixed-window rate limits kept in Redis, so every function instance shares one count.

use crate::config::RateLimit;
use crate::redis_conn::LazyRedis;
use async_trait::async_trait;
use redis::Script;
use std::sync::{Arc, LazyLock};
use std::time::Duration;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    Allowed,
    Limited { retry_after: Duration },
}

#[async_trait]
pub trait RateLimiter: Send + Sync {
    /// Counts one request against `key` (e.g. `join:203.0.113.9`).
    async fn check(&self, key: &str, limit: RateLimit) -> anyhow::Result<Decision>;
}

/// Counts one hit (see the script for its keys and arguments).
static HIT: LazyLock<Script> = LazyLock::new(|| Script::new(include_str!("rate_limit.lua")));

pub struct RedisRateLimiter {
    redis: Arc<LazyRedis>,
}

impl RedisRateLimiter {
    pub fn new(redis: Arc<LazyRedis>) -> Self {
        Self { redis }
    }
}

#[async_trait]
impl RateLimiter for RedisRateLimiter {
    async fn check(&self, key: &str, limit: RateLimit) -> anyhow::Result<Decision> {
        let key = &format!("ratelimit:{key}");
        let window_ms = limit.window.as_millis().max(1) as u64;
        let left_ms: i64 = self
            .redis
            .run("checking rate limit", |mut conn| async move {
                HIT.key(key).arg(window_ms).arg(limit.max).invoke_async(&mut conn).await
            })
            .await?;
        Ok(if left_ms < 0 {
            Decision::Allowed
        } else {
            Decision::Limited { retry_after: Duration::from_millis(left_ms as u64) }
        })
    }
}
