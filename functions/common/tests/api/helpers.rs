//! `spawn_app()`: a fresh, migrated database and the full router on port 0, per test.

use common::config::{Config, StoreConfig};
use common::http::{AppState, Function, router};
use common::store::dynamodb::DynamoRoomStore;
use common::store::postgres::MIGRATOR;
use reqwest::{Response, StatusCode};
use serde_json::{Value, json};
use sqlx::{Connection, Executor, PgConnection, PgPool};
use std::net::SocketAddr;
use uuid::Uuid;

pub struct TestApp {
    pub address: String,
    pub client: reqwest::Client,
    pub config: Config,
    /// The app's own services, for looking at stored state the API does not show.
    pub state: AppState,
    /// The raw table or database, for checks of what is stored and how.
    pub storage: Storage,
}

pub enum Storage {
    Postgres(PgPool),
    DynamoDb(aws_sdk_dynamodb::Client, String),
}

/// How long one store call may take on moto's server (see `spawn_app_with`).
const MOTO_BUDGET: std::time::Duration = std::time::Duration::from_secs(15);

/// Which store the suite runs on: `TEST_STORE=dynamodb` (moto's server) or PostgreSQL.
fn dynamodb_wanted() -> bool {
    std::env::var("TEST_STORE").as_deref() == Ok("dynamodb")
}

pub async fn spawn_app() -> TestApp {
    spawn_app_with(|_| {}).await
}

/// Starts the app with `customise` applied to the test stack's configuration.
pub async fn spawn_app_with(customise: impl FnOnce(&mut Config)) -> TestApp {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let _ = tracing_subscriber::fmt().with_test_writer().with_env_filter("info,sqlx=warn").try_init();
    let mut config = Config::from_env().expect("test stack variables missing: run the tests through `make test`");
    // Each test is its own client IP, so per-IP rate limits of parallel tests never meet.
    config.trust_forwarded_for = true;
    config.rate_limits.join.max = 1000;
    config.rate_limits.room_join.max = 10_000;
    config.rate_limits.create_room.max = 1000;

    let storage = if dynamodb_wanted() {
        // A table of its own per test, so tests never see each other's rooms.
        let table = format!("test-{}", Uuid::new_v4().simple());
        let store = DynamoRoomStore::from_env(&table, MOTO_BUDGET).await;
        store.create_table().await.expect("creating the test table: is moto's server running (`make test`)?");
        config.store = StoreConfig::DynamoDb { table: table.clone() };
        // moto answers one request at a time, for the whole suite: a burst of a hundred joins
        // queues there for seconds, which DynamoDB itself never makes anyone wait. The
        // production budget (2 s) would turn that queue into 503s; the tests judge who is
        // admitted, so they give moto's queue room. The dependencies tests take down refuse
        // connections at once, so they are not slowed by this.
        config.dependency_timeout = MOTO_BUDGET;
        let shared = common::aws::shared_config().await;
        Storage::DynamoDb(aws_sdk_dynamodb::Client::new(&shared), table)
    } else {
        let StoreConfig::Postgres { url, .. } = &config.store else { panic!("the test stack configures PostgreSQL") };
        let server_url = url.expose().rsplit_once('/').expect("DATABASE_URL has a database").0.to_owned();
        let database = format!("test_{}", Uuid::new_v4().simple());
        let mut admin = PgConnection::connect(&format!("{server_url}/postgres"))
            .await
            .expect("PostgreSQL of the test stack is not reachable: is `make test` running it?");
        admin
            .execute(sqlx::AssertSqlSafe(format!(r#"CREATE DATABASE "{database}""#)))
            .await
            .expect("creating test database");
        let url = format!("{server_url}/{database}");
        config.store = StoreConfig::Postgres { url: common::config::Secret::new(url.clone()), max_connections: 10 };
        let db = PgPool::connect(&url).await.expect("connecting to test database");
        MIGRATOR.run(&db).await.expect("migrating test database");
        Storage::Postgres(db)
    };
    customise(&mut config);

    let state = AppState::from_config(config.clone()).await.expect("building app state");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = format!("http://{}", listener.local_addr().unwrap());
    let app = router(&Function::ALL, state.clone()).into_make_service_with_connect_info::<SocketAddr>();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });

    // Limits group IPv6 by /64, so the test's own address differs within the first 64 bits.
    let ip = format!("2001:db8:{:x}:{:x}::1", rand::random::<u16>(), rand::random::<u16>());
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert("x-forwarded-for", ip.parse().unwrap());
    let client = reqwest::Client::builder().default_headers(headers).build().unwrap();
    TestApp { address, client, config, state, storage }
}

/// A participant as the API handed it out.
#[derive(Debug, Clone)]
pub struct Joined {
    pub id: String,
    pub session: String,
    pub body: Value,
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.address, path)
    }

    pub async fn post_json(&self, path: &str, body: Value) -> Response {
        self.client.post(self.url(path)).json(&body).send().await.unwrap()
    }

    pub async fn post_authed(&self, path: &str, session: &str, body: Option<Value>) -> Response {
        let request = self.client.post(self.url(path)).bearer_auth(session);
        let request = match body {
            Some(body) => request.json(&body),
            None => request,
        };
        request.send().await.unwrap()
    }

    /// PATCH /api/rooms/{room} with `body` as `session`.
    pub async fn patch_room(&self, room: &str, session: &str, body: Value) -> Response {
        let request = self.client.patch(self.url(&format!("/api/rooms/{room}"))).bearer_auth(session);
        request.json(&body).send().await.unwrap()
    }

    pub async fn get(&self, path: &str, session: Option<&str>) -> Response {
        let request = self.client.get(self.url(path));
        let request = match session {
            Some(s) => request.bearer_auth(s),
            None => request,
        };
        request.send().await.unwrap()
    }

    pub async fn create_room(&self, body: Value) -> Response {
        self.post_json("/api/rooms", body).await
    }

    /// Creates a room and returns (room id, host key).
    pub async fn room(&self, max_participants: i64) -> (String, String) {
        let response = self.create_room(json!({"title": "Standup", "max_participants": max_participants})).await;
        assert_eq!(response.status(), StatusCode::CREATED);
        let body: Value = response.json().await.unwrap();
        (body["room"]["id"].as_str().unwrap().to_owned(), body["host_key"].as_str().unwrap().to_owned())
    }

    pub async fn join(&self, room: &str, body: Value) -> Response {
        self.post_json(&format!("/api/rooms/{room}/join"), body).await
    }

    /// Joins as a guest and expects success.
    pub async fn guest(&self, room: &str, name: &str) -> Joined {
        let response = self.join(room, json!({"display_name": name})).await;
        assert_eq!(response.status(), StatusCode::CREATED, "joining {room} as {name}");
        joined(response).await
    }

    pub async fn participant_count(&self, room: &str) -> i64 {
        let body: Value = self.get(&format!("/api/rooms/{room}"), None).await.json().await.unwrap();
        body["room"]["participant_count"].as_i64().unwrap()
    }

    pub async fn send_chat(&self, room: &str, session: &str, body: Value) -> Response {
        self.post_authed(&format!("/api/rooms/{room}/messages"), session, Some(body)).await
    }
}

