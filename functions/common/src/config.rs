//! Typed configuration, read once from the environment at start-up.

use anyhow::{Context, bail};
use std::fmt;
use std::time::Duration;

/// A value that must never reach a log line or an error message.
#[derive(Clone)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Secret(value.into())
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(***)")
    }
}

/// The local development secrets (`infra/scripts/env.sh`, `.env.example`, `docker-compose.yml`)
/// start with this so production can recognise and refuse them.
pub const LOCAL_DEV_SECRET_PREFIX: &str = "local-dev-only";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Environment {
    Development,
    Production,
}

/// At most `max` requests per `window` for one key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateLimit {
    pub max: u32,
    pub window: Duration,
}

#[derive(Debug, Clone)]
pub struct RateLimits {
    /// Room creation, per client IP.
    pub create_room: RateLimit,
    /// Joins, per client address (an IPv6 /64 counts as one), across rooms: high enough
    /// for a whole office behind one NAT joining its all-hands.
    pub join: RateLimit,
    /// Joins into one room, from anywhere.
    pub room_join: RateLimit,
    /// Chat messages, per participant.
    pub chat: RateLimit,
    /// Reactions, per participant: a burst of applause, not a stream of emoji over every tile.
    pub reaction: RateLimit,
    /// Connection checks, per client address: each opens a LiveKit room for a few minutes.
    pub connection_check: RateLimit,
    /// Connection checks from everywhere together: bounds the rooms a flood from many
    /// addresses can open.
    pub connection_check_total: RateLimit,
    /// Browsers' telemetry reports, per client address: a few per call.
    pub telemetry: RateLimit,
}

impl Default for RateLimits {
    /// 500 people behind one address (an office's NAT) can all join their all-hands of 500
    /// within a minute, and so can 500 from everywhere into one room, with room for reloads;
    /// one address alone cannot use up a room's joins.
    fn default() -> Self {
        let per_minute = |max| RateLimit { max, window: Duration::from_secs(60) };
        RateLimits {
            create_room: per_minute(10),
            join: per_minute(600),
            room_join: per_minute(1000),
            chat: RateLimit { max: 20, window: Duration::from_secs(10) },
            reaction: RateLimit { max: 10, window: Duration::from_secs(10) },
            connection_check: per_minute(10),
            connection_check_total: per_minute(300),
            telemetry: per_minute(30),
        }
    }
}

#[derive(Debug, Clone)]
pub struct LiveKitConfig {
    /// What browsers connect to (`ws://…` or `wss://…`).
    pub public_url: String,
    /// Where the server API is reached from the backend (`http://…` or `https://…`).
    pub api_url: String,
    pub api_key: String,
    /// Only the functions that mint tokens or call LiveKit hold it (see
    /// [`crate::http::Function::uses_livekit_secret`]); the others start without it.
    pub api_secret: Option<Secret>,
    /// Lifetime of a room token; LiveKit refreshes tokens of connected clients itself.
    pub token_ttl: Duration,
}

/// Where rooms and participants live: PostgreSQL locally and self-hosted, DynamoDB in the cloud.
#[derive(Debug, Clone)]
pub enum StoreConfig {
    Postgres { url: Secret, max_connections: u32 },
    DynamoDb { table: String },
}

#[derive(Debug, Clone)]
pub struct Config {
    pub environment: Environment,
    pub store: StoreConfig,
    pub redis_url: Secret,
    pub livekit: LiveKitConfig,
    /// Base of the shareable link, e.g. `http://localhost:8080`; links are `{base}/r/{room_id}`.
    pub public_base_url: String,
    pub chat_ttl: Duration,
    pub chat_max_messages: u32,
    pub session_ttl: Duration,
    /// How long an admitted participant may take to connect to LiveKit before the slot is freed.
    pub connect_grace: Duration,
    pub rate_limits: RateLimits,
    /// Per-call budget for Redis and LiveKit calls, so a dead dependency cannot stall a request.
    pub dependency_timeout: Duration,
    /// Take the client IP from `X-Forwarded-For` (only behind a proxy we run, such as nginx).
    pub trust_forwarded_for: bool,
    /// Behind CloudFront: the value CloudFront adds to every API request as
    /// `X-Origin-Verify`. When set, requests without it are refused (the execute-api URL
    /// is closed) and the client address is the viewer's, as CloudFront saw it.
    pub origin_secret: Option<Secret>,
}

