//! A big room's slots, spread over several counter items (shards). DynamoDB cancels a
//! transaction that meets another one in progress on the same item, so joins that all write
//! the room's one counter take turns; with the count spread over shards, joins into one room
//! write different items. Each shard holds its own cap atomically and the caps add up to the
//! room's maximum exactly, so the room never admits one more than that.
//!
//! Each shard is an item `SLOTS#k` of the room's partition: how many slots it holds (`slots`),
//! its `cap`, and copies of the room's guards a join is held to (`ended`, `locked`,
//! `waiting_room`), so that a join's transaction writes its shard and never the room's item.
//! The host's changes to those guards write the room and every shard in one transaction.

use super::DynamoRoomStore;
use super::items::{Item, flag, key, n, number, room_key, text};
use super::writes::{item_put, update, write_put, write_update};
use crate::domain::RoomId;
use anyhow::Context;
use aws_sdk_dynamodb::types::builders::UpdateBuilder;
use aws_sdk_dynamodb::types::{AttributeValue, TransactWriteItem, Update};

/// People one shard counts at most before a room gets another shard.
const PEOPLE_PER_SHARD: i32 = 50;
/// A host's change of the room's guards (lock, waiting room, end) writes every shard with the
/// room in one transaction, which DynamoDB caps at 100 items; ten keeps that small.
pub(super) const MAX_SHARDS: i32 = 10;

/// The caps of a room's shards: they add up to `max_participants` exactly and differ by one
/// at most.
pub(super) fn caps(max_participants: i32) -> Vec<i32> {
    let max = max_participants.max(1);
    let shards = ((max + PEOPLE_PER_SHARD - 1) / PEOPLE_PER_SHARD).clamp(1, MAX_SHARDS);
    (0..shards).map(|k| max / shards + i32::from(k < max % shards)).collect()
}

/// Which shard a join tries after `tried` turned out full: the next one, from `tried` on, that
/// had room when the shards were last read (`taken[k]` of `caps[k]`), or none when all are full.
pub(super) fn next_with_room(taken: &[i32], caps: &[i32], tried: usize) -> Option<usize> {
    let shards = caps.len();
    (1..=shards).map(|step| (tried + step) % shards).find(|&k| taken.get(k).copied().unwrap_or(0) < caps[k])
}

pub(super) fn shard_key(k: usize) -> String {
    format!("SLOTS#{k}")
}

/// The shard a participant's slot is counted in (rooms made before shards: the first).
pub(super) fn shard_of(participant: &Item) -> usize {
    number(participant, "slot_shard").and_then(|k| usize::try_from(k).ok()).unwrap_or(0)
}

/// The shards of a new room: each with its cap, holding nobody, with the room's guards.
pub(super) fn new_shards(room: &RoomId, max_participants: i32, waiting_room: bool) -> Vec<Item> {
    caps(max_participants)
        .into_iter()
        .enumerate()
        .map(|(k, cap)| {
            let mut item = key(room_key(room), shard_key(k));
            item.extend([
                ("slots".to_owned(), n(0)),
                ("cap".to_owned(), n(cap.into())),
                ("ended".to_owned(), AttributeValue::Bool(false)),
                ("locked".to_owned(), AttributeValue::Bool(false)),
                ("waiting_room".to_owned(), AttributeValue::Bool(waiting_room)),
            ]);
            item
        })
        .collect()
}

/// `builder` held to `condition` and, for a guest's entry, to the lock and waiting room being
/// as decided on (`as_decided`), on the room's item or a shard's copies of them alike.
pub(super) fn held_to(builder: UpdateBuilder, condition: &str, as_decided: Option<(bool, bool)>) -> UpdateBuilder {
    match as_decided {
        None => builder.condition_expression(condition),
        Some((locked, waiting)) => builder
            .condition_expression(format!("{condition} AND locked = :locked AND waiting_room = :waiting"))
            .expression_attribute_values(":locked", AttributeValue::Bool(locked))
            .expression_attribute_values(":waiting", AttributeValue::Bool(waiting)),
    }
}

/// One shard as read.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Shard {
    pub taken: i32,
    pub cap: i32,
    pub ended: bool,
    pub locked: bool,
    pub waiting_room: bool,
}

