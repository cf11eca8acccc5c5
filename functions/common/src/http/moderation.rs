//! Host actions and the participant-facing views of who is in the room. The server checks
//! the caller's role on every call; the web app hiding buttons is a courtesy.

use super::AppState;
use super::auth::{Caller, Host, HostOnTarget, Present};
use super::extract::ApiJson;
use crate::domain::policy::Transition;
use crate::domain::{ParticipantStatus, Role, RoomId, RoomTitle};
use crate::error::{ApiError, ApiResult};
use crate::media::TrackSource;
use crate::store::moderation::{Action, Actor, ParticipantView, RoomPatch};
use crate::store::{Change, Refused};
use axum::Json;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::{Value, json};

/// LiveKit data topic on which hosts get the lobby whenever it changes.
pub const LOBBY_TOPIC: &str = "lobby";

/// How often a waiting guest should ask again; a decision shows within two seconds.
const WAITING_RETRY_SECS: u32 = 1;

impl AppState {
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

fn participant_json(view: &ParticipantView) -> Json<Value> {
    Json(json!({ "participant": view }))
}

/// Everyone in the room and their state, for anyone in it.
pub async fn participants(State(state): State<AppState>, Present { room, .. }: Present) -> ApiResult<Json<Value>> {
    let participants = state.moderation.participants(&room, state.config.connect_grace).await?;
    Ok(Json(json!({ "participants": participants })))
}

/// The caller's own state. A waiting guest polls it, paced by `Retry-After`.
pub async fn me(State(state): State<AppState>, Caller { room, participant }: Caller) -> ApiResult<Response> {
    let view = state
        .moderation
        .participant(&room, &participant.id, state.config.connect_grace)
        .await?
        .ok_or(ApiError::Unauthorized)?;
    let mut response = participant_json(&view).into_response();
    if view.status == ParticipantStatus::Waiting {
        response.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(WAITING_RETRY_SECS));
    }
    Ok(response)
}

pub async fn lobby(State(state): State<AppState>, Host { room, .. }: Host) -> ApiResult<Json<Value>> {
    Ok(Json(json!({ "waiting": state.moderation.lobby(&room).await? })))
}

/// Applies a host's transition to the target, then brings LiveKit and the clients in line.
async fn act(state: &AppState, call: HostOnTarget, transition: Transition) -> ApiResult<Json<Value>> {
    let HostOnTarget { host, room, target } = call;
    let change = Change::by_host(transition, &host, state.config.connect_grace);
    let applied = state.rooms.apply(&room, &target, change).await?;
    state.follow(&room, &applied).await;
    if transition == Transition::Promote
        && let Err(error) = state.media.set_role(&room, &applied.participant.id.to_string(), Role::Host).await
    {
        tracing::warn!(room = %room, error = format!("{error:#}"), "role change not shown in LiveKit");
    }
    Ok(participant_json(&applied.participant))
}

pub async fn admit(State(state): State<AppState>, call: HostOnTarget) -> ApiResult<Json<Value>> {
    act(&state, call, Transition::Admit).await
}

pub async fn deny(State(state): State<AppState>, call: HostOnTarget) -> ApiResult<Json<Value>> {
    act(&state, call, Transition::Deny).await
}

pub async fn kick(State(state): State<AppState>, call: HostOnTarget) -> ApiResult<Json<Value>> {
    act(&state, call, Transition::Kick).await
}

/// Bans the target and every other session of the same browser (a second tab, or one that
/// joined and never showed up): none of them can come back with the session it holds.
pub async fn ban(State(state): State<AppState>, call: HostOnTarget) -> ApiResult<Json<Value>> {
    let (room, host, target) = (call.room.clone(), call.host.clone(), call.target);
    let answer = act(&state, call, Transition::Ban).await?;
    // Read after the ban is stored: a join from that browser is then either refused by the
    // ban or already visible here.
    let others = state.rooms.same_browser(&room, &target).await?;
    for other in others {
        let change = Change::by_host(Transition::Ban, &host, state.config.connect_grace);
        match state.rooms.apply(&room, &other, change).await {
            Ok(applied) => state.follow(&room, &applied).await,
            // Already out for good, or the owner (whose host key gets past any ban).
            Err(Refused::Rule(_)) => {}
            Err(refused) => return Err(refused.into()),
        }
    }
    Ok(answer)
}

pub async fn promote(State(state): State<AppState>, call: HostOnTarget) -> ApiResult<Json<Value>> {
    act(&state, call, Transition::Promote).await
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
    if !state.media.mute(&room, &view.id.to_string(), body.source).await? {
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
    Host { host, .. }: Host,
    ApiJson(body): ApiJson<UpdateRoom>,
) -> ApiResult<Json<Value>> {
    let patch = RoomPatch {
        locked: body.locked,
        waiting_room: body.waiting_room,
        title: body.title.as_deref().map(RoomTitle::parse).transpose()?,
    };
    let updated = state.moderation.update_room(Actor { host: &host }, &patch, state.config.connect_grace).await?;
    Ok(Json(json!({ "room": super::rooms::RoomView::from(&updated) })))
}

/// Ends the meeting: the room is closed in the store, then deleted in LiveKit, which
/// disconnects everyone and refuses every token ever issued for it from then on.
pub async fn end(State(state): State<AppState>, Host { room, host }: Host) -> ApiResult<StatusCode> {
    state.moderation.end_room(Actor { host: &host }, state.config.connect_grace).await?;
    if let Err(error) = state.media.close(&room).await {
        tracing::warn!(room = %room, error = format!("{error:#}"), "closing the LiveKit room failed; sessions are refused anyway");
    }
    if let Err(error) = state.chat.delete_room(&room).await {
        tracing::warn!(room = %room, error = format!("{error:#}"), "chat history not deleted; it expires with its TTL");
    }
    Ok(StatusCode::NO_CONTENT)
}

pub async fn actions(State(state): State<AppState>, Host { room, .. }: Host) -> ApiResult<Json<Value>> {
    Ok(Json(json!({ "actions": state.moderation.actions(&room).await? })))
}