type Env<'a> = &'a dyn Fn(&str) -> Option<String>;

/// Every variable `Config` reads; `template.yaml` may set only these (a test checks both).
pub const VARIABLES: &[&str] = &[
    "APP_ENV",
    "DYNAMODB_TABLE",
    "DATABASE_URL",
    "DATABASE_MAX_CONNECTIONS",
    "REDIS_URL",
    "LIVEKIT_URL",
    "LIVEKIT_API_URL",
    "LIVEKIT_API_KEY",
    "LIVEKIT_API_SECRET",
    "LIVEKIT_TOKEN_TTL_SECONDS",
    "PUBLIC_BASE_URL",
    "CHAT_TTL_SECONDS",
    "CHAT_MAX_MESSAGES",
    "SESSION_TTL_SECONDS",
    "CONNECT_GRACE_SECONDS",
    "RATE_LIMIT_CREATE_ROOM_MAX",
    "RATE_LIMIT_CREATE_ROOM_WINDOW_SECONDS",
    "RATE_LIMIT_JOIN_MAX",
    "RATE_LIMIT_JOIN_WINDOW_SECONDS",
    "RATE_LIMIT_ROOM_JOIN_MAX",
    "RATE_LIMIT_ROOM_JOIN_WINDOW_SECONDS",
    "RATE_LIMIT_CHAT_MAX",
    "RATE_LIMIT_CHAT_WINDOW_SECONDS",
    "RATE_LIMIT_REACTION_MAX",
    "RATE_LIMIT_REACTION_WINDOW_SECONDS",
    "RATE_LIMIT_CONNECTION_CHECK_MAX",
    "RATE_LIMIT_CONNECTION_CHECK_WINDOW_SECONDS",
    "RATE_LIMIT_CONNECTION_CHECK_TOTAL_MAX",
    "RATE_LIMIT_CONNECTION_CHECK_TOTAL_WINDOW_SECONDS",
    "RATE_LIMIT_TELEMETRY_MAX",
    "RATE_LIMIT_TELEMETRY_WINDOW_SECONDS",
    "DEPENDENCY_TIMEOUT_MS",
    "TRUST_FORWARDED_FOR",
    "ORIGIN_SECRET",
];

/// Secrets that may come from SSM Parameter Store instead: `NAME_SSM_PARAMETER` names a
/// SecureString parameter, read and decrypted once at cold start, so the secret never sits
/// in the template or the function's configuration.
pub const SECRET_VARIABLES: [&str; 4] = ["DATABASE_URL", "REDIS_URL", "LIVEKIT_API_SECRET", "ORIGIN_SECRET"];

pub fn ssm_variable(name: &str) -> String {
    format!("{name}_SSM_PARAMETER")
}

fn required(env: Env, name: &str) -> anyhow::Result<String> {
    match env(name) {
        Some(v) if !v.trim().is_empty() => Ok(v),
        _ => bail!("environment variable {name} is required"),
    }
}

fn number<T: std::str::FromStr>(env: Env, name: &str, default: T) -> anyhow::Result<T>
where
    T::Err: std::error::Error + Send + Sync + 'static,
{
    match env(name) {
        Some(v) => v.trim().parse().with_context(|| format!("{name} must be a number")),
        None => Ok(default),
    }
}

fn seconds(env: Env, name: &str, default: u64) -> anyhow::Result<Duration> {
    number(env, name, default).map(Duration::from_secs)
}

