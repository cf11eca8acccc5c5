//! The DynamoDB store when things go wrong: DynamoDB cannot be reached or does not answer, or
//! transactions collide, as they do on real DynamoDB when hundreds of people join one room
//! within seconds. The local DynamoDB (moto's server, one request at a
//! time) never collides by itself, so these tests tell it to (`POST /__conflicts`, see
//! `infra/scripts/dynamodb_local.py`): DynamoDB then answers what it answers a transaction that
//! met another on the same item, `TransactionCanceledException` with `TransactionConflict`.

use common::domain::policy::{Refusal, Transition};
use common::domain::{DisplayName, MaxParticipants, RoomId, RoomTitle, SecretToken};
use common::store::dynamodb::DynamoRoomStore;
use common::store::measured::Measured;
use common::store::{Change, Contention, NewParticipant, NewRoom, Participant, Refused, RoomStore, Unavailable};
use serde_json::{Value, json};
use std::time::{Duration, Instant};

const GRACE: Duration = Duration::from_secs(600);

/// Person `n`, joining `room` as a guest.
fn person(room: &RoomId, n: usize) -> NewParticipant {
    NewParticipant {
        room_id: room.clone(),
        display_name: DisplayName::parse(&format!("Person {n}")).unwrap(),
        host_key: None,
        session: SecretToken::generate().hash(),
        session_ttl: Duration::from_secs(3600),
        connect_grace: GRACE,
        device_id: None,
    }
}

struct Table {
    store: DynamoRoomStore,
    name: String,
    endpoint: String,
}

impl Table {
    async fn new() -> Table {
        // The process's TLS provider, as the service installs it (reqwest has none of its own).
        let _ = rustls::crypto::ring::default_provider().install_default();
        let name = format!("test-{}", uuid::Uuid::new_v4().simple());
        let store = DynamoRoomStore::from_env(&name, Duration::from_secs(5)).await;
        store.create_table().await.expect("creating the test table: is the local DynamoDB running (`make test`)?");
        let endpoint = std::env::var("AWS_ENDPOINT_URL_DYNAMODB")
            .expect("AWS_ENDPOINT_URL_DYNAMODB: run through `make test`, which starts the local DynamoDB");
        Table { store, name, endpoint }
    }

    /// Makes this table's transactions collide: `once` each, `always`, or `off`.
    async fn collide(&self, mode: &str) {
        let url = format!("{}/__conflicts", self.endpoint);
        let answer = reqwest::Client::new().post(url).json(&json!({"table": self.name, "mode": mode})).send().await;
        assert!(answer.expect("the local DynamoDB answers").status().is_success(), "it takes {mode}");
    }

    async fn collisions(&self) -> u64 {
        let url = format!("{}/__conflicts", self.endpoint);
        let counts: Value = reqwest::get(url).await.unwrap().json().await.unwrap();
        counts[&self.name].as_u64().unwrap_or(0)
    }

    async fn room(&self, max: i64) -> RoomId {
        let id = RoomId::generate();
        let room = NewRoom {
            id: id.clone(),
            title: RoomTitle::parse("Busy").unwrap(),
            max_participants: MaxParticipants::parse(Some(max)).unwrap(),
            waiting_room: false,
            e2ee: false,
            host_key: SecretToken::generate().hash(),
        };
        self.store.create_room(&room).await.unwrap().expect("a new room id");
        id
    }

    async fn joined(&self, room: &RoomId, n: usize) -> Participant {
        self.store.join(&person(room, n)).await.unwrap()
    }

    async fn join(&self, room: &RoomId, n: usize) -> Result<(), Refused> {
        self.store.join(&person(room, n)).await.map(|_| ())
    }

    async fn headcount(&self, room: &RoomId) -> i64 {
        self.store.room(room, GRACE).await.unwrap().expect("the room").1
    }
}

#[tokio::test]
async fn joins_whose_transactions_collide_are_retried_and_fill_the_room_exactly() {
    let table = Table::new().await;
    let room = table.room(12).await;
    table.collide("once").await;

    let table = std::sync::Arc::new(table);
    let mut joins = tokio::task::JoinSet::new();
    for n in 0..20 {
        let (table, room) = (table.clone(), room.clone());
        joins.spawn(async move { table.join(&room, n).await });
    }
    let answers = joins.join_all().await;

    let admitted = answers.iter().filter(|a| a.is_ok()).count();
    let full = answers.iter().filter(|a| matches!(a, Err(Refused::Rule(Refusal::RoomFull)))).count();
    assert_eq!((admitted, full), (12, 8), "every collision was retried: {answers:?}");
    assert_eq!(table.headcount(&room).await, 12);
    assert!(table.collisions().await >= 20, "each join's transaction collided once at least");
}

#[tokio::test]
async fn a_join_that_keeps_colliding_gives_up_soon_and_writes_nothing() {
    let table = Table::new().await;
    let room = table.room(5).await;
    table.join(&room, 0).await.unwrap();
    table.collide("always").await;

    let started = Instant::now();
    let answer = table.join(&room, 1).await;
    let took = started.elapsed();

    match answer {
        Err(Refused::Store(error)) => assert!(error.chain().any(|e| e.is::<Contention>()), "{error:#}"),
        other => panic!("expected the store to give up as busy, got {other:?}"),
    }
    // Bounded: a person waits about a second, not until the function times out.
    assert!(took < Duration::from_secs(3), "gave up after {took:?}");
    let tries = table.collisions().await;
    assert!((2..=10).contains(&tries), "retried a bounded number of times: {tries}");
    table.collide("off").await;
    assert_eq!(table.headcount(&room).await, 1, "the refused join holds no slot");
}

