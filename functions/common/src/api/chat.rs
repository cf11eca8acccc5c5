//! Bodies of the routes in `http/chat.rs`. A message is stored, listed and fanned out in one
//! shape, [`Message`], which the chat log defines.

pub use crate::chat::{Encrypted, Message, Page, Sender};
use crate::domain::ChatText;
use serde::{Deserialize, Serialize};
use utoipa::openapi::RefOr;
use utoipa::openapi::schema::{ObjectBuilder, Schema, Type};
use utoipa::{IntoParams, ToSchema};

/// A message as sent. Read with both fields optional, so that a body with neither, both, or
/// the wrong one for the room is a 422 naming the field (`chat::Body::parse`); the contract
/// publishes [`SendMessageContract`], which says "exactly one".
#[derive(Deserialize)]
pub struct SendMessage {
    pub text: Option<String>,
    pub encrypted: Option<Encrypted>,
    pub client_id: Option<String>,
}

/// `text` in a room that is not end-to-end encrypted, `encrypted` (sealed in the browser) in one
/// that is.
#[derive(Deserialize, ToSchema)]
#[schema(as = SendMessage)]
#[serde(untagged)]
#[allow(dead_code)] // The published shape of `SendMessage`; never read.
pub enum SendMessageContract {
    Text {
        #[schema(value_type = ChatText)]
        text: String,
        #[schema(value_type = Option<crate::chat::ClientMessageId>)]
        client_id: Option<String>,
    },
    Encrypted {
        encrypted: Encrypted,
        #[schema(value_type = Option<crate::chat::ClientMessageId>)]
        client_id: Option<String>,
    },
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
