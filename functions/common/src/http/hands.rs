//! Raised hands: anyone in the room raises or lowers their own, a host lowers one or all,
//! and everyone on the roster gets the new list on the `hands` data topic.

use super::auth::{Host, Present};
use super::extract::ApiJson;
use super::{AppState, measure};
use crate::api::hands::{HandList, LowerHands, RaisedHand};
use crate::api::responses::{
    BadRequest, Forbidden, Gone, HandsUnavailable, NotFound, RateLimited, TooLarge, Unauthorized, Unprocessable,
    UnsupportedMediaType,
};
use crate::domain::{ParticipantId, RoomId};
use crate::error::{ApiError, ApiResult};
use crate::store::Audience;
use crate::store::moderation::{Action, Actor};
use axum::Json;
use axum::extract::State;

/// LiveKit data topic on which everyone gets the raised hands after every change.
pub const HANDS_TOPIC: &str = "hands";

impl AppState {
    /// The raised hands of the people who are in the room now, first raised first.
    async fn hand_list(&self, room: &RoomId) -> ApiResult<HandList> {
        Ok(self.hands_and_audience(room).await?.0)
    }

    /// The list, and who is in the room to receive it: one read of the room's people.
    async fn hands_and_audience(&self, room: &RoomId) -> ApiResult<(HandList, Audience)> {
        // Stamped before the reads, as the roster is: an older list never wins over a newer one.
        let version = chrono::Utc::now().timestamp_micros();
        let raised = self.hands.raised(room).await.map_err(ApiError::HandsUnavailable)?;
        let audience = self.rooms.audience(room).await?;
        let present: std::collections::HashSet<&str> = audience.receivers.iter().map(String::as_str).collect();
        let hands = raised
            .into_iter()
            .filter(|hand| present.contains(hand.participant.to_string().as_str()))
            .map(|hand| RaisedHand { participant_id: hand.participant, raised_at: hand.raised_at })
            .collect();
        Ok((HandList { hands, version }, audience))
    }

    /// Lowers the hand of someone who left the room (removed, or gone for good), and tells the
    /// others. Best effort: the list never shows people off the roster anyway.
    pub(super) async fn hand_down(&self, room: &RoomId, participant: &ParticipantId) {
        match self.hands.lower(room, participant).await {
            Ok(true) => {
                if let Err(error) = self.hands_changed(room).await {
                    tracing::warn!(room = %room, error = %error, "raised hands not sent after a departure");
                }
            }
            Ok(false) => {}
            Err(error) => tracing::warn!(room = %room, error = format!("{error:#}"), "a departed hand not lowered"),
        }
    }

    /// The list after a change, sent to everyone in the room. Best effort: clients also read
    /// it when they connect.
    async fn hands_changed(&self, room: &RoomId) -> ApiResult<HandList> {
        let (list, audience) = self.hands_and_audience(room).await?;
        let result = async {
            if !audience.anyone_connected {
                return Ok(());
            }
            self.media.send(room, HANDS_TOPIC, serde_json::to_vec(&list)?, audience.receivers).await
        }
        .await;
        if let Err(error) = result {
            tracing::warn!(room = %room, error = format!("{error:#}"), "raised hands not delivered");
        }
        Ok(list)
    }
}

#[utoipa::path(get, path = "/api/rooms/{room_id}/hands", tag = "join-room", operation_id = "hands",
    summary = "Raised hands",
    description = "The raised hands of the people in the room, first raised first; for anyone in the room.",
    security(("session" = [])),
    params(("room_id" = RoomId, Path)),
    responses(
        (status = 200, description = "Raised hands, first raised first.", body = HandList),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        (status = 410, response = Gone),
        (status = 503, response = HandsUnavailable),
    ))]
pub async fn list(State(state): State<AppState>, Present { room, .. }: Present) -> ApiResult<Json<HandList>> {
    Ok(Json(state.hand_list(&room).await?))
}

