//! Reactions: a participant's emoji, fanned out by the server on the `reaction` data topic
//! and shown over their tile for a few seconds. Nothing is stored.

use super::AppState;
use super::auth::Present;
use super::extract::ApiJson;
use crate::api::reactions::{Reaction, SendReaction};
use crate::api::responses::{
    BadRequest, Forbidden, Gone, NotFound, RateLimited, TooLarge, Unauthorized, Unprocessable, UnsupportedMediaType,
};
use crate::domain::{ParticipantStatus, RoomId};
use crate::error::ApiResult;
use axum::Json;
use axum::extract::State;

/// LiveKit data topic the web app shows reactions from.
pub const REACTION_TOPIC: &str = "reaction";

#[utoipa::path(post, path = "/api/rooms/{room_id}/reactions", tag = "send-chat", operation_id = "react",
    summary = "Send a reaction",
    description = "Everyone in the room sees it over the sender's tile for a few seconds.",
    security(("session" = [])),
    params(("room_id" = RoomId, Path)),
    request_body = SendReaction,
    responses(
        (status = 200, description = "Sent to everyone in the room.", body = Reaction),
        (status = 400, response = BadRequest),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        (status = 410, response = Gone),
        (status = 413, response = TooLarge),
        (status = 415, response = UnsupportedMediaType),
        (status = 422, response = Unprocessable),
        (status = 429, response = RateLimited),
    ))]
pub async fn send(
    State(state): State<AppState>,
    Present { room, participant: sender }: Present,
    ApiJson(body): ApiJson<SendReaction>,
) -> ApiResult<Json<Reaction>> {
    state.rate_limit_or_allow(&format!("reaction:{}", sender.id), state.config.rate_limits.reaction).await?;
    let reaction = Reaction { participant_id: sender.id, emoji: body.emoji, sent_at: chrono::Utc::now() };
    // As with chat: LiveKit holds data for an empty room until it times out, so an empty room
    // is skipped, and only people on the roster receive it.
    let audience = state.rooms.audience(&room).await?;
    if sender.status == ParticipantStatus::Connected || audience.anyone_connected {
        let payload = serde_json::to_vec(&reaction).map_err(anyhow::Error::from)?;
        if let Err(error) = state.media.send(&room, REACTION_TOPIC, payload, audience.receivers).await {
            tracing::warn!(room = %room, error = format!("{error:#}"), "reaction not delivered");
        }
    }
    Ok(Json(reaction))
}