fn rate_limit(env: Env, name: &str, default: RateLimit) -> anyhow::Result<RateLimit> {
    Ok(RateLimit {
        max: number(env, &format!("RATE_LIMIT_{name}_MAX"), default.max)?,
        window: seconds(env, &format!("RATE_LIMIT_{name}_WINDOW_SECONDS"), default.window.as_secs())?,
    })
}

impl Config {
    pub fn from_env() -> anyhow::Result<Self> {
        Self::from_lookup(&|name| std::env::var(name).ok())
    }

    /// Like [`Self::from_env`], first fetching the secrets that name an SSM parameter.
    pub async fn load() -> anyhow::Result<Self> {
        let wanted: Vec<(&str, String)> = SECRET_VARIABLES
            .iter()
            .filter(|name| std::env::var(name).is_err())
            .filter_map(|name| std::env::var(ssm_variable(name)).ok().map(|parameter| (*name, parameter)))
            .collect();
        let mut fetched = std::collections::HashMap::new();
        if !wanted.is_empty() {
            let shared = crate::aws::shared_config().await;
            let answer = aws_sdk_ssm::Client::new(&shared)
                .get_parameters()
                .set_names(Some(wanted.iter().map(|(_, p)| p.clone()).collect()))
                .with_decryption(true)
                .send()
                .await
                .context("reading secrets from SSM Parameter Store")?;
            if let Some(missing) = answer.invalid_parameters().first() {
                bail!("SSM parameter {missing} does not exist or is not readable");
            }
            for parameter in answer.parameters() {
                let name = wanted.iter().find(|(_, p)| Some(p.as_str()) == parameter.name()).map(|(n, _)| *n);
                if let (Some(name), Some(value)) = (name, parameter.value()) {
                    fetched.insert(name, value.to_owned());
                }
            }
        }
        Self::from_lookup(&|name| std::env::var(name).ok().or_else(|| fetched.get(name).cloned()))
    }

    /// Reads configuration through `env`, so tests can supply variables without touching the process.
    pub fn from_lookup(env: Env) -> anyhow::Result<Self> {
        let environment = match env("APP_ENV").as_deref() {
            Some("production") => Environment::Production,
            Some("development") | None => Environment::Development,
            Some(other) => bail!("APP_ENV must be 'development' or 'production', not {other:?}"),
        };
        let config = Config {
            environment,
            store: match env("DYNAMODB_TABLE").filter(|t| !t.trim().is_empty()) {
                Some(table) => StoreConfig::DynamoDb { table },
                None => StoreConfig::Postgres {
                    url: Secret::new(
                        required(env, "DATABASE_URL").context("set DATABASE_URL (PostgreSQL) or DYNAMODB_TABLE")?,
                    ),
                    max_connections: number(env, "DATABASE_MAX_CONNECTIONS", 10)?,
                },
            },
            redis_url: Secret::new(required(env, "REDIS_URL")?),
            livekit: LiveKitConfig {
                public_url: required(env, "LIVEKIT_URL")?,
                api_url: match env("LIVEKIT_API_URL") {
                    Some(url) => url,
                    None => required(env, "LIVEKIT_URL")?.replacen("ws", "http", 1),
                },
                api_key: required(env, "LIVEKIT_API_KEY")?,
                api_secret: env("LIVEKIT_API_SECRET").filter(|s| !s.trim().is_empty()).map(Secret::new),
                token_ttl: seconds(env, "LIVEKIT_TOKEN_TTL_SECONDS", 600)?,
            },
            public_base_url: required(env, "PUBLIC_BASE_URL")?.trim_end_matches('/').to_owned(),
            chat_ttl: seconds(env, "CHAT_TTL_SECONDS", 24 * 3600)?,
            chat_max_messages: number(env, "CHAT_MAX_MESSAGES", 1000)?,
            session_ttl: seconds(env, "SESSION_TTL_SECONDS", 12 * 3600)?,
            connect_grace: seconds(env, "CONNECT_GRACE_SECONDS", 60)?,
            rate_limits: {
                let defaults = RateLimits::default();
                RateLimits {
                    create_room: rate_limit(env, "CREATE_ROOM", defaults.create_room)?,
                    join: rate_limit(env, "JOIN", defaults.join)?,
                    room_join: rate_limit(env, "ROOM_JOIN", defaults.room_join)?,
                    chat: rate_limit(env, "CHAT", defaults.chat)?,
                    reaction: rate_limit(env, "REACTION", defaults.reaction)?,
                    connection_check: rate_limit(env, "CONNECTION_CHECK", defaults.connection_check)?,
                    connection_check_total: rate_limit(env, "CONNECTION_CHECK_TOTAL", defaults.connection_check_total)?,
                    telemetry: rate_limit(env, "TELEMETRY", defaults.telemetry)?,
                }
            },
            dependency_timeout: Duration::from_millis(number(env, "DEPENDENCY_TIMEOUT_MS", 2000)?),
            trust_forwarded_for: matches!(env("TRUST_FORWARDED_FOR").as_deref(), Some("true" | "1")),
            origin_secret: env("ORIGIN_SECRET").filter(|s| !s.trim().is_empty()).map(Secret::new),
        };
        config.refuse_development_secrets_in_production()?;
        Ok(config)
    }

