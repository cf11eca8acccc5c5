//! DynamoDB room store, the cloud default: one table, no connection pool to hold.
//!
//! Key design (table `pk`/`sk`, both strings; GSI `by_session` on `session`; TTL on `expires_at`):
//!
//! | item        | pk            | sk                 | notes                                        |
//! |-------------|---------------|--------------------|----------------------------------------------|
//! | room        | `ROOM#{id}`   | `ROOM`             | `slots`/`lobby` count slot holders, waiters  |
//! | participant | `ROOM#{id}`   | `P#{uuid}`         | `session` = hex SHA-256 of the session token |
//! | ban         | `ROOM#{id}`   | `BAN#{device_id}`  |                                              |
//! | action      | `ROOM#{id}`   | `ACT#{ms}#{rand}`  | the moderation log, in time order            |
//! | delivery    | `HOOK#{id}`   | `HOOK`             | a webhook event id already acted on          |
//!
//! The participant limit is one conditional transaction: `slots < max_participants` on the
//! room plus the participant write, so no race can oversubscribe a room; the lobby cap is
//! the same with `lobby`. Every participant write is conditioned on the item being as it
//! was read, so a decision taken on stale state is refused and taken again. A slot held by
//! someone who never connected is released lazily (conditionally, exactly once) when a
//! join finds the room full. TTL deletion is lazy, so reads also ignore expired sessions.

mod moderation;
mod transition;

use super::{Applied, Change, Contention, NewParticipant, NewRoom, Participant, Refused, Room, RoomStore};
use crate::domain::policy::{self, Credential, Refusal, RoomFacts};
use crate::domain::{
    DisplayName, MaxParticipants, ParticipantId, ParticipantStatus, Role, RoomId, RoomTitle, SecretHash,
};
use anyhow::{Context, anyhow};
use async_trait::async_trait;
use aws_sdk_dynamodb::Client;
use aws_sdk_dynamodb::error::SdkError;
use aws_sdk_dynamodb::operation::transact_write_items::TransactWriteItemsError;
use aws_sdk_dynamodb::primitives::Blob;
use aws_sdk_dynamodb::types::{
    AttributeDefinition, AttributeValue, BillingMode, ConditionCheck, GlobalSecondaryIndex, KeySchemaElement, KeyType,
    Projection, ProjectionType, Put, ScalarAttributeType, TransactWriteItem, Update,
};
use chrono::{DateTime, Utc};
use std::collections::HashMap;
use std::time::Duration;

pub type Item = HashMap<String, AttributeValue>;

const SESSION_INDEX: &str = "by_session";
/// Rooms and their records stay this long after the last write that set `expires_at`.
const RETENTION_SECS: i64 = 30 * 24 * 3600;
/// Concurrent writes that lose a race retry with fresh state this many times.
const ATTEMPTS: usize = 5;
/// LiveKit retries a webhook for minutes, not days; a day of event ids is plenty.
const DELIVERY_RETENTION_SECS: i64 = 24 * 3600;

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
        let timeouts = aws_config::timeout::TimeoutConfig::builder().operation_attempt_timeout(timeout).build();
        let shared = aws_config::defaults(aws_config::BehaviorVersion::latest()).timeout_config(timeouts).load().await;
        Self::new(Client::new(&shared), table)
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

// ---- attribute helpers: the SDK's builders are verbose, these keep queries readable ----

pub(super) fn s(value: impl Into<String>) -> AttributeValue {
    AttributeValue::S(value.into())
}

pub(super) fn n(value: i64) -> AttributeValue {
    AttributeValue::N(value.to_string())
}

fn text(item: &Item, name: &str) -> anyhow::Result<String> {
    item.get(name).and_then(|v| v.as_s().ok()).cloned().with_context(|| format!("item lacks {name}"))
}

fn opt_text(item: &Item, name: &str) -> Option<String> {
    item.get(name).and_then(|v| v.as_s().ok()).cloned()
}

fn number(item: &Item, name: &str) -> Option<i64> {
    item.get(name).and_then(|v| v.as_n().ok()).and_then(|n| n.parse().ok())
}

pub(super) fn flag(item: &Item, name: &str) -> bool {
    item.get(name).and_then(|v| v.as_bool().ok()).copied().unwrap_or(false)
}

fn now_ms() -> i64 {
    Utc::now().timestamp_millis()
}

fn time(ms: i64) -> DateTime<Utc> {
    DateTime::from_timestamp_millis(ms).unwrap_or_default()
}

