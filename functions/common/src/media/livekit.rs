//! LiveKit adapter: tokens with least-privilege grants, `SendData`, and webhook verification.

use super::{Delivery, IssuedToken, MediaEvent, MediaServer, TokenRequest, TrackSource, WebhookRejected};
use crate::config::{LiveKitConfig, Secret};
use crate::domain::{Role, RoomId};
use crate::http::measure;
use anyhow::Context;
use async_trait::async_trait;
use livekit_api::access_token::{AccessToken, TokenVerifier, VideoGrants};
use livekit_api::services::ServiceResult;
use livekit_api::services::room::{CreateRoomOptions, RoomClient, SendDataOptions, UpdateParticipantOptions};
use livekit_api::webhooks::WebhookReceiver;
use livekit_protocol as proto;
use livekit_protocol::data_packet::Kind;
use std::sync::Arc;
use std::time::Duration;

/// The only sources a participant may publish. Data publishing stays off: chat goes
/// through the API so the sender cannot be forged, and arrives as server-sent data.
const PUBLISH_SOURCES: [&str; 4] = ["camera", "microphone", "screen_share", "screen_share_audio"];

/// How long a room the backend opened waits for its first participant, and how long it
/// outlives its last one, before LiveKit closes it (a new token opens it again).
const EMPTY_TIMEOUT_SECS: u32 = 300;
const DEPARTURE_TIMEOUT_SECS: u32 = 20;

/// Connection-check rooms: no meeting id has this shape (see `RoomId::parse`), so the webhook
/// receiver ignores them. Only the camera and microphone, as in a meeting, for one person.
const CHECK_ROOM_PREFIX: &str = "check-";
const CHECK_SOURCES: [&str; 2] = ["camera", "microphone"];
/// Long enough for every step of the check, each of which connects anew with the same token.
const CHECK_TOKEN_TTL: Duration = Duration::from_secs(300);
const CHECK_EMPTY_TIMEOUT_SECS: u32 = 60;
/// A connected check client keeps getting fresh tokens from LiveKit, so a room that empties
/// never would live on: the next check closes every check room older than this.
const CHECK_ROOM_LIFETIME_SECS: i64 = 600;
/// Each step leaves the room before the next enters: the room must outlive the gap.
const CHECK_DEPARTURE_TIMEOUT_SECS: u32 = 30;

pub struct LiveKit {
    config: LiveKitConfig,
    secret: Secret,
    rooms: Arc<RoomClient>,
    /// For the calls made without the SDK (`mute_published_track`).
    http: reqwest::Client,
    webhooks: WebhookReceiver,
    timeout: Duration,
}

impl LiveKit {
    pub fn new(config: LiveKitConfig, secret: Secret, timeout: Duration) -> Self {
        let rooms = Arc::new(
            RoomClient::with_api_key(&config.api_url, &config.api_key, secret.expose())
                .with_failover(false)
                .with_request_timeout(timeout),
        );
        let webhooks = WebhookReceiver::new(TokenVerifier::with_api_key(&config.api_key, secret.expose()));
        Self { config, secret, rooms, http: http_client(timeout), webhooks, timeout }
    }
}

/// An HTTP client as the SDK's: TLS on ring, trusting the web's public roots.
fn http_client(timeout: Duration) -> reqwest::Client {
    let mut roots = rustls::RootCertStore::empty();
    roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let tls = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .expect("ring supports rustls' default protocol versions")
        .with_root_certificates(roots)
        .with_no_client_auth();
    reqwest::Client::builder()
        .timeout(timeout)
        .tls_backend_preconfigured(tls)
        .build()
        .expect("an HTTP client without settings that could fail")
}

impl LiveKit {
    /// Runs one server API call within the dependency budget.
    async fn within<T>(&self, what: &str, call: impl Future<Output = ServiceResult<T>>) -> anyhow::Result<T> {
        let call = async {
            tokio::time::timeout(self.timeout, call)
                .await
                .with_context(|| format!("LiveKit {what} timed out"))
                .and_then(|answer| answer.with_context(|| format!("LiveKit {what} failed")))
        };
        measure::dependency("livekit", what, call, Result::is_ok).await
    }
}