fn shard_from_item(item: &Item) -> anyhow::Result<(usize, Shard)> {
    let sk = text(item, "sk")?;
    let k = sk.strip_prefix("SLOTS#").and_then(|k| k.parse().ok()).with_context(|| format!("shard key {sk:?}"))?;
    let count = |name| number(item, name).and_then(|v| i32::try_from(v).ok()).with_context(|| format!("shard {name}"));
    let shard = Shard {
        taken: count("slots")?,
        cap: count("cap")?,
        ended: flag(item, "ended"),
        locked: flag(item, "locked"),
        waiting_room: flag(item, "waiting_room"),
    };
    Ok((k, shard))
}

impl DynamoRoomStore {
    /// How many shards the room has.
    pub(super) async fn shard_count(&self, room: &RoomId) -> anyhow::Result<usize> {
        Ok(self.shards(room).await?.len())
    }

    /// The room's shards, in order, read consistently. A room made before shards (its item
    /// still counts `slots` itself) gets its one shard first.
    pub(super) async fn shards(&self, room: &RoomId) -> anyhow::Result<Vec<Shard>> {
        let mut shards = self.read_shards(room).await?;
        if shards.is_empty() && self.adopt_room_without_shards(room).await? {
            shards = self.read_shards(room).await?;
        }
        Ok(shards)
    }

    async fn read_shards(&self, room: &RoomId) -> anyhow::Result<Vec<Shard>> {
        let items = self.room_items(room, "SLOTS#").await?;
        let mut shards = items.iter().map(shard_from_item).collect::<Result<Vec<_>, _>>()?;
        shards.sort_by_key(|(k, _)| *k);
        Ok(shards.into_iter().map(|(_, shard)| shard).collect())
    }

    /// Gives a room made before shards its one shard: its whole maximum, the count its item
    /// kept, and its guards, written only while the room item still holds them as read (and
    /// only once). Its participants have no `slot_shard`, which reads as this shard. Whether
    /// the room was one to adopt.
    async fn adopt_room_without_shards(&self, room: &RoomId) -> anyhow::Result<bool> {
        let Some(item) = self.room_item(room).await? else { return Ok(false) };
        let (Some(taken), Some(max)) = (number(&item, "slots"), number(&item, "max_participants")) else {
            return Ok(false);
        };
        let (ended, locked, waiting) =
            (item.contains_key("ended_at"), flag(&item, "locked"), flag(&item, "waiting_room"));
        let mut shard = key(room_key(room), shard_key(0));
        shard.extend([
            ("slots".to_owned(), n(taken)),
            ("cap".to_owned(), n(max)),
            ("ended".to_owned(), AttributeValue::Bool(ended)),
            ("locked".to_owned(), AttributeValue::Bool(locked)),
            ("waiting_room".to_owned(), AttributeValue::Bool(waiting)),
        ]);
        if let Some(expires) = item.get("expires_at") {
            shard.insert("expires_at".to_owned(), expires.clone());
        }
        let put = item_put(self.table(), shard).condition_expression("attribute_not_exists(pk)").build()?;
        // The room's own count goes: code from before shards, still running while a deploy
        // goes on, then finds no count to take a slot from (the room reads as full) or to give
        // one back to (an error), rather than counting beside the shard.
        let ended_as_read = if ended { "attribute_exists(ended_at)" } else { "attribute_not_exists(ended_at)" };
        let room_as_read = update(self.table(), key(room_key(room), "ROOM"), "REMOVE slots")
            .condition_expression(format!(
                "slots = :slots AND locked = :locked AND waiting_room = :waiting AND {ended_as_read}"
            ))
            .expression_attribute_values(":slots", n(taken))
            .expression_attribute_values(":locked", AttributeValue::Bool(locked))
            .expression_attribute_values(":waiting", AttributeValue::Bool(waiting))
            .build()?;
        let items = vec![write_put(put), write_update(room_as_read)];
        // Adopted by another meanwhile, or changed under the read: the caller reads again.
        self.transact(items, "giving a room its slot shard").await?;
        Ok(true)
    }

