//! DynamoDB moderation: each host action is one conditional transaction that changes the
//! participant, the room's slot count when it must, and writes the log entry.

use super::{
    DynamoRoomStore, Item, SlotRefused, Written, effective_status, item_put, key, n, now_ms, number, opt_text,
    participant_key, room_from_item, room_key, s, text, time, update, write_put, write_update,
};
use crate::domain::{ParticipantStatus, Role, RoomId};
use crate::store::Room;
use crate::store::moderation::{
    Action, ActionRecord, Actor, ModerationRefused, ModerationStore, ParticipantView, RoomPatch,
};
use anyhow::Context;
use async_trait::async_trait;
use aws_sdk_dynamodb::types::{AttributeValue, TransactWriteItem};
use std::time::Duration;

fn view(item: &Item, grace: Duration) -> anyhow::Result<ParticipantView> {
    Ok(ParticipantView {
        id: text(item, "id")?,
        display_name: text(item, "display_name")?,
        role: Role::parse(&text(item, "role")?).context("stored role")?,
        status: effective_status(item, grace, now_ms())?,
        joined_at: time(number(item, "joined_at").unwrap_or_default()),
    })
}

impl DynamoRoomStore {
    fn log_entry(
        &self,
        actor: &Actor<'_>,
        action: Action,
        target: Option<&str>,
        detail: serde_json::Value,
    ) -> anyhow::Result<TransactWriteItem> {
        let now = now_ms();
        let mut item = key(room_key(&actor.host.room_id), format!("ACT#{now:013}#{:08x}", rand::random::<u32>()));
        item.extend([
            ("actor_id".to_owned(), s(&actor.host.id)),
            ("action".to_owned(), s(action.as_str())),
            ("detail".to_owned(), s(detail.to_string())),
            ("created_at".to_owned(), n(now)),
            ("expires_at".to_owned(), super::expires_at()),
        ]);
        if let Some(target) = target {
            item.insert("target_id".to_owned(), s(target));
        }
        Ok(write_put(item_put(self.table(), item).build()?))
    }

    /// Reads the target, checks its state, then writes `change.set` conditioned on that same state.
    async fn transition(
        &self,
        actor: Actor<'_>,
        target: &str,
        change: Change<'_>,
        grace: Duration,
    ) -> Result<ParticipantView, ModerationRefused> {
        let Change { allowed, action, set, values, slot } = change;
        let room = &actor.host.room_id;
        let room_item = self.room_item(room).await?.ok_or(ModerationRefused::RoomEnded)?;
        if room_item.contains_key("ended_at") {
            return Err(ModerationRefused::RoomEnded);
        }
        let item = self.participant_item(room, target).await?.ok_or(ModerationRefused::ParticipantNotFound)?;
        let status = ParticipantStatus::parse(&text(&item, "status")?).context("stored status")?;
        if !allowed.contains(&status) || text(&item, "id")? == actor.host.id {
            return Err(ModerationRefused::InvalidState);
        }
        let mut change = update(self.table(), key(room_key(room), participant_key(target)), set)
            .condition_expression("#status = :was")
            .expression_attribute_names("#status", "status")
            .expression_attribute_values(":was", s(status.as_str()));
        for (name, value) in values {
            change = change.expression_attribute_values(*name, value.clone());
        }
        if set.contains("#role") {
            change = change.expression_attribute_names("#role", "role"); // a reserved word
        }
        // Removing someone who held a slot frees it; admitting takes one.
        // The room's count includes every admitted or connected item until it is released.
        let slot_delta = if slot < 0 && !status.holds_slot() { 0 } else { slot };
        let mut items = vec![
            write_update(change.build().context("update")?),
            self.log_entry(&actor, action, Some(target), serde_json::json!({}))?,
        ];
        if action == Action::Ban
            && let Some(device) = opt_text(&item, "device_id")
        {
            let mut ban = key(room_key(room), format!("BAN#{device}"));
            ban.extend([("participant_id".to_owned(), s(target)), ("expires_at".to_owned(), super::expires_at())]);
            items.push(write_put(item_put(self.table(), ban).build().context("ban")?));
        }
        if slot_delta != 0 {
            items.insert(0, write_update(self.slot_change(room, slot_delta)?));
        }
        let written = if slot_delta > 0 {
            self.with_slot(room, grace, 0, || {
                self.client().transact_write_items().set_transact_items(Some(items.clone())).send()
            })
            .await
            .map(|()| Written::Done)
            .or_else(|refused| match refused {
                SlotRefused::Full => Err(ModerationRefused::RoomFull),
                SlotRefused::Condition => Ok(Written::ConditionFailed),
                SlotRefused::Store(e) => Err(ModerationRefused::Store(e)),
            })?
        } else {
            self.transact(items, "moderating").await?
        };
        match written {
            Written::Done => {}
            Written::ConditionFailed => return Err(ModerationRefused::InvalidState),
        }
        let after = self.participant_item(room, target).await?.ok_or(ModerationRefused::ParticipantNotFound)?;
        Ok(view(&after, grace)?)
    }
}

use ParticipantStatus::{Admitted, Connected, Kicked, Left, Waiting};

