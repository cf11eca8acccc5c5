//! HTTP handlers, grouped by concern: rooms, participants (entering and leaving), the token
//! (and the connection check's), chat, hands, reactions, moderation (host actions and who is in
//! the room) and LiveKit's webhook. Which function serves each route is [`served`]' tables.

pub mod auth;
pub mod browser_policy;
pub(crate) mod chat;
pub(crate) mod connection_check;
pub mod extract;
pub(crate) mod hands;
pub mod measure;
pub(crate) mod moderation;
pub(crate) mod participants;
pub(crate) mod reactions;
pub(crate) mod rooms;
pub(crate) mod telemetry;
pub(crate) mod token;
pub(crate) mod webhook;

use crate::api::responses::Forbidden;
use crate::api::token::Roster;
use crate::api::{Health, Up};
use crate::chat::ChatLog;
use crate::config::{Config, RateLimit};
use crate::domain::RoomId;
use crate::domain::policy::Count;
use crate::error::{ApiError, ApiResult, REQUEST_ID_HEADER, render_errors};
use crate::hands::Hands;
use crate::media::MediaServer;
use crate::rate_limit::{Decision, RateLimiter};
use crate::store::moderation::ModerationStore;
use crate::store::{Applied, RoomStore};
use axum::Router;
use axum::extract::{DefaultBodyLimit, MatchedPath, Request, State};
use axum::http::HeaderName;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::{MethodRouter, any, delete, get, patch, post, put};
use sha2::{Digest, Sha256};
use std::ops::Deref;
use std::sync::Arc;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::trace::TraceLayer;

/// Everything a handler may use; built once per process and shared by every request.
pub struct Services {
    pub config: Config,
    pub rooms: Arc<dyn RoomStore>,
    pub moderation: Arc<dyn ModerationStore>,
    pub chat: Arc<dyn ChatLog>,
    pub hands: Arc<dyn Hands>,
    pub limiter: Arc<dyn RateLimiter>,
    pub media: Arc<dyn MediaServer>,
}

#[derive(Clone)]
pub struct AppState(pub Arc<Services>);

impl Deref for AppState {
    type Target = Services;
    fn deref(&self) -> &Services {
        &self.0
    }
}

/// The deployable functions; each serves a group of routes (see `template.yaml`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Function {
    CreateRoom,
    JoinRoom,
    Token,
    SendChat,
    ListChat,
    LivekitWebhook,
    Moderation,
    Telemetry,
}

impl Function {
    pub const ALL: [Function; 8] = [
        Function::CreateRoom,
        Function::JoinRoom,
        Function::Token,
        Function::SendChat,
        Function::ListChat,
        Function::LivekitWebhook,
        Function::Moderation,
        Function::Telemetry,
    ];

    /// Whether the function mints LiveKit tokens, calls LiveKit's server API or verifies its
    /// webhooks. The others are deployed without the LiveKit secret (`template.yaml`).
    pub fn uses_livekit_secret(self) -> bool {
        !matches!(self, Function::CreateRoom | Function::ListChat | Function::Telemetry)
    }

    /// The crate name under `functions/` and the name `cargo lambda watch` serves it under.
    pub fn name(self) -> &'static str {
        match self {
            Function::CreateRoom => "create-room",
            Function::JoinRoom => "join-room",
            Function::Token => "token",
            Function::SendChat => "send-chat",
            Function::ListChat => "list-chat",
            Function::LivekitWebhook => "livekit-webhook",
            Function::Moderation => "moderation",
            Function::Telemetry => "telemetry",
        }
    }
}

/// One route of the public API and the function that owns it.
pub struct Endpoint {
    pub function: Function,
    pub method: &'static str,
    pub path: &'static str,
    handler: MethodRouter<AppState>,
}

/// The whole public API, function by function. `template.yaml` must list exactly these; a
/// test checks it.
pub fn endpoints() -> Vec<Endpoint> {
    Function::ALL.into_iter().flat_map(Function::endpoints).collect()
}

impl Function {
    /// Its routes.
    pub fn endpoints(self) -> Vec<Endpoint> {
        match self {
            Function::CreateRoom => served::create_room(),
            Function::JoinRoom => served::join_room(),
            Function::Token => served::token(),
            Function::SendChat => served::send_chat(),
            Function::ListChat => served::list_chat(),
            Function::LivekitWebhook => served::livekit_webhook(),
            Function::Moderation => served::moderation(),
            Function::Telemetry => served::telemetry(),
        }
    }
}

