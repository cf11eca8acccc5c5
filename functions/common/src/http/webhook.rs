//! LiveKit's webhooks: the reconciler that keeps the media plane in line with the store.
//! Whoever LiveKit reports connected without the right to a slot is removed at once.

use super::{AppState, measure};
use crate::api::responses::{Forbidden, TooLarge, Unauthorized, Unavailable};
use crate::api::webhook::{Delivery as Outcome, WebhookAnswer};
use crate::domain::policy::{Refusal, Transition};
use crate::domain::{ParticipantId, ParticipantStatus, RoomId};
use crate::error::{ApiError, ApiResult};
use crate::media::{Delivery, MediaEvent, WebhookRejected};
use crate::store::{Change, Refused};
use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::http::header::AUTHORIZATION;

/// LiveKit events carry full participant and track info, larger than API request bodies.
pub const MAX_BODY_BYTES: usize = 1024 * 1024;

#[utoipa::path(post, path = "/api/livekit/webhook", tag = "livekit-webhook", operation_id = "livekitWebhook",
    summary = "LiveKit's webhook",
    description = "LiveKit's signed webhook (`Authorization` carries a JWT over the body's SHA-256).",
    request_body(content = Object, content_type = "application/webhook+json"),
    responses(
        (status = 200, body = WebhookAnswer,
            description = "Verified and applied (or a retry of a delivery already applied)."),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
        (status = 413, response = TooLarge),
        (status = 503, response = Unavailable),
    ))]
pub async fn receive(State(state): State<AppState>, headers: HeaderMap, body: Bytes) -> ApiResult<Json<WebhookAnswer>> {
    let Some(authorization) = headers.get(AUTHORIZATION).and_then(|v| v.to_str().ok()) else {
        measure::webhook_refused("unsigned");
        return Err(ApiError::Unauthorized);
    };
    // A body that is not text cannot carry the hash its signature names.
    let verified = std::str::from_utf8(&body)
        .map_err(|e| WebhookRejected::BadSignature(e.to_string()))
        .and_then(|body| state.media.verify_webhook(body, authorization));
    let Delivery { id, event } = verified.map_err(|rejected| {
        tracing::warn!(error = %rejected, "webhook refused");
        measure::webhook_refused("bad_signature");
        ApiError::Unauthorized
    })?;
    tracing::info!(event_id = %id, ?event, "LiveKit webhook");
    // LiveKit names every delivery; one without a name (only a holder of the secret can
    // sign it) is processed without de-duplication rather than shadowing all the others.
    let id = Some(id).filter(|id| !id.is_empty());
    // Rooms that are no meeting's (connection checks: `check-…`) change nothing here, so their
    // events cost no store round-trip either.
    let kind = event.kind().to_owned();
    if event.room().is_some_and(|room| RoomId::parse(room).is_none()) {
        measure::webhook_event(&kind, "not_a_meeting");
        return Ok(Json(WebhookAnswer { status: Outcome::Ok }));
    }
    if let Some(id) = &id
        && state.rooms.delivered(id).await?
    {
        measure::webhook_event(&kind, "duplicate");
        return Ok(Json(WebhookAnswer { status: Outcome::Duplicate }));
    }
    let grace = state.config.connect_grace;
    match event {
        MediaEvent::ParticipantJoined { room, identity, sid } => {
            // Rooms are only ever opened by the backend under valid ids.
            if let Some(room) = RoomId::parse(&room) {
                // An identity that is no participant id is nobody's: it is removed like one without a slot.
                let applied = match ParticipantId::parse(&identity) {
                    Some(id) => {
                        state.rooms.apply(&room, &id, Change::from_livekit(Transition::Connect, &sid, grace)).await
                    }
                    None => Err(Refused::ParticipantNotFound),
                };
                match applied {
                    Ok(_) => {}
                    Err(Refused::Store(e)) => return Err(e.into()),
                    // A token call that raced the end opened the LiveKit room again: close it.
                    Err(Refused::Rule(Refusal::RoomEnded)) => {
                        tracing::info!(room = %room, identity, "connection to an ended meeting; closing its room");
                        state.media.close(&room).await.map_err(ApiError::MediaUnavailable)?;
                    }
                    Err(refused) => {
                        tracing::info!(room = %room, identity, reason = %refused, "connection without a slot; removing it");
                        // Not acknowledged until it is done: LiveKit delivers the event again.
                        state.media.remove(&room, &identity).await.map_err(ApiError::MediaUnavailable)?;
                    }
                }
            }
        }
        MediaEvent::ParticipantLeft { room, identity, sid } => {
            if let (Some(room), Some(id)) = (RoomId::parse(&room), ParticipantId::parse(&identity)) {
                let change = Change::from_livekit(Transition::Disconnect, &sid, grace);
                ignore_refusal(state.rooms.apply(&room, &id, change).await)?;
            }
        }
        // LiveKit closed a room, or opened one: either way, whoever the store counts as
        // connected but LiveKit does not hold now has gone without a participant_left (LiveKit
        // restarted, or the event is late about an earlier opening of the room). Their slot
        // waits for them for the connect grace period, as for someone just let in: whoever
        // comes back within it connects into it (and may chat meanwhile); whoever vanished
        // frees it when the period ends.
        MediaEvent::RoomFinished { room } | MediaEvent::RoomStarted { room } => {
            if let Some(room) = RoomId::parse(&room) {
                let present = state.media.present(&room).await.map_err(ApiError::MediaUnavailable)?;
                for participant in state.moderation.participants(&room, grace).await? {
                    if participant.status == ParticipantStatus::Connected
                        && !present.contains(&participant.id.to_string())
                    {
                        for transition in [Transition::Disconnect, Transition::Resume] {
                            let change = Change::by_participant(transition, grace);
                            ignore_refusal(state.rooms.apply(&room, &participant.id, change).await)?;
                        }
                    }
                }
            }
        }
        MediaEvent::Other(_) => {}
    }
    if let Some(id) = &id {
        state.rooms.record_delivery(id).await?;
    }
    measure::webhook_event(&kind, "applied");
    Ok(Json(WebhookAnswer { status: Outcome::Ok }))
}

/// A presence change about someone the store does not know (or no longer applies to)
/// needs nothing more; only a store failure is worth LiveKit's retry.
fn ignore_refusal<T>(result: Result<T, Refused>) -> ApiResult<()> {
    match result {
        Ok(_) => Ok(()),
        Err(Refused::Store(e)) => Err(e.into()),
        Err(_) => Ok(()),
    }
}
