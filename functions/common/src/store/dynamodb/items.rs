//! Items and keys: how rooms and participants are written as DynamoDB items and read back,
//! and the small attribute helpers the SDK's verbose builders call for.

use crate::domain::policy;
use crate::domain::{
    DisplayName, MaxParticipants, ParticipantId, ParticipantStatus, Role, RoomId, RoomTitle, SecretHash,
};
use crate::store::{Participant, Room};
use anyhow::Context;
use aws_sdk_dynamodb::types::AttributeValue;
use chrono::{DateTime, Utc};
use std::collections::HashMap;
use std::time::Duration;

pub type Item = HashMap<String, AttributeValue>;

/// Rooms and their records stay this long after the last write that set `expires_at`.
const RETENTION_SECS: i64 = 30 * 24 * 3600;

pub(super) fn s(value: impl Into<String>) -> AttributeValue {
    AttributeValue::S(value.into())
}

pub(super) fn n(value: i64) -> AttributeValue {
    AttributeValue::N(value.to_string())
}

pub(super) fn text(item: &Item, name: &str) -> anyhow::Result<String> {
    item.get(name).and_then(|v| v.as_s().ok()).cloned().with_context(|| format!("item lacks {name}"))
}

pub(super) fn opt_text(item: &Item, name: &str) -> Option<String> {
    item.get(name).and_then(|v| v.as_s().ok()).cloned()
}

pub(super) fn number(item: &Item, name: &str) -> Option<i64> {
    item.get(name).and_then(|v| v.as_n().ok()).and_then(|n| n.parse().ok())
}

pub(super) fn flag(item: &Item, name: &str) -> bool {
    item.get(name).and_then(|v| v.as_bool().ok()).copied().unwrap_or(false)
}

pub(super) fn now_ms() -> i64 {
    Utc::now().timestamp_millis()
}

pub(super) fn time(ms: i64) -> DateTime<Utc> {
    DateTime::from_timestamp_millis(ms).unwrap_or_default()
}

