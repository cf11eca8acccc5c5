//! The error answers routes share, as named OpenAPI responses. Every one has the body
//! [`crate::error::ErrorBody`]; the codes each status carries are in [`crate::error::ApiError`].

use utoipa::ToResponse;
use utoipa::openapi::header::HeaderBuilder;
use utoipa::openapi::response::{Response, ResponseBuilder};
use utoipa::openapi::schema::{ObjectBuilder, Type};
use utoipa::openapi::{ContentBuilder, Ref, RefOr};

fn error_answer(description: &str) -> ResponseBuilder {
    let body = ContentBuilder::new().schema(Some(Ref::from_schema_name("Error"))).build();
    ResponseBuilder::new().description(description).content("application/json", body)
}

/// The `Retry-After` header of a refusal that passes with time.
fn retry_after() -> utoipa::openapi::header::Header {
    HeaderBuilder::new()
        .schema(Some(ObjectBuilder::new().schema_type(Type::Integer).minimum(Some(1))))
        .description(Some("Seconds until the request may be retried."))
        .build()
}

macro_rules! error_responses {
    ($($name:ident: $description:literal),* $(,)?) => {$(
        pub struct $name;

        impl<'r> ToResponse<'r> for $name {
            fn response() -> (&'r str, RefOr<Response>) {
                (stringify!($name), error_answer($description).build().into())
            }
        }
    )*};
}

error_responses! {
    BadRequest: "The body is not valid JSON (`invalid_json`).",
    Unauthorized: "Missing, invalid or expired session, or one for another room (`unauthorized`).",
    Forbidden: "Refused for this caller (see the code).",
    NotFound: "No such room, or no such participant in it.",
    Conflict: "The room is full, the lobby is full, or the participant is not in a state the action applies to.",
    Gone: "The meeting has ended (`room_ended`).",
    TooLarge: "The body is larger than the route accepts (`payload_too_large`).",
    UnsupportedMediaType: "The body is not sent as JSON (`unsupported_media_type`).",
    Unprocessable: "A field is missing or invalid (`validation_failed`), or plain text was sent to an end-to-end \
        encrypted room (`encryption_required`).",
    ChatUnavailable: "The chat store is unreachable (`chat_unavailable`); the meeting keeps working.",
    HandsUnavailable: "The store of raised hands is unreachable (`hands_unavailable`); the meeting keeps working.",
    Unavailable: "LiveKit is not reachable (`media_unavailable`), or too many people are changing the room at \
        once (`busy`, with `Retry-After`); try again in a moment.",
}

pub struct RateLimited;

impl<'r> ToResponse<'r> for RateLimited {
    fn response() -> (&'r str, RefOr<Response>) {
        let answer = error_answer("Too many requests (`rate_limited`).").header("Retry-After", retry_after());
        ("RateLimited", answer.build().into())
    }
}
