//! PostgreSQL room store. Every decision about a room's people is taken under a lock on
//! the room row, so concurrent joins, host actions and webhooks into one room queue up,
//! and every write is also guarded by the status it was decided from.

use super::moderation::Action;
use super::{Applied, Audience, Change, NewParticipant, NewRoom, Participant, Refused, Room, RoomStore};
use crate::domain::policy::{self, Count, Credential, HostActor, Refusal, RoomFacts, Subject, Transition};
use crate::domain::{
    DisplayName, MaxParticipants, ParticipantId, ParticipantStatus, Role, RoomId, RoomTitle, SecretHash,
};
use anyhow::Context;
use async_trait::async_trait;
use sqlx::postgres::{PgPool, PgPoolOptions, PgRow};
use sqlx::{Postgres, Row, Transaction};
use std::time::Duration;
use uuid::Uuid;

mod moderation;

pub static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("../../migrations");

/// PostgreSQL could not be reached, or went away: the connection failed or broke (SQLSTATE
/// class 08), or the server is shutting down or restarting (class 57, operator intervention).
pub(super) fn out_of_reach(cause: &(dyn std::error::Error + 'static)) -> bool {
    match cause.downcast_ref::<sqlx::Error>() {
        Some(sqlx::Error::Io(_) | sqlx::Error::PoolTimedOut | sqlx::Error::PoolClosed) => true,
        Some(sqlx::Error::Database(db)) => {
            db.code().is_some_and(|code| code.starts_with("08") || code.starts_with("57"))
        }
        _ => false,
    }
}

#[derive(Clone)]
pub struct PgRoomStore {
    pool: PgPool,
}

pub struct PoolCounts {
    pub open: u32,
    pub idle: u32,
    pub max: u32,
}

impl PgRoomStore {
    /// Connects lazily: a cold start does no I/O until the first request needs the database.
    pub fn connect_lazy(url: &str, max_connections: u32) -> anyhow::Result<Self> {
        let pool = PgPoolOptions::new()
            .max_connections(max_connections)
            .acquire_timeout(Duration::from_secs(3))
            .connect_lazy(url)
            .context("invalid DATABASE_URL")?;
        Ok(Self { pool })
    }

    pub fn from_pool(pool: PgPool) -> Self {
        Self { pool }
    }

    /// The pool's own counts: connections open, of them idle, and the most it may open.
    pub fn pool_counts(&self) -> PoolCounts {
        PoolCounts {
            open: self.pool.size(),
            idle: u32::try_from(self.pool.num_idle()).unwrap_or(u32::MAX),
            max: self.pool.options().get_max_connections(),
        }
    }

    pub fn pool(&self) -> &PgPool {
        &self.pool
    }
}

/// A participant who was admitted but never showed up in LiveKit within the grace period
/// no longer holds a slot; this expression is the single definition of "holds a slot".
const HOLDS_SLOT: &str =
    "(status = 'connected' OR (status = 'admitted' AND admitted_at > now() - make_interval(secs => $2)))";

/// Status as users see it: an expired admission reads as `left`.
const EFFECTIVE_STATUS: &str =
    "CASE WHEN status = 'admitted' AND admitted_at <= now() - make_interval(secs => $2) THEN 'left' ELSE status END";

fn grace_secs(grace: Duration) -> f64 {
    grace.as_secs_f64()
}

fn room_from_row(row: &PgRow) -> Result<Room, sqlx::Error> {
    Ok(Room {
        id: RoomId::parse(row.try_get("id")?)
            .ok_or_else(|| sqlx::Error::Decode("stored room id is malformed".into()))?,
        title: RoomTitle::trusted(row.try_get("title")?),
        max_participants: MaxParticipants::trusted(row.try_get("max_participants")?),
        waiting_room: row.try_get("waiting_room")?,
        locked: row.try_get("locked")?,
        e2ee: row.try_get("e2ee")?,
        created_at: row.try_get("created_at")?,
        ended: row.try_get::<Option<chrono::DateTime<chrono::Utc>>, _>("ended_at")?.is_some(),
    })
}

fn participant_from_row(row: &PgRow, room_id: &RoomId) -> anyhow::Result<Participant> {
    let role: String = row.try_get("role")?;
    let status: String = row.try_get("status")?;
    Ok(Participant {
        id: ParticipantId::from_uuid(row.try_get("id")?),
        room_id: room_id.clone(),
        display_name: DisplayName::trusted(row.try_get("display_name")?),
        role: Role::parse(&role).context("stored role is unknown")?,
        owner: row.try_get("owner")?,
        status: ParticipantStatus::parse(&status).context("stored status is unknown")?,
        room_ended: row.try_get::<Option<bool>, _>("room_ended").ok().flatten().unwrap_or(false),
        room_e2ee: row.try_get::<Option<bool>, _>("room_e2ee").ok().flatten().unwrap_or(false),
    })
}

/// Locks the room row; every decision about the room's people happens under this lock.
async fn lock_room(tx: &mut Transaction<'_, Postgres>, room: &RoomId) -> Result<(Room, SecretHash), Refused> {
    let row = sqlx::query("SELECT * FROM rooms WHERE id = $1 FOR UPDATE")
        .bind(room.as_str())
        .fetch_optional(&mut **tx)
        .await
        .context("locking room")?
        .ok_or(Refused::RoomNotFound)?;
    let parsed = room_from_row(&row).context("reading room")?;
    let host_key = SecretHash(row.try_get("host_key_hash").context("reading host key")?);
    Ok((parsed, host_key))
}

async fn lobby_size(tx: &mut Transaction<'_, Postgres>, room: &RoomId) -> anyhow::Result<i64> {
    sqlx::query_scalar("SELECT count(*) FROM participants WHERE room_id = $1 AND status = 'waiting'")
        .bind(room.as_str())
        .fetch_one(&mut **tx)
        .await
        .context("counting the lobby")
}

async fn slots_taken(tx: &mut Transaction<'_, Postgres>, room: &RoomId, grace: Duration) -> anyhow::Result<i64> {
    let sql = const_format(&["SELECT count(*) FROM participants WHERE room_id = $1 AND ", HOLDS_SLOT]);
    let taken: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(sql))
        .bind(room.as_str())
        .bind(grace_secs(grace))
        .fetch_one(&mut **tx)
        .await
        .context("counting participants")?;
    Ok(taken)
}