pub async fn joined(response: Response) -> Joined {
    let body: Value = response.json().await.unwrap();
    Joined {
        id: body["participant"]["id"].as_str().unwrap().to_owned(),
        session: body["session_token"].as_str().unwrap().to_owned(),
        body,
    }
}

/// Asserts the public error shape and returns the body.
pub async fn assert_error(response: Response, status: StatusCode, code: &str) -> Value {
    assert_eq!(response.status(), status, "expected {status} {code}");
    let body: Value = response.json().await.expect("error body is JSON");
    assert_eq!(body["error"]["code"], code, "{body}");
    assert!(body["error"]["message"].as_str().is_some_and(|m| !m.is_empty()), "{body}");
    assert!(body["error"]["request_id"].as_str().is_some_and(|m| !m.is_empty()), "{body}");
    body
}

impl TestApp {
    /// Creates a room (optionally with a waiting room) and joins it as its host.
    pub async fn room_with_host(&self, max_participants: i64, waiting_room: bool) -> (String, String, Joined) {
        let response = self
            .create_room(
                json!({"title": "Moderated", "max_participants": max_participants, "waiting_room": waiting_room}),
            )
            .await;
        assert_eq!(response.status(), StatusCode::CREATED);
        let body: Value = response.json().await.unwrap();
        let room = body["room"]["id"].as_str().unwrap().to_owned();
        let host_key = body["host_key"].as_str().unwrap().to_owned();
        let host = joined(self.join(&room, json!({"display_name": "Host", "host_key": host_key})).await).await;
        assert_eq!(host.body["participant"]["role"], "host");
        (room, host_key, host)
    }

