//! PostgreSQL room store. The participant limit is enforced by locking the room row for
//! the length of the join transaction, so concurrent joins into one room queue up.

use super::{JoinRefused, NewParticipant, NewRoom, Participant, Presence, Room, RoomStore};
use crate::domain::{DisplayName, MaxParticipants, ParticipantStatus, Role, RoomId, RoomTitle, SecretHash};
use anyhow::Context;
use async_trait::async_trait;
use sqlx::postgres::{PgPool, PgPoolOptions, PgRow};
use sqlx::{Postgres, Row, Transaction};
use std::time::Duration;
use uuid::Uuid;

mod moderation;

pub static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("../../migrations");

#[derive(Clone)]
pub struct PgRoomStore {
    pool: PgPool,
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
        created_at: row.try_get("created_at")?,
        ended: row.try_get::<Option<chrono::DateTime<chrono::Utc>>, _>("ended_at")?.is_some(),
    })
}

fn participant_from_row(row: &PgRow, room_id: &RoomId) -> anyhow::Result<Participant> {
    let role: String = row.try_get("role")?;
    let status: String = row.try_get("status")?;
    Ok(Participant {
        id: row.try_get::<Uuid, _>("id")?.to_string(),
        room_id: room_id.clone(),
        display_name: DisplayName::trusted(row.try_get("display_name")?),
        role: Role::parse(&role).context("stored role is unknown")?,
        status: ParticipantStatus::parse(&status).context("stored status is unknown")?,
        room_ended: row.try_get::<Option<bool>, _>("room_ended").ok().flatten().unwrap_or(false),
    })
}

