//! DynamoDB moderation: each host action is one conditional transaction that changes the
//! participant, the room's counts (its lobby, a slot shard) when it must, and writes the log entry.

use super::DynamoRoomStore;
use super::items::{
    Item, effective_status, flag, key, n, now_ms, number, opt_text, participant_id, participant_key, room_from_item,
    room_key, s, text, time,
};
use super::writes::{Written, item_put, update, write_put, write_update};
use crate::domain::policy::{self, Refusal, Transition};
use crate::domain::{ParticipantId, Role, RoomId};
use crate::store::moderation::{Action, ActionRecord, Actor, ModerationStore, ParticipantView, RoomPatch};
use crate::store::{Participant, Refused, Room};
use anyhow::Context;
use async_trait::async_trait;
use aws_sdk_dynamodb::types::{AttributeValue, TransactWriteItem};
use std::time::Duration;

pub(super) fn view(item: &Item, grace: Duration) -> anyhow::Result<ParticipantView> {
    Ok(ParticipantView {
        id: participant_id(item)?,
        display_name: text(item, "display_name")?,
        role: Role::parse(&text(item, "role")?).context("stored role")?,
        owner: flag(item, "owner"),
        status: effective_status(item, grace, now_ms())?,
        joined_at: time(number(item, "joined_at").unwrap_or_default()),
    })
}

impl DynamoRoomStore {
    /// Why a room-level write failed its conditions: the room ended, or the actor is no host.
    async fn why_refused(&self, room: &RoomId) -> anyhow::Result<Refused> {
        let ended = self.room_item(room).await?.is_none_or(|r| r.contains_key("ended_at"));
        Ok(if ended { Refusal::RoomEnded.into() } else { Refused::ActorNotHost })
    }

    pub(super) fn log_entry(
        &self,
        actor: &Participant,
        action: Action,
        target: Option<&ParticipantId>,
        detail: serde_json::Value,
    ) -> anyhow::Result<TransactWriteItem> {
        let now = now_ms();
        let mut item = key(room_key(&actor.room_id), format!("ACT#{now:013}#{:08x}", rand::random::<u32>()));
        item.extend([
            ("actor_id".to_owned(), s(actor.id.to_string())),
            ("action".to_owned(), s(action.as_str())),
            ("detail".to_owned(), s(detail.to_string())),
            ("created_at".to_owned(), n(now)),
            ("expires_at".to_owned(), super::items::expires_at()),
        ]);
        if let Some(target) = target {
            item.insert("target_id".to_owned(), s(target.to_string()));
        }
        Ok(write_put(item_put(self.table(), item).build()?))
    }

    /// Bars the browser `device` from the room.
    pub(super) fn ban_entry(
        &self,
        room: &RoomId,
        device: &str,
        participant: &ParticipantId,
    ) -> anyhow::Result<TransactWriteItem> {
        let mut ban = key(room_key(room), format!("BAN#{device}"));
        ban.extend([
            ("participant_id".to_owned(), s(participant.to_string())),
            ("expires_at".to_owned(), super::items::expires_at()),
        ]);
        Ok(write_put(item_put(self.table(), ban).build().context("ban")?))
    }
}

#[async_trait]
impl ModerationStore for DynamoRoomStore {
    async fn participants(&self, room: &RoomId, grace: Duration) -> anyhow::Result<Vec<ParticipantView>> {
        let mut views =
            self.room_items(room, "P#").await?.iter().map(|i| view(i, grace)).collect::<anyhow::Result<Vec<_>>>()?;
        views.sort_by(|a, b| a.joined_at.cmp(&b.joined_at).then_with(|| a.id.cmp(&b.id)));
        Ok(views)
    }

    async fn lobby(&self, room: &RoomId) -> anyhow::Result<Vec<ParticipantView>> {
        let all = self.participants(room, Duration::ZERO).await?;
        Ok(all.into_iter().filter(|p| p.status == crate::domain::ParticipantStatus::Waiting).collect())
    }

    async fn participant(
        &self,
        room: &RoomId,
        id: &ParticipantId,
        grace: Duration,
    ) -> anyhow::Result<Option<ParticipantView>> {
        self.participant_item(room, id).await?.map(|item| view(&item, grace)).transpose()
    }

    async fn connected_hosts(&self, room: &RoomId) -> anyhow::Result<Vec<String>> {
        let items = self.room_items(room, "P#").await?;
        items
            .iter()
            .filter(|i| {
                opt_text(i, "role").as_deref() == Some("host") && opt_text(i, "status").as_deref() == Some("connected")
            })
            .map(|i| text(i, "id"))
            .collect()
    }

    async fn record(
        &self,
        actor: Actor<'_>,
        action: Action,
        target: Option<&ParticipantId>,
        detail: serde_json::Value,
    ) -> anyhow::Result<()> {
        self.transact(vec![self.log_entry(actor.host, action, target, detail)?], "recording an action").await?;
        Ok(())
    }

