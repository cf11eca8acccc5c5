//! PostgreSQL moderation: every host action changes state and writes its log entry in one
//! transaction, under the same room lock that joins take.

use super::{EFFECTIVE_STATUS, PgRoomStore, grace_secs, lock_room, room_from_row};
use crate::domain::policy::{self, Refusal, Transition};
use crate::domain::{ParticipantId, ParticipantStatus, Role, RoomId};
use crate::store::moderation::{Action, ActionRecord, Actor, ModerationStore, ParticipantView, RoomPatch};
use crate::store::{Participant, Refused, Room};
use anyhow::Context;
use async_trait::async_trait;
use sqlx::postgres::PgRow;
use sqlx::{Postgres, Row, Transaction};
use std::time::Duration;
use uuid::Uuid;

pub(super) fn view_from_row(row: &PgRow) -> anyhow::Result<ParticipantView> {
    let role: String = row.try_get("role")?;
    let status: String = row.try_get("status")?;
    Ok(ParticipantView {
        id: ParticipantId::from_uuid(row.try_get("id")?),
        display_name: row.try_get("display_name")?,
        role: Role::parse(&role).context("stored role is unknown")?,
        owner: row.try_get("owner")?,
        status: ParticipantStatus::parse(&status).context("stored status is unknown")?,
        joined_at: row.try_get("joined_at")?,
    })
}

fn view_sql(filter: &str) -> String {
    format!(
        "SELECT id, display_name, role, owner, joined_at, {EFFECTIVE_STATUS} AS status FROM participants WHERE room_id = $1 {filter}"
    )
}

pub(super) async fn log(
    tx: &mut Transaction<'_, Postgres>,
    actor: &Participant,
    action: Action,
    target: Option<&ParticipantId>,
    detail: serde_json::Value,
) -> anyhow::Result<()> {
    let target = target.map(ParticipantId::as_uuid);
    sqlx::query(
        "INSERT INTO moderation_actions (room_id, actor_id, action, target_id, detail) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(actor.room_id.as_str())
    .bind(actor.id.as_uuid())
    .bind(action.as_str())
    .bind(target)
    .bind(detail)
    .execute(&mut **tx)
    .await
    .context("recording moderation action")?;
    Ok(())
}

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

    async fn participant(
        &self,
        room: &RoomId,
        id: &ParticipantId,
        grace: Duration,
    ) -> anyhow::Result<Option<ParticipantView>> {
        let row = sqlx::query(sqlx::AssertSqlSafe(view_sql("AND id = $3")))
            .bind(room.as_str())
            .bind(grace_secs(grace))
            .bind(id.as_uuid())
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

    async fn record(
        &self,
        actor: Actor<'_>,
        action: Action,
        target: Option<&ParticipantId>,
        detail: serde_json::Value,
    ) -> anyhow::Result<()> {
        let mut tx = self.pool().begin().await.context("starting record")?;
        log(&mut tx, actor.host, action, target, detail).await?;
        tx.commit().await.context("committing record")
    }

    async fn update_room(&self, actor: Actor<'_>, patch: &RoomPatch, grace: Duration) -> Result<Room, Refused> {
        let mut tx = self.pool().begin().await.context("starting room update")?;
        let (room, _) = lock_room(&mut tx, &actor.host.room_id).await?;
        if room.ended {
            return Err(Refusal::RoomEnded.into());
        }
        PgRoomStore::check_actor(&mut tx, actor.host, grace).await?;
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
        log(&mut tx, actor.host, Action::UpdateRoom, None, patch.detail()).await?;
        let room = room_from_row(&row).context("reading room")?;
        tx.commit().await.context("committing room update")?;
        Ok(room)
    }

    async fn end_room(&self, actor: Actor<'_>, grace: Duration) -> Result<(), Refused> {
        let room = &actor.host.room_id;
        let mut tx = self.pool().begin().await.context("starting end")?;
        if lock_room(&mut tx, room).await?.0.ended {
            return Err(Refusal::RoomEnded.into());
        }
        PgRoomStore::check_actor(&mut tx, actor.host, grace).await?;
        sqlx::query("UPDATE rooms SET ended_at = now() WHERE id = $1")
            .bind(room.as_str())
            .execute(&mut *tx)
            .await
            .context("ending room")?;
        let closing: Vec<&str> = policy::moved_by(Transition::EndRoom).iter().map(|s| s.as_str()).collect();
        sqlx::query("UPDATE participants SET status = 'left', left_at = now() WHERE room_id = $1 AND status = ANY($2)")
            .bind(room.as_str())
            .bind(closing)
            .execute(&mut *tx)
            .await
            .context("closing participants")?;
        log(&mut tx, actor.host, Action::End, None, serde_json::json!({})).await?;
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
                    action: *Action::ALL.iter().find(|a| a.as_str() == action).context("unknown action")?,
                    target_id: row.try_get::<Option<Uuid>, _>("target_id")?.map(|id| id.to_string()),
                    detail: row.try_get("detail")?,
                    created_at: row.try_get("created_at")?,
                })
            })
            .collect()
    }
}
