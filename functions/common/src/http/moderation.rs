//! Host actions and the participant-facing views of who is in the room. The server checks
//! the caller's role on every call; the web app hiding buttons is a courtesy.

use super::auth::{Caller, Host, HostOnTarget, Present};
use super::extract::ApiJson;
use super::{AppState, measure};
use crate::api::moderation::{
    ActionLog, Lobby, Mute, ParticipantAnswer, ParticipantList, ParticipantView, RoomUpdated, UpdateRoom,
};
use crate::api::responses::{
    BadRequest, Conflict, Forbidden, Gone, NotFound, TooLarge, Unauthorized, Unavailable, Unprocessable,
    UnsupportedMediaType,
};
use crate::api::rooms::Room;
use crate::domain::policy::Transition;
use crate::domain::{ParticipantId, ParticipantStatus, Role, RoomId, RoomTitle};
use crate::error::{ApiError, ApiResult};
use crate::store::moderation::{Action, Actor, RoomPatch};
use crate::store::{Change, Refused};
use axum::Json;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

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
            let payload = serde_json::to_vec(&Lobby { waiting })?;
            self.media.send(room, LOBBY_TOPIC, payload, hosts).await
        }
        .await;
        if let Err(error) = result {
            tracing::warn!(room = %room, error = format!("{error:#}"), "lobby update not delivered");
        }
    }
}

fn answer(participant: ParticipantView) -> Json<ParticipantAnswer> {
    Json(ParticipantAnswer { participant })
}

/// Everyone in the room and their state, for anyone in it.
#[utoipa::path(get, path = "/api/rooms/{room_id}/participants", tag = "join-room", operation_id = "participants",
    summary = "Everyone in the room",
    description = "Everyone who joined, with role and status; for anyone in the room.",
    security(("session" = [])),
    params(("room_id" = RoomId, Path)),
    responses(
        (status = 200, description = "Everyone who joined, in join order.", body = ParticipantList),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        (status = 410, response = Gone),
    ))]
pub async fn participants(
    State(state): State<AppState>,
    Present { room, .. }: Present,
) -> ApiResult<Json<ParticipantList>> {
    let participants = state.moderation.participants(&room, state.config.connect_grace).await?;
    Ok(Json(ParticipantList { participants }))
}

/// The caller's own state. A waiting guest polls it, paced by `Retry-After`.
#[utoipa::path(get, path = "/api/rooms/{room_id}/me", tag = "join-room", operation_id = "me",
    summary = "The caller's own state",
    description = "The caller's own state. While waiting, `Retry-After` says when to ask again.",
    security(("session" = [])),
    params(("room_id" = RoomId, Path)),
    responses(
        (status = 200, description = "The caller's participant.", body = ParticipantAnswer,
            headers(("Retry-After" = u32, description = "While waiting: seconds until asking again is worth it."))),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        (status = 410, response = Gone),
    ))]
pub async fn me(State(state): State<AppState>, Caller { room, participant }: Caller) -> ApiResult<Response> {
    let view = state
        .moderation
        .participant(&room, &participant.id, state.config.connect_grace)
        .await?
        .ok_or(ApiError::Unauthorized)?;
    let waiting = view.status == ParticipantStatus::Waiting;
    let mut response = answer(view).into_response();
    if waiting {
        response.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(WAITING_RETRY_SECS));
    }
    Ok(response)
}

#[utoipa::path(get, path = "/api/rooms/{room_id}/lobby", tag = "moderation", operation_id = "lobby",
    summary = "Guests waiting to be let in",
    description = "Host only. Guests waiting to be let in, oldest first.",
    security(("session" = [])),
    params(("room_id" = RoomId, Path)),
    responses(
        (status = 200, description = "Guests waiting, oldest first.", body = Lobby),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        (status = 410, response = Gone),
    ))]
pub async fn lobby(State(state): State<AppState>, Host { room, .. }: Host) -> ApiResult<Json<Lobby>> {
    Ok(Json(Lobby { waiting: state.moderation.lobby(&room).await? }))
}

/// Applies a host's transition to the target, then brings LiveKit and the clients in line.
async fn act(state: &AppState, call: HostOnTarget, transition: Transition) -> ApiResult<Json<ParticipantAnswer>> {
    let HostOnTarget { host, room, target } = call;
    let change = Change::by_host(transition, &host, state.config.connect_grace);
    let applied = state.rooms.apply(&room, &target, change).await?;
    if let Some(action) = Action::logged_for(transition) {
        measure::moderation_action(action);
    }
    state.follow(&room, &applied).await;
    if transition == Transition::Promote
        && let Err(error) = state.media.set_role(&room, &applied.participant.id.to_string(), Role::Host).await
    {
        tracing::warn!(room = %room, error = format!("{error:#}"), "role change not shown in LiveKit");
    }
    Ok(answer(applied.participant))
}

