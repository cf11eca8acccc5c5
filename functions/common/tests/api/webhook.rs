use crate::helpers::{TestApp, assert_error, spawn_app};
use base64::Engine;
use livekit_api::access_token::AccessToken;
use reqwest::StatusCode;
use serde_json::json;
use sha2::{Digest, Sha256};

/// Signs `body` the way LiveKit does: a JWT from the API key whose `sha256` claim covers the raw bytes.
fn signature(app: &TestApp, body: &str, secret: &str) -> String {
    let hash = base64::engine::general_purpose::STANDARD.encode(Sha256::digest(body.as_bytes()));
    AccessToken::with_api_key(&app.config.livekit.api_key, secret).with_sha256(&hash).to_jwt().unwrap()
}

async fn deliver(app: &TestApp, body: &str, authorization: &str) -> reqwest::Response {
    app.client
        .post(app.url("/api/livekit/webhook"))
        .header("content-type", "application/webhook+json")
        .header("authorization", authorization)
        .body(body.to_owned())
        .send()
        .await
        .unwrap()
}

fn event(kind: &str, room: &str, identity: &str, sid: &str) -> String {
    json!({"event": kind, "room": {"name": room}, "participant": {"identity": identity, "sid": sid}, "id": "EV_1", "createdAt": "1764132000"}).to_string()
}

async fn status_of(app: &TestApp, room: &str, id: &str) -> String {
    app.stored_status(room, id).await
}

#[tokio::test]
async fn signed_presence_events_track_who_is_connected() {
    let app = spawn_app().await;
    let secret = app.config.livekit.api_secret.expose().to_owned();
    let (room, _) = app.room(5).await;
    let ann = app.guest(&room, "Ann").await;

    let joined = event("participant_joined", &room, &ann.id, "PA_new");
    assert_eq!(deliver(&app, &joined, &signature(&app, &joined, &secret)).await.status(), StatusCode::OK);
    assert_eq!(status_of(&app, &room, &ann.id).await, "connected");

    // A departure of an older connection (replaced by a reload) leaves the slot alone.
    let stale = event("participant_left", &room, &ann.id, "PA_old");
    assert_eq!(deliver(&app, &stale, &signature(&app, &stale, &secret)).await.status(), StatusCode::OK);
    assert_eq!(app.participant_count(&room).await, 1);

    let left = event("participant_left", &room, &ann.id, "PA_new");
    assert_eq!(deliver(&app, &left, &signature(&app, &left, &secret)).await.status(), StatusCode::OK);
    assert_eq!(status_of(&app, &room, &ann.id).await, "left");
    assert_eq!(app.participant_count(&room).await, 0);
}

#[tokio::test]
async fn unsigned_forged_or_tampered_webhooks_are_401_and_change_nothing() {
    let app = spawn_app().await;
    let (room, _) = app.room(5).await;
    let ann = app.guest(&room, "Ann").await;
    let body = event("participant_joined", &room, &ann.id, "PA_1");

    let response = app.client.post(app.url("/api/livekit/webhook")).body(body.clone()).send().await.unwrap();
    assert_error(response, StatusCode::UNAUTHORIZED, "unauthorized").await;
    let forged = signature(&app, &body, "not-the-secret-but-long-enough-to-sign-with");
    assert_error(deliver(&app, &body, &forged).await, StatusCode::UNAUTHORIZED, "unauthorized").await;
    let real = signature(&app, &body, app.config.livekit.api_secret.expose());
    let tampered = body.replace("participant_joined", "participant_left");
    assert_error(deliver(&app, &tampered, &real).await, StatusCode::UNAUTHORIZED, "unauthorized").await;

    assert_eq!(status_of(&app, &room, &ann.id).await, "admitted");
}