    async fn update_room(&self, actor: Actor<'_>, patch: &RoomPatch, _grace: Duration) -> Result<Room, Refused> {
        let room = &actor.host.room_id;
        let mut sets = Vec::new();
        let mut change = update(self.table(), key(room_key(room), "ROOM"), "")
            .condition_expression("attribute_not_exists(ended_at)");
        if let Some(locked) = patch.locked {
            sets.push("locked = :locked");
            change = change.expression_attribute_values(":locked", AttributeValue::Bool(locked));
        }
        if let Some(waiting) = patch.waiting_room {
            sets.push("waiting_room = :waiting");
            change = change.expression_attribute_values(":waiting", AttributeValue::Bool(waiting));
        }
        if let Some(title) = &patch.title {
            sets.push("title = :title");
            change = change.expression_attribute_values(":title", s(title.as_str()));
        }
        let mut items = vec![
            self.log_entry(actor.host, Action::UpdateRoom, None, patch.detail())?,
            self.actor_is_host(room, &actor.host.id)?,
        ];
        if !sets.is_empty() {
            items.push(write_update(
                change.update_expression(format!("SET {}", sets.join(", "))).build().context("update")?,
            ));
        }
        // Joins read the lock and the waiting room on the slot shards: they change with the room.
        let mut guards = Vec::new();
        let mut values = Vec::new();
        if let Some(locked) = patch.locked {
            guards.push("locked = :locked");
            values.push((":locked", AttributeValue::Bool(locked)));
        }
        if let Some(waiting) = patch.waiting_room {
            guards.push("waiting_room = :waiting");
            values.push((":waiting", AttributeValue::Bool(waiting)));
        }
        if !guards.is_empty() {
            let count = self.shard_count(room).await?;
            items.extend(self.on_every_shard(room, count, &format!("SET {}", guards.join(", ")), &values)?);
        }
        if let Written::ConditionFailed = self.transact(items, "updating room").await? {
            return Err(self.why_refused(room).await?);
        }
        let item = self.room_item(room).await?.ok_or(Refused::RoomNotFound)?;
        Ok(room_from_item(&item)?)
    }

    async fn end_room(&self, actor: Actor<'_>, _grace: Duration) -> Result<(), Refused> {
        let room = &actor.host.room_id;
        let end = update(self.table(), key(room_key(room), "ROOM"), "SET ended_at = :now, lobby = :zero")
            .condition_expression("attribute_not_exists(ended_at)")
            .expression_attribute_values(":now", n(now_ms()))
            .expression_attribute_values(":zero", n(0))
            .build()
            .context("end")?;
        let mut items = vec![
            write_update(end),
            self.log_entry(actor.host, Action::End, None, serde_json::json!({}))?,
            self.actor_is_host(room, &actor.host.id)?,
        ];
        let count = self.shard_count(room).await?;
        let ended = [(":ended", AttributeValue::Bool(true)), (":zero", n(0))];
        items.extend(self.on_every_shard(room, count, "SET ended = :ended, slots = :zero", &ended)?);
        if let Written::ConditionFailed = self.transact(items, "ending room").await? {
            return Err(self.why_refused(room).await?);
        }
        let closing: Vec<&str> = policy::moved_by(Transition::EndRoom).iter().map(|s| s.as_str()).collect();
        // Sessions of an ended room are refused anyway; this keeps the list truthful.
        for item in self.room_items(room, "P#").await? {
            if opt_text(&item, "status").is_some_and(|status| closing.contains(&status.as_str())) {
                let left = update(
                    self.table(),
                    key(room_key(room), participant_key(&participant_id(&item)?)),
                    "SET #status = :left, left_at = :now",
                )
                .expression_attribute_names("#status", "status")
                .expression_attribute_values(":left", s("left"))
                .expression_attribute_values(":now", n(now_ms()))
                .build()
                .context("leave")?;
                self.transact(vec![write_update(left)], "closing participants").await?;
            }
        }
        Ok(())
    }

    async fn actions(&self, room: &RoomId) -> anyhow::Result<Vec<ActionRecord>> {
        self.room_items(room, "ACT#")
            .await?
            .iter()
            .enumerate()
            .map(|(i, item)| {
                let action = text(item, "action")?;
                Ok(ActionRecord {
                    id: i as i64 + 1,
                    actor_id: text(item, "actor_id")?,
                    action: *Action::ALL.iter().find(|a| a.as_str() == action).context("unknown action")?,
                    target_id: opt_text(item, "target_id"),
                    detail: serde_json::from_str(&text(item, "detail")?).unwrap_or_default(),
                    created_at: time(number(item, "created_at").unwrap_or_default()),
                })
            })
            .collect()
    }
}
