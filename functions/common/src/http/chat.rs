//! Sending and reading chat. The sender is always the session's participant.

use super::auth::Present;
use super::extract::ApiJson;
use super::{AppState, check_decision, measure};
use crate::api::chat::{DEFAULT_PAGE, ListQuery, MAX_PAGE, MessageSent, Page, SendMessage, SendMessageContract};
use crate::api::responses::{
    BadRequest, ChatUnavailable, Forbidden, Gone, NotFound, RateLimited, TooLarge, Unauthorized, Unprocessable,
    UnsupportedMediaType,
};
use crate::chat::{Body, ClientMessageId, MessageId, NewMessage};
use crate::domain::{InvalidField, ParticipantStatus, RoomId};
use crate::error::{ApiError, ApiResult};
use axum::Json;
use axum::extract::{Query, State};
use axum::http::StatusCode;

/// LiveKit data topic the web app listens on.
pub const CHAT_TOPIC: &str = "chat";

#[utoipa::path(post, path = "/api/rooms/{room_id}/messages", tag = "send-chat", operation_id = "sendChat",
    summary = "Send a chat message",
    security(("session" = [])),
    params(("room_id" = RoomId, Path)),
    request_body = SendMessageContract,
    responses(
        (status = 201, body = MessageSent,
            description = "Stored (or, for a repeated `client_id`, the message stored before)."),
        (status = 400, response = BadRequest),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        (status = 410, response = Gone),
        (status = 413, response = TooLarge),
        (status = 415, response = UnsupportedMediaType),
        (status = 422, response = Unprocessable),
        (status = 429, response = RateLimited),
        (status = 503, response = ChatUnavailable),
    ))]
pub async fn send(
    State(state): State<AppState>,
    Present { room, participant: sender }: Present,
    ApiJson(body): ApiJson<SendMessage>,
) -> ApiResult<(StatusCode, Json<MessageSent>)> {
    let said = Body::parse(body.text.as_deref(), body.encrypted.as_ref(), sender.room_e2ee)?;
    let client_id = body.client_id.as_deref().map(ClientMessageId::parse).transpose()?;

    let key = format!("chat:{}", sender.id);
    let decision = state.limiter.check(&key, state.config.rate_limits.chat).await;
    check_decision(&key, decision.map_err(ApiError::ChatUnavailable)?)?;

    let appended = state
        .chat
        .append(NewMessage {
            room: &room,
            sender_identity: &sender.id.to_string(),
            sender_name: &sender.display_name,
            body: &said,
            client_id: client_id.as_ref(),
        })
        .await
        .map_err(ApiError::ChatUnavailable)?;
    measure::chat_message(appended.created);

    // The message is stored; if LiveKit cannot fan it out now, clients catch up through
    // list-chat. LiveKit holds a SendData to a room without anyone in it until it times
    // out, so an empty room is skipped (clients load history after connecting). A retry of
    // a message already stored was fanned out the first time.
    if appended.created {
        // Only to those who may receive the room's data: someone removed who is still (or
        // again) connected to LiveKit with an old token gets nothing.
        let audience = state.rooms.audience(&room).await?;
        if sender.status == ParticipantStatus::Connected || audience.anyone_connected {
            let payload = serde_json::to_vec(&appended.message).map_err(anyhow::Error::from)?;
            if let Err(error) = state.media.send(&room, CHAT_TOPIC, payload, audience.receivers).await {
                tracing::warn!(room = %room, error = format!("{error:#}"), "chat fan-out failed; message kept");
            }
        }
    }
    Ok((StatusCode::CREATED, Json(MessageSent { message: appended.message })))
}

fn page_size(raw: Option<&str>) -> Result<usize, InvalidField> {
    match raw {
        None => Ok(DEFAULT_PAGE),
        Some(raw) => match raw.parse::<usize>() {
            Ok(n @ 1..=MAX_PAGE) => Ok(n),
            _ => Err(InvalidField::new("limit", format!("must be a whole number from 1 to {MAX_PAGE}"))),
        },
    }
}

#[utoipa::path(get, path = "/api/rooms/{room_id}/messages", tag = "list-chat", operation_id = "listChat",
    summary = "Read the room's chat history",
    security(("session" = [])),
    params(("room_id" = RoomId, Path), ListQuery),
    responses(
        (status = 200, description = "Messages, oldest first; `next_cursor` when more follow.", body = Page),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        (status = 410, response = Gone),
        (status = 422, response = Unprocessable),
        (status = 503, response = ChatUnavailable),
    ))]
pub async fn list(
    State(state): State<AppState>,
    Present { room, .. }: Present,
    query: Result<Query<ListQuery>, axum::extract::rejection::QueryRejection>,
) -> ApiResult<Json<Page>> {
    let Query(query) = query.map_err(|e| InvalidField::new("query", e.body_text()))?;
    let after = query.after.as_deref().map(MessageId::parse).transpose()?;
    let limit = page_size(query.limit.as_deref())?;
    let page = state.chat.list(&room, after.as_ref(), limit).await.map_err(ApiError::ChatUnavailable)?;
    Ok(Json(page))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_size_defaults_and_is_bounded() {
        assert_eq!(page_size(None), Ok(50));
        assert_eq!(page_size(Some("1")), Ok(1));
        assert_eq!(page_size(Some("100")), Ok(100));
        for bad in ["0", "101", "-1", "ten", ""] {
            assert!(page_size(Some(bad)).is_err(), "{bad:?}");
        }
    }
}
