//! PostgreSQL moderation: every host action changes state and writes its log entry in one
//! transaction, under the same room lock that joins take.

use super::{EFFECTIVE_STATUS, PgRoomStore, grace_secs, lock_room, room_from_row, slots_taken};
use crate::domain::{ParticipantStatus, Role, RoomId};
use crate::store::moderation::{
    Action, ActionRecord, Actor, ModerationRefused, ModerationStore, ParticipantView, RoomPatch,
};
use crate::store::{JoinRefused, Room};
use anyhow::Context;
use async_trait::async_trait;
use sqlx::postgres::PgRow;
use sqlx::{Postgres, Row, Transaction};
use std::time::Duration;
use uuid::Uuid;

impl From<JoinRefused> for ModerationRefused {
    fn from(refused: JoinRefused) -> Self {
        match refused {
            JoinRefused::RoomEnded => ModerationRefused::RoomEnded,
            JoinRefused::RoomFull => ModerationRefused::RoomFull,
            JoinRefused::Store(e) => ModerationRefused::Store(e),
            other => ModerationRefused::Store(anyhow::anyhow!("unexpected refusal: {other}")),
        }
    }
}

fn view_from_row(row: &PgRow) -> anyhow::Result<ParticipantView> {
    let role: String = row.try_get("role")?;
    let status: String = row.try_get("status")?;
    Ok(ParticipantView {
        id: row.try_get::<Uuid, _>("id")?.to_string(),
        display_name: row.try_get("display_name")?,
        role: Role::parse(&role).context("stored role is unknown")?,
        status: ParticipantStatus::parse(&status).context("stored status is unknown")?,
        joined_at: row.try_get("joined_at")?,
    })
}

fn view_sql(filter: &str) -> String {
    format!(
        "SELECT id, display_name, role, joined_at, {EFFECTIVE_STATUS} AS status FROM participants WHERE room_id = $1 {filter}"
    )
}

/// The target row, locked; a malformed or foreign id is simply not found.
async fn lock_target(
    tx: &mut Transaction<'_, Postgres>,
    room: &RoomId,
    target: &str,
) -> Result<ParticipantView, ModerationRefused> {
    let id = Uuid::parse_str(target).map_err(|_| ModerationRefused::ParticipantNotFound)?;
    let row = sqlx::query(
        "SELECT id, display_name, role, joined_at, status FROM participants WHERE room_id = $1 AND id = $2 FOR UPDATE",
    )
    .bind(room.as_str())
    .bind(id)
    .fetch_optional(&mut **tx)
    .await
    .context("locking participant")?
    .ok_or(ModerationRefused::ParticipantNotFound)?;
    Ok(view_from_row(&row)?)
}

