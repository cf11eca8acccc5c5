//! DynamoDB room store, the cloud default: one table, no connection pool to hold.
//!
//! Key design (table `pk`/`sk`, both strings; GSI `by_session` on `session`; TTL on `expires_at`):
//!
//! | item        | pk            | sk                 | notes                                        |
//! |-------------|---------------|--------------------|----------------------------------------------|
//! | room        | `ROOM#{id}`   | `ROOM`             | `lobby` counts waiters                       |
//! | slot shard  | `ROOM#{id}`   | `SLOTS#{k}`        | `slots` of `cap`, copies of the room's guards|
//! | participant | `ROOM#{id}`   | `P#{uuid}`         | `session` = hex SHA-256 of the session token |
//! | ban         | `ROOM#{id}`   | `BAN#{device_id}`  |                                              |
//! | action      | `ROOM#{id}`   | `ACT#{ms}#{rand}`  | the moderation log, in time order            |
//! | delivery    | `HOOK#{id}`   | `HOOK`             | a webhook event id already acted on          |
//!
//! The participant limit is one conditional transaction: `slots < cap` on one of the room's
//! slot shards (`shards.rs`; their caps add up to the maximum) plus the participant write, so
//! no race can oversubscribe a room; the lobby cap is the same with `lobby` on the room. Every participant write is conditioned on the item being as it
//! was read, so a decision taken on stale state is refused and taken again. A slot held by
//! someone who never connected is released lazily (conditionally, exactly once) when a
//! join finds the room full. TTL deletion is lazy, so reads also ignore expired sessions.
//!
//! Where things are: this file holds the table, the reads and the rooms; `items.rs` the item
//! codecs and keys; `writes.rs` sending transactions (and deciding again when one finds the
//! state changed); `slots.rs` admission; `transition.rs` a participant's steps;
//! `moderation.rs` host actions and the log.

mod items;
mod moderation;
mod shards;
mod slots;
mod transition;
mod writes;

use super::{Applied, Audience, Change, NewParticipant, NewRoom, Participant, Refused, Room, RoomStore};
use crate::domain::policy;
use crate::domain::{ParticipantId, RoomId, SecretHash};
use anyhow::Context;
use async_trait::async_trait;
use aws_sdk_dynamodb::Client;
use aws_sdk_dynamodb::primitives::Blob;
use aws_sdk_dynamodb::types::{
    AttributeDefinition, AttributeValue, BillingMode, GlobalSecondaryIndex, KeySchemaElement, KeyType, Projection,
    ProjectionType, ScalarAttributeType,
};
use chrono::Utc;
use items::{
    Item, expires_at, holds_slot, key, n, now_ms, number, opt_text, participant_from_item, participant_id,
    participant_key, room_from_item, room_key, s, session_key, session_live, stored_status, text,
};
use std::time::Duration;
use writes::{item_put, write_put};

const SESSION_INDEX: &str = "by_session";
/// LiveKit retries a webhook for minutes, not days; a day of event ids is plenty.
const DELIVERY_RETENTION_SECS: i64 = 24 * 3600;

