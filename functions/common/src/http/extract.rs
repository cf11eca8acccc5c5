//! Request pieces every handler needs, parsed once into domain values or a typed error.

use crate::domain::{ParticipantId, RoomId, SecretToken};
use crate::error::ApiError;
use axum::extract::rejection::JsonRejection;
use axum::extract::{ConnectInfo, FromRequest, FromRequestParts, Path, Request};
use axum::http::HeaderMap;
use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;
use lambda_http::request::RequestContext;
use serde::de::DeserializeOwned;
use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};

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

/// The `{participant_id}` path segment, checked against the room by the store. Anything that
/// is not a participant id names nobody, so it is a 404.
pub struct ParticipantPath(pub ParticipantId);

impl<S: Send + Sync> FromRequestParts<S> for ParticipantPath {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        let raw = path_param(parts, state, "participant_id").await.ok_or(ApiError::ParticipantNotFound)?;
        ParticipantId::parse(&raw).map(ParticipantPath).ok_or(ApiError::ParticipantNotFound)
    }
}

async fn path_param<S: Send + Sync>(parts: &mut Parts, state: &S, name: &str) -> Option<String> {
    let Path(params) = Path::<HashMap<String, String>>::from_request_parts(parts, state).await.ok()?;
    params.get(name).cloned()
}

/// Who is calling, for per-client rate limits, as an address group: an IPv4 address, or
/// the /64 of an IPv6 one (one subscriber's whole network, which they can change at will).
/// Behind CloudFront (an origin secret is configured, and [`super::require_origin`] has
/// checked it) the viewer's address as CloudFront saw it; else the API gateway's view under
/// Lambda; the proxy's `X-Forwarded-For` when configured to trust it; the socket peer.
pub struct ClientIp(pub String);

/// The header our CloudFront function sets to the viewer's address (see `template.yaml`).
pub const VIEWER_ADDRESS_HEADER: &str = "x-viewer-address";

impl FromRequestParts<AppState> for ClientIp {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let header = |name: &str| parts.headers.get(name).and_then(|v| v.to_str().ok());
        let from_cloudfront =
            || state.config.origin_secret.as_ref().and(header(VIEWER_ADDRESS_HEADER)).map(str::to_owned);
        let from_gateway = || {
            parts.extensions.get::<RequestContext>().and_then(|ctx| match ctx {
                RequestContext::ApiGatewayV2(ctx) => ctx.http.source_ip.clone(),
                RequestContext::ApiGatewayV1(ctx) => ctx.identity.source_ip.clone(),
                #[allow(unreachable_patterns)]
                _ => None,
            })
        };
        // The proxy appends the address it saw, so the last entry is the one it vouches for.
        let forwarded = || {
            state
                .config
                .trust_forwarded_for
                .then(|| header("x-forwarded-for")?.rsplit(',').next().map(|ip| ip.trim().to_owned()))?
        };
        let peer = || parts.extensions.get::<ConnectInfo<SocketAddr>>().map(|ConnectInfo(addr)| addr.ip().to_string());
        let address = from_cloudfront().or_else(from_gateway).or_else(forwarded).or_else(peer);
        Ok(ClientIp(address.as_deref().map_or_else(|| "unknown".into(), address_group)))
    }
}

/// The rate-limit group of an address: IPv4 as is, IPv6 by its /64. Anything that is not
/// an address is kept (bounded), so it still gets a bucket of its own.
pub fn address_group(address: &str) -> String {
    match address.trim().trim_start_matches('[').trim_end_matches(']').parse::<IpAddr>() {
        Ok(IpAddr::V4(v4)) => v4.to_string(),
        Ok(IpAddr::V6(v6)) => match v6.to_ipv4_mapped() {
            Some(v4) => v4.to_string(),
            None => {
                let s = v6.segments();
                format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
            }
        },
        Err(_) => address.chars().take(64).collect(),
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

#[cfg(test)]
mod tests {
    use super::address_group;

    #[test]
    fn an_ipv6_subscriber_is_one_group_and_ipv4_addresses_stay_apart() {
        assert_eq!(address_group("2001:db8:1:2:aaaa::1"), "2001:db8:1:2::/64");
        assert_eq!(address_group("2001:db8:1:2:ffff:ffff:ffff:ffff"), "2001:db8:1:2::/64");
        assert_ne!(address_group("2001:db8:1:3::1"), address_group("2001:db8:1:2::1"));
        assert_eq!(address_group("[2001:db8:1:2::9]"), "2001:db8:1:2::/64");
        assert_eq!(address_group("::ffff:198.51.100.7"), "198.51.100.7");
        assert_eq!(address_group("198.51.100.7"), "198.51.100.7");
        assert_ne!(address_group("198.51.100.7"), address_group("198.51.100.8"));
        assert_eq!(address_group(&"x".repeat(500)).len(), 64);
    }
}