async fn log(
    tx: &mut Transaction<'_, Postgres>,
    actor: &Actor<'_>,
    action: Action,
    target: Option<&str>,
    detail: serde_json::Value,
) -> anyhow::Result<()> {
    let target = target.map(Uuid::parse_str).transpose().context("target id")?;
    sqlx::query(
        "INSERT INTO moderation_actions (room_id, actor_id, action, target_id, detail) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(actor.host.room_id.as_str())
    .bind(Uuid::parse_str(&actor.host.id).context("actor id")?)
    .bind(action.as_str())
    .bind(target)
    .bind(detail)
    .execute(&mut **tx)
    .await
    .context("recording moderation action")?;
    Ok(())
}

impl PgRoomStore {
    /// Locks the room and the target, checks the target's state, applies `update`, logs.
    async fn transition(
        &self,
        actor: Actor<'_>,
        target: &str,
        allowed: &[ParticipantStatus],
        action: Action,
        update: &'static str,
        connect_grace: Option<Duration>,
    ) -> Result<ParticipantView, ModerationRefused> {
        let room = &actor.host.room_id;
        let mut tx = self.pool().begin().await.context("starting moderation")?;
        let (locked_room, _) = lock_room(&mut tx, room).await?;
        let mut view = lock_target(&mut tx, room, target).await?;
        if !allowed.contains(&view.status) || view.id == actor.host.id {
            return Err(ModerationRefused::InvalidState);
        }
        if let Some(grace) = connect_grace
            && slots_taken(&mut tx, room, grace).await? >= i64::from(locked_room.max_participants.get())
        {
            return Err(ModerationRefused::RoomFull);
        }
        let row = sqlx::query(update)
            .bind(Uuid::parse_str(&view.id).context("participant id")?)
            .fetch_one(&mut *tx)
            .await
            .context("updating participant")?;
        let role: String = row.try_get("role").context("role")?;
        let status: String = row.try_get("status").context("status")?;
        view.role = Role::parse(&role).context("role")?;
        view.status = ParticipantStatus::parse(&status).context("status")?;
        if action == Action::Ban {
            sqlx::query(
                "INSERT INTO room_bans (room_id, device_id, participant_id)
                 SELECT room_id, device_id, id FROM participants WHERE id = $1 AND device_id IS NOT NULL
                 ON CONFLICT DO NOTHING",
            )
            .bind(Uuid::parse_str(&view.id).context("participant id")?)
            .execute(&mut *tx)
            .await
            .context("recording ban")?;
        }
        log(&mut tx, &actor, action, Some(&view.id), serde_json::json!({})).await?;
        tx.commit().await.context("committing moderation")?;
        Ok(view)
    }
}

use ParticipantStatus::{Admitted, Connected, Left, Waiting};

#[async_trait]
impl ModerationStore for PgRoomStore {
    async fn participants(&self, room: &RoomId, grace: Duration) -> anyhow::Result<Vec<ParticipantView>> {
        let rows = sqlx::query(sqlx::AssertSqlSafe(view_sql("ORDER BY joined_at, id")))
            .bind(room.as_str())
            .bind(grace_secs(grace))
            .fetch_all(self.pool())
            .await
            .context("listing participants")?;
        rows.iter().map(view_from_row).collect()
    }

    async fn lobby(&self, room: &RoomId) -> anyhow::Result<Vec<ParticipantView>> {
        let rows = sqlx::query(sqlx::AssertSqlSafe(view_sql("AND status = 'waiting' ORDER BY joined_at, id")))
            .bind(room.as_str())
            .bind(0.0f64)
            .fetch_all(self.pool())
            .await
            .context("listing the lobby")?;
        rows.iter().map(view_from_row).collect()
    }

    async fn participant(&self, room: &RoomId, id: &str, grace: Duration) -> anyhow::Result<Option<ParticipantView>> {
        let Ok(id) = Uuid::parse_str(id) else { return Ok(None) };
        let row = sqlx::query(sqlx::AssertSqlSafe(view_sql("AND id = $3")))
            .bind(room.as_str())
            .bind(grace_secs(grace))
            .bind(id)
            .fetch_optional(self.pool())
            .await
            .context("reading participant")?;
        row.as_ref().map(view_from_row).transpose()
    }

    async fn connected_hosts(&self, room: &RoomId) -> anyhow::Result<Vec<String>> {
        let ids: Vec<Uuid> = sqlx::query_scalar(
            "SELECT id FROM participants WHERE room_id = $1 AND role = 'host' AND status = 'connected'",
        )
        .bind(room.as_str())
        .fetch_all(self.pool())
        .await
        .context("listing connected hosts")?;
        Ok(ids.into_iter().map(|id| id.to_string()).collect())
    }

    async fn admit(
        &self,
        actor: Actor<'_>,
        target: &str,
        grace: Duration,
    ) -> Result<ParticipantView, ModerationRefused> {
        let update =
            "UPDATE participants SET status = 'admitted', admitted_at = now() WHERE id = $1 RETURNING role, status";
        self.transition(actor, target, &[Waiting], Action::Admit, update, Some(grace)).await
    }

    async fn deny(&self, actor: Actor<'_>, target: &str) -> Result<ParticipantView, ModerationRefused> {
        let update = "UPDATE participants SET status = 'denied', left_at = now() WHERE id = $1 RETURNING role, status";
        self.transition(actor, target, &[Waiting], Action::Deny, update, None).await
    }

    async fn remove(&self, actor: Actor<'_>, target: &str, ban: bool) -> Result<ParticipantView, ModerationRefused> {
        let (action, update) = if ban {
            (
                Action::Ban,
                "UPDATE participants SET status = 'banned', left_at = now() WHERE id = $1 RETURNING role, status",
            )
        } else {
            (
                Action::Kick,
                "UPDATE participants SET status = 'kicked', left_at = now() WHERE id = $1 RETURNING role, status",
            )
        };
        let from: &[ParticipantStatus] = if ban {
            &[Waiting, Admitted, Connected, Left, ParticipantStatus::Kicked]
        } else {
            &[Waiting, Admitted, Connected, Left]
        };
        self.transition(actor, target, from, action, update, None).await
    }

    async fn promote(&self, actor: Actor<'_>, target: &str) -> Result<ParticipantView, ModerationRefused> {
        let update = "UPDATE participants SET role = 'host' WHERE id = $1 AND role = 'guest' RETURNING role, status";
        let promoted = self.transition(actor, target, &[Admitted, Connected], Action::Promote, update, None).await;
        // Promoting a host matches no row: sqlx reports RowNotFound, which is a state error here.
        match promoted {
            Err(ModerationRefused::Store(e))
                if e.chain().any(|c| matches!(c.downcast_ref(), Some(sqlx::Error::RowNotFound))) =>
            {
                Err(ModerationRefused::InvalidState)
            }
            other => other,
        }
    }

    async fn record(
        &self,
        actor: Actor<'_>,
        action: Action,
        target: Option<&str>,
        detail: serde_json::Value,
    ) -> anyhow::Result<()> {
        let mut tx = self.pool().begin().await.context("starting record")?;
        log(&mut tx, &actor, action, target, detail).await?;
        tx.commit().await.context("committing record")
    }

    async fn update_room(&self, actor: Actor<'_>, patch: &RoomPatch) -> Result<Room, ModerationRefused> {
        let mut tx = self.pool().begin().await.context("starting room update")?;
        lock_room(&mut tx, &actor.host.room_id).await?;
        let row = sqlx::query(
            "UPDATE rooms SET locked = COALESCE($2, locked), waiting_room = COALESCE($3, waiting_room), title = COALESCE($4, title)
             WHERE id = $1 RETURNING *",
        )
        .bind(actor.host.room_id.as_str())
        .bind(patch.locked)
        .bind(patch.waiting_room)
        .bind(patch.title.as_ref().map(|t| t.as_str()))
        .fetch_one(&mut *tx)
        .await
        .context("updating room")?;
        log(&mut tx, &actor, Action::UpdateRoom, None, patch.detail()).await?;
        let room = room_from_row(&row).context("reading room")?;
        tx.commit().await.context("committing room update")?;
        Ok(room)
    }

    async fn end_room(&self, actor: Actor<'_>) -> Result<(), ModerationRefused> {
        let room = &actor.host.room_id;
        let mut tx = self.pool().begin().await.context("starting end")?;
        lock_room(&mut tx, room).await?;
        sqlx::query("UPDATE rooms SET ended_at = now() WHERE id = $1")
            .bind(room.as_str())
            .execute(&mut *tx)
            .await
            .context("ending room")?;
        sqlx::query("UPDATE participants SET status = 'left', left_at = now() WHERE room_id = $1 AND status IN ('waiting', 'admitted', 'connected')")
            .bind(room.as_str())
            .execute(&mut *tx)
            .await
            .context("closing participants")?;
        log(&mut tx, &actor, Action::End, None, serde_json::json!({})).await?;
        tx.commit().await.context("committing end")?;
        Ok(())
    }

    async fn actions(&self, room: &RoomId) -> anyhow::Result<Vec<ActionRecord>> {
        let rows = sqlx::query("SELECT * FROM moderation_actions WHERE room_id = $1 ORDER BY id")
            .bind(room.as_str())
            .fetch_all(self.pool())
            .await
            .context("listing actions")?;
        rows.iter()
            .map(|row| {
                let action: String = row.try_get("action")?;
                Ok(ActionRecord {
                    id: row.try_get("id")?,
                    actor_id: row.try_get::<Uuid, _>("actor_id")?.to_string(),
                    action: Action::ALL.iter().find(|a| a.as_str() == action).context("unknown action")?.as_str(),
                    target_id: row.try_get::<Option<Uuid>, _>("target_id")?.map(|id| id.to_string()),
                    detail: row.try_get("detail")?,
                    created_at: row.try_get("created_at")?,
                })
            })
            .collect()
    }
}
