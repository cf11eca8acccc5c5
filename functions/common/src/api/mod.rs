//! The public API's contract: every route's request and response bodies, in the file named
//! like its handler's in `http/` (the handler for `POST /rooms` is `http/rooms.rs`, its bodies
//! are in `api/rooms.rs`), and the OpenAPI document made from them and from the handlers'
//! `#[utoipa::path]` annotations. `openapi.yaml` at the top of the repository is this
//! document, committed; `tests/api/openapi.rs` fails when it is not current, and the web app's
//! types are generated from it.

pub mod chat;
pub mod connection_check;
pub mod hands;
pub mod moderation;
pub mod participants;
pub mod reactions;
pub mod responses;
pub mod rooms;
pub mod telemetry;
pub mod token;
pub mod webhook;

pub use crate::error::{ErrorBody, ErrorCode, ErrorDetail};
use crate::http;
use serde::Serialize;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi, ToSchema};

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Up {
    Ok,
}

/// The service answers.
#[derive(Serialize, ToSchema)]
pub struct Health {
    pub status: Up,
}

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Meetings API",
        version = "1.0.0",
        description = "Create a room, join it, get a LiveKit token, and chat. Every error is \
            `{\"error\": {\"code\", \"message\", \"request_id\"}}`; `code` is stable, `message` is for people. \
            Session-bound routes take `Authorization: Bearer <session_token>` from the join answer. \
            Each operation's tag names the function that serves it."
    ),
    servers((url = "http://localhost:8080", description = "`make dev`")),
    paths(
        http::health,
        http::rooms::create,
        http::rooms::show,
        http::participants::join,
        http::participants::leave,
        http::moderation::me,
        http::moderation::participants,
        http::hands::list,
        http::hands::raise,
        http::hands::lower,
        http::token::issue,
        http::connection_check::issue,
        http::telemetry::report,
        http::chat::send,
        http::chat::list,
        http::reactions::send,
        http::moderation::update_room,
        http::moderation::end,
        http::hands::lower_by_host,
        http::moderation::lobby,
        http::moderation::actions,
        http::moderation::admit,
        http::moderation::deny,
        http::moderation::kick,
        http::moderation::ban,
        http::moderation::promote,
        http::moderation::mute,
        http::webhook::receive,
    ),
    components(
        schemas(ErrorBody),
        responses(
            responses::BadRequest,
            responses::Unauthorized,
            responses::Forbidden,
            responses::NotFound,
            responses::Conflict,
            responses::Gone,
            responses::TooLarge,
            responses::UnsupportedMediaType,
            responses::Unprocessable,
            responses::RateLimited,
            responses::ChatUnavailable,
            responses::HandsUnavailable,
            responses::Unavailable,
        )
    ),
    modifiers(&Session)
)]
struct Document;

/// The `session` security scheme the session-bound routes name.
struct Session;

impl Modify for Session {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        let bearer = HttpBuilder::new()
            .scheme(HttpAuthScheme::Bearer)
            .description(Some("`session_token` from the join answer."));
        components.add_security_scheme("session", SecurityScheme::Http(bearer.build()));
    }
}

/// The whole OpenAPI document.
pub fn document() -> utoipa::openapi::OpenApi {
    Document::openapi()
}
