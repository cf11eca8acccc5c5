//! Host actions and the participant-facing views of who is in the room. The server checks
//! the caller's role on every call; the web app hiding buttons is a courtesy.

use super::AppState;
use super::extract::{ApiJson, ParticipantPath, RoomPath};
use crate::domain::{ParticipantStatus, Role, RoomId, RoomTitle};
use crate::error::{ApiError, ApiResult};
use crate::media::TrackSource;
use crate::store::Participant;
use crate::store::moderation::{Action, Actor, ModerationRefused, ParticipantView, RoomPatch};
use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::{Value, json};

/// LiveKit data topic on which hosts get the lobby whenever it changes.
pub const LOBBY_TOPIC: &str = "lobby";

/// How often a waiting guest should ask again; a decision shows within two seconds.
const WAITING_RETRY_SECS: u32 = 1;

impl From<ModerationRefused> for ApiError {
    fn from(refused: ModerationRefused) -> Self {
        match refused {
            ModerationRefused::ParticipantNotFound => ApiError::ParticipantNotFound,
            ModerationRefused::InvalidState => ApiError::InvalidState,
            ModerationRefused::RoomFull => ApiError::RoomFull,
            ModerationRefused::RoomEnded => ApiError::RoomEnded,
            ModerationRefused::Store(e) => ApiError::Internal(e),
        }
    }
}

impl AppState {
    /// The caller, who must be a host in the room.
    async fn host(&self, headers: &HeaderMap, room: &RoomId) -> ApiResult<Participant> {
        let caller = self.authenticate_present(headers, room).await?;
        if caller.role == Role::Host { Ok(caller) } else { Err(ApiError::Forbidden) }
    }

    /// Sends the current lobby to the hosts in the room. Best effort: hosts also load it
    /// through the API when they open the lobby.
    pub(super) async fn notify_lobby(&self, room: &RoomId) {
        let result = async {
            let hosts = self.moderation.connected_hosts(room).await?;
            if hosts.is_empty() {
                return Ok(());
            }
            let waiting = self.moderation.lobby(room).await?;
            let payload = serde_json::to_vec(&json!({ "waiting": waiting }))?;
            self.media.send(room, LOBBY_TOPIC, payload, hosts).await
        }
        .await;
        if let Err(error) = result {
            tracing::warn!(room = %room, error = format!("{error:#}"), "lobby update not delivered");
        }
    }
}

/// A host's call about one participant: the caller is checked to be a host of the room.
pub struct HostOnTarget {
    host: Participant,
    room: RoomId,
    target: String,
}

impl axum::extract::FromRequestParts<AppState> for HostOnTarget {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut axum::http::request::Parts, state: &AppState) -> ApiResult<Self> {
        let RoomPath(room) = RoomPath::from_request_parts(parts, state).await?;
        let ParticipantPath(target) = ParticipantPath::from_request_parts(parts, state).await?;
        let host = state.host(&parts.headers, &room).await?;
        Ok(HostOnTarget { host, room, target })
    }
}

fn participant_json(view: &ParticipantView) -> Json<Value> {
    Json(json!({ "participant": view }))
}

/// Everyone in the room and their state, for anyone in it.
pub async fn participants(
    State(state): State<AppState>,
    RoomPath(room): RoomPath,
    headers: HeaderMap,
) -> ApiResult<Json<Value>> {
    state.authenticate_present(&headers, &room).await?;
    let participants = state.moderation.participants(&room, state.config.connect_grace).await?;
    Ok(Json(json!({ "participants": participants })))
}

/// The caller's own state. A waiting guest polls it, paced by `Retry-After`.
pub async fn me(State(state): State<AppState>, RoomPath(room): RoomPath, headers: HeaderMap) -> ApiResult<Response> {
    let caller = state.authenticate(&headers, &room).await?;
    let view = state
        .moderation
        .participant(&room, &caller.id, state.config.connect_grace)
        .await?
        .ok_or(ApiError::Unauthorized)?;
    let mut response = participant_json(&view).into_response();
    if view.status == ParticipantStatus::Waiting {
        response.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(WAITING_RETRY_SECS));
    }
    Ok(response)
}

pub async fn lobby(
    State(state): State<AppState>,
    RoomPath(room): RoomPath,
    headers: HeaderMap,
) -> ApiResult<Json<Value>> {
    state.host(&headers, &room).await?;
    Ok(Json(json!({ "waiting": state.moderation.lobby(&room).await? })))
}

