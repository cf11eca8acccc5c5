//! Bodies of the routes in `http/chat.rs`. A message is stored, listed and fanned out in one
//! shape, [`Message`], which the chat log defines.

pub use crate::chat::{Encrypted, Message, Page, Sender};
use crate::domain::ChatText;
use serde::{Deserialize, Serialize};
use utoipa::openapi::RefOr;
use utoipa::openapi::schema::{ObjectBuilder, Schema, Type};
use utoipa::{IntoParams, ToSchema};

/// One of `text` (a room that is not end-to-end encrypted) and `encrypted` (one that is).
#[derive(Deserialize, ToSchema)]
pub struct SendMessage {
    #[schema(value_type = Option<ChatText>, nullable = false)]
    pub text: Option<String>,
    #[schema(nullable = false)]
    pub encrypted: Option<Encrypted>,
    #[schema(value_type = Option<crate::chat::ClientMessageId>)]
    pub client_id: Option<String>,
}

/// Stored (or, for a repeated `client_id`, the message stored before).
#[derive(Serialize, ToSchema)]
pub struct MessageSent {
    pub message: Message,
}

/// Both taken as text, so that a bad value is a 422 that names the field.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListQuery {
    /// Return messages after this id.
    #[param(value_type = Option<crate::chat::MessageId>)]
    pub after: Option<String>,
    #[param(schema_with = page_size_schema)]
    pub limit: Option<String>,
}

pub const DEFAULT_PAGE: usize = 50;
pub const MAX_PAGE: usize = 100;

fn page_size_schema() -> RefOr<Schema> {
    ObjectBuilder::new()
        .schema_type(Type::Integer)
        .minimum(Some(1))
        .maximum(Some(MAX_PAGE))
        .default(Some(DEFAULT_PAGE.into()))
        .into()
}