/// Joins constant SQL fragments; only ever called with the constants of this module.
fn const_format(parts: &[&str]) -> String {
    parts.concat()
}

/// The participant row a transition starts from, locked until the transaction ends.
const SUBJECT_SQL: &str = "SELECT id, display_name, role, owner, joined_at, status AS stored_status, livekit_sid,
        session_expires_at > now() AS session_live, ";

/// Sets the columns a step changes; the `WHERE` guard refuses the write if the status
/// moved since it was read.
const STEP_SQL: &str = "UPDATE participants SET
        status = $3, role = $4,
        admitted_at = CASE WHEN $5 THEN now() ELSE admitted_at END,
        connected_at = CASE WHEN $3 = 'connected' AND status <> 'connected' THEN now()
                            WHEN $3 = 'admitted' THEN NULL ELSE connected_at END,
        livekit_sid = CASE WHEN $3 = 'connected' THEN COALESCE($6, livekit_sid)
                           WHEN $3 = 'admitted' THEN NULL ELSE livekit_sid END,
        left_at = CASE WHEN $3 IN ('admitted', 'connected') THEN NULL WHEN $3 = status THEN left_at ELSE now() END,
        session_expires_at = CASE WHEN $7 THEN LEAST(session_expires_at, now()) ELSE session_expires_at END
      WHERE id = $1 AND status = $2";

impl PgRoomStore {
    /// The acting host, re-read under the room lock: one removed a moment ago acts no more.
    pub(super) async fn check_actor(
        tx: &mut Transaction<'_, Postgres>,
        actor: &Participant,
        grace: Duration,
    ) -> Result<(), Refused> {
        let id = actor.id.as_uuid();
        let sql = const_format(&["SELECT role, ", EFFECTIVE_STATUS, " AS status FROM participants WHERE id = $1"]);
        let row = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(id)
            .bind(grace_secs(grace))
            .fetch_one(&mut **tx)
            .await
            .context("reading the acting host")?;
        let role: String = row.try_get("role").context("role")?;
        let status = ParticipantStatus::parse(&row.try_get::<String, _>("status").context("status")?);
        if role == "host" && status.is_some_and(ParticipantStatus::holds_slot) {
            Ok(())
        } else {
            Err(Refused::ActorNotHost)
        }
    }
}

#[async_trait]
impl RoomStore for PgRoomStore {
    async fn create_room(&self, room: &NewRoom) -> anyhow::Result<Option<Room>> {
        let row = sqlx::query(
            "INSERT INTO rooms (id, title, max_participants, waiting_room, e2ee, host_key_hash)
             VALUES ($1, $2, $3, $4, $5, $6)
             ON CONFLICT (id) DO NOTHING
             RETURNING *",
        )
        .bind(room.id.as_str())
        .bind(room.title.as_str())
        .bind(room.max_participants.get())
        .bind(room.waiting_room)
        .bind(room.e2ee)
        .bind(&room.host_key.0)
        .fetch_optional(&self.pool)
        .await
        .context("inserting room")?;
        row.map(|r| room_from_row(&r)).transpose().context("reading new room")
    }