/// One moderation step on a participant item: from which statuses, the update expression
/// with its values, and how it changes the room's slot count (+1 admit, -1 remove).
struct Change<'a> {
    allowed: &'a [ParticipantStatus],
    action: Action,
    set: &'a str,
    values: &'a [(&'a str, AttributeValue)],
    slot: i64,
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
        Ok(all.into_iter().filter(|p| p.status == Waiting).collect())
    }

    async fn participant(&self, room: &RoomId, id: &str, grace: Duration) -> anyhow::Result<Option<ParticipantView>> {
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

    async fn admit(
        &self,
        actor: Actor<'_>,
        target: &str,
        grace: Duration,
    ) -> Result<ParticipantView, ModerationRefused> {
        let set = "SET #status = :admitted, admitted_at = :now";
        let values = [(":admitted", s("admitted")), (":now", n(now_ms()))];
        let change = Change { allowed: &[Waiting], action: Action::Admit, set, values: &values, slot: 1 };
        self.transition(actor, target, change, grace).await
    }

    async fn deny(&self, actor: Actor<'_>, target: &str) -> Result<ParticipantView, ModerationRefused> {
        let values = [(":denied", s("denied")), (":now", n(now_ms()))];
        let set = "SET #status = :denied, left_at = :now";
        let change = Change { allowed: &[Waiting], action: Action::Deny, set, values: &values, slot: 0 };
        self.transition(actor, target, change, Duration::ZERO).await
    }

    async fn remove(&self, actor: Actor<'_>, target: &str, ban: bool) -> Result<ParticipantView, ModerationRefused> {
        let (action, status, allowed): (Action, &str, &[ParticipantStatus]) = if ban {
            (Action::Ban, "banned", &[Waiting, Admitted, Connected, Left, Kicked])
        } else {
            (Action::Kick, "kicked", &[Waiting, Admitted, Connected, Left])
        };
        let values = [(":new", s(status)), (":now", n(now_ms()))];
        let set = "SET #status = :new, left_at = :now";
        let change = Change { allowed, action, set, values: &values, slot: -1 };
        self.transition(actor, target, change, Duration::ZERO).await
    }

    async fn promote(&self, actor: Actor<'_>, target: &str) -> Result<ParticipantView, ModerationRefused> {
        let item =
            self.participant_item(&actor.host.room_id, target).await?.ok_or(ModerationRefused::ParticipantNotFound)?;
        if opt_text(&item, "role").as_deref() == Some("host") {
            return Err(ModerationRefused::InvalidState);
        }
        let values = [(":host", s("host"))];
        let change = Change {
            allowed: &[Admitted, Connected],
            action: Action::Promote,
            set: "SET #role = :host",
            values: &values,
            slot: 0,
        };
        self.transition(actor, target, change, Duration::ZERO).await
    }

    async fn record(
        &self,
        actor: Actor<'_>,
        action: Action,
        target: Option<&str>,
        detail: serde_json::Value,
    ) -> anyhow::Result<()> {
        self.transact(vec![self.log_entry(&actor, action, target, detail)?], "recording an action").await?;
        Ok(())
    }

    async fn update_room(&self, actor: Actor<'_>, patch: &RoomPatch) -> Result<Room, ModerationRefused> {
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
        let mut items = vec![self.log_entry(&actor, Action::UpdateRoom, None, patch.detail())?];
        if !sets.is_empty() {
            items.push(write_update(
                change.update_expression(format!("SET {}", sets.join(", "))).build().context("update")?,
            ));
        }
        if let Written::ConditionFailed = self.transact(items, "updating room").await? {
            return Err(ModerationRefused::RoomEnded);
        }
        let item = self.room_item(room).await?.ok_or(ModerationRefused::RoomEnded)?;
        Ok(room_from_item(&item)?)
    }

    async fn end_room(&self, actor: Actor<'_>) -> Result<(), ModerationRefused> {
        let room = &actor.host.room_id;
        let end = update(self.table(), key(room_key(room), "ROOM"), "SET ended_at = :now, slots = :zero")
            .condition_expression("attribute_not_exists(ended_at)")
            .expression_attribute_values(":now", n(now_ms()))
            .expression_attribute_values(":zero", n(0))
            .build()
            .context("end")?;
        let items = vec![write_update(end), self.log_entry(&actor, Action::End, None, serde_json::json!({}))?];
        if let Written::ConditionFailed = self.transact(items, "ending room").await? {
            return Err(ModerationRefused::RoomEnded);
        }
        // Sessions of an ended room are refused anyway; this keeps the list truthful.
        for item in self.room_items(room, "P#").await? {
            if matches!(opt_text(&item, "status").as_deref(), Some("waiting" | "admitted" | "connected")) {
                let left = update(
                    self.table(),
                    key(room_key(room), participant_key(&text(&item, "id")?)),
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
                    action: Action::ALL.iter().find(|a| a.as_str() == action).context("unknown action")?.as_str(),
                    target_id: opt_text(item, "target_id"),
                    detail: serde_json::from_str(&text(item, "detail")?).unwrap_or_default(),
                    created_at: time(number(item, "created_at").unwrap_or_default()),
                })
            })
            .collect()
    }
}
