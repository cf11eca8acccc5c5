//! Admission: a join takes a slot in one of the room's shards (or a place in its lobby) in one
//! conditional transaction with the participant's write, and a slot held by someone who never
//! connected is released lazily, exactly once, when a join finds the room full.

use super::DynamoRoomStore;
use super::items::{
    Item, expires_at, holds_slot, key, n, now_ms, number, opt_text, participant_from_item, participant_id,
    participant_key, room_from_item, room_key, s, session_key,
};
use super::shards::{self, Shard};
use super::writes::{Failed, Written, item_put, send_retrying, update, write_put, write_update};
use crate::domain::policy::{self, Credential, Refusal, RoomFacts};
use crate::domain::{ParticipantId, ParticipantStatus, RoomId};
use crate::store::{Contention, NewParticipant, Participant, Refused};
use anyhow::{Context, anyhow};
use aws_sdk_dynamodb::error::SdkError;
use aws_sdk_dynamodb::operation::transact_write_items::TransactWriteItemsError;
use aws_sdk_dynamodb::types::{AttributeValue, ConditionCheck, TransactWriteItem, Update};
use std::time::Duration;

/// Tries of a write whose room was full while expired slots were being released by others.
const RELEASE_ATTEMPTS: usize = 5;
/// Writes a join tries, shard after shard, while others keep taking the free slots it read.
const SHARD_TRIES: usize = 30;

impl DynamoRoomStore {
    /// Frees, exactly once each, the slots of admitted participants who never connected
    /// within the grace period. Returns how many were freed. Its callers have read the
    /// room's shards first, which gives a room made before shards its own.
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
            let items = vec![write_update(expire), write_update(self.give_back_slot(room, shards::shard_of(&item))?)];
            // A failed condition means someone else released or changed it first.
            if let Written::Done = self.transact(items, "releasing an expired slot").await? {
                released += 1;
            }
        }
        Ok(released)
    }

    /// Runs `write(k)`, a transaction whose first item takes a slot of shard `k` (one of
    /// `shards`), until it succeeds (giving `k`), the room is really full, or another
    /// condition fails. A full shard sends the join to another with room; `open` tells whether
    /// a shard as read still takes this join at all (the room not ended, its guards as decided).
    pub(super) async fn with_slot<F, Fut, T>(
        &self,
        room: &RoomId,
        grace: Duration,
        shards: usize,
        open: impl Fn(&Shard) -> bool,
        write: F,
    ) -> Result<usize, SlotRefused>
    where
        F: Fn(usize) -> Fut,
        Fut: Future<Output = Result<T, SdkError<TransactWriteItemsError>>>,
    {
        let mut k = rand::random_range(0..shards.max(1));
        let (mut tries, mut releases) = (0, 0);
        loop {
            match send_retrying(|| write(k)).await {
                Ok(()) => return Ok(k),
                // A room of one shard has no other to try: release expired slots or it is full
                // (the caller tells full from ended or changed by reading the room, as before).
                Err(Failed::Condition(failed)) if failed.first() == Some(&true) && shards == 1 => {
                    if releases == RELEASE_ATTEMPTS
                        || self.release_expired(room, grace).await.map_err(SlotRefused::Store)? == 0
                    {
                        return Err(SlotRefused::Full);
                    }
                    releases += 1;
                }
                Err(Failed::Condition(failed)) if failed.first() == Some(&true) => {
                    tries += 1;
                    let read = self.shards(room).await.map_err(SlotRefused::Store)?;
                    // A shard that is there but no longer takes this join: the room changed.
                    // (One that is not there is a room made before shards, which has one.)
                    if read.is_empty() || read.get(k).is_some_and(|shard| !open(shard)) {
                        return Err(SlotRefused::Condition(0));
                    }
                    let taken: Vec<i32> = read.iter().map(|shard| shard.taken).collect();
                    let caps: Vec<i32> = read.iter().map(|shard| shard.cap).collect();
                    match shards::next_with_room(&taken, &caps, k) {
                        Some(next) if tries < SHARD_TRIES => k = next,
                        // Others kept taking the free slots it found: busy (503), try again.
                        Some(_) => return Err(SlotRefused::Store(anyhow::Error::new(Contention))),
                        None => {
                            if releases == RELEASE_ATTEMPTS
                                || self.release_expired(room, grace).await.map_err(SlotRefused::Store)? == 0
                            {
                                return Err(SlotRefused::Full);
                            }
                            releases += 1;
                        }
                    }
                }
                Err(Failed::Condition(failed)) => {
                    return Err(SlotRefused::Condition(failed.iter().position(|f| *f).unwrap_or_default()));
                }
                Err(Failed::Store(e)) => return Err(SlotRefused::Store(e.context("writing with a slot"))),
            }
        }
    }
}