/// Each function's routes, in a table of its own: a function's binary names its table
/// (`runtime::run_function`), so it links its own handlers and none of the others'.
pub mod served {
    use super::Function::*;
    use super::*;

    fn endpoint(
        function: Function,
        method: &'static str,
        path: &'static str,
        handler: MethodRouter<AppState>,
    ) -> Endpoint {
        Endpoint { function, method, path, handler }
    }

    pub fn create_room() -> Vec<Endpoint> {
        vec![endpoint(CreateRoom, "POST", "/api/rooms", post(rooms::create))]
    }

    pub fn join_room() -> Vec<Endpoint> {
        vec![
            endpoint(JoinRoom, "GET", "/api/health", get(health)),
            endpoint(JoinRoom, "GET", "/api/rooms/{room_id}", get(rooms::show)),
            endpoint(JoinRoom, "POST", "/api/rooms/{room_id}/join", post(participants::join)),
            endpoint(JoinRoom, "POST", "/api/rooms/{room_id}/leave", post(participants::leave)),
            endpoint(JoinRoom, "GET", "/api/rooms/{room_id}/me", get(moderation::me)),
            endpoint(JoinRoom, "GET", "/api/rooms/{room_id}/participants", get(moderation::participants)),
            endpoint(JoinRoom, "GET", "/api/rooms/{room_id}/hands", get(hands::list)),
            endpoint(JoinRoom, "PUT", "/api/rooms/{room_id}/hand", put(hands::raise)),
            endpoint(JoinRoom, "DELETE", "/api/rooms/{room_id}/hand", delete(hands::lower)),
        ]
    }

    pub fn token() -> Vec<Endpoint> {
        vec![
            endpoint(Token, "POST", "/api/rooms/{room_id}/token", post(token::issue)),
            endpoint(Token, "POST", "/api/connection-check", post(connection_check::issue)),
        ]
    }

    pub fn telemetry() -> Vec<Endpoint> {
        vec![endpoint(Telemetry, "POST", "/api/telemetry", post(telemetry::report))]
    }

    pub fn send_chat() -> Vec<Endpoint> {
        vec![
            endpoint(SendChat, "POST", "/api/rooms/{room_id}/messages", post(chat::send)),
            endpoint(SendChat, "POST", "/api/rooms/{room_id}/reactions", post(reactions::send)),
        ]
    }

    pub fn list_chat() -> Vec<Endpoint> {
        vec![endpoint(ListChat, "GET", "/api/rooms/{room_id}/messages", get(chat::list))]
    }

    /// A host's action on one participant: `POST /api/rooms/{room_id}/participants/{participant_id}/<action>`.
    macro_rules! on_participant {
        ($action:literal, $handler:expr) => {
            endpoint(
                Moderation,
                "POST",
                concat!("/api/rooms/{room_id}/participants/{participant_id}/", $action),
                post($handler),
            )
        };
    }

    pub fn moderation() -> Vec<Endpoint> {
        vec![
            endpoint(Moderation, "PATCH", "/api/rooms/{room_id}", patch(moderation::update_room)),
            endpoint(Moderation, "POST", "/api/rooms/{room_id}/end", post(moderation::end)),
            endpoint(Moderation, "POST", "/api/rooms/{room_id}/hands/lower", post(hands::lower_by_host)),
            endpoint(Moderation, "GET", "/api/rooms/{room_id}/lobby", get(moderation::lobby)),
            endpoint(Moderation, "GET", "/api/rooms/{room_id}/actions", get(moderation::actions)),
            on_participant!("admit", moderation::admit),
            on_participant!("deny", moderation::deny),
            on_participant!("kick", moderation::kick),
            on_participant!("ban", moderation::ban),
            on_participant!("promote", moderation::promote),
            on_participant!("mute", moderation::mute),
        ]
    }

    pub fn livekit_webhook() -> Vec<Endpoint> {
        vec![endpoint(
            LivekitWebhook,
            "POST",
            "/api/livekit/webhook",
            post(webhook::receive).layer(DefaultBodyLimit::max(webhook::MAX_BODY_BYTES)),
        )]
    }
}

/// Request bodies larger than this are refused with 413.
pub const MAX_BODY_BYTES: usize = 16 * 1024;