    /// Taking a slot of shard `k`: held to a free one there and to the room not having ended;
    /// for a guest, also to the lock and waiting room being as decided on (`as_decided`).
    pub(super) fn take_slot(
        &self,
        room: &RoomId,
        k: usize,
        as_decided: Option<(bool, bool)>,
    ) -> anyhow::Result<Update> {
        let builder = update(self.table(), key(room_key(room), shard_key(k)), "SET slots = slots + :one")
            .expression_attribute_values(":one", n(1))
            .expression_attribute_values(":false", AttributeValue::Bool(false));
        Ok(held_to(builder, "slots < cap AND ended = :false", as_decided).build()?)
    }

    /// The same change (`SET` `expression` with `values`) to each of the room's `count` shards:
    /// the host's lock, waiting room and end, copied to where joins read them.
    pub(super) fn on_every_shard(
        &self,
        room: &RoomId,
        count: usize,
        expression: &str,
        values: &[(&str, AttributeValue)],
    ) -> anyhow::Result<Vec<TransactWriteItem>> {
        (0..count)
            .map(|k| {
                let builder = update(self.table(), key(room_key(room), shard_key(k)), expression)
                    .condition_expression("attribute_exists(pk)");
                let builder =
                    values.iter().fold(builder, |b, (name, value)| b.expression_attribute_values(*name, value.clone()));
                Ok(write_update(builder.build()?))
            })
            .collect()
    }

    /// Giving back a slot of shard `k`.
    pub(super) fn give_back_slot(&self, room: &RoomId, k: usize) -> anyhow::Result<Update> {
        let builder = update(self.table(), key(room_key(room), shard_key(k)), "SET slots = slots - :one")
            .condition_expression("attribute_exists(pk)")
            .expression_attribute_values(":one", n(1));
        Ok(builder.build()?)
    }

    /// A shard with a free slot, picked at random among those that had one when read, so
    /// that concurrent joins spread over the shards; none when all were full.
    pub(super) async fn shard_with_room(&self, room: &RoomId) -> anyhow::Result<Option<usize>> {
        let shards = self.shards(room).await?;
        let open: Vec<usize> = (0..shards.len()).filter(|&k| shards[k].taken < shards[k].cap).collect();
        Ok(if open.is_empty() { None } else { Some(open[rand::random_range(0..open.len())]) })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_caps_add_up_to_the_maximum_exactly_and_stay_even() {
        for max in 1..=500 {
            let caps = caps(max);
            assert_eq!(caps.iter().sum::<i32>(), max, "{max}");
            assert!(caps.len() as i32 <= MAX_SHARDS, "{max}");
            let (least, most) = (caps.iter().min().unwrap(), caps.iter().max().unwrap());
            assert!(most - least <= 1 && *least >= 1, "{max}: {caps:?}");
        }
        assert_eq!(caps(6), vec![6], "a small room keeps one counter");
        assert_eq!(caps(500), vec![50; 10]);
        assert_eq!(caps(101), vec![34, 34, 33]);
    }

    #[test]
    fn a_full_shard_sends_the_join_to_the_next_one_with_room_and_none_when_all_are_full() {
        let caps = [3, 3, 3];
        assert_eq!(next_with_room(&[3, 1, 0], &caps, 0), Some(1));
        assert_eq!(next_with_room(&[3, 3, 0], &caps, 1), Some(2));
        assert_eq!(next_with_room(&[0, 3, 3], &caps, 2), Some(0), "it wraps around");
        assert_eq!(next_with_room(&[3, 3, 2], &caps, 2), Some(2), "the tried one may have room again");
        assert_eq!(next_with_room(&[3, 3, 3], &caps, 0), None);
    }

    #[test]
    fn a_new_room_has_one_shard_per_cap_holding_nobody_and_its_guards() {
        let room = RoomId::parse("abc-defg-hij").unwrap();
        let items = new_shards(&room, 101, true);
        let shards: Vec<(usize, Shard)> = items.iter().map(|item| shard_from_item(item).unwrap()).collect();
        assert_eq!(shards.iter().map(|(k, _)| *k).collect::<Vec<_>>(), vec![0, 1, 2]);
        assert_eq!(shards.iter().map(|(_, s)| s.cap).sum::<i32>(), 101);
        assert!(shards.iter().all(|(_, s)| s.taken == 0 && !s.ended && !s.locked && s.waiting_room));
    }
}
