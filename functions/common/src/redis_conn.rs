//! One lazily opened, self-healing Redis connection shared by the chat log and the rate limiter.

use crate::http::measure;
use anyhow::Context;
use redis::aio::{ConnectionManager, ConnectionManagerConfig};
use std::time::Duration;
use tokio::sync::OnceCell;

pub struct LazyRedis {
    client: redis::Client,
    timeout: Duration,
    connection: OnceCell<ConnectionManager>,
}

impl LazyRedis {
    /// Parses the URL only; nothing connects until the first command, so a cold start
    /// does no I/O and a Redis outage at start-up does not stop rooms and joins.
    pub fn new(url: &str, timeout: Duration) -> anyhow::Result<Self> {
        let client = redis::Client::open(url).context("invalid REDIS_URL")?;
        Ok(Self { client, timeout, connection: OnceCell::new() })
    }

    pub async fn connection(&self) -> anyhow::Result<ConnectionManager> {
        let connect = || async {
            let config = ConnectionManagerConfig::new()
                .set_connection_timeout(Some(self.timeout))
                .set_response_timeout(Some(self.timeout))
                .set_number_of_retries(1);
            tokio::time::timeout(self.timeout, ConnectionManager::new_with_config(self.client.clone(), config))
                .await
                .context("connecting to Redis timed out")?
                .context("connecting to Redis")
        };
        self.connection.get_or_try_init(connect).await.cloned()
    }

    /// Runs one command (or script) with the per-call budget. A command that finds its
    /// connection dropped (a Lambda sandbox thawed after the server closed it) is sent once
    /// more on the connection the manager re-opens; the chat append and the rate-limit hit
    /// never reached Redis in that case, so repeating them counts nothing twice.
    pub async fn run<T, F, Fut>(&self, what: &'static str, call: F) -> anyhow::Result<T>
    where
        F: Fn(ConnectionManager) -> Fut,
        Fut: Future<Output = redis::RedisResult<T>>,
    {
        measure::dependency("redis", what, self.run_once_more_if_dropped(what, call), Result::is_ok).await
    }

    async fn run_once_more_if_dropped<T, F, Fut>(&self, what: &'static str, call: F) -> anyhow::Result<T>
    where
        F: Fn(ConnectionManager) -> Fut,
        Fut: Future<Output = redis::RedisResult<T>>,
    {
        let connection = self.connection().await?;
        let attempt = || async {
            tokio::time::timeout(self.timeout, call(connection.clone()))
                .await
                .with_context(|| format!("{what}: Redis timed out"))
        };
        let reply = match attempt().await? {
            Err(error) if error.is_connection_dropped() || error.is_io_error() => {
                tracing::warn!(%error, "{what}: Redis connection dropped, retrying once");
                attempt().await?
            }
            reply => reply,
        };
        reply.with_context(|| format!("{what}: Redis failed"))
    }
}
