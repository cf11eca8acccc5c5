//! DynamoDB transitions: read the participant, ask the policy, then write the step in one
//! transaction conditioned on the item being exactly as read. A concurrent change fails
//! that condition and the decision is taken again on fresh state.

use super::DynamoRoomStore;
use super::items::{
    Item, flag, key, n, now_ms, number, opt_text, participant_id, participant_key, room_from_item, room_key, s,
    session_live, stored_status,
};
use super::moderation;
use super::shards;
use super::writes::{Failed, decide_again, send_retrying, update, write_update};
use crate::domain::policy::{self, HostActor, Refusal, Step, Subject, Transition};
use crate::domain::{ParticipantId, ParticipantStatus};
use crate::store::moderation::Action;
use crate::store::{Applied, Change, Refused};
use anyhow::{Context, anyhow};
use aws_sdk_dynamodb::types::{AttributeValue, ConditionCheck, TransactWriteItem};

/// The attributes a decision was taken on; the write requires them unchanged.
const GUARDED: [&str; 4] = ["status", "role", "admitted_at", "livekit_sid"];

/// Where each item sits in the transaction, to tell whose condition failed.
const PARTICIPANT: usize = 0;
const ROOM: usize = 1;
const ACTOR: usize = 2;

impl DynamoRoomStore {
    pub(super) async fn apply_transition(
        &self,
        room: &crate::domain::RoomId,
        id: &ParticipantId,
        change: Change<'_>,
    ) -> Result<Applied, Refused> {
        decide_again("the participant", || self.transition_once(room, id, &change)).await
    }

    /// One attempt: `None` when the participant changed since it was read, or an expired
    /// slot was released to make room, and the step has to be decided again.
    async fn transition_once(
        &self,
        room: &crate::domain::RoomId,
        id: &ParticipantId,
        change: &Change<'_>,
    ) -> Result<Option<Applied>, Refused> {
        let grace = change.connect_grace;
        let room_item = self.room_item(room).await?.ok_or(Refused::RoomNotFound)?;
        let item = self.participant_item(room, id).await?.ok_or(Refused::ParticipantNotFound)?;
        let now = now_ms();
        let view = moderation::view(&item, grace)?;
        let stored = stored_status(&item)?;
        let ended = room_item.contains_key("ended_at");
        let subject = Subject {
            status: view.status,
            role: view.role,
            owner: view.owner,
            session_live: session_live(&item, now),
            room_ended: ended,
            never_connected: stored == ParticipantStatus::Admitted && view.status == ParticipantStatus::Left,
            room_closed: flag(&room_item, "locked") || flag(&room_item, "waiting_room"),
        };
        let transition = change.transition;
        let actor = change.actor.map(|a| HostActor { owner: a.owner, is_subject: a.id == view.id });
        let mut step = policy::step(subject, transition, actor)?;
        step.unchanged |=
            policy::stale_presence(transition, change.sid, stored, opt_text(&item, "livekit_sid").as_deref());
        let room_state = room_from_item(&room_item)?;
        if step.unchanged {
            return Ok(Some(Applied { participant: view, step, room: room_state }));
        }
        // The room's counters follow stored statuses: an expired admission still counts
        // until it is released. A slot taken is one of a shard with room, which the
        // participant records; a slot given back goes to the shard it was taken from.
        let slot_count = policy::slot_change(stored, step.to);
        let slot = match slot_count {
            policy::Count::Take => match self.shard_with_room(room).await? {
                Some(k) => Some((k, self.take_slot(room, k, None)?)),
                None if ended => return Err(Refusal::RoomEnded.into()),
                None if self.release_expired(room, grace).await? == 0 => return Err(Refusal::RoomFull.into()),
                None => return Ok(None),
            },
            policy::Count::Free => {
                // A participant of a room made before shards: the room gets its shard first.
                if number(&item, "slot_shard").is_none() {
                    self.shards(room).await?;
                }
                let k = shards::shard_of(&item);
                Some((k, self.give_back_slot(room, k)?))
            }
            policy::Count::Keep => None,
        };
        let taken = slot.as_ref().filter(|_| slot_count == policy::Count::Take).map(|(k, _)| *k);
        let mut items = vec![self.participant_step(room, &item, &step, change.sid, now, taken)?];
        let lobby = policy::lobby_change(stored, step.to).delta();
        items.push(write_update(self.counters(room, lobby, !ended)?));
        if let Some(acting) = change.actor {
            items.push(self.actor_is_host(room, &acting.id)?);
            if let Some(action) = Action::logged_for(transition) {
                items.push(self.log_entry(acting, action, Some(&view.id), serde_json::json!({}))?);
            }
        }
        if transition == Transition::Ban
            && let Some(device) = opt_text(&item, "device_id")
        {
            items.push(self.ban_entry(room, &device, &view.id)?);
        }
        let shard_index = items.len();
        items.extend(slot.map(|(_, change)| write_update(change)));
        let write = || self.client().transact_write_items().set_transact_items(Some(items.clone())).send();
        match send_retrying(write).await {
            Ok(()) => {
                let mut participant = view;
                (participant.status, participant.role) = (step.to, step.role);
                Ok(Some(Applied { participant, step, room: room_state }))
            }
            Err(Failed::Condition(failed)) if failed.get(ACTOR) == Some(&true) => Err(Refused::ActorNotHost),
            Err(Failed::Condition(failed)) if failed.get(ROOM) == Some(&true) => {
                if self.room_item(room).await?.is_some_and(|r| r.contains_key("ended_at")) {
                    return Err(Refusal::RoomEnded.into());
                }
                Err(Refused::RoomNotFound)
            }
            // The participant changed since it was read, or another took the shard's last
            // free slot: decide again.
            Err(Failed::Condition(failed)) if failed.get(PARTICIPANT) == Some(&true) => Ok(None),
            Err(Failed::Condition(failed)) if failed.get(shard_index) == Some(&true) => Ok(None),
            Err(Failed::Condition(_)) => Err(anyhow!("an unexpected condition failed").into()),
            Err(Failed::Store(e)) => Err(e.context("writing a transition").into()),
        }
    }

