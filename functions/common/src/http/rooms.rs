//! Creating a room and reading its public state.

use super::AppState;
use super::extract::{ApiJson, ClientIp, RoomPath};
use crate::domain::{MaxParticipants, RoomId, RoomTitle, SecretToken};
use crate::error::{ApiError, ApiResult};
use crate::store::{NewRoom, Room};
use anyhow::anyhow;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

#[derive(Deserialize)]
pub struct CreateRoom {
    title: String,
    max_participants: Option<i64>,
    waiting_room: Option<bool>,
}

#[derive(Serialize)]
pub(super) struct RoomView {
    id: String,
    title: String,
    max_participants: i32,
    waiting_room: bool,
    locked: bool,
    created_at: chrono::DateTime<chrono::Utc>,
}

impl From<&Room> for RoomView {
    fn from(room: &Room) -> Self {
        RoomView {
            id: room.id.to_string(),
            title: room.title.as_str().to_owned(),
            max_participants: room.max_participants.get(),
            waiting_room: room.waiting_room,
            locked: room.locked,
            created_at: room.created_at,
        }
    }
}

/// Ten random letters rarely collide; a few retries make a collision invisible.
const ID_ATTEMPTS: usize = 5;

pub async fn create(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    ApiJson(body): ApiJson<CreateRoom>,
) -> ApiResult<(StatusCode, Json<Value>)> {
    let title = RoomTitle::parse(&body.title)?;
    let max_participants = MaxParticipants::parse(body.max_participants)?;
    state.rate_limit_or_allow(&format!("create:{ip}"), state.config.rate_limits.create_room).await?;

    let host_key = SecretToken::generate();
    for _ in 0..ID_ATTEMPTS {
        let new = NewRoom {
            id: RoomId::generate(),
            title: title.clone(),
            max_participants,
            waiting_room: body.waiting_room.unwrap_or(false),
            host_key: host_key.hash(),
        };
        if let Some(room) = state.rooms.create_room(&new).await? {
            let join_url = format!("{}/r/{}", state.config.public_base_url, room.id);
            let body = json!({"room": RoomView::from(&room), "host_key": host_key.expose(), "join_url": join_url});
            return Ok((StatusCode::CREATED, Json(body)));
        }
    }
    Err(ApiError::Internal(anyhow!("{ID_ATTEMPTS} room id collisions in a row")))
}

pub async fn show(State(state): State<AppState>, RoomPath(id): RoomPath) -> ApiResult<Json<Value>> {
    let (room, participant_count) =
        state.rooms.room(&id, state.config.connect_grace).await?.ok_or(ApiError::RoomNotFound)?;
    let mut view = serde_json::to_value(RoomView::from(&room)).map_err(anyhow::Error::from)?;
    view["participant_count"] = json!(participant_count);
    Ok(Json(json!({"room": view, "ended": room.ended})))
}
