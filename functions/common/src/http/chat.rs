//! Sending and reading chat. The sender is always the session's participant.

use super::auth::Present;
use super::extract::ApiJson;
use super::{AppState, check_decision};
use crate::chat::{ClientMessageId, MessageId, NewMessage, Page};
use crate::domain::{ChatText, InvalidField, ParticipantStatus};
use crate::error::{ApiError, ApiResult};
use axum::Json;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use serde::Deserialize;
use serde_json::{Value, json};

/// LiveKit data topic the web app listens on.
pub const CHAT_TOPIC: &str = "chat";

#[derive(Deserialize)]
pub struct SendMessage {
    text: String,
    client_id: Option<String>,
}

pub async fn send(
    State(state): State<AppState>,
    Present { room, participant: sender }: Present,
    ApiJson(body): ApiJson<SendMessage>,
) -> ApiResult<(StatusCode, Json<Value>)> {
    let text = ChatText::parse(&body.text)?;
    let client_id = body.client_id.as_deref().map(ClientMessageId::parse).transpose()?;

    let decision = state.limiter.check(&format!("chat:{}", sender.id), state.config.rate_limits.chat).await;
    check_decision(decision.map_err(ApiError::ChatUnavailable)?)?;

    let appended = state
        .chat
        .append(NewMessage {
            room: &room,
            sender_identity: &sender.id.to_string(),
            sender_name: &sender.display_name,
            text: &text,
            client_id: client_id.as_ref(),
        })
        .await
        .map_err(ApiError::ChatUnavailable)?;

    // The message is stored; if LiveKit cannot fan it out now, clients catch up through
    // list-chat. LiveKit holds a SendData to a room without anyone in it until it times
    // out, so an empty room is skipped (clients load history after connecting). A sender
    // who is connected is someone, which spares the usual case a database read.
    let someone_connected = sender.status == ParticipantStatus::Connected || state.rooms.has_connected(&room).await?;
    if appended.created && someone_connected {
        let payload = serde_json::to_vec(&appended.message).map_err(anyhow::Error::from)?;
        // Only to those who may receive the room's data: someone removed who is still (or
        // again) connected to LiveKit with an old token gets nothing.
        let receivers = state.rooms.receivers(&room).await?;
        if let Err(error) = state.media.send(&room, CHAT_TOPIC, payload, receivers).await {
            tracing::warn!(room = %room, error = format!("{error:#}"), "chat fan-out failed; message kept");
        }
    }
    Ok((StatusCode::CREATED, Json(json!({"message": appended.message}))))
}

#[derive(Deserialize)]
pub struct ListQuery {
    after: Option<String>,
    limit: Option<String>,
}

const DEFAULT_PAGE: usize = 50;
const MAX_PAGE: usize = 100;

fn page_size(raw: Option<&str>) -> Result<usize, InvalidField> {
    match raw {
        None => Ok(DEFAULT_PAGE),
        Some(raw) => match raw.parse::<usize>() {
            Ok(n @ 1..=MAX_PAGE) => Ok(n),
            _ => Err(InvalidField::new("limit", format!("must be a whole number from 1 to {MAX_PAGE}"))),
        },
    }
}

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