/// A store whose DynamoDB is at `endpoint`, built and cut short at `budget` as the service's is.
fn store_at(endpoint: &str, budget: Duration) -> Measured<DynamoRoomStore> {
    let credentials = aws_sdk_dynamodb::config::Credentials::new("test", "test", None, None, "test");
    let shared = aws_config::SdkConfig::builder()
        .behavior_version(aws_config::BehaviorVersion::latest())
        .http_client(common::aws::http_client())
        .endpoint_url(endpoint)
        .region(aws_sdk_dynamodb::config::Region::new("eu-west-1"))
        .credentials_provider(aws_sdk_dynamodb::config::SharedCredentialsProvider::new(credentials))
        .build();
    Measured::new("dynamodb", budget, DynamoRoomStore::from_sdk_config(&shared, "anywhere", budget))
}

#[tokio::test]
async fn an_unreachable_dynamodb_reads_as_unavailable_not_as_our_fault() {
    // A port nobody listens on: the connection is refused. The store is asked directly, with
    // a budget far longer than the SDK's retries take, so only the refusal itself can explain
    // the error (not the budget running out).
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap();
    let store = store_at(&format!("http://{closed}"), Duration::from_secs(30));
    let error = store.inner().room(&RoomId::generate(), GRACE).await.unwrap_err();
    assert!(Unavailable::explains(&error), "{error:#}");
}

#[tokio::test]
async fn a_dynamodb_that_does_not_answer_is_given_up_at_the_budget_as_unavailable() {
    // Accepts connections and never answers, as an overloaded endpoint may.
    let silent = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = silent.local_addr().unwrap();
    let held = tokio::spawn(async move {
        let mut open = Vec::new();
        while let Ok((connection, _)) = silent.accept().await {
            open.push(connection);
        }
    });
    let store = store_at(&format!("http://{address}"), Duration::from_millis(500));
    let started = Instant::now();
    let error = store.room(&RoomId::generate(), GRACE).await.unwrap_err();
    assert!(Unavailable::explains(&error), "answered as our fault: {error:#}");
    assert!(started.elapsed() < Duration::from_secs(2), "given up after {:?}", started.elapsed());
    held.abort();
}

#[tokio::test]
async fn joins_into_a_room_of_several_slot_shards_fill_it_exactly() {
    let table = std::sync::Arc::new(Table::new().await);
    let room = table.room(120).await;
    let admitted = table.burst(&room, 150).await;
    assert_eq!(admitted, 120, "never one more than the maximum, never one less");
    assert_eq!(table.headcount(&room).await, 120);
}

#[tokio::test]
async fn a_room_made_before_slot_shards_gets_one_and_goes_on_admitting_exactly_its_maximum() {
    let table = std::sync::Arc::new(Table::new().await);
    let room = table.room(60).await;
    let mut inside = Vec::new();
    for n in 0..3 {
        inside.push(table.joined(&room, n).await);
    }
    table.as_before_shards(&room, 3).await;

    // Leaving comes first: it gives its slot back to the shard the room gets then.
    let leave = Change::by_participant(Transition::Leave, GRACE);
    table.store.apply(&room, &inside[0].id, leave).await.expect("leaving a room made before shards");
    let admitted = table.burst(&room, 80).await;
    assert_eq!(admitted, 58, "the two still inside count, the one who left does not");
    assert_eq!(table.headcount(&room).await, 60);
}

impl Table {
    /// `n` people join at once; how many got in (the rest must have been told the room is full).
    async fn burst(self: &std::sync::Arc<Self>, room: &RoomId, n: usize) -> usize {
        let mut joins = tokio::task::JoinSet::new();
        for person in 0..n {
            let (table, room) = (self.clone(), room.clone());
            joins.spawn(async move { table.join(&room, 1000 + person).await });
        }
        let answers = joins.join_all().await;
        let refused = answers.iter().filter(|a| !matches!(a, Ok(()) | Err(Refused::Rule(Refusal::RoomFull)))).count();
        assert_eq!(refused, 0, "only 'room full' refuses: {answers:?}");
        answers.iter().filter(|a| a.is_ok()).count()
    }

    /// Makes `room` as rooms were before slot shards: no shard items, the room's item counting
    /// the `taken` slots itself, its participants recording no shard.
    async fn as_before_shards(&self, room: &RoomId, taken: i64) {
        use aws_sdk_dynamodb::types::AttributeValue::{N, S};
        let client = aws_sdk_dynamodb::Client::new(&common::aws::shared_config().await);
        let pk = S(format!("ROOM#{room}"));
        let items = client
            .query()
            .table_name(&self.name)
            .key_condition_expression("pk = :pk")
            .expression_attribute_values(":pk", pk.clone())
            .send()
            .await
            .unwrap()
            .items
            .unwrap_or_default();
        for item in items {
            let sk = item["sk"].as_s().unwrap().clone();
            let key = |sk: &str| Some([("pk".to_owned(), pk.clone()), ("sk".to_owned(), S(sk.to_owned()))].into());
            let table = client.clone();
            if sk.starts_with("SLOTS#") {
                table.delete_item().table_name(&self.name).set_key(key(&sk)).send().await.unwrap();
            } else if sk.starts_with("P#") {
                let update = table.update_item().table_name(&self.name).set_key(key(&sk));
                update.update_expression("REMOVE slot_shard").send().await.unwrap();
            } else if sk == "ROOM" {
                let update = table.update_item().table_name(&self.name).set_key(key(&sk));
                let update = update
                    .update_expression("SET slots = :taken")
                    .expression_attribute_values(":taken", N(taken.to_string()));
                update.send().await.unwrap();
            }
        }
    }
}