/// The AWS SDK could not reach DynamoDB (refused, reset, timed out connecting).
pub(super) fn out_of_reach(cause: &(dyn std::error::Error + 'static)) -> bool {
    cause.is::<aws_sdk_dynamodb::error::ConnectorError>()
}

#[derive(Clone)]
pub struct DynamoRoomStore {
    client: Client,
    table: String,
}

impl DynamoRoomStore {
    pub fn new(client: Client, table: impl Into<String>) -> Self {
        Self { client, table: table.into() }
    }

    /// Builds the client from the environment (region, credentials, `AWS_ENDPOINT_URL_DYNAMODB`).
    pub async fn from_env(table: &str, timeout: Duration) -> Self {
        Self::from_sdk_config(&crate::aws::shared_config().await, table, timeout)
    }

    /// `budget` is the dependency budget (`DEPENDENCY_TIMEOUT_MS`): the SDK's own limit on one
    /// attempt is set a little past it, so that a slow DynamoDB is cut short by the budget
    /// (`store_unavailable`), never by an SDK timeout that would read as our own fault.
    pub fn from_sdk_config(shared: &aws_config::SdkConfig, table: &str, budget: Duration) -> Self {
        let attempt = budget + Duration::from_millis(500);
        let timeouts = aws_config::timeout::TimeoutConfig::builder().operation_attempt_timeout(attempt).build();
        let config = aws_sdk_dynamodb::config::Builder::from(shared).timeout_config(timeouts).build();
        Self::new(Client::from_conf(config), table)
    }

    /// Creates the table unless it exists (local development).
    pub async fn ensure_table(&self) -> anyhow::Result<()> {
        match self.client.describe_table().table_name(&self.table).send().await {
            Ok(_) => Ok(()),
            Err(e) if e.as_service_error().is_some_and(|s| s.is_resource_not_found_exception()) => {
                self.create_table().await
            }
            Err(e) => Err(e).context("looking up DynamoDB table"),
        }
    }

    /// Creates the table as `template.yaml` does, for local development and tests.
    pub async fn create_table(&self) -> anyhow::Result<()> {
        let attribute = |name: &str| {
            AttributeDefinition::builder()
                .attribute_name(name)
                .attribute_type(ScalarAttributeType::S)
                .build()
                .expect("attribute")
        };
        let key =
            |name: &str, kind| KeySchemaElement::builder().attribute_name(name).key_type(kind).build().expect("key");
        self.client
            .create_table()
            .table_name(&self.table)
            .billing_mode(BillingMode::PayPerRequest)
            .attribute_definitions(attribute("pk"))
            .attribute_definitions(attribute("sk"))
            .attribute_definitions(attribute("session"))
            .key_schema(key("pk", KeyType::Hash))
            .key_schema(key("sk", KeyType::Range))
            .global_secondary_indexes(
                GlobalSecondaryIndex::builder()
                    .index_name(SESSION_INDEX)
                    .key_schema(key("session", KeyType::Hash))
                    .projection(Projection::builder().projection_type(ProjectionType::All).build())
                    .build()
                    .context("index")?,
            )
            .send()
            .await
            .context("creating DynamoDB table")?;
        Ok(())
    }
}

/// Reads every other part of the store shares.
impl DynamoRoomStore {
    pub(super) fn table(&self) -> &str {
        &self.table
    }

    pub(super) fn client(&self) -> &Client {
        &self.client
    }

    pub(super) async fn room_item(&self, room: &RoomId) -> anyhow::Result<Option<Item>> {
        let answer = self
            .client
            .get_item()
            .table_name(&self.table)
            .set_key(Some(key(room_key(room), "ROOM")))
            .consistent_read(true)
            .send()
            .await
            .context("reading room")?;
        Ok(answer.item)
    }

    pub(super) async fn participant_item(&self, room: &RoomId, id: &ParticipantId) -> anyhow::Result<Option<Item>> {
        let answer = self
            .client
            .get_item()
            .table_name(&self.table)
            .set_key(Some(key(room_key(room), participant_key(id))))
            .consistent_read(true)
            .send()
            .await
            .context("reading participant")?;
        Ok(answer.item)
    }

    /// Every item under the room whose sort key starts with `prefix`, in key order.
    pub(super) async fn room_items(&self, room: &RoomId, prefix: &str) -> anyhow::Result<Vec<Item>> {
        let mut items = Vec::new();
        let mut start = None;
        loop {
            let answer = self
                .client
                .query()
                .table_name(&self.table)
                .key_condition_expression("pk = :pk AND begins_with(sk, :prefix)")
                .expression_attribute_values(":pk", s(room_key(room)))
                .expression_attribute_values(":prefix", s(prefix))
                .consistent_read(true)
                .set_exclusive_start_key(start)
                .send()
                .await
                .context("querying room items")?;
            items.extend(answer.items.unwrap_or_default());
            match answer.last_evaluated_key {
                Some(next) => start = Some(next),
                None => return Ok(items),
            }
        }
    }
}

#[async_trait]
impl RoomStore for DynamoRoomStore {
    async fn create_room(&self, room: &NewRoom) -> anyhow::Result<Option<Room>> {
        let now = now_ms();
        let mut item = key(room_key(&room.id), "ROOM");
        item.extend([
            ("title".to_owned(), s(room.title.as_str())),
            ("max_participants".to_owned(), n(room.max_participants.get().into())),
            ("waiting_room".to_owned(), AttributeValue::Bool(room.waiting_room)),
            ("locked".to_owned(), AttributeValue::Bool(false)),
            ("e2ee".to_owned(), AttributeValue::Bool(room.e2ee)),
            ("host_key".to_owned(), AttributeValue::B(Blob::new(room.host_key.0.clone()))),
            ("created_at".to_owned(), n(now)),
            ("lobby".to_owned(), n(0)),
            ("expires_at".to_owned(), expires_at()),
        ]);
        // The room and its slot shards, together; an id already taken fails the first.
        let room_put = item_put(&self.table, item.clone()).condition_expression("attribute_not_exists(pk)").build()?;
        let shards = shards::new_shards(&room.id, room.max_participants.get(), room.waiting_room);
        let mut items = vec![write_put(room_put)];
        for mut shard in shards {
            shard.insert("expires_at".to_owned(), expires_at());
            items.push(write_put(item_put(&self.table, shard).build()?));
        }
        let result = self.client.transact_write_items().set_transact_items(Some(items)).send().await;
        match result {
            Ok(_) => Ok(Some(room_from_item(&item)?)),
            Err(e) if writes::cancelled_items(&e).is_some_and(|failed| failed.first() == Some(&true)) => Ok(None),
            Err(e) => Err(e).context("inserting room"),
        }
    }

    async fn room(&self, id: &RoomId, grace: Duration) -> anyhow::Result<Option<(Room, i64)>> {
        let Some(item) = self.room_item(id).await? else { return Ok(None) };
        let now = now_ms();
        let count = self.room_items(id, "P#").await?.iter().filter(|p| holds_slot(p, grace, now)).count();
        Ok(Some((room_from_item(&item)?, count as i64)))
    }

    async fn join(&self, new: &NewParticipant) -> Result<Participant, Refused> {
        writes::decide_again("the room's settings", || self.join_once(new)).await
    }

    async fn session(
        &self,
        room: &RoomId,
        session: &SecretHash,
        grace: Duration,
    ) -> anyhow::Result<Option<Participant>> {
        let answer = self
            .client
            .query()
            .table_name(&self.table)
            .index_name(SESSION_INDEX)
            .key_condition_expression("#session = :session")
            .expression_attribute_names("#session", "session")
            .expression_attribute_values(":session", s(session_key(session)))
            .send()
            .await
            .context("looking up session")?;
        let Some(index_item) = answer.items.unwrap_or_default().into_iter().next() else { return Ok(None) };
        if text(&index_item, "pk")? != room_key(room) {
            return Ok(None);
        }
        // The index is eventually consistent: read the participant itself.
        let Some(item) = self.participant_item(room, &participant_id(&index_item)?).await? else { return Ok(None) };
        if !session_live(&item, now_ms()) {
            return Ok(None);
        }
        // A session outlives its room only if the room's item expired: nothing is known of it.
        let Some(room_item) = self.room_item(room).await? else { return Ok(None) };
        participant_from_item(&item, grace, Some(&room_item)).map(Some)
    }

    async fn apply(&self, room: &RoomId, id: &ParticipantId, change: Change<'_>) -> Result<Applied, Refused> {
        self.apply_transition(room, id, change).await
    }

    async fn audience(&self, room: &RoomId) -> anyhow::Result<Audience> {
        let now = now_ms();
        let items = self.room_items(room, "P#").await?;
        let anyone_connected = items.iter().any(|p| opt_text(p, "status").as_deref() == Some("connected"));
        let mut receivers: Vec<(i64, String)> = Vec::new();
        for item in items {
            if policy::may_receive(stored_status(&item)?, session_live(&item, now)) {
                receivers.push((number(&item, "joined_at").unwrap_or_default(), text(&item, "id")?));
            }
        }
        receivers.sort();
        Ok(Audience { receivers: receivers.into_iter().map(|(_, id)| id).collect(), anyone_connected })
    }

    async fn same_browser(&self, room: &RoomId, participant: &ParticipantId) -> anyhow::Result<Vec<ParticipantId>> {
        let items = self.room_items(room, "P#").await?;
        let id_of = |item: &Item| text(item, "id").ok().and_then(|id| ParticipantId::parse(&id));
        let device_of = |id: &ParticipantId| {
            items.iter().find(|item| id_of(item).as_ref() == Some(id)).and_then(|item| opt_text(item, "device_id"))
        };
        let Some(device) = device_of(participant) else { return Ok(Vec::new()) };
        Ok(items
            .iter()
            .filter(|item| opt_text(item, "device_id").as_deref() == Some(device.as_str()))
            .filter_map(id_of)
            .filter(|id| id != participant)
            .collect())
    }

    async fn delivered(&self, event_id: &str) -> anyhow::Result<bool> {
        let answer = self
            .client
            .get_item()
            .table_name(&self.table)
            .set_key(Some(key(format!("HOOK#{event_id}"), "HOOK")))
            .consistent_read(true)
            .send()
            .await
            .context("looking up a webhook delivery")?;
        Ok(answer.item.is_some())
    }

    async fn record_delivery(&self, event_id: &str) -> anyhow::Result<()> {
        let mut item = key(format!("HOOK#{event_id}"), "HOOK");
        item.insert("expires_at".to_owned(), n(Utc::now().timestamp() + DELIVERY_RETENTION_SECS));
        self.client
            .put_item()
            .table_name(&self.table)
            .set_item(Some(item))
            .send()
            .await
            .context("recording a webhook delivery")?;
        Ok(())
    }
}