fn expires_at() -> AttributeValue {
    n(Utc::now().timestamp() + RETENTION_SECS)
}

pub(super) fn room_key(room: &RoomId) -> String {
    format!("ROOM#{room}")
}

pub(super) fn participant_key(id: &ParticipantId) -> String {
    format!("P#{id}")
}

/// The participant id an item holds (its `id` attribute).
pub(super) fn participant_id(item: &Item) -> anyhow::Result<ParticipantId> {
    let raw = text(item, "id")?;
    ParticipantId::parse(&raw).with_context(|| format!("stored participant id {raw:?}"))
}

fn session_key(hash: &SecretHash) -> String {
    hash.0.iter().map(|b| format!("{b:02x}")).collect()
}

fn key(pk: String, sk: impl Into<String>) -> Item {
    HashMap::from([("pk".to_owned(), s(pk)), ("sk".to_owned(), s(sk))])
}

fn room_from_item(item: &Item) -> anyhow::Result<Room> {
    let id = text(item, "pk")?;
    Ok(Room {
        id: RoomId::parse(id.trim_start_matches("ROOM#")).context("stored room id")?,
        title: RoomTitle::trusted(text(item, "title")?),
        max_participants: MaxParticipants::trusted(number(item, "max_participants").context("max")? as i32),
        waiting_room: flag(item, "waiting_room"),
        locked: flag(item, "locked"),
        created_at: time(number(item, "created_at").unwrap_or_default()),
        ended: item.contains_key("ended_at"),
    })
}

pub(super) fn stored_status(item: &Item) -> anyhow::Result<ParticipantStatus> {
    ParticipantStatus::parse(&text(item, "status")?).context("stored status")
}

/// Whether a participant item holds a slot now (the policy's rule, as PostgreSQL's `HOLDS_SLOT`).
pub(super) fn holds_slot(item: &Item, grace: Duration, now: i64) -> bool {
    stored_status(item).is_ok_and(|status| policy::holds_slot(status, number(item, "admitted_at"), now, grace))
}

/// Status as users see it: an admission whose grace period ran out reads as `left`.
pub(super) fn effective_status(item: &Item, grace: Duration, now: i64) -> anyhow::Result<ParticipantStatus> {
    Ok(policy::effective_status(stored_status(item)?, number(item, "admitted_at"), now, grace))
}

pub(super) fn participant_from_item(item: &Item, grace: Duration, room_ended: bool) -> anyhow::Result<Participant> {
    let room = text(item, "pk")?;
    Ok(Participant {
        id: participant_id(item)?,
        room_id: RoomId::parse(room.trim_start_matches("ROOM#")).context("stored room id")?,
        display_name: DisplayName::trusted(text(item, "display_name")?),
        role: Role::parse(&text(item, "role")?).context("stored role")?,
        owner: flag(item, "owner"),
        status: effective_status(item, grace, now_ms())?,
        room_ended,
    })
}

/// Which items of a cancelled transaction failed their condition.
pub(super) fn cancelled_items(error: &SdkError<TransactWriteItemsError>) -> Option<Vec<bool>> {
    match error.as_service_error() {
        Some(TransactWriteItemsError::TransactionCanceledException(cancelled)) => {
            Some(cancelled.cancellation_reasons().iter().map(|r| r.code() == Some("ConditionalCheckFailed")).collect())
        }
        _ => None,
    }
}

pub(super) fn update(table: &str, key: Item, expression: &str) -> aws_sdk_dynamodb::types::builders::UpdateBuilder {
    Update::builder().table_name(table).set_key(Some(key)).update_expression(expression)
}

pub(super) fn item_put(table: &str, item: Item) -> aws_sdk_dynamodb::types::builders::PutBuilder {
    Put::builder().table_name(table).set_item(Some(item))
}

pub(super) fn write_update(update: Update) -> TransactWriteItem {
    TransactWriteItem::builder().update(update).build()
}