    /// POST /api/rooms/{room}/participants/{target}/{action} as `session`.
    pub async fn moderate(&self, room: &str, session: &str, target: &str, action: &str) -> Response {
        self.post_authed(&format!("/api/rooms/{room}/participants/{target}/{action}"), session, None).await
    }

    pub async fn status_of(&self, room: &str, session: &str) -> String {
        let body: Value = self.get(&format!("/api/rooms/{room}/me"), Some(session)).await.json().await.unwrap();
        body["participant"]["status"].as_str().unwrap().to_owned()
    }
}

impl TestApp {
    /// What the store keeps as the room's host key.
    pub async fn stored_host_key(&self, room: &str) -> Vec<u8> {
        match &self.storage {
            Storage::Postgres(db) => sqlx::query_scalar("SELECT host_key_hash FROM rooms WHERE id = $1")
                .bind(room)
                .fetch_one(db)
                .await
                .unwrap(),
            Storage::DynamoDb(client, table) => {
                let key = [("pk", format!("ROOM#{room}")), ("sk", "ROOM".to_owned())]
                    .map(|(k, v)| (k.to_owned(), aws_sdk_dynamodb::types::AttributeValue::S(v)));
                let item =
                    client.get_item().table_name(table).set_key(Some(key.into())).send().await.unwrap().item.unwrap();
                item["host_key"].as_b().unwrap().as_ref().to_vec()
            }
        }
    }

    /// How many rooms the store holds.
    pub async fn room_count(&self) -> usize {
        match &self.storage {
            Storage::Postgres(db) => {
                sqlx::query_scalar::<_, i64>("SELECT count(*) FROM rooms").fetch_one(db).await.unwrap() as usize
            }
            Storage::DynamoDb(client, table) => {
                let items = client.scan().table_name(table).send().await.unwrap().items.unwrap_or_default();
                items
                    .iter()
                    .filter(|i| i.get("sk").and_then(|v| v.as_s().ok()).map(String::as_str) == Some("ROOM"))
                    .count()
            }
        }
    }

    /// The participant's stored status, as the participant list shows it.
    pub async fn stored_status(&self, room: &str, id: &str) -> String {
        let room = common::domain::RoomId::parse(room).unwrap();
        let id = common::domain::ParticipantId::parse(id).expect("a participant id");
        let view = self.state.moderation.participant(&room, &id, self.config.connect_grace).await.unwrap().unwrap();
        view.status.as_str().to_owned()
    }
}

impl TestApp {
    /// Signs `body` the way LiveKit does: a JWT from the API key whose `sha256` claim covers the raw bytes.
    pub fn webhook_signature(&self, body: &str, secret: &str) -> String {
        use base64::Engine;
        use sha2::Digest;
        let hash = base64::engine::general_purpose::STANDARD.encode(sha2::Sha256::digest(body.as_bytes()));
        livekit_api::access_token::AccessToken::with_api_key(&self.config.livekit.api_key, secret)
            .with_sha256(&hash)
            .to_jwt()
            .unwrap()
    }

    /// Posts `body` to the webhook receiver with `authorization`, as LiveKit would.
    pub async fn deliver(&self, body: &str, authorization: &str) -> Response {
        self.client
            .post(self.url("/api/livekit/webhook"))
            .header("content-type", "application/webhook+json")
            .header("authorization", authorization)
            .body(body.to_owned())
            .send()
            .await
            .unwrap()
    }

    /// Delivers a correctly signed LiveKit presence event (a new event id each time); returns
    /// the body so a test can deliver it again.
    pub async fn livekit_event(&self, kind: &str, room: &str, identity: &str, sid: &str) -> String {
        let body = presence_event(kind, room, identity, sid);
        let response = self
            .deliver(
                &body,
                &self.webhook_signature(
                    &body,
                    self.config.livekit.api_secret.as_ref().expect("the test stack has a LiveKit secret").expose(),
                ),
            )
            .await;
        assert_eq!(response.status(), StatusCode::OK, "delivering {kind}");
        body
    }
}

/// A LiveKit webhook body about one participant, with a fresh event id.
pub fn presence_event(kind: &str, room: &str, identity: &str, sid: &str) -> String {
    json!({
        "event": kind, "room": {"name": room}, "participant": {"identity": identity, "sid": sid},
        "id": format!("EV_{}", Uuid::new_v4().simple()), "createdAt": "1764132000",
    })
    .to_string()
}