impl DynamoRoomStore {
    /// `lobby += 1` on the room: held to a free place in the lobby, to the room not having
    /// ended and, for a guest, to its lock and waiting room as decided on (`as_decided`).
    fn lobby_place(
        &self,
        room: &RoomId,
        max_participants: i32,
        as_decided: Option<(bool, bool)>,
    ) -> anyhow::Result<Update> {
        let builder =
            update(&self.table, key(room_key(room), "ROOM"), "SET lobby = if_not_exists(lobby, :zero) + :one")
                .expression_attribute_values(":zero", n(0))
                .expression_attribute_values(":one", n(1))
                .expression_attribute_values(":cap", n(policy::lobby_cap(max_participants)));
        let condition = "(attribute_not_exists(lobby) OR lobby < :cap) AND attribute_not_exists(ended_at)";
        Ok(shards::held_to(builder, condition, as_decided).build()?)
    }
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
    pub(super) async fn join_once(&self, new: &NewParticipant) -> Result<Option<Participant>, Refused> {
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
        let put = |item: Item| -> anyhow::Result<TransactWriteItem> {
            Ok(write_put(item_put(&self.table, item).condition_expression("attribute_not_exists(pk)").build()?))
        };
        // For a guest, the room's lock and waiting room as decided on.
        let as_decided = (credential == Credential::Guest).then_some((room.locked, room.waiting_room));
        let written = if waiting {
            // A place in the lobby, counted on the room, held to the room as decided on.
            let lobby = self.lobby_place(&new.room_id, room.max_participants.get(), as_decided)?;
            let items: Vec<TransactWriteItem> =
                [write_update(lobby), put(item.clone())?].into_iter().chain(not_banned).collect();
            let write = || self.client.transact_write_items().set_transact_items(Some(items.clone())).send();
            match send_retrying(write).await {
                Ok(()) => Ok(0),
                Err(Failed::Condition(failed)) => {
                    Err(SlotRefused::Condition(failed.iter().position(|f| *f).unwrap_or_default()))
                }
                Err(Failed::Store(e)) => Err(SlotRefused::Store(e.context("joining the lobby"))),
            }
        } else {
            // A slot in one of the room's shards, which the participant records.
            // An attempt for every shard a room can have: the one read may be any of them. A
            // room made before shards (its item still counts `slots`) gets its one shard first.
            let mut attempts = Vec::new();
            let shards = if room_item.contains_key("slots") {
                self.shards(&new.room_id).await?;
                1
            } else {
                shards::caps(room.max_participants.get()).len()
            };
            for k in 0..shards::MAX_SHARDS as usize {
                let mut item = item.clone();
                item.insert("slot_shard".to_owned(), n(k as i64));
                let take = write_update(self.take_slot(&new.room_id, k, as_decided)?);
                attempts.push([take, put(item)?].into_iter().chain(not_banned.clone()).collect::<Vec<_>>());
            }
            let open = |shard: &Shard| {
                !shard.ended && as_decided.is_none_or(|guards| guards == (shard.locked, shard.waiting_room))
            };
            self.with_slot(&new.room_id, new.connect_grace, shards, open, |k| {
                self.client.transact_write_items().set_transact_items(Some(attempts[k].clone())).send()
            })
            .await
            .inspect(|k| {
                item.insert("slot_shard".to_owned(), n(*k as i64));
            })
        };
        match written {
            Ok(_) => Ok(Some(participant_from_item(&item, new.connect_grace, None)?)),
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