#[utoipa::path(put, path = "/api/rooms/{room_id}/hand", tag = "join-room", operation_id = "raiseHand",
    summary = "Raise your hand",
    description = "Raising it again keeps its place in the queue.",
    security(("session" = [])),
    params(("room_id" = RoomId, Path)),
    responses(
        (status = 200, description = "Raised hands, first raised first.", body = HandList),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        (status = 410, response = Gone),
        (status = 429, response = RateLimited),
        (status = 503, response = HandsUnavailable),
    ))]
pub async fn raise(State(state): State<AppState>, Present { room, participant }: Present) -> ApiResult<Json<HandList>> {
    state.rate_limit_or_allow(&format!("hand:{}", participant.id), state.config.rate_limits.reaction).await?;
    let changed = state.hands.raise(&room, &participant.id).await.map_err(ApiError::HandsUnavailable)?;
    Ok(Json(if changed { state.hands_changed(&room).await? } else { state.hand_list(&room).await? }))
}

#[utoipa::path(delete, path = "/api/rooms/{room_id}/hand", tag = "join-room", operation_id = "lowerHand",
    summary = "Lower your hand",
    security(("session" = [])),
    params(("room_id" = RoomId, Path)),
    responses(
        (status = 200, description = "Raised hands, first raised first.", body = HandList),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        (status = 410, response = Gone),
        (status = 429, response = RateLimited),
        (status = 503, response = HandsUnavailable),
    ))]
pub async fn lower(State(state): State<AppState>, Present { room, participant }: Present) -> ApiResult<Json<HandList>> {
    state.rate_limit_or_allow(&format!("hand:{}", participant.id), state.config.rate_limits.reaction).await?;
    let changed = state.hands.lower(&room, &participant.id).await.map_err(ApiError::HandsUnavailable)?;
    Ok(Json(if changed { state.hands_changed(&room).await? } else { state.hand_list(&room).await? }))
}

/// What the moderation log keeps of a host lowering hands: how many came down.
#[derive(serde::Serialize)]
struct Lowered {
    lowered: usize,
}

/// A host lowers one hand, or every hand; the log records it when a hand came down.
#[utoipa::path(post, path = "/api/rooms/{room_id}/hands/lower", tag = "moderation", operation_id = "lowerHands",
    summary = "Lower someone's hand, or every hand",
    description = "Host only. Lowers the named participant's hand, or every hand when none is named.",
    security(("session" = [])),
    params(("room_id" = RoomId, Path)),
    request_body = LowerHands,
    responses(
        (status = 200, description = "Raised hands, first raised first.", body = HandList),
        (status = 400, response = BadRequest),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        (status = 410, response = Gone),
        (status = 413, response = TooLarge),
        (status = 415, response = UnsupportedMediaType),
        (status = 422, response = Unprocessable),
        (status = 503, response = HandsUnavailable),
    ))]
pub async fn lower_by_host(
    State(state): State<AppState>,
    Host { room, host }: Host,
    ApiJson(body): ApiJson<LowerHands>,
) -> ApiResult<Json<HandList>> {
    let target = match body.participant_id.as_deref() {
        Some(raw) => Some(ParticipantId::parse(raw).ok_or(ApiError::ParticipantNotFound)?),
        None => None,
    };
    let lowered = match &target {
        Some(target) => usize::from(state.hands.lower(&room, target).await.map_err(ApiError::HandsUnavailable)?),
        None => state.hands.lower_all(&room).await.map_err(ApiError::HandsUnavailable)?,
    };
    if lowered > 0 {
        let detail = serde_json::to_value(Lowered { lowered }).map_err(anyhow::Error::from)?;
        state.moderation.record(Actor { host: &host }, Action::LowerHands, target.as_ref(), detail).await?;
        measure::moderation_action(Action::LowerHands);
    }
    Ok(Json(state.hands_changed(&room).await?))
}