impl LiveKit {
    /// LiveKit's `MutePublishedTrack`, called over its Twirp API here rather than through the
    /// SDK: when the track went away meanwhile, LiveKit answers success without a track, and
    /// the SDK's call unwraps it, a panic that would stop the whole function (release builds
    /// abort on panic). Whether the track was there to mute.
    async fn mute_published_track(&self, request: proto::MuteRoomTrackRequest) -> anyhow::Result<bool> {
        let grants = VideoGrants { room_admin: true, room: request.room.clone(), ..Default::default() };
        let token = AccessToken::with_api_key(&self.config.api_key, self.secret.expose())
            .with_grants(grants)
            .with_ttl(Duration::from_secs(60))
            .to_jwt()
            .context("signing LiveKit's admin token")?;
        let url = format!("{}/twirp/livekit.RoomService/MutePublishedTrack", self.config.api_url.trim_end_matches('/'));
        let answer = self
            .http
            .post(url)
            .bearer_auth(token)
            .header(reqwest::header::CONTENT_TYPE, "application/protobuf")
            .body(prost::Message::encode_to_vec(&request))
            .send()
            .await
            .context("LiveKit MutePublishedTrack failed")?;
        // Twirp's `not_found` (the participant or the track is gone).
        if answer.status() == reqwest::StatusCode::NOT_FOUND {
            return Ok(false);
        }
        if !answer.status().is_success() {
            let status = answer.status();
            let body = answer.text().await.unwrap_or_default();
            anyhow::bail!("LiveKit MutePublishedTrack failed: {status} {body}");
        }
        let body = answer.bytes().await.context("LiveKit MutePublishedTrack failed")?;
        let answer: proto::MuteRoomTrackResponse =
            prost::Message::decode(body).context("LiveKit MutePublishedTrack answered something else")?;
        Ok(answer.track.is_some())
    }

    async fn close_old_check_rooms(&self) -> anyhow::Result<()> {
        let cutoff = chrono::Utc::now().timestamp() - CHECK_ROOM_LIFETIME_SECS;
        let rooms = self.within("ListRooms", self.rooms.list_rooms(Vec::new())).await?;
        for room in rooms.iter().filter(|r| r.name.starts_with(CHECK_ROOM_PREFIX) && r.creation_time < cutoff) {
            ignore_not_found(self.within("DeleteRoom", self.rooms.delete_room(&room.name)).await)?;
        }
        Ok(())
    }
}

fn role_metadata(role: Role) -> String {
    serde_json::json!({ "role": role.as_str() }).to_string()
}

/// Twirp's `not_found`: the participant or room is not (or no longer) in LiveKit.
fn is_not_found(error: &anyhow::Error) -> bool {
    error.chain().any(|cause| {
        let text = cause.to_string();
        text.contains("not_found") || text.contains("not found") || text.contains("does not exist")
    })
}