    async fn room(&self, id: &RoomId, grace: Duration) -> anyhow::Result<Option<(Room, i64)>> {
        let sql = const_format(&[
            "SELECT r.*, (SELECT count(*) FROM participants WHERE room_id = r.id AND ",
            HOLDS_SLOT,
            ") AS participant_count FROM rooms r WHERE r.id = $1",
        ]);
        let row = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(id.as_str())
            .bind(grace_secs(grace))
            .fetch_optional(&self.pool)
            .await
            .context("reading room")?;
        row.map(|r| Ok((room_from_row(&r)?, r.try_get("participant_count")?))).transpose()
    }

    async fn join(&self, new: &NewParticipant) -> Result<Participant, Refused> {
        let mut tx = self.pool.begin().await.context("starting join")?;
        let (room, host_key) = lock_room(&mut tx, &new.room_id).await?;
        let credential = match &new.host_key {
            Some(given) if *given == host_key => Credential::HostKey,
            Some(_) => Credential::WrongHostKey,
            None => Credential::Guest,
        };
        let banned = match &new.device_id {
            Some(device) if credential == Credential::Guest => {
                sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM room_bans WHERE room_id = $1 AND device_id = $2)")
                    .bind(new.room_id.as_str())
                    .bind(device.as_str())
                    .fetch_one(&mut *tx)
                    .await
                    .context("checking bans")?
            }
            _ => false,
        };
        let facts = RoomFacts { ended: room.ended, locked: room.locked, waiting_room: room.waiting_room };
        let entry = policy::entry(facts, credential, banned)?;
        if entry.status == ParticipantStatus::Waiting {
            if lobby_size(&mut tx, &new.room_id).await? >= policy::lobby_cap(room.max_participants.get()) {
                return Err(Refusal::LobbyFull.into());
            }
        } else if slots_taken(&mut tx, &new.room_id, new.connect_grace).await? >= i64::from(room.max_participants.get())
        {
            return Err(Refusal::RoomFull.into());
        }
        let row = sqlx::query(
            "INSERT INTO participants (id, room_id, display_name, role, owner, status, session_hash, session_expires_at, admitted_at, device_id)
             VALUES ($1, $2, $3, $4, $5, $6, $7, now() + make_interval(secs => $8), CASE WHEN $6 = 'waiting' THEN NULL ELSE now() END, $9)
             RETURNING *",
        )
        .bind(Uuid::new_v4())
        .bind(new.room_id.as_str())
        .bind(new.display_name.as_str())
        .bind(entry.role.as_str())
        .bind(entry.owner)
        .bind(entry.status.as_str())
        .bind(&new.session.0)
        .bind(new.session_ttl.as_secs_f64())
        .bind(new.device_id.as_ref().map(|d| d.as_str()))
        .fetch_one(&mut *tx)
        .await
        .context("inserting participant")?;
        let participant = participant_from_row(&row, &new.room_id)?;
        tx.commit().await.context("committing join")?;
        Ok(participant)
    }

    async fn session(
        &self,
        room: &RoomId,
        session: &SecretHash,
        grace: Duration,
    ) -> anyhow::Result<Option<Participant>> {
        let sql = const_format(&[
            "SELECT p.id, p.display_name, p.role, p.owner, ",
            EFFECTIVE_STATUS,
            " AS status, r.ended_at IS NOT NULL AS room_ended, r.e2ee AS room_e2ee FROM participants p JOIN rooms r ON r.id = p.room_id
              WHERE p.session_hash = $1 AND p.room_id = $3 AND p.session_expires_at > now()",
        ]);
        let row = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(&session.0)
            .bind(grace_secs(grace))
            .bind(room.as_str())
            .fetch_optional(&self.pool)
            .await
            .context("reading session")?;
        row.map(|r| participant_from_row(&r, room)).transpose()
    }

    async fn apply(&self, room: &RoomId, id: &ParticipantId, change: Change<'_>) -> Result<Applied, Refused> {
        let target = id.as_uuid();
        let grace = change.connect_grace;
        let mut tx = self.pool.begin().await.context("starting a transition")?;
        let (locked_room, _) = lock_room(&mut tx, room).await?;
        if let Some(actor) = change.actor {
            Self::check_actor(&mut tx, actor, grace).await?;
        }
        let sql = const_format(&[
            SUBJECT_SQL,
            EFFECTIVE_STATUS,
            " AS status FROM participants WHERE room_id = $1 AND id = $3 FOR UPDATE",
        ]);
        let row = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(room.as_str())
            .bind(grace_secs(grace))
            .bind(target)
            .fetch_optional(&mut *tx)
            .await
            .context("locking participant")?
            .ok_or(Refused::ParticipantNotFound)?;
        let mut view = moderation::view_from_row(&row)?;
        let stored = ParticipantStatus::parse(&row.try_get::<String, _>("stored_status").context("status")?)
            .context("stored status")?;
        let current_sid: Option<String> = row.try_get("livekit_sid").context("sid")?;
        let subject = Subject {
            status: view.status,
            role: view.role,
            owner: view.owner,
            session_live: row.try_get("session_live").context("session")?,
            room_ended: locked_room.ended,
            never_connected: stored == ParticipantStatus::Admitted && view.status == ParticipantStatus::Left,
            room_closed: locked_room.locked || locked_room.waiting_room,
        };
        let transition = change.transition;
        let actor = change.actor.map(|a| HostActor { owner: a.owner, is_subject: a.id == view.id });
        let mut step = policy::step(subject, transition, actor)?;
        step.unchanged |= policy::stale_presence(transition, change.sid, stored, current_sid.as_deref());
        if step.unchanged {
            tx.commit().await.context("committing a transition")?;
            return Ok(Applied { participant: view, step, room: locked_room });
        }
        if step.slot == Count::Take
            && slots_taken(&mut tx, room, grace).await? >= i64::from(locked_room.max_participants.get())
        {
            return Err(Refusal::RoomFull.into());
        }
        let written = sqlx::query(STEP_SQL)
            .bind(target)
            .bind(stored.as_str())
            .bind(step.to.as_str())
            .bind(step.role.as_str())
            .bind(step.slot == Count::Take)
            .bind(change.sid)
            .bind(step.end_session)
            .execute(&mut *tx)
            .await
            .context("writing a transition")?;
        if written.rows_affected() == 0 {
            return Err(Refusal::InvalidState.into());
        }
        if transition == Transition::Ban {
            sqlx::query(
                "INSERT INTO room_bans (room_id, device_id, participant_id)
                 SELECT room_id, device_id, id FROM participants WHERE id = $1 AND device_id IS NOT NULL
                 ON CONFLICT DO NOTHING",
            )
            .bind(target)
            .execute(&mut *tx)
            .await
            .context("recording ban")?;
        }
        if let (Some(actor), Some(action)) = (change.actor, Action::logged_for(transition)) {
            moderation::log(&mut tx, actor, action, Some(&view.id), serde_json::json!({})).await?;
        }
        tx.commit().await.context("committing a transition")?;
        (view.status, view.role) = (step.to, step.role);
        Ok(Applied { participant: view, step, room: locked_room })
    }

    async fn audience(&self, room: &RoomId) -> anyhow::Result<Audience> {
        let receiving: Vec<&str> = policy::RECEIVING.iter().map(|s| s.as_str()).collect();
        let (ids, anyone_connected): (Vec<Uuid>, bool) = sqlx::query_as(
            "SELECT COALESCE(array_agg(id ORDER BY joined_at, id)
                        FILTER (WHERE status = ANY($2) AND session_expires_at > now()), '{}'),
                    COALESCE(bool_or(status = 'connected'), false)
             FROM participants WHERE room_id = $1",
        )
        .bind(room.as_str())
        .bind(receiving)
        .fetch_one(&self.pool)
        .await
        .context("reading who may receive the room's media")?;
        Ok(Audience { receivers: ids.into_iter().map(|id| id.to_string()).collect(), anyone_connected })
    }

    async fn same_browser(&self, room: &RoomId, participant: &ParticipantId) -> anyhow::Result<Vec<ParticipantId>> {
        let ids: Vec<Uuid> = sqlx::query_scalar(
            "SELECT other.id FROM participants target
             JOIN participants other ON other.room_id = target.room_id AND other.device_id = target.device_id
             WHERE target.room_id = $1 AND target.id = $2 AND other.id <> target.id",
        )
        .bind(room.as_str())
        .bind(participant.as_uuid())
        .fetch_all(&self.pool)
        .await
        .context("listing the sessions of one browser")?;
        Ok(ids.into_iter().map(ParticipantId::from_uuid).collect())
    }

    async fn delivered(&self, event_id: &str) -> anyhow::Result<bool> {
        sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM webhook_deliveries WHERE event_id = $1)")
            .bind(event_id)
            .fetch_one(&self.pool)
            .await
            .context("looking up a webhook delivery")
    }

    async fn record_delivery(&self, event_id: &str) -> anyhow::Result<()> {
        sqlx::query("INSERT INTO webhook_deliveries (event_id) VALUES ($1) ON CONFLICT DO NOTHING")
            .bind(event_id)
            .execute(&self.pool)
            .await
            .context("recording a webhook delivery")?;
        Ok(())
    }
}