pub(super) fn write_put(put: Put) -> TransactWriteItem {
    TransactWriteItem::builder().put(put).build()
}

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

    /// Frees, exactly once each, the slots of admitted participants who never connected
    /// within the grace period. Returns how many were freed.
    pub(super) async fn release_expired(&self, room: &RoomId, grace: Duration) -> anyhow::Result<usize> {
        let now = now_ms();
        let mut released = 0;
        for item in self.room_items(room, "P#").await? {
            let expired = opt_text(&item, "status").as_deref() == Some("admitted") && !holds_slot(&item, grace, now);
            let Some(admitted_at) = number(&item, "admitted_at").filter(|_| expired) else { continue };
            let id = participant_id(&item)?;
            let expire =
                update(&self.table, key(room_key(room), participant_key(&id)), "SET #status = :left, left_at = :now")
                    .condition_expression("#status = :admitted AND admitted_at = :seen")
                    .expression_attribute_names("#status", "status")
                    .expression_attribute_values(":left", s("left"))
                    .expression_attribute_values(":admitted", s("admitted"))
                    .expression_attribute_values(":seen", n(admitted_at))
                    .expression_attribute_values(":now", n(now))
                    .build()?;
            let items = vec![write_update(expire), write_update(self.slot_change(room, -1)?)];
            // A failed condition means someone else released or changed it first.
            if let Written::Done = self.transact(items, "releasing an expired slot").await? {
                released += 1;
            }
        }
        Ok(released)
    }

    /// `slots += delta` on the room; taking a slot is conditional on a free one.
    pub(super) fn slot_change(&self, room: &RoomId, delta: i64) -> anyhow::Result<Update> {
        let builder = update(&self.table, key(room_key(room), "ROOM"), "SET slots = slots + :delta")
            .expression_attribute_values(":delta", n(delta));
        let builder = if delta > 0 {
            builder.condition_expression("slots < max_participants AND attribute_not_exists(ended_at)")
        } else {
            builder
        };
        Ok(builder.build()?)
    }

    /// Runs `write` (a transaction whose item `room_index` takes a slot) until it succeeds,
    /// the room is really full, or another condition fails.
    pub(super) async fn with_slot<F, Fut, T>(
        &self,
        room: &RoomId,
        grace: Duration,
        room_index: usize,
        write: F,
    ) -> Result<(), SlotRefused>
    where
        F: Fn() -> Fut,
        Fut: Future<Output = Result<T, SdkError<TransactWriteItemsError>>>,
    {
        for _ in 0..ATTEMPTS {
            match send_retrying(&write).await {
                Ok(()) => return Ok(()),
                Err(Failed::Condition(failed)) if failed.get(room_index) == Some(&true) => {
                    if self.release_expired(room, grace).await.map_err(SlotRefused::Store)? == 0 {
                        return Err(SlotRefused::Full);
                    }
                }
                Err(Failed::Condition(failed)) => {
                    return Err(SlotRefused::Condition(failed.iter().position(|f| *f).unwrap_or_default()));
                }
                Err(Failed::Store(e)) => return Err(SlotRefused::Store(e.context("writing with a slot"))),
            }
        }
        Err(SlotRefused::Store(anyhow!("expired slots kept being taken by others")))
    }

    /// Runs the transaction `items`, retrying when it only collided with a concurrent one.
    pub(super) async fn transact(&self, items: Vec<TransactWriteItem>, what: &'static str) -> anyhow::Result<Written> {
        let write = || self.client.transact_write_items().set_transact_items(Some(items.clone())).send();
        match send_retrying(write).await {
            Ok(()) => Ok(Written::Done),
            Err(Failed::Condition(_)) => Ok(Written::ConditionFailed),
            Err(Failed::Store(e)) => Err(e.context(what)),
        }
    }
}

/// Why a transaction did not go through: which items' conditions failed, or another error.
pub(super) enum Failed {
    Condition(Vec<bool>),
    Store(anyhow::Error),
}

/// Sends a transaction, trying again after a short random pause while it was only
/// cancelled by a concurrent transaction on the same items.
pub(super) async fn send_retrying<F, Fut, T>(write: F) -> Result<(), Failed>
where
    F: Fn() -> Fut,
    Fut: Future<Output = Result<T, SdkError<TransactWriteItemsError>>>,
{
    for attempt in 0..CONTENTION_ATTEMPTS {
        match write().await {
            Ok(_) => return Ok(()),
            Err(error) => match cancelled_items(&error) {
                Some(failed) if failed.iter().any(|f| *f) => return Err(Failed::Condition(failed)),
                Some(_) => tokio::time::sleep(contention_backoff(attempt)).await,
                None => return Err(Failed::Store(anyhow!(error))),
            },
        }
    }
    Err(Failed::Store(anyhow::Error::new(Contention)))
}

/// Tries of a transaction that only collided with others before giving up (`503 busy`).
const CONTENTION_ATTEMPTS: u32 = 8;

/// Exponential backoff with full jitter, capped: 5 ms the first time, at most 200 ms, about
/// 0.7 s over all attempts, so a crowd spreads out instead of colliding in step.
fn contention_backoff(attempt: u32) -> Duration {
    let ceiling = (5u64 << attempt.min(6)).min(200);
    Duration::from_millis(ceiling / 2 + rand::random::<u64>() % (ceiling / 2 + 1))
}

