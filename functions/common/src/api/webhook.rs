//! Body of LiveKit's webhook answer (`http/webhook.rs`). LiveKit only reads the status code;
//! the body says which way the delivery went, for whoever reads the logs of a retry.

use serde::Serialize;
use utoipa::ToSchema;

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Delivery {
    /// Verified and applied.
    Ok,
    /// A retry of a delivery already applied; nothing was done twice.
    Duplicate,
}

#[derive(Serialize, ToSchema)]
pub struct WebhookAnswer {
    pub status: Delivery,
}
