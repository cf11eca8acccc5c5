//! LiveKit adapter: tokens with least-privilege grants, `SendData`, and webhook verification.

use super::{IssuedToken, MediaEvent, MediaServer, TokenRequest, WebhookRejected};
use crate::config::LiveKitConfig;
use crate::domain::RoomId;
use anyhow::Context;
use async_trait::async_trait;
use livekit_api::access_token::{AccessToken, TokenVerifier, VideoGrants};
use livekit_api::services::room::{RoomClient, SendDataOptions};
use livekit_api::webhooks::WebhookReceiver;
use livekit_protocol::data_packet::Kind;
use std::time::Duration;

/// The only sources a participant may publish. Data publishing stays off: chat goes
/// through the API so the sender cannot be forged, and arrives as server-sent data.
const PUBLISH_SOURCES: [&str; 4] = ["camera", "microphone", "screen_share", "screen_share_audio"];

pub struct LiveKit {
    config: LiveKitConfig,
    rooms: RoomClient,
    webhooks: WebhookReceiver,
    timeout: Duration,
}

impl LiveKit {
    pub fn new(config: LiveKitConfig, timeout: Duration) -> Self {
        let rooms = RoomClient::with_api_key(&config.api_url, &config.api_key, config.api_secret.expose())
            .with_failover(false)
            .with_request_timeout(timeout);
        let webhooks = WebhookReceiver::new(TokenVerifier::with_api_key(&config.api_key, config.api_secret.expose()));
        Self { config, rooms, webhooks, timeout }
    }
}

#[async_trait]
impl MediaServer for LiveKit {
    fn room_token(&self, request: &TokenRequest<'_>) -> anyhow::Result<IssuedToken> {
        let grants = VideoGrants {
            room_join: true,
            room: request.room.to_string(),
            can_subscribe: Some(true),
            can_publish: Some(true),
            can_publish_data: Some(false),
            can_publish_sources: PUBLISH_SOURCES.iter().map(|s| s.to_string()).collect(),
            can_update_own_metadata: Some(false),
            ..Default::default()
        };
        let metadata = serde_json::json!({ "role": request.role.as_str() }).to_string();
        let token = AccessToken::with_api_key(&self.config.api_key, self.config.api_secret.expose())
            .with_identity(request.identity)
            .with_name(request.display_name.as_str())
            .with_metadata(&metadata)
            .with_ttl(self.config.token_ttl)
            .with_grants(grants)
            .to_jwt()
            .context("signing LiveKit token")?;
        let expires_at = chrono::Utc::now() + self.config.token_ttl;
        Ok(IssuedToken { token, url: self.config.public_url.clone(), expires_at })
    }

    async fn broadcast(&self, room: &RoomId, topic: &str, payload: Vec<u8>) -> anyhow::Result<()> {
        let options = SendDataOptions { kind: Kind::Reliable, topic: Some(topic.to_owned()), ..Default::default() };
        tokio::time::timeout(self.timeout, self.rooms.send_data(room.as_str(), payload, options))
            .await
            .context("LiveKit SendData timed out")?
            .context("LiveKit SendData failed")
    }

    fn verify_webhook(&self, body: &str, authorization: &str) -> Result<MediaEvent, WebhookRejected> {
        let token = authorization.strip_prefix("Bearer ").unwrap_or(authorization);
        let event = self.webhooks.receive(body, token).map_err(|e| WebhookRejected::BadSignature(e.to_string()))?;
        let room = event.room.as_ref().map(|r| r.name.clone()).unwrap_or_default();
        let participant = event.participant.as_ref().map(|p| (p.identity.clone(), p.sid.clone()));
        Ok(match (event.event.as_str(), participant) {
            ("participant_joined", Some((identity, sid))) => MediaEvent::ParticipantJoined { room, identity, sid },
            ("participant_left", Some((identity, sid))) => MediaEvent::ParticipantLeft { room, identity, sid },
            ("room_finished", _) => MediaEvent::RoomFinished { room },
            (other, _) => MediaEvent::Other(other.to_owned()),
        })
    }
}
