//! Request pieces every handler needs, parsed once into domain values or a typed error.

use crate::domain::{RoomId, SecretToken};
use crate::error::ApiError;
use axum::extract::rejection::JsonRejection;
use axum::extract::{ConnectInfo, FromRequest, FromRequestParts, Path, Request};
use axum::http::HeaderMap;
use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;
use lambda_http::request::RequestContext;
use serde::de::DeserializeOwned;
use std::collections::HashMap;
use std::net::SocketAddr;

use super::AppState;

/// JSON body whose every failure (syntax, shape, size, content type) is an [`ApiError`].
pub struct ApiJson<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for ApiJson<T> {
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &S) -> Result<Self, ApiError> {
        match axum::Json::<T>::from_request(request, state).await {
            Ok(axum::Json(value)) => Ok(ApiJson(value)),
            Err(JsonRejection::JsonDataError(e)) => Err(ApiError::Validation(crate::domain::InvalidField::new(
                "body",
                e.body_text()
                    .trim_start_matches("Failed to deserialize the JSON body into the target type: ")
                    .to_owned(),
            ))),
            Err(JsonRejection::JsonSyntaxError(e)) => Err(ApiError::InvalidJson(e.body_text())),
            Err(JsonRejection::MissingJsonContentType(_)) => Err(ApiError::UnsupportedMediaType),
            Err(JsonRejection::BytesRejection(_)) => Err(ApiError::PayloadTooLarge),
            Err(other) => Err(ApiError::InvalidJson(other.body_text())),
        }
    }
}

/// The `{room_id}` path segment. A malformed id cannot name a room, so it is a 404.
pub struct RoomPath(pub RoomId);

impl<S: Send + Sync> FromRequestParts<S> for RoomPath {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        let raw = path_param(parts, state, "room_id").await.ok_or(ApiError::RoomNotFound)?;
        RoomId::parse(&raw).map(RoomPath).ok_or(ApiError::RoomNotFound)
    }
}

/// The `{participant_id}` path segment, checked against the room by the store.
pub struct ParticipantPath(pub String);

impl<S: Send + Sync> FromRequestParts<S> for ParticipantPath {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        path_param(parts, state, "participant_id").await.map(ParticipantPath).ok_or(ApiError::ParticipantNotFound)
    }
}

async fn path_param<S: Send + Sync>(parts: &mut Parts, state: &S, name: &str) -> Option<String> {
    let Path(params) = Path::<HashMap<String, String>>::from_request_parts(parts, state).await.ok()?;
    params.get(name).cloned()
}

/// Who is calling, for per-IP rate limits: the API gateway's view under Lambda, the
/// proxy's `X-Forwarded-For` when configured to trust it, else the socket peer.
pub struct ClientIp(pub String);

impl FromRequestParts<AppState> for ClientIp {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let from_gateway = parts.extensions.get::<RequestContext>().and_then(|ctx| match ctx {
            RequestContext::ApiGatewayV2(ctx) => ctx.http.source_ip.clone(),
            RequestContext::ApiGatewayV1(ctx) => ctx.identity.source_ip.clone(),
            #[allow(unreachable_patterns)]
            _ => None,
        });
        // The proxy appends the address it saw, so the last entry is the one it vouches for.
        let forwarded = || {
            state.config.trust_forwarded_for.then(|| {
                parts.headers.get("x-forwarded-for")?.to_str().ok()?.rsplit(',').next().map(|ip| ip.trim().to_owned())
            })?
        };
        let peer = || parts.extensions.get::<ConnectInfo<SocketAddr>>().map(|ConnectInfo(addr)| addr.ip().to_string());
        Ok(ClientIp(from_gateway.or_else(forwarded).or_else(peer).unwrap_or_else(|| "unknown".into())))
    }
}

/// The session token from `Authorization: Bearer …`, if any.
pub fn bearer(headers: &HeaderMap) -> Option<SecretToken> {
    let value = headers.get(AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    let token = token.trim();
    (scheme.eq_ignore_ascii_case("bearer") && !token.is_empty() && token.len() <= 128)
        .then(|| SecretToken::from_client(token))
}