fn ignore_not_found(result: anyhow::Result<()>) -> anyhow::Result<()> {
    match result {
        Err(e) if is_not_found(&e) => Ok(()),
        other => other,
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
        let metadata = role_metadata(request.role);
        let token = AccessToken::with_api_key(&self.config.api_key, self.secret.expose())
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

    async fn check_room(&self) -> anyhow::Result<IssuedToken> {
        if let Err(error) = self.close_old_check_rooms().await {
            tracing::warn!(error = format!("{error:#}"), "closing old connection-check rooms");
        }
        let room = format!("{CHECK_ROOM_PREFIX}{}", uuid::Uuid::new_v4().simple());
        let options = CreateRoomOptions {
            empty_timeout: CHECK_EMPTY_TIMEOUT_SECS,
            departure_timeout: CHECK_DEPARTURE_TIMEOUT_SECS,
            max_participants: 1,
            ..Default::default()
        };
        self.within("CreateRoom", self.rooms.create_room(&room, options)).await?;
        // Nothing else is in the room, so subscribing gives nothing; LiveKit's client only
        // sets up its media connection at once when it may subscribe.
        let grants = VideoGrants {
            room_join: true,
            room: room.clone(),
            can_subscribe: Some(true),
            can_publish: Some(true),
            can_publish_data: Some(false),
            can_publish_sources: CHECK_SOURCES.iter().map(|s| s.to_string()).collect(),
            can_update_own_metadata: Some(false),
            ..Default::default()
        };
        let token = AccessToken::with_api_key(&self.config.api_key, self.secret.expose())
            .with_identity(&room)
            .with_ttl(CHECK_TOKEN_TTL)
            .with_grants(grants)
            .to_jwt()
            .context("signing connection-check token")?;
        let expires_at = chrono::Utc::now() + CHECK_TOKEN_TTL;
        Ok(IssuedToken { token, url: self.config.public_url.clone(), expires_at })
    }

    async fn open(&self, room: &RoomId, max_participants: i32) -> anyhow::Result<()> {
        let options = CreateRoomOptions {
            empty_timeout: EMPTY_TIMEOUT_SECS,
            departure_timeout: DEPARTURE_TIMEOUT_SECS,
            max_participants: u32::try_from(max_participants).context("max_participants")?,
            ..Default::default()
        };
        self.within("CreateRoom", self.rooms.create_room(room.as_str(), options)).await.map(|_| ())
    }

    async fn send(&self, room: &RoomId, topic: &str, payload: Vec<u8>, to: Vec<String>) -> anyhow::Result<()> {
        let options = SendDataOptions {
            kind: Kind::Reliable,
            topic: Some(topic.to_owned()),
            destination_identities: to,
            ..Default::default()
        };
        let sent = self.within("SendData", self.rooms.send_data(room.as_str(), payload, options)).await;
        measure::fanout(topic, sent.is_ok());
        sent
    }

    async fn remove(&self, room: &RoomId, identity: &str) -> anyhow::Result<()> {
        let removal = self.rooms.remove_participant(room.as_str(), identity);
        ignore_not_found(self.within("RemoveParticipant", removal).await)
    }

    async fn mute(&self, room: &RoomId, identity: &str, source: TrackSource) -> anyhow::Result<bool> {
        let wanted = match source {
            TrackSource::Microphone => proto::TrackSource::Microphone,
            TrackSource::Camera => proto::TrackSource::Camera,
            TrackSource::ScreenShare => proto::TrackSource::ScreenShare,
        };
        let participant = match self.within("GetParticipant", self.rooms.get_participant(room.as_str(), identity)).await
        {
            Ok(participant) => participant,
            Err(e) if is_not_found(&e) => return Ok(false),
            Err(e) => return Err(e),
        };
        let Some(track) = participant.tracks.iter().find(|t| t.source == wanted as i32) else { return Ok(false) };
        let request = proto::MuteRoomTrackRequest {
            room: room.to_string(),
            identity: identity.to_owned(),
            track_sid: track.sid.clone(),
            muted: true,
        };
        let muting = tokio::time::timeout(self.timeout, self.mute_published_track(request));
        let muted = measure::dependency("livekit", "MutePublishedTrack", muting, |r| matches!(r, Ok(Ok(_)))).await;
        muted.context("LiveKit MutePublishedTrack timed out")?
    }

    async fn set_role(&self, room: &RoomId, identity: &str, role: Role) -> anyhow::Result<()> {
        let options = UpdateParticipantOptions { metadata: role_metadata(role), ..Default::default() };
        let update = self.rooms.update_participant(room.as_str(), identity, options);
        ignore_not_found(self.within("UpdateParticipant", update).await.map(|_| ()))
    }

    async fn close(&self, room: &RoomId) -> anyhow::Result<()> {
        ignore_not_found(self.within("DeleteRoom", self.rooms.delete_room(room.as_str())).await)
    }

    async fn present(&self, room: &RoomId) -> anyhow::Result<Vec<String>> {
        match self.within("ListParticipants", self.rooms.list_participants(room.as_str())).await {
            Ok(participants) => Ok(participants.into_iter().map(|p| p.identity).collect()),
            Err(e) if is_not_found(&e) => Ok(Vec::new()),
            Err(e) => Err(e),
        }
    }

    fn verify_webhook(&self, body: &str, authorization: &str) -> Result<Delivery, WebhookRejected> {
        let token = authorization.strip_prefix("Bearer ").unwrap_or(authorization);
        let event = self.webhooks.receive(body, token).map_err(|e| WebhookRejected::BadSignature(e.to_string()))?;
        let room = event.room.as_ref().map(|r| r.name.clone()).unwrap_or_default();
        let participant = event.participant.as_ref().map(|p| (p.identity.clone(), p.sid.clone()));
        let kind = match (event.event.as_str(), participant) {
            ("participant_joined", Some((identity, sid))) => MediaEvent::ParticipantJoined { room, identity, sid },
            ("participant_left", Some((identity, sid))) => MediaEvent::ParticipantLeft { room, identity, sid },
            ("room_started", _) => MediaEvent::RoomStarted { room },
            ("room_finished", _) => MediaEvent::RoomFinished { room },
            (other, _) => MediaEvent::Other(other.to_owned()),
        };
        Ok(Delivery { id: event.id, event: kind })
    }
}