#[utoipa::path(get, path = "/api/health", tag = "join-room", operation_id = "health",
    summary = "Whether the service answers",
    responses(
        (status = 200, description = "The service answers.", body = Health),
        (status = 403, response = Forbidden),
    ))]
pub(crate) async fn health() -> axum::Json<Health> {
    axum::Json(Health { status: Up::Ok })
}

/// The routes of `functions`, with a JSON 404 for anything else.
pub fn router(functions: &[Function], state: AppState) -> Router {
    router_of(functions.iter().flat_map(|f| f.endpoints()), state)
}

/// The router of these endpoints, with a JSON 404 for anything else.
pub fn router_of(endpoints: impl IntoIterator<Item = Endpoint>, state: AppState) -> Router {
    with_middleware(routes(endpoints).fallback(|| async { ApiError::NotFound }), state)
}

/// The routes of `functions`, handing paths outside `/api` to `fallback` (the local server's static files).
pub fn router_with_fallback(functions: &[Function], state: AppState, fallback: MethodRouter<AppState>) -> Router {
    let routes = routes(functions.iter().flat_map(|f| f.endpoints()))
        .route("/api/{*rest}", any(|| async { ApiError::NotFound }))
        .fallback_service(fallback.with_state(state.clone()));
    with_middleware(routes, state)
}

fn routes(endpoints: impl IntoIterator<Item = Endpoint>) -> Router<AppState> {
    endpoints
        .into_iter()
        .fold(Router::new(), |router, e| router.route(e.path, e.handler))
        .method_not_allowed_fallback(|| async { ApiError::MethodNotAllowed })
}

fn with_middleware(router: Router<AppState>, state: AppState) -> Router {
    let request_id = HeaderName::from_static(REQUEST_ID_HEADER);
    router
        .layer(axum::middleware::from_fn_with_state(state.clone(), require_origin))
        .layer(axum::middleware::from_fn(measure::requests))
        .layer(axum::middleware::from_fn(render_errors))
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(PropagateRequestIdLayer::new(request_id.clone()))
        .layer(TraceLayer::new_for_http().make_span_with(request_span))
        .layer(SetRequestIdLayer::new(request_id, MakeRequestUuid))
        // Request ids are ours alone: one a client sent would end up in our logs and answers.
        .layer(axum::middleware::map_request(|mut request: Request| async move {
            request.headers_mut().remove(REQUEST_ID_HEADER);
            request
        }))
        .with_state(state)
}

/// A request's span: in the logs, its method, path and id; in traces, its route (so that one
/// route's requests group together), its status, and the trace a `traceparent` header names.
fn request_span(request: &Request) -> tracing::Span {
    let id = request.headers().get(REQUEST_ID_HEADER).and_then(|v| v.to_str().ok()).unwrap_or_default();
    let route = request.extensions().get::<MatchedPath>().map_or("unmatched", |path| path.as_str());
    let span = tracing::info_span!(
        "request",
        method = %request.method(),
        path = %request.uri().path(),
        request_id = %id,
        otel.name = %format_args!("{} {route}", measure::method_label(request.method())),
        otel.kind = "server",
        otel.status_code = tracing::field::Empty,
        http.route = route,
        http.response.status_code = tracing::field::Empty,
    );
    crate::traces::continue_trace(&span, request.headers());
    span
}

/// The header CloudFront adds to every API request, carrying the origin secret.
pub const ORIGIN_SECRET_HEADER: &str = "x-origin-verify";

/// Behind CloudFront, answers only requests that came through it: they carry the origin
/// secret, which no viewer knows. The API gateway's own URL is then closed to everyone.
pub async fn require_origin(State(state): State<AppState>, request: Request, next: Next) -> Response {
    if let Some(secret) = &state.config.origin_secret {
        let presented = request.headers().get(ORIGIN_SECRET_HEADER).map(|v| v.as_bytes()).unwrap_or_default();
        // Compared as digests, so the time taken says nothing about the secret.
        if Sha256::digest(presented) != Sha256::digest(secret.expose().as_bytes()) {
            return ApiError::DirectAccessRefused.into_response();
        }
    }
    next.run(request).await
}

/// LiveKit data topic on which everyone gets the identities that may receive the room's
/// media; each client lets exactly those subscribe to its tracks.
pub const ROSTER_TOPIC: &str = "roster";

