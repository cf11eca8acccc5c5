//! The one error type handlers return, and the one place that turns it into an HTTP answer.

use crate::domain::InvalidField;
use crate::domain::policy::Refusal;
use crate::store::Refused;
use axum::Json;
use axum::extract::Request;
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use std::sync::Arc;
use utoipa::ToSchema;

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("room not found")]
    RoomNotFound,
    #[error("room is full")]
    RoomFull,
    #[error("room is locked")]
    RoomLocked,
    #[error("room has ended")]
    RoomEnded,
    #[error("host key does not match")]
    InvalidHostKey,
    #[error("invalid field {0}")]
    Validation(#[from] InvalidField),
    #[error("plain text sent to an end-to-end encrypted room")]
    EncryptionRequired,
    #[error("request body is not valid JSON: {0}")]
    InvalidJson(String),
    #[error("request body must be JSON")]
    UnsupportedMediaType,
    #[error("request body too large")]
    PayloadTooLarge,
    #[error("missing or invalid session")]
    Unauthorized,
    #[error("participant is not admitted")]
    NotAdmitted,
    #[error("host role required")]
    Forbidden,
    #[error("participant not found")]
    ParticipantNotFound,
    #[error("participant is not in a state this action applies to")]
    InvalidState,
    #[error("no such published track")]
    TrackNotFound,
    #[error("removed from the room")]
    Kicked,
    #[error("banned from the room")]
    Banned,
    #[error("denied entry")]
    Denied,
    #[error("lobby full")]
    LobbyFull,
    #[error("the room's owner is protected")]
    OwnerProtected,
    #[error("request did not come through the app's address")]
    DirectAccessRefused,
    #[error("media server unavailable")]
    MediaUnavailable(#[source] anyhow::Error),
    #[error("rate limited for {retry_after_secs}s")]
    RateLimited { retry_after_secs: u64 },
    #[error("chat store unavailable")]
    ChatUnavailable(#[source] anyhow::Error),
    #[error("raised hands unavailable")]
    HandsUnavailable(#[source] anyhow::Error),
    #[error("no such route")]
    NotFound,
    #[error("method not allowed")]
    MethodNotAllowed,
    #[error("store busy")]
    StoreBusy,
    #[error("store unavailable")]
    StoreUnavailable(#[source] anyhow::Error),
    #[error("internal error")]
    Internal(anyhow::Error),
}

/// Every error's stable, machine-readable code: part of the public API (clients branch on
/// it), so the OpenAPI document lists them all from this enum.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    RoomNotFound,
    RoomFull,
    RoomLocked,
    RoomEnded,
    InvalidHostKey,
    ValidationFailed,
    EncryptionRequired,
    InvalidJson,
    UnsupportedMediaType,
    PayloadTooLarge,
    Unauthorized,
    NotAdmitted,
    Forbidden,
    ParticipantNotFound,
    InvalidState,
    TrackNotFound,
    Kicked,
    Banned,
    Denied,
    LobbyFull,
    OwnerProtected,
    DirectAccessRefused,
    MediaUnavailable,
    RateLimited,
    ChatUnavailable,
    HandsUnavailable,
    Busy,
    StoreUnavailable,
    NotFound,
    MethodNotAllowed,
    InternalError,
}

impl std::fmt::Display for ErrorCode {
    /// The code as the API writes it, for the log (one naming rule: serde's).
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match serde_json::to_value(self) {
            Ok(serde_json::Value::String(code)) => f.write_str(&code),
            _ => Err(std::fmt::Error),
        }
    }
}

/// Every error answer's body.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = Error)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorDetail {
    pub code: ErrorCode,
    /// For people, in English; never internal detail.
    pub message: String,
    /// The id of this request in our logs, for a support request.
    pub request_id: String,
}

impl From<anyhow::Error> for ApiError {
    /// Contention is worth a retry, not an alarm; a store out of reach is a 503 with its own
    /// code; every other failure is internal.
    fn from(error: anyhow::Error) -> Self {
        if error.chain().any(|cause| cause.is::<crate::store::Contention>()) {
            ApiError::StoreBusy
        } else if crate::store::Unavailable::explains(&error) {
            ApiError::StoreUnavailable(error)
        } else {
            ApiError::Internal(error)
        }
    }
}

impl From<crate::chat::BodyRefused> for ApiError {
    fn from(refused: crate::chat::BodyRefused) -> Self {
        match refused {
            crate::chat::BodyRefused::EncryptionRequired => ApiError::EncryptionRequired,
            crate::chat::BodyRefused::Invalid(field) => ApiError::Validation(field),
        }
    }
}

impl ApiError {
    pub fn status(&self) -> StatusCode {
        use ApiError::*;
        match self {
            RoomNotFound | NotFound | ParticipantNotFound | TrackNotFound => StatusCode::NOT_FOUND,
            RoomFull | LobbyFull | InvalidState => StatusCode::CONFLICT,
            RoomLocked | InvalidHostKey | NotAdmitted | Forbidden | OwnerProtected | Kicked | Banned | Denied
            | DirectAccessRefused => StatusCode::FORBIDDEN,
            RoomEnded => StatusCode::GONE,
            Validation(_) | EncryptionRequired => StatusCode::UNPROCESSABLE_ENTITY,
            InvalidJson(_) => StatusCode::BAD_REQUEST,
            UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            Unauthorized => StatusCode::UNAUTHORIZED,
            RateLimited { .. } => StatusCode::TOO_MANY_REQUESTS,
            ChatUnavailable(_) | HandsUnavailable(_) | MediaUnavailable(_) | StoreBusy | StoreUnavailable(_) => {
                StatusCode::SERVICE_UNAVAILABLE
            }
            MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// Stable, machine-readable; part of the public API.
    pub fn code(&self) -> ErrorCode {
        use ApiError::*;
        match self {
            RoomNotFound => ErrorCode::RoomNotFound,
            RoomFull => ErrorCode::RoomFull,
            RoomLocked => ErrorCode::RoomLocked,
            RoomEnded => ErrorCode::RoomEnded,
            InvalidHostKey => ErrorCode::InvalidHostKey,
            Validation(_) => ErrorCode::ValidationFailed,
            EncryptionRequired => ErrorCode::EncryptionRequired,
            InvalidJson(_) => ErrorCode::InvalidJson,
            UnsupportedMediaType => ErrorCode::UnsupportedMediaType,
            PayloadTooLarge => ErrorCode::PayloadTooLarge,
            Unauthorized => ErrorCode::Unauthorized,
            NotAdmitted => ErrorCode::NotAdmitted,
            Forbidden => ErrorCode::Forbidden,
            ParticipantNotFound => ErrorCode::ParticipantNotFound,
            InvalidState => ErrorCode::InvalidState,
            TrackNotFound => ErrorCode::TrackNotFound,
            Kicked => ErrorCode::Kicked,
            Banned => ErrorCode::Banned,
            Denied => ErrorCode::Denied,
            LobbyFull => ErrorCode::LobbyFull,
            OwnerProtected => ErrorCode::OwnerProtected,
            DirectAccessRefused => ErrorCode::DirectAccessRefused,
            MediaUnavailable(_) => ErrorCode::MediaUnavailable,
            RateLimited { .. } => ErrorCode::RateLimited,
            ChatUnavailable(_) => ErrorCode::ChatUnavailable,
            HandsUnavailable(_) => ErrorCode::HandsUnavailable,
            StoreBusy => ErrorCode::Busy,
            StoreUnavailable(_) => ErrorCode::StoreUnavailable,
            NotFound => ErrorCode::NotFound,
            MethodNotAllowed => ErrorCode::MethodNotAllowed,
            Internal(_) => ErrorCode::InternalError,
        }
    }

    /// For people; never contains internal detail.
    fn message(&self) -> String {
        use ApiError::*;
        match self {
            RoomNotFound => "This room does not exist. Check the link.".into(),
            RoomFull => "This room is full.".into(),
            RoomLocked => "This room is locked; nobody new can join.".into(),
            RoomEnded => "This meeting has ended.".into(),
            InvalidHostKey => "The host key is not valid for this room.".into(),
            Validation(field) => format!("{} {}.", field.field, field.reason),
            EncryptionRequired => {
                "This meeting is end-to-end encrypted: messages must be sent encrypted, never as plain text.".into()
            }
            InvalidJson(detail) => format!("The request body is not valid JSON: {detail}"),
            UnsupportedMediaType => "Send the request body as JSON (Content-Type: application/json).".into(),
            PayloadTooLarge => "The request body is too large (16 KiB at most).".into(),
            Unauthorized => "Your session is missing, invalid or expired. Join the room again.".into(),
            NotAdmitted => "You are not in the room yet.".into(),
            Forbidden => "Only a host can do that.".into(),
            ParticipantNotFound => "There is no such participant in this room.".into(),
            InvalidState => "That does not apply to this participant now.".into(),
            TrackNotFound => "That participant is not publishing this kind of track.".into(),
            Kicked => "A host removed you from this meeting.".into(),
            Banned => "A host banned you from this meeting.".into(),
            Denied => "A host did not let you in.".into(),
            LobbyFull => "Too many people are already waiting to be let in. Try again later.".into(),
            OwnerProtected => "The meeting's owner cannot be removed by another host.".into(),
            DirectAccessRefused => "The API answers only through the app's own address.".into(),
            MediaUnavailable(_) => "The media server is not reachable right now. Try again in a moment.".into(),
            RateLimited { retry_after_secs } => format!("Too many requests. Try again in {retry_after_secs} s."),
            ChatUnavailable(_) => "Chat is temporarily unavailable. The meeting itself keeps working.".into(),
            HandsUnavailable(_) => "Raised hands are temporarily unavailable. The meeting itself keeps working.".into(),
            StoreBusy => "Too many people are doing this at once; try again in a moment.".into(),
            StoreUnavailable(_) => "Our database is not reachable right now. Try again in a moment.".into(),
            NotFound => "No such endpoint.".into(),
            MethodNotAllowed => "This endpoint does not accept that method.".into(),
            Internal(_) => "Something went wrong on our side. Try again.".into(),
        }
    }
}

impl IntoResponse for ApiError {
    /// The body is written by [`render_errors`], which knows the request id.
    fn into_response(self) -> Response {
        let mut response = self.status().into_response();
        response.extensions_mut().insert(Arc::new(self));
        response
    }
}

pub const REQUEST_ID_HEADER: &str = "x-request-id";

/// Middleware: gives every error response its JSON body and request id, and logs
/// internal causes (the full chain) where only operators can read them.
pub async fn render_errors(request: Request, next: Next) -> Response {
    let request_id =
        request.headers().get(REQUEST_ID_HEADER).and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
    let mut response = next.run(request).await;
    let Some(error) = response.extensions_mut().remove::<Arc<ApiError>>() else {
        return response;
    };
    match &*error {
        ApiError::Internal(cause)
        | ApiError::ChatUnavailable(cause)
        | ApiError::HandsUnavailable(cause)
        | ApiError::MediaUnavailable(cause)
        | ApiError::StoreUnavailable(cause) => {
            tracing::error!(request_id, code = %error.code(), error = format!("{cause:#}"), "request failed")
        }
        other => tracing::info!(request_id, code = %other.code(), "request refused"),
    }
    let body = ErrorBody { error: ErrorDetail { code: error.code(), message: error.message(), request_id } };
    let mut rendered = (error.status(), Json(body)).into_response();
    if let ApiError::RateLimited { retry_after_secs } = &*error {
        rendered.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(*retry_after_secs));
    }
    if let ApiError::StoreBusy = &*error {
        rendered.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(1));
    }
    if let Some(id) = response.headers().get(REQUEST_ID_HEADER) {
        rendered.headers_mut().insert(REQUEST_ID_HEADER, id.clone());
    }
    rendered
}

pub type ApiResult<T> = Result<T, ApiError>;

impl From<Refusal> for ApiError {
    fn from(refusal: Refusal) -> Self {
        match refusal {
            Refusal::RoomEnded => ApiError::RoomEnded,
            Refusal::RoomLocked => ApiError::RoomLocked,
            Refusal::RoomFull => ApiError::RoomFull,
            Refusal::LobbyFull => ApiError::LobbyFull,
            Refusal::InvalidHostKey => ApiError::InvalidHostKey,
            Refusal::Banned => ApiError::Banned,
            Refusal::Kicked => ApiError::Kicked,
            Refusal::Denied => ApiError::Denied,
            Refusal::NotAdmitted => ApiError::NotAdmitted,
            Refusal::SessionEnded => ApiError::Unauthorized,
            Refusal::InvalidState => ApiError::InvalidState,
            Refusal::OwnerProtected => ApiError::OwnerProtected,
        }
    }
}

impl From<Refused> for ApiError {
    fn from(refused: Refused) -> Self {
        match refused {
            Refused::Rule(refusal) => refusal.into(),
            Refused::RoomNotFound => ApiError::RoomNotFound,
            Refused::ParticipantNotFound => ApiError::ParticipantNotFound,
            Refused::ActorNotHost => ApiError::Forbidden,
            Refused::Store(e) => e.into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contention_is_a_retry_not_an_internal_error() {
        let busy = ApiError::from(anyhow::Error::new(crate::store::Contention).context("joining"));
        assert_eq!((busy.status(), busy.code()), (StatusCode::SERVICE_UNAVAILABLE, ErrorCode::Busy));
        let other = ApiError::from(anyhow::anyhow!("disk on fire"));
        assert_eq!((other.status(), other.code()), (StatusCode::INTERNAL_SERVER_ERROR, ErrorCode::InternalError));
        let refused = ApiError::from(Refused::Store(anyhow::Error::new(crate::store::Contention)));
        assert_eq!(refused.code(), ErrorCode::Busy);
        assert_eq!(ErrorCode::Busy.to_string(), "busy");
    }
}
