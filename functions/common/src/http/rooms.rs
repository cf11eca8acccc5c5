//! Creating a room and reading its public state.

use super::AppState;
use super::extract::{ApiJson, ClientIp, RoomPath};
use crate::api::responses::{
    BadRequest, Forbidden, NotFound, RateLimited, TooLarge, Unprocessable, UnsupportedMediaType,
};
use crate::api::rooms::{CreateRoom, Room, RoomCreated, RoomShown, RoomWithCount};
use crate::domain::{MaxParticipants, RoomId, RoomTitle, SecretToken};
use crate::error::{ApiError, ApiResult};
use crate::store::NewRoom;
use anyhow::anyhow;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;

/// Ten random letters rarely collide; a few retries make a collision invisible.
const ID_ATTEMPTS: usize = 5;

#[utoipa::path(post, path = "/api/rooms", tag = "create-room", operation_id = "createRoom",
    summary = "Create a room",
    request_body = CreateRoom,
    responses(
        (status = 201, description = "The room; `host_key` is shown only here.", body = RoomCreated),
        (status = 400, response = BadRequest),
        (status = 403, response = Forbidden),
        (status = 413, response = TooLarge),
        (status = 415, response = UnsupportedMediaType),
        (status = 422, response = Unprocessable),
        (status = 429, response = RateLimited),
    ))]
pub async fn create(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    ApiJson(body): ApiJson<CreateRoom>,
) -> ApiResult<(StatusCode, Json<RoomCreated>)> {
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
            e2ee: body.e2ee.unwrap_or(false),
            host_key: host_key.hash(),
        };
        if let Some(room) = state.rooms.create_room(&new).await? {
            let join_url = format!("{}/r/{}", state.config.public_base_url, room.id);
            let body = RoomCreated { room: Room::from(&room), host_key: host_key.expose().to_owned(), join_url };
            return Ok((StatusCode::CREATED, Json(body)));
        }
    }
    Err(ApiError::Internal(anyhow!("{ID_ATTEMPTS} room id collisions in a row")))
}

#[utoipa::path(get, path = "/api/rooms/{room_id}", tag = "join-room", operation_id = "showRoom",
    summary = "A room's public state",
    params(("room_id" = RoomId, Path)),
    responses(
        (status = 200, description = "The room and how many people are in it.", body = RoomShown),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
    ))]
pub async fn show(State(state): State<AppState>, RoomPath(id): RoomPath) -> ApiResult<Json<RoomShown>> {
    let (room, participant_count) =
        state.rooms.room(&id, state.config.connect_grace).await?.ok_or(ApiError::RoomNotFound)?;
    let room_with_count = RoomWithCount { room: Room::from(&room), participant_count };
    Ok(Json(RoomShown { room: room_with_count, ended: room.ended }))
}