/// Outcome of a conditional transaction: done, or some item's condition failed.
pub(super) enum Written {
    Done,
    ConditionFailed,
}

pub(super) enum SlotRefused {
    /// No free slot, even after releasing expired ones (or the room ended).
    Full,
    /// The condition of the item at this index failed.
    Condition(usize),
    Store(anyhow::Error),
}

impl DynamoRoomStore {
    /// One attempt at a join: `None` when the host locked the room or switched its waiting
    /// room between the decision and the write, which then has to be taken again.
    async fn join_once(&self, new: &NewParticipant) -> Result<Option<Participant>, Refused> {
        let room_item = self.room_item(&new.room_id).await?.ok_or(Refused::RoomNotFound)?;
        let room = room_from_item(&room_item)?;
        let host_key =
            room_item.get("host_key").and_then(|v| v.as_b().ok()).map(|b| b.as_ref().to_vec()).unwrap_or_default();
        let credential = match &new.host_key {
            Some(given) if given.0 == host_key => Credential::HostKey,
            Some(_) => Credential::WrongHostKey,
            None => Credential::Guest,
        };
        let banned = match &new.device_id {
            Some(device) if credential == Credential::Guest => self
                .client
                .get_item()
                .table_name(&self.table)
                .set_key(Some(key(room_key(&new.room_id), format!("BAN#{}", device.as_str()))))
                .consistent_read(true)
                .send()
                .await
                .context("checking bans")?
                .item
                .is_some(),
            _ => false,
        };
        let facts = RoomFacts { ended: room.ended, locked: room.locked, waiting_room: room.waiting_room };
        let entry = policy::entry(facts, credential, banned)?;
        let waiting = entry.status == ParticipantStatus::Waiting;

        let now = now_ms();
        let id = ParticipantId::generate();
        let mut item = key(room_key(&new.room_id), participant_key(&id));
        item.extend([
            ("id".to_owned(), s(id.to_string())),
            ("display_name".to_owned(), s(new.display_name.as_str())),
            ("role".to_owned(), s(entry.role.as_str())),
            ("owner".to_owned(), AttributeValue::Bool(entry.owner)),
            ("status".to_owned(), s(entry.status.as_str())),
            ("session".to_owned(), s(session_key(&new.session))),
            ("session_expires_at".to_owned(), n(now + new.session_ttl.as_millis() as i64)),
            ("joined_at".to_owned(), n(now)),
            ("expires_at".to_owned(), expires_at()),
        ]);
        if !waiting {
            item.insert("admitted_at".to_owned(), n(now));
        }
        if let Some(device) = &new.device_id {
            item.insert("device_id".to_owned(), s(device.as_str()));
        }
        let put = item_put(&self.table, item.clone())
            .condition_expression("attribute_not_exists(pk)")
            .build()
            .context("put")?;
        // The room counter taken (a place in the lobby or a slot), held to the room not having
        // ended and, for a guest, to its lock and waiting room being as decided on.
        let (expression, limit) = if waiting {
            ("SET lobby = if_not_exists(lobby, :zero) + :one", "(attribute_not_exists(lobby) OR lobby < :cap)")
        } else {
            ("SET slots = if_not_exists(slots, :zero) + :one", "slots < max_participants")
        };
        let as_decided =
            if credential == Credential::Guest { " AND locked = :locked AND waiting_room = :waiting" } else { "" };
        let counter = update(&self.table, key(room_key(&new.room_id), "ROOM"), expression)
            .condition_expression(format!("{limit} AND attribute_not_exists(ended_at){as_decided}"))
            .expression_attribute_values(":zero", n(0))
            .expression_attribute_values(":one", n(1));
        let counter = if waiting {
            counter.expression_attribute_values(":cap", n(policy::lobby_cap(room.max_participants.get())))
        } else {
            counter
        };
        let counter = if credential == Credential::Guest {
            counter
                .expression_attribute_values(":locked", AttributeValue::Bool(room.locked))
                .expression_attribute_values(":waiting", AttributeValue::Bool(room.waiting_room))
        } else {
            counter
        };
        let counter = counter.build().context("room counter")?;
        // A ban of this browser committed between the read above and this write refuses it.
        let not_banned = match &new.device_id {
            Some(device) if credential == Credential::Guest => Some(
                TransactWriteItem::builder()
                    .condition_check(
                        ConditionCheck::builder()
                            .table_name(&self.table)
                            .set_key(Some(key(room_key(&new.room_id), format!("BAN#{}", device.as_str()))))
                            .condition_expression("attribute_not_exists(pk)")
                            .build()
                            .context("ban check")?,
                    )
                    .build(),
            ),
            _ => None,
        };
        let items: Vec<TransactWriteItem> =
            [write_update(counter), write_put(put)].into_iter().chain(not_banned).collect();
        let written = self
            .with_slot(&new.room_id, new.connect_grace, if waiting { usize::MAX } else { 0 }, || {
                self.client.transact_write_items().set_transact_items(Some(items.clone())).send()
            })
            .await;
        match written {
            Ok(()) => Ok(Some(participant_from_item(&item, new.connect_grace, false)?)),
            // The counter's condition also fails once the room has ended, or its lock or
            // waiting room changed, meanwhile.
            Err(SlotRefused::Full | SlotRefused::Condition(0)) => {
                let now = self.room_item(&new.room_id).await?.ok_or(Refused::RoomNotFound)?;
                let now = room_from_item(&now)?;
                if now.ended {
                    return Err(Refusal::RoomEnded.into());
                }
                if credential == Credential::Guest && (now.locked, now.waiting_room) != (room.locked, room.waiting_room)
                {
                    return Ok(None);
                }
                Err(if waiting { Refusal::LobbyFull } else { Refusal::RoomFull }.into())
            }
            Err(SlotRefused::Condition(2)) => Err(Refusal::Banned.into()),
            Err(SlotRefused::Condition(_)) => Err(anyhow!("a new participant id collided").into()),
            Err(SlotRefused::Store(e)) => Err(e.into()),
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
            ("host_key".to_owned(), AttributeValue::B(Blob::new(room.host_key.0.clone()))),
            ("created_at".to_owned(), n(now)),
            ("slots".to_owned(), n(0)),
            ("lobby".to_owned(), n(0)),
            ("expires_at".to_owned(), expires_at()),
        ]);
        let result = self
            .client
            .put_item()
            .table_name(&self.table)
            .set_item(Some(item.clone()))
            .condition_expression("attribute_not_exists(pk)")
            .send()
            .await;
        match result {
            Ok(_) => Ok(Some(room_from_item(&item)?)),
            Err(e) if e.as_service_error().is_some_and(|s| s.is_conditional_check_failed_exception()) => Ok(None),
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
        for _ in 0..ATTEMPTS {
            if let Some(participant) = self.join_once(new).await? {
                return Ok(participant);
            }
        }
        Err(anyhow!("the room's settings kept changing during a join").into())
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
        let ended = self.room_item(room).await?.is_some_and(|r| r.contains_key("ended_at"));
        participant_from_item(&item, grace, ended).map(Some)
    }