#[utoipa::path(post, path = "/api/rooms/{room_id}/participants/{participant_id}/admit", tag = "moderation",
    operation_id = "admitParticipant",
    summary = "Let a waiting guest in",
    description = "Host only. Lets a waiting guest in (409 `room_full` when no slot is free).",
    security(("session" = [])),
    params(("room_id" = RoomId, Path), ("participant_id" = ParticipantId, Path)),
    responses(
        (status = 200, description = "The participant after the action.", body = ParticipantAnswer),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        (status = 409, response = Conflict),
        (status = 410, response = Gone),
        (status = 503, response = Unavailable),
    ))]
pub async fn admit(State(state): State<AppState>, call: HostOnTarget) -> ApiResult<Json<ParticipantAnswer>> {
    act(&state, call, Transition::Admit).await
}

#[utoipa::path(post, path = "/api/rooms/{room_id}/participants/{participant_id}/deny", tag = "moderation",
    operation_id = "denyParticipant",
    summary = "Turn a waiting guest away",
    description = "Host only. Turns a waiting guest away.",
    security(("session" = [])),
    params(("room_id" = RoomId, Path), ("participant_id" = ParticipantId, Path)),
    responses(
        (status = 200, description = "The participant after the action.", body = ParticipantAnswer),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        (status = 409, response = Conflict),
        (status = 410, response = Gone),
        (status = 503, response = Unavailable),
    ))]
pub async fn deny(State(state): State<AppState>, call: HostOnTarget) -> ApiResult<Json<ParticipantAnswer>> {
    act(&state, call, Transition::Deny).await
}

#[utoipa::path(post, path = "/api/rooms/{room_id}/participants/{participant_id}/kick", tag = "moderation",
    operation_id = "kickParticipant",
    summary = "Remove a participant",
    description = "Host only. Removes the participant from the call and refuses their session.",
    security(("session" = [])),
    params(("room_id" = RoomId, Path), ("participant_id" = ParticipantId, Path)),
    responses(
        (status = 200, description = "The participant after the action.", body = ParticipantAnswer),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        (status = 409, response = Conflict),
        (status = 410, response = Gone),
        (status = 503, response = Unavailable),
    ))]
pub async fn kick(State(state): State<AppState>, call: HostOnTarget) -> ApiResult<Json<ParticipantAnswer>> {
    act(&state, call, Transition::Kick).await
}

/// Bans the target and every other session of the same browser (a second tab, or one that
/// joined and never showed up): none of them can come back with the session it holds.
#[utoipa::path(post, path = "/api/rooms/{room_id}/participants/{participant_id}/ban", tag = "moderation",
    operation_id = "banParticipant",
    summary = "Remove a participant and their browser for good",
    description = "Host only. Like kick, and refuses new joins from the same browser for the room's lifetime.",
    security(("session" = [])),
    params(("room_id" = RoomId, Path), ("participant_id" = ParticipantId, Path)),
    responses(
        (status = 200, description = "The participant after the action.", body = ParticipantAnswer),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        (status = 409, response = Conflict),
        (status = 410, response = Gone),
        (status = 503, response = Unavailable),
    ))]
pub async fn ban(State(state): State<AppState>, call: HostOnTarget) -> ApiResult<Json<ParticipantAnswer>> {
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

#[utoipa::path(post, path = "/api/rooms/{room_id}/participants/{participant_id}/promote", tag = "moderation",
    operation_id = "promoteParticipant",
    summary = "Make a guest a host",
    description = "Host only. Makes an admitted guest a host.",
    security(("session" = [])),
    params(("room_id" = RoomId, Path), ("participant_id" = ParticipantId, Path)),
    responses(
        (status = 200, description = "The participant after the action.", body = ParticipantAnswer),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        (status = 409, response = Conflict),
        (status = 410, response = Gone),
        (status = 503, response = Unavailable),
    ))]
pub async fn promote(State(state): State<AppState>, call: HostOnTarget) -> ApiResult<Json<ParticipantAnswer>> {
    act(&state, call, Transition::Promote).await
}