    /// Production starts only with secrets nobody else knows and a Redis reached over TLS:
    /// not the local development secret, not LiveKit's `--dev` credentials (`devkey` /
    /// `secret`), nothing short enough to guess.
    fn refuse_development_secrets_in_production(&self) -> anyhow::Result<()> {
        if self.environment != Environment::Production {
            return Ok(());
        }
        let secret = self.livekit.api_secret.as_ref().map_or("", |s| s.expose());
        if secret.starts_with(LOCAL_DEV_SECRET_PREFIX) {
            bail!("LIVEKIT_API_SECRET is the local development secret; production refuses to start with it");
        }
        if KNOWN_DEFAULTS.contains(&secret) || KNOWN_DEFAULTS.contains(&self.livekit.api_key.as_str()) {
            bail!("LIVEKIT_API_KEY or LIVEKIT_API_SECRET is a published default (LiveKit's --dev credentials)");
        }
        if !secret.is_empty() && secret.len() < MIN_SECRET_LEN {
            bail!("LIVEKIT_API_SECRET must be at least {MIN_SECRET_LEN} characters in production");
        }
        if self.origin_secret.as_ref().is_some_and(|s| s.expose().len() < MIN_SECRET_LEN) {
            bail!("ORIGIN_SECRET must be at least {MIN_SECRET_LEN} characters");
        }
        if !self.redis_url.expose().starts_with("rediss://") {
            bail!("REDIS_URL must use TLS (rediss://) in production: it carries chat and sessions' limits");
        }
        Ok(())
    }
}