    /// The participant's update for `step`, conditioned on the guarded attributes as read;
    /// `shard` is where the slot it takes is counted.
    fn participant_step(
        &self,
        room: &crate::domain::RoomId,
        item: &Item,
        step: &Step,
        sid: Option<&str>,
        now: i64,
        shard: Option<usize>,
    ) -> anyhow::Result<TransactWriteItem> {
        let id = participant_id(item)?;
        let stored = stored_status(item)?;
        let mut sets = vec!["#status = :to", "#role = :role"];
        let mut removes = Vec::new();
        let mut values: Vec<(&str, AttributeValue)> =
            vec![(":to", s(step.to.as_str())), (":role", s(step.role.as_str()))];
        let taking = step.slot == policy::Count::Take;
        if taking {
            sets.push("admitted_at = :now");
        }
        if let Some(k) = shard {
            sets.push("slot_shard = :shard");
            values.push((":shard", n(k as i64)));
        }
        match step.to {
            ParticipantStatus::Connected => {
                if stored != ParticipantStatus::Connected {
                    sets.push("connected_at = :now");
                }
                if let Some(sid) = sid {
                    sets.push("livekit_sid = :sid");
                    values.push((":sid", s(sid)));
                }
            }
            ParticipantStatus::Admitted => removes.extend(["connected_at", "livekit_sid"]),
            _ => {}
        }
        if step.to.holds_slot() {
            removes.push("left_at");
        } else if step.to != stored {
            sets.push("left_at = :now");
        }
        if step.end_session && number(item, "session_expires_at").is_some_and(|at| at > now) {
            sets.push("session_expires_at = :now");
        }
        // DynamoDB refuses a value the expressions do not use (moto does not check).
        if sets.iter().any(|set| set.contains(":now")) {
            values.push((":now", n(now)));
        }
        let mut expression = format!("SET {}", sets.join(", "));
        if !removes.is_empty() {
            expression.push_str(&format!(" REMOVE {}", removes.join(", ")));
        }
        let mut conditions = Vec::new();
        let mut builder = update(self.table(), key(room_key(room), participant_key(&id)), &expression)
            .expression_attribute_names("#status", "status")
            .expression_attribute_names("#role", "role");
        for (i, name) in GUARDED.iter().enumerate() {
            let alias = format!("#g{i}");
            builder = builder.expression_attribute_names(&alias, *name);
            match item.get(*name) {
                Some(value) => {
                    conditions.push(format!("{alias} = :g{i}"));
                    builder = builder.expression_attribute_values(format!(":g{i}"), value.clone());
                }
                None => conditions.push(format!("attribute_not_exists({alias})")),
            }
        }
        for (name, value) in values {
            builder = builder.expression_attribute_values(name, value);
        }
        let built = builder.condition_expression(conditions.join(" AND ")).build().context("participant step")?;
        Ok(write_update(built))
    }

    /// `lobby += lobby_delta` on the room, which must exist and, with `open`, not have ended.
    fn counters(
        &self,
        room: &crate::domain::RoomId,
        lobby_delta: i64,
        open: bool,
    ) -> anyhow::Result<aws_sdk_dynamodb::types::Update> {
        let mut conditions = vec!["attribute_exists(pk)"];
        if open {
            conditions.push("attribute_not_exists(ended_at)");
        }
        Ok(update(self.table(), key(room_key(room), "ROOM"), "SET lobby = if_not_exists(lobby, :zero) + :lobby")
            .condition_expression(conditions.join(" AND "))
            .expression_attribute_values(":lobby", n(lobby_delta))
            .expression_attribute_values(":zero", n(0))
            .build()?)
    }

    /// Holds the transaction to the actor still being a host in the room when it is written.
    pub(super) fn actor_is_host(
        &self,
        room: &crate::domain::RoomId,
        actor: &ParticipantId,
    ) -> anyhow::Result<TransactWriteItem> {
        let check = ConditionCheck::builder()
            .table_name(self.table())
            .set_key(Some(key(room_key(room), participant_key(actor))))
            .condition_expression("#role = :host AND #status IN (:admitted, :connected)")
            .expression_attribute_names("#role", "role")
            .expression_attribute_names("#status", "status")
            .expression_attribute_values(":host", s("host"))
            .expression_attribute_values(":admitted", s("admitted"))
            .expression_attribute_values(":connected", s("connected"))
            .build()
            .context("actor check")?;
        Ok(TransactWriteItem::builder().condition_check(check).build())
    }
}