/// Locks the room row; every slot decision for the room happens under this lock.
async fn lock_room(tx: &mut Transaction<'_, Postgres>, room: &RoomId) -> Result<(Room, SecretHash), JoinRefused> {
    let row = sqlx::query("SELECT * FROM rooms WHERE id = $1 FOR UPDATE")
        .bind(room.as_str())
        .fetch_optional(&mut **tx)
        .await
        .context("locking room")?
        .ok_or(JoinRefused::RoomNotFound)?;
    let parsed = room_from_row(&row).context("reading room")?;
    let host_key = SecretHash(row.try_get("host_key_hash").context("reading host key")?);
    if parsed.ended {
        return Err(JoinRefused::RoomEnded);
    }
    Ok((parsed, host_key))
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

#[async_trait]
impl RoomStore for PgRoomStore {
    async fn create_room(&self, room: &NewRoom) -> anyhow::Result<Option<Room>> {
        let row = sqlx::query(
            "INSERT INTO rooms (id, title, max_participants, waiting_room, host_key_hash)
             VALUES ($1, $2, $3, $4, $5)
             ON CONFLICT (id) DO NOTHING
             RETURNING *",
        )
        .bind(room.id.as_str())
        .bind(room.title.as_str())
        .bind(room.max_participants.get())
        .bind(room.waiting_room)
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

    async fn join(&self, new: &NewParticipant) -> Result<Participant, JoinRefused> {
        let mut tx = self.pool.begin().await.context("starting join")?;
        let (room, host_key) = lock_room(&mut tx, &new.room_id).await?;
        let role = match &new.host_key {
            Some(given) if *given == host_key => Role::Host,
            Some(_) => return Err(JoinRefused::InvalidHostKey),
            None => Role::Guest,
        };
        if room.locked && role == Role::Guest {
            return Err(JoinRefused::RoomLocked);
        }
        if let Some(device) = &new.device_id {
            let banned: bool =
                sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM room_bans WHERE room_id = $1 AND device_id = $2)")
                    .bind(new.room_id.as_str())
                    .bind(device.as_str())
                    .fetch_one(&mut *tx)
                    .await
                    .context("checking bans")?;
            if banned {
                return Err(JoinRefused::Banned);
            }
        }
        let status = if room.waiting_room && role == Role::Guest {
            ParticipantStatus::Waiting
        } else {
            if slots_taken(&mut tx, &new.room_id, new.connect_grace).await? >= i64::from(room.max_participants.get()) {
                return Err(JoinRefused::RoomFull);
            }
            ParticipantStatus::Admitted
        };
        let row = sqlx::query(
            "INSERT INTO participants (id, room_id, display_name, role, status, session_hash, session_expires_at, admitted_at, device_id)
             VALUES ($1, $2, $3, $4, $5, $6, now() + make_interval(secs => $7), CASE WHEN $5 = 'waiting' THEN NULL ELSE now() END, $8)
             RETURNING *",
        )
        .bind(Uuid::new_v4())
        .bind(new.room_id.as_str())
        .bind(new.display_name.as_str())
        .bind(role.as_str())
        .bind(status.as_str())
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
            "SELECT p.id, p.display_name, p.role, ",
            EFFECTIVE_STATUS,
            " AS status, r.ended_at IS NOT NULL AS room_ended FROM participants p JOIN rooms r ON r.id = p.room_id
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

    async fn readmit(&self, participant: &Participant, grace: Duration) -> Result<Participant, JoinRefused> {
        let mut tx = self.pool.begin().await.context("starting readmission")?;
        let (room, _) = lock_room(&mut tx, &participant.room_id).await?;
        if slots_taken(&mut tx, &participant.room_id, grace).await? >= i64::from(room.max_participants.get()) {
            return Err(JoinRefused::RoomFull);
        }
        sqlx::query(
            "UPDATE participants
             SET status = 'admitted', admitted_at = now(), connected_at = NULL, livekit_sid = NULL, left_at = NULL
             WHERE id = $1",
        )
        .bind(Uuid::parse_str(&participant.id).context("participant id")?)
        .execute(&mut *tx)
        .await
        .context("readmitting participant")?;
        tx.commit().await.context("committing readmission")?;
        Ok(Participant { status: ParticipantStatus::Admitted, ..participant.clone() })
    }

    async fn leave(&self, participant: &Participant) -> anyhow::Result<()> {
        sqlx::query("UPDATE participants SET status = 'left', left_at = now() WHERE id = $1 AND status IN ('admitted', 'connected')")
            .bind(Uuid::parse_str(&participant.id).context("participant id")?)
            .execute(&self.pool)
            .await
            .context("leaving room")?;
        Ok(())
    }

    async fn record_presence(&self, room: &str, identity: &str, sid: &str, presence: Presence) -> anyhow::Result<()> {
        // Identities we did not mint (a LiveKit CLI user, say) are none of our business.
        let Ok(id) = Uuid::parse_str(identity) else { return Ok(()) };
        let sql = match presence {
            // A real connection is the truth, so it revives a participant marked as left.
            Presence::Connected => {
                "UPDATE participants SET status = 'connected', connected_at = now(), livekit_sid = $3, left_at = NULL
                 WHERE id = $1 AND room_id = $2 AND status IN ('admitted', 'connected', 'left')"
            }
            // Only the connection we last saw may free the slot: after a reload, the old
            // connection's departure can arrive after the new one's arrival.
            Presence::Disconnected => {
                "UPDATE participants SET status = 'left', left_at = now()
                 WHERE id = $1 AND room_id = $2 AND status IN ('admitted', 'connected') AND livekit_sid = $3"
            }
        };
        sqlx::query(sql).bind(id).bind(room).bind(sid).execute(&self.pool).await.context("recording presence")?;
        Ok(())
    }

    async fn has_connected(&self, room: &RoomId) -> anyhow::Result<bool> {
        sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM participants WHERE room_id = $1 AND status = 'connected')")
            .bind(room.as_str())
            .fetch_one(&self.pool)
            .await
            .context("checking for connected participants")
    }

    async fn record_room_finished(&self, room: &str) -> anyhow::Result<()> {
        sqlx::query(
            "UPDATE participants SET status = 'left', left_at = now() WHERE room_id = $1 AND status = 'connected'",
        )
        .bind(room)
        .execute(&self.pool)
        .await
        .context("closing LiveKit room")?;
        Ok(())
    }
}
