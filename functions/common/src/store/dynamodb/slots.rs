//! Admission: a join takes a slot (or a lobby place) in one conditional transaction with the
//! participant's write, and a slot held by someone who never connected is released lazily,
//! exactly once, when a join finds the room full.

use super::DynamoRoomStore;
use super::items::{
    expires_at, holds_slot, key, n, now_ms, number, opt_text, participant_from_item, participant_id, participant_key,
    room_from_item, room_key, s, session_key,
};
use super::writes::{Failed, Written, item_put, send_retrying, update, write_put, write_update};
use crate::domain::policy::{self, Credential, Refusal, RoomFacts};
use crate::domain::{ParticipantId, ParticipantStatus, RoomId};
use crate::store::{NewParticipant, Participant, Refused};
use anyhow::{Context, anyhow};
use aws_sdk_dynamodb::error::SdkError;
use aws_sdk_dynamodb::operation::transact_write_items::TransactWriteItemsError;
use aws_sdk_dynamodb::types::{AttributeValue, ConditionCheck, TransactWriteItem, Update};
use std::time::Duration;

/// Tries of a write whose room was full while expired slots were being released by others.
const RELEASE_ATTEMPTS: usize = 5;

impl DynamoRoomStore {
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
        for _ in 0..RELEASE_ATTEMPTS {
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