pub(super) fn expires_at() -> AttributeValue {
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

pub(super) fn session_key(hash: &SecretHash) -> String {
    hash.0.iter().map(|b| format!("{b:02x}")).collect()
}

pub(super) fn key(pk: String, sk: impl Into<String>) -> Item {
    HashMap::from([("pk".to_owned(), s(pk)), ("sk".to_owned(), s(sk))])
}

pub(super) fn room_from_item(item: &Item) -> anyhow::Result<Room> {
    let id = text(item, "pk")?;
    Ok(Room {
        id: RoomId::parse(id.trim_start_matches("ROOM#")).context("stored room id")?,
        title: RoomTitle::trusted(text(item, "title")?),
        max_participants: MaxParticipants::trusted(number(item, "max_participants").context("max")? as i32),
        waiting_room: flag(item, "waiting_room"),
        locked: flag(item, "locked"),
        e2ee: flag(item, "e2ee"),
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

/// `room` is the room's item when it was read, for the room's state a session carries.
pub(super) fn participant_from_item(
    item: &Item,
    grace: Duration,
    room_item: Option<&Item>,
) -> anyhow::Result<Participant> {
    let room = text(item, "pk")?;
    Ok(Participant {
        id: participant_id(item)?,
        room_id: RoomId::parse(room.trim_start_matches("ROOM#")).context("stored room id")?,
        display_name: DisplayName::trusted(text(item, "display_name")?),
        role: Role::parse(&text(item, "role")?).context("stored role")?,
        owner: flag(item, "owner"),
        status: effective_status(item, grace, now_ms())?,
        room_ended: room_item.is_some_and(|r| r.contains_key("ended_at")),
        room_e2ee: room_item.is_some_and(|r| flag(r, "e2ee")),
    })
}

/// The session has not ended (a leave) or expired.
pub(super) fn session_live(item: &Item, now: i64) -> bool {
    number(item, "session_expires_at").is_some_and(|at| at > now)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stored_participant(status: &str, admitted_at: Option<i64>, session_expires_at: i64) -> Item {
        let id = ParticipantId::generate();
        let mut item = key(room_key(&RoomId::parse("abc-defg-hij").unwrap()), participant_key(&id));
        item.extend([
            ("id".to_owned(), s(id.to_string())),
            ("display_name".to_owned(), s("Ann")),
            ("role".to_owned(), s("guest")),
            ("status".to_owned(), s(status)),
            ("session_expires_at".to_owned(), n(session_expires_at)),
        ]);
        if let Some(at) = admitted_at {
            item.insert("admitted_at".to_owned(), n(at));
        }
        item
    }

    #[test]
    fn keys_name_the_room_and_its_records() {
        let room = RoomId::parse("abc-defg-hij").unwrap();
        let id = ParticipantId::parse("0f8c2a9e-4b1d-4e1a-9c3e-2d5f7a8b9c0d").unwrap();
        assert_eq!(room_key(&room), "ROOM#abc-defg-hij");
        assert_eq!(participant_key(&id), "P#0f8c2a9e-4b1d-4e1a-9c3e-2d5f7a8b9c0d");
        assert_eq!(session_key(&SecretHash(vec![0, 15, 255])), "000fff");
        assert_eq!(key("ROOM#x".into(), "ROOM"), HashMap::from([("pk".into(), s("ROOM#x")), ("sk".into(), s("ROOM"))]));
    }

    #[test]
    fn a_room_item_reads_back_as_the_room_it_was_written_from() {
        let mut item = key(room_key(&RoomId::parse("abc-defg-hij").unwrap()), "ROOM");
        item.extend([
            ("title".to_owned(), s("Standup")),
            ("max_participants".to_owned(), n(8)),
            ("waiting_room".to_owned(), AttributeValue::Bool(true)),
            ("created_at".to_owned(), n(1_764_132_000_000)),
        ]);
        let room = room_from_item(&item).unwrap();
        assert_eq!(room.id.as_str(), "abc-defg-hij");
        assert_eq!((room.title.as_str(), room.max_participants.get()), ("Standup", 8));
        assert!(room.waiting_room && !room.locked && !room.ended, "a missing flag is false");
        assert_eq!(room.created_at.timestamp_millis(), 1_764_132_000_000);
        item.insert("ended_at".to_owned(), n(1));
        assert!(room_from_item(&item).unwrap().ended);
        item.remove("title");
        assert!(room_from_item(&item).is_err(), "a room without its title is a broken item, not a room");
    }

    #[test]
    fn an_admission_holds_its_slot_for_the_grace_period_then_reads_as_left() {
        let grace = Duration::from_secs(60);
        let now = 1_000_000;
        let fresh = stored_participant("admitted", Some(now - 1_000), now + 1);
        let expired = stored_participant("admitted", Some(now - 61_000), now + 1);
        assert!(holds_slot(&fresh, grace, now));
        assert!(!holds_slot(&expired, grace, now));
        assert_eq!(effective_status(&expired, grace, now).unwrap(), ParticipantStatus::Left);
        assert!(holds_slot(&stored_participant("connected", Some(now - 61_000), now + 1), grace, now));
        let participant = participant_from_item(&fresh, grace, None).unwrap();
        assert_eq!((participant.display_name.as_str(), participant.role), ("Ann", Role::Guest));
        assert_eq!(participant.room_id.as_str(), "abc-defg-hij");
    }

    #[test]
    fn a_session_is_live_until_it_expires() {
        assert!(session_live(&stored_participant("admitted", None, 101), 100));
        assert!(!session_live(&stored_participant("admitted", None, 100), 100));
        let mut ended = stored_participant("left", None, 0);
        ended.remove("session_expires_at");
        assert!(!session_live(&ended, 100));
    }
}