pub async fn admit(
    State(state): State<AppState>,
    HostOnTarget { host, room, target }: HostOnTarget,
) -> ApiResult<Json<Value>> {
    let admitted = state.moderation.admit(Actor { host: &host }, &target, state.config.connect_grace).await?;
    state.notify_lobby(&room).await;
    Ok(participant_json(&admitted))
}

pub async fn deny(
    State(state): State<AppState>,
    HostOnTarget { host, room, target }: HostOnTarget,
) -> ApiResult<Json<Value>> {
    let denied = state.moderation.deny(Actor { host: &host }, &target).await?;
    state.notify_lobby(&room).await;
    Ok(participant_json(&denied))
}

async fn remove(
    state: AppState,
    HostOnTarget { host, room, target }: HostOnTarget,
    ban: bool,
) -> ApiResult<Json<Value>> {
    let before = state.moderation.participant(&room, &target, state.config.connect_grace).await?;
    let removed = state.moderation.remove(Actor { host: &host }, &target, ban).await?;
    // The session is already refused; this takes them out of the call now.
    if let Err(error) = state.media.remove(&room, &removed.id).await {
        tracing::warn!(room = %room, error = format!("{error:#}"), "removal from LiveKit failed; they are refused at reconnect");
    }
    if before.is_some_and(|p| p.status == ParticipantStatus::Waiting) {
        state.notify_lobby(&room).await;
    }
    Ok(participant_json(&removed))
}

pub async fn kick(State(state): State<AppState>, call: HostOnTarget) -> ApiResult<Json<Value>> {
    remove(state, call, false).await
}

pub async fn ban(State(state): State<AppState>, call: HostOnTarget) -> ApiResult<Json<Value>> {
    remove(state, call, true).await
}

pub async fn promote(
    State(state): State<AppState>,
    HostOnTarget { host, room, target }: HostOnTarget,
) -> ApiResult<Json<Value>> {
    let promoted = state.moderation.promote(Actor { host: &host }, &target).await?;
    if let Err(error) = state.media.set_role(&room, &promoted.id, Role::Host).await {
        tracing::warn!(room = %room, error = format!("{error:#}"), "role change not shown in LiveKit");
    }
    Ok(participant_json(&promoted))
}

#[derive(Deserialize)]
pub struct Mute {
    source: TrackSource,
}

pub async fn mute(
    State(state): State<AppState>,
    HostOnTarget { host, room, target }: HostOnTarget,
    ApiJson(body): ApiJson<Mute>,
) -> ApiResult<StatusCode> {
    let view = state
        .moderation
        .participant(&room, &target, state.config.connect_grace)
        .await?
        .ok_or(ApiError::ParticipantNotFound)?;
    if !state.media.mute(&room, &view.id, body.source).await? {
        return Err(ApiError::TrackNotFound);
    }
    state
        .moderation
        .record(Actor { host: &host }, Action::Mute, Some(&view.id), json!({ "source": body.source }))
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize)]
pub struct UpdateRoom {
    locked: Option<bool>,
    waiting_room: Option<bool>,
    title: Option<String>,
}

pub async fn update_room(
    State(state): State<AppState>,
    RoomPath(room): RoomPath,
    headers: HeaderMap,
    ApiJson(body): ApiJson<UpdateRoom>,
) -> ApiResult<Json<Value>> {
    let patch = RoomPatch {
        locked: body.locked,
        waiting_room: body.waiting_room,
        title: body.title.as_deref().map(RoomTitle::parse).transpose()?,
    };
    let host = state.host(&headers, &room).await?;
    let updated = state.moderation.update_room(Actor { host: &host }, &patch).await?;
    Ok(Json(json!({ "room": super::rooms::RoomView::from(&updated) })))
}

pub async fn end(State(state): State<AppState>, RoomPath(room): RoomPath, headers: HeaderMap) -> ApiResult<StatusCode> {
    let host = state.host(&headers, &room).await?;
    state.moderation.end_room(Actor { host: &host }).await?;
    if let Err(error) = state.media.close(&room).await {
        tracing::warn!(room = %room, error = format!("{error:#}"), "closing the LiveKit room failed; sessions are refused anyway");
    }
    if let Err(error) = state.chat.delete_room(&room).await {
        tracing::warn!(room = %room, error = format!("{error:#}"), "chat history not deleted; it expires with its TTL");
    }
    Ok(StatusCode::NO_CONTENT)
}

pub async fn actions(
    State(state): State<AppState>,
    RoomPath(room): RoomPath,
    headers: HeaderMap,
) -> ApiResult<Json<Value>> {
    state.host(&headers, &room).await?;
    Ok(Json(json!({ "actions": state.moderation.actions(&room).await? })))
}