    async fn apply(&self, room: &RoomId, id: &ParticipantId, change: Change<'_>) -> Result<Applied, Refused> {
        self.apply_transition(room, id, change).await
    }

    async fn has_connected(&self, room: &RoomId) -> anyhow::Result<bool> {
        Ok(self.room_items(room, "P#").await?.iter().any(|p| opt_text(p, "status").as_deref() == Some("connected")))
    }

    async fn receivers(&self, room: &RoomId) -> anyhow::Result<Vec<String>> {
        let now = now_ms();
        let mut receivers: Vec<(i64, String)> = Vec::new();
        for item in self.room_items(room, "P#").await? {
            if policy::may_receive(stored_status(&item)?, session_live(&item, now)) {
                receivers.push((number(&item, "joined_at").unwrap_or_default(), text(&item, "id")?));
            }
        }
        receivers.sort();
        Ok(receivers.into_iter().map(|(_, id)| id).collect())
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

/// The session has not ended (a leave) or expired.
pub(super) fn session_live(item: &Item, now: i64) -> bool {
    number(item, "session_expires_at").is_some_and(|at| at > now)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contention_backoff_grows_then_stays_under_its_cap() {
        for attempt in 0..CONTENTION_ATTEMPTS {
            let ceiling = (5u64 << attempt.min(6)).min(200);
            for _ in 0..50 {
                let pause = contention_backoff(attempt).as_millis() as u64;
                assert!((ceiling / 2..=ceiling).contains(&pause), "attempt {attempt}: {pause} ms");
            }
        }
        let total: u64 = (0..CONTENTION_ATTEMPTS).map(|a| (5u64 << a.min(6)).min(200)).sum();
        assert!(total <= 800, "a request gives up within a second: {total} ms at most");
    }
}