#[utoipa::path(post, path = "/api/rooms/{room_id}/participants/{participant_id}/mute", tag = "moderation",
    operation_id = "muteParticipant",
    summary = "Mute a participant's track",
    description = "Host only. Mutes one published track in LiveKit; the person can unmute themself.",
    security(("session" = [])),
    params(("room_id" = RoomId, Path), ("participant_id" = ParticipantId, Path)),
    request_body = Mute,
    responses(
        (status = 204, description = "Muted."),
        (status = 400, response = BadRequest),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        (status = 410, response = Gone),
        (status = 413, response = TooLarge),
        (status = 415, response = UnsupportedMediaType),
        (status = 422, response = Unprocessable),
        (status = 503, response = Unavailable),
    ))]
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
    let muted = state.media.mute(&room, &view.id.to_string(), body.source).await.map_err(ApiError::MediaUnavailable)?;
    if !muted {
        return Err(ApiError::TrackNotFound);
    }
    state
        .moderation
        // The log's detail is the request itself: which track.
        .record(
            Actor { host: &host },
            Action::Mute,
            Some(&view.id),
            serde_json::to_value(&body).map_err(anyhow::Error::from)?,
        )
        .await?;
    measure::moderation_action(Action::Mute);
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(patch, path = "/api/rooms/{room_id}", tag = "moderation", operation_id = "updateRoom",
    summary = "Change the room's settings",
    description = "Host only. Lock the room, switch the waiting room, or rename it.",
    security(("session" = [])),
    params(("room_id" = RoomId, Path)),
    request_body = UpdateRoom,
    responses(
        (status = 200, description = "The room as it is now.", body = RoomUpdated),
        (status = 400, response = BadRequest),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        (status = 410, response = Gone),
        (status = 413, response = TooLarge),
        (status = 415, response = UnsupportedMediaType),
        (status = 422, response = Unprocessable),
        (status = 503, response = Unavailable),
    ))]
pub async fn update_room(
    State(state): State<AppState>,
    Host { host, .. }: Host,
    ApiJson(body): ApiJson<UpdateRoom>,
) -> ApiResult<Json<RoomUpdated>> {
    let patch = RoomPatch {
        locked: body.locked,
        waiting_room: body.waiting_room,
        title: body.title.as_deref().map(RoomTitle::parse).transpose()?,
    };
    let updated = state.moderation.update_room(Actor { host: &host }, &patch, state.config.connect_grace).await?;
    measure::moderation_action(Action::UpdateRoom);
    Ok(Json(RoomUpdated { room: Room::from(&updated) }))
}

/// Ends the meeting: the room is closed in the store, then deleted in LiveKit, which
/// disconnects everyone and refuses every token ever issued for it from then on.
#[utoipa::path(post, path = "/api/rooms/{room_id}/end", tag = "moderation", operation_id = "endRoom",
    summary = "End the meeting for everyone",
    description = "Host only. Disconnects everyone, deletes the chat; later joins get 410.",
    security(("session" = [])),
    params(("room_id" = RoomId, Path)),
    responses(
        (status = 204, description = "Ended."),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        (status = 410, response = Gone),
        (status = 503, response = Unavailable),
    ))]
pub async fn end(State(state): State<AppState>, Host { room, host }: Host) -> ApiResult<StatusCode> {
    state.moderation.end_room(Actor { host: &host }, state.config.connect_grace).await?;
    measure::moderation_action(Action::End);
    if let Err(error) = state.media.close(&room).await {
        tracing::warn!(room = %room, error = format!("{error:#}"), "closing the LiveKit room failed; sessions are refused anyway");
    }
    if let Err(error) = state.chat.delete_room(&room).await {
        tracing::warn!(room = %room, error = format!("{error:#}"), "chat history not deleted; it expires with its TTL");
    }
    if let Err(error) = state.hands.lower_all(&room).await {
        tracing::warn!(room = %room, error = format!("{error:#}"), "raised hands not cleared; they expire with the chat");
    }
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(get, path = "/api/rooms/{room_id}/actions", tag = "moderation", operation_id = "moderationLog",
    summary = "The log of host actions",
    description = "Host only. Every host action: who, what, whom, when.",
    security(("session" = [])),
    params(("room_id" = RoomId, Path)),
    responses(
        (status = 200, description = "Every host action, oldest first.", body = ActionLog),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        (status = 410, response = Gone),
    ))]
pub async fn actions(State(state): State<AppState>, Host { room, .. }: Host) -> ApiResult<Json<ActionLog>> {
    Ok(Json(ActionLog { actions: state.moderation.actions(&room).await? }))
}