/// Credentials published in LiveKit's documentation and `--dev` mode.
const KNOWN_DEFAULTS: [&str; 3] = ["devkey", "secret", "APIKey"];
/// LiveKit itself asks for secrets of at least 32 characters.
const MIN_SECRET_LEN: usize = 32;

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn base() -> HashMap<&'static str, String> {
        HashMap::from([
            ("DATABASE_URL", "postgres://u:pw@localhost/db".into()),
            ("REDIS_URL", "redis://localhost".into()),
            ("LIVEKIT_URL", "ws://localhost:7880".into()),
            ("LIVEKIT_API_KEY", "key".into()),
            ("LIVEKIT_API_SECRET", format!("{LOCAL_DEV_SECRET_PREFIX}-secret")),
            ("PUBLIC_BASE_URL", "http://localhost:8080/".into()),
        ])
    }

    fn load(vars: &HashMap<&'static str, String>) -> anyhow::Result<Config> {
        Config::from_lookup(&|k| vars.get(k).cloned())
    }

    #[test]
    fn defaults_fill_everything_optional() {
        let config = load(&base()).unwrap();
        assert_eq!(config.livekit.api_url, "http://localhost:7880");
        assert_eq!(config.public_base_url, "http://localhost:8080");
        assert_eq!(config.chat_ttl, Duration::from_secs(86400));
        assert_eq!(config.livekit.token_ttl, Duration::from_secs(600));
        assert_eq!(config.rate_limits.join, RateLimit { max: 600, window: Duration::from_secs(60) });
        assert_eq!(config.rate_limits.room_join, RateLimit { max: 1000, window: Duration::from_secs(60) });
        assert!(config.origin_secret.is_none());
    }

    #[test]
    fn a_missing_required_variable_is_named() {
        let mut vars = base();
        vars.remove("REDIS_URL");
        assert!(load(&vars).unwrap_err().to_string().contains("REDIS_URL"));
    }

    #[test]
    fn a_dynamodb_table_chooses_the_dynamodb_store() {
        let mut vars = base();
        assert!(matches!(load(&vars).unwrap().store, StoreConfig::Postgres { max_connections: 10, .. }));
        vars.remove("DATABASE_URL");
        assert!(load(&vars).unwrap_err().to_string().contains("DYNAMODB_TABLE"));
        vars.insert("DYNAMODB_TABLE", "meet".into());
        assert!(matches!(load(&vars).unwrap().store, StoreConfig::DynamoDb { table } if table == "meet"));
    }

    #[test]
    fn production_refuses_development_and_guessable_secrets_and_redis_without_tls() {
        let mut vars = base();
        vars.insert("APP_ENV", "production".into());
        vars.insert("REDIS_URL", "rediss://:pw@cache.example.com:6379".into());
        let refusal = |vars: &HashMap<&'static str, String>| load(vars).unwrap_err().to_string();
        assert!(refusal(&vars).contains("local development secret"));
        vars.insert("LIVEKIT_API_SECRET", "a-real-secret-from-the-secret-store-0123".into());
        assert!(load(&vars).is_ok());

        for (name, value, says) in [
            ("LIVEKIT_API_SECRET", "secret", "published default"),
            ("LIVEKIT_API_KEY", "devkey", "published default"),
            ("LIVEKIT_API_SECRET", "short-but-not-a-default", "at least 32"),
            ("ORIGIN_SECRET", "short", "at least 32"),
            ("REDIS_URL", "redis://:pw@cache.example.com:6379", "TLS"),
        ] {
            let mut bad = vars.clone();
            bad.insert(name, value.into());
            assert!(refusal(&bad).contains(says), "{name}={value}: {}", refusal(&bad));
        }
        // Development keeps its defaults.
        vars.insert("APP_ENV", "development".into());
        vars.insert("LIVEKIT_API_KEY", "devkey".into());
        vars.insert("REDIS_URL", "redis://localhost".into());
        assert!(load(&vars).is_ok());
    }

    #[test]
    fn the_variable_list_is_exactly_what_config_reads() {
        let asked = std::cell::RefCell::new(Vec::new());
        let vars = base();
        Config::from_lookup(&|name| {
            asked.borrow_mut().push(name.to_owned());
            vars.get(name).cloned()
        })
        .unwrap();
        let mut asked = asked.into_inner();
        asked.push("DATABASE_URL".into()); // read only when DYNAMODB_TABLE is unset, as here
        asked.sort();
        asked.dedup();
        let mut listed: Vec<String> = VARIABLES.iter().map(|v| v.to_string()).collect();
        listed.sort();
        assert_eq!(asked, listed);
    }

    #[test]
    fn secrets_do_not_print() {
        let config = load(&base()).unwrap();
        let printed = format!("{config:?}");
        assert!(!printed.contains("pw@"), "{printed}");
        assert!(!printed.contains(LOCAL_DEV_SECRET_PREFIX), "{printed}");
    }
}