impl AppState {
    /// Counts a request against a limit. Rooms and joins must keep working when Redis is
    /// down, so an unreachable limiter lets the request through (and says so in the log).
    async fn rate_limit_or_allow(&self, key: &str, limit: RateLimit) -> ApiResult<()> {
        match self.limiter.check(key, limit).await {
            Ok(decision) => check_decision(key, decision),
            Err(error) => {
                tracing::warn!(key, error = format!("{error:#}"), "rate limiter unavailable; allowing request");
                Ok(())
            }
        }
    }

    /// Counts a request against a limit, refusing it (with `refused`) when the limiter cannot
    /// be asked: for routes whose cost a flood would pass on to another server.
    async fn rate_limit_or_refuse(
        &self,
        key: &str,
        limit: RateLimit,
        refused: impl FnOnce(anyhow::Error) -> ApiError,
    ) -> ApiResult<()> {
        match self.limiter.check(key, limit).await {
            Ok(decision) => check_decision(key, decision),
            Err(error) => Err(refused(error.context("rate limiter unavailable"))),
        }
    }

    /// Who may receive the room's media and data now.
    pub(super) async fn roster(&self, room: &RoomId) -> ApiResult<Roster> {
        Ok(self.roster_and_presence(room).await?.0)
    }

    /// The roster, and whether anyone is connected to LiveKit to receive it: one read.
    async fn roster_and_presence(&self, room: &RoomId) -> ApiResult<(Roster, bool)> {
        // Stamped before the read: a read that began before a change committed must not
        // carry a higher version than the update that change sends.
        let version = chrono::Utc::now().timestamp_micros();
        let audience = self.rooms.audience(room).await?;
        Ok((Roster { identities: audience.receivers, version }, audience.anyone_connected))
    }

    /// Sends the roster to everyone on it after it changed. Best effort: clients also get
    /// it with every token, and LiveKit is told to remove whoever left it.
    pub(super) async fn notify_roster(&self, room: &RoomId) {
        let result = async {
            let (roster, anyone_connected) =
                self.roster_and_presence(room).await.map_err(|e| anyhow::anyhow!("{e}"))?;
            if roster.identities.is_empty() || !anyone_connected {
                return Ok(());
            }
            let payload = serde_json::to_vec(&roster)?;
            self.media.send(room, ROSTER_TOPIC, payload, roster.identities).await
        }
        .await;
        if let Err(error) = result {
            tracing::warn!(room = %room, error = format!("{error:#}"), "roster update not delivered");
        }
    }

    /// Brings LiveKit and the clients in line with a step the store took: the new roster
    /// first, so everyone's clients stop serving media to whoever left it, then that person
    /// out of LiveKit, and the hosts' lobby if it changed.
    pub(super) async fn follow(&self, room: &RoomId, applied: &Applied) {
        let step = &applied.step;
        if step.unchanged {
            return;
        }
        if step.receiving != Count::Keep {
            self.notify_roster(room).await;
        }
        if step.receiving == Count::Free {
            self.disconnect(room, &applied.participant.id.to_string()).await;
            self.hand_down(room, &applied.participant.id).await;
        }
        if step.lobby == Count::Free {
            self.notify_lobby(room).await;
        }
    }

    /// Removes from the LiveKit room everyone it holds who is not on `roster`. Best effort:
    /// the next token call sweeps again.
    pub(super) async fn sweep(&self, room: &RoomId, roster: &[String]) {
        match self.media.present(room).await {
            Ok(present) => {
                for identity in present.iter().filter(|identity| !roster.contains(identity)) {
                    tracing::info!(room = %room, identity, "in LiveKit without a place on the roster; removing it");
                    self.disconnect(room, identity).await;
                }
            }
            Err(error) => tracing::warn!(room = %room, error = format!("{error:#}"), "LiveKit room not swept"),
        }
    }

    /// Takes someone out of the LiveKit room now. Best effort: if LiveKit is unreachable,
    /// the webhook reconciler removes them when they next connect.
    pub(super) async fn disconnect(&self, room: &RoomId, identity: &str) {
        if let Err(error) = self.media.remove(room, identity).await {
            tracing::warn!(room = %room, error = format!("{error:#}"), "removal from LiveKit failed");
        }
    }
}

fn check_decision(key: &str, decision: Decision) -> ApiResult<()> {
    match decision {
        Decision::Allowed => Ok(()),
        Decision::Limited { retry_after } => {
            measure::rate_limit_refused(key);
            Err(ApiError::RateLimited { retry_after_secs: retry_after.as_secs_f64().ceil().max(1.0) as u64 })
        }
    }
}
