use crate::helpers::{TestApp, assert_error, presence_event, spawn_app, spawn_app_with};
use reqwest::StatusCode;
use serde_json::{Value, json};

async fn status_of(app: &TestApp, room: &str, id: &str) -> String {
    app.stored_status(room, id).await
}

#[tokio::test]
async fn signed_presence_events_track_who_is_connected() {
    let app = spawn_app().await;
    let (room, _) = app.room(5).await;
    let ann = app.guest(&room, "Ann").await;

    app.livekit_event("participant_joined", &room, &ann.id, "PA_new").await;
    assert_eq!(status_of(&app, &room, &ann.id).await, "connected");

    // A departure of an older connection (replaced by a reload) leaves the slot alone.
    app.livekit_event("participant_left", &room, &ann.id, "PA_old").await;
    assert_eq!(app.participant_count(&room).await, 1);

    app.livekit_event("participant_left", &room, &ann.id, "PA_new").await;
    assert_eq!(status_of(&app, &room, &ann.id).await, "left");
    assert_eq!(app.participant_count(&room).await, 0);
}

/// LiveKit restarted (or lost the room) while people were in it: no participant_left ever
/// comes. When the room is opened again, whoever LiveKit does not hold keeps their place for
/// the connect grace period, and loses it after.
#[tokio::test]
async fn a_room_livekit_opens_afresh_releases_whoever_it_does_not_hold_after_the_grace_period() {
    // Long enough for the five calls below even on the local DynamoDB under the other tests' load.
    let grace = std::time::Duration::from_secs(4);
    let app = spawn_app_with(|c| c.connect_grace = grace).await;
    let (room, _) = app.room(2).await;
    let ann = app.guest(&room, "Ann").await;
    app.livekit_event("participant_joined", &room, &ann.id, "PA_before_restart").await;
    // Ben has his slot and a token, and keeps connecting: he is no one LiveKit dropped.
    let ben = app.guest(&room, "Ben").await;
    app.livekit_event("participant_joined", &room, &ben.id, "PA_ben").await;
    let full = app.join(&room, json!({"display_name": "Cy"})).await;
    assert_error(full, StatusCode::CONFLICT, "room_full").await;

    // The room in LiveKit is empty (it does not even exist here): Ann and Ben are not in it.
    app.livekit_event("room_started", &room, "", "").await;
    assert_eq!(status_of(&app, &room, &ann.id).await, "admitted", "Ann's place waits for her");
    // Ben comes back within the grace period and is counted again; Ann does not.
    app.livekit_event("participant_joined", &room, &ben.id, "PA_ben_again").await;
    assert_eq!(status_of(&app, &room, &ben.id).await, "connected");
    let still_full = app.join(&room, json!({"display_name": "Cy"})).await;
    assert_error(still_full, StatusCode::CONFLICT, "room_full").await;

    tokio::time::sleep(grace + std::time::Duration::from_millis(500)).await;
    assert_eq!(app.participant_count(&room).await, 1, "only Ben");
    let cy = app.join(&room, json!({"display_name": "Cy"})).await;
    assert_eq!(cy.status(), StatusCode::CREATED);
}

#[tokio::test]
async fn a_replayed_delivery_or_a_departed_connection_arriving_late_changes_nothing() {
    let app = spawn_app().await;
    let (room, _) = app.room(2).await;
    let ann = app.guest(&room, "Ann").await;
    let joined = app.livekit_event("participant_joined", &room, &ann.id, "PA_1").await;
    app.livekit_event("participant_left", &room, &ann.id, "PA_1").await;
    assert_eq!(app.participant_count(&room).await, 0);

    // The very same delivery again (LiveKit retries), then the same arrival under a new
    // event id: neither brings back a connection that is gone.
    let signed = app.webhook_signature(
        &joined,
        app.config.livekit.api_secret.as_ref().expect("the test stack has a LiveKit secret").expose(),
    );
    assert_eq!(app.deliver(&joined, &signed).await.status(), StatusCode::OK);
    app.livekit_event("participant_joined", &room, &ann.id, "PA_1").await;
    assert_eq!(status_of(&app, &room, &ann.id).await, "left");
    assert_eq!(app.participant_count(&room).await, 0);

    // Two others take both slots; Ann's real reconnection now finds no slot and stays out.
    let (bob, cat) = (app.guest(&room, "Bob").await, app.guest(&room, "Cat").await);
    app.livekit_event("participant_joined", &room, &ann.id, "PA_2").await;
    assert_eq!(status_of(&app, &room, &ann.id).await, "left");
    assert_eq!(app.participant_count(&room).await, 2);
    for p in [&bob, &cat] {
        assert_eq!(status_of(&app, &room, &p.id).await, "admitted");
    }
}

#[tokio::test]
async fn a_connection_after_a_kick_or_a_leave_changes_nothing_in_the_store() {
    let app = spawn_app().await;
    let (room, _, host) = app.room_with_host(5, false).await;
    let (ann, bob) = (app.guest(&room, "Ann").await, app.guest(&room, "Bob").await);
    app.livekit_event("participant_joined", &room, &ann.id, "PA_a1").await;
    assert_eq!(app.moderate(&room, &host.session, &ann.id, "kick").await.status(), StatusCode::OK);
    app.livekit_event("participant_joined", &room, &ann.id, "PA_a2").await;
    assert_eq!(status_of(&app, &room, &ann.id).await, "kicked");

    assert_eq!(
        app.post_authed(&format!("/api/rooms/{room}/leave"), &bob.session, None).await.status(),
        StatusCode::NO_CONTENT
    );
    app.livekit_event("participant_joined", &room, &bob.id, "PA_b1").await;
    assert_eq!(status_of(&app, &room, &bob.id).await, "left");
    assert_eq!(app.participant_count(&room).await, 1, "only the host");
}

#[tokio::test]
async fn unsigned_forged_or_tampered_webhooks_are_401_and_change_nothing() {
    let app = spawn_app().await;
    let (room, _) = app.room(5).await;
    let ann = app.guest(&room, "Ann").await;
    let body = presence_event("participant_joined", &room, &ann.id, "PA_1");

    let response = app.client.post(app.url("/api/livekit/webhook")).body(body.clone()).send().await.unwrap();
    assert_error(response, StatusCode::UNAUTHORIZED, "unauthorized").await;
    let forged = app.webhook_signature(&body, "not-the-secret-but-long-enough-to-sign-with");
    assert_error(app.deliver(&body, &forged).await, StatusCode::UNAUTHORIZED, "unauthorized").await;
    let real = app.webhook_signature(
        &body,
        app.config.livekit.api_secret.as_ref().expect("the test stack has a LiveKit secret").expose(),
    );
    let tampered = body.replace("participant_joined", "participant_left");
    assert_error(app.deliver(&tampered, &real).await, StatusCode::UNAUTHORIZED, "unauthorized").await;

    assert_eq!(status_of(&app, &room, &ann.id).await, "admitted");
}

#[tokio::test]
async fn a_signed_delivery_without_an_id_is_processed_each_time_and_shadows_nothing() {
    let app = spawn_app().await;
    let (room, _) = app.room(3).await;
    let ann = app.guest(&room, "Ann").await;
    let secret =
        app.config.livekit.api_secret.as_ref().expect("the test stack has a LiveKit secret").expose().to_owned();
    for (kind, sid) in [("participant_joined", "PA_a"), ("participant_left", "PA_a"), ("participant_joined", "PA_b")] {
        let mut event: Value = serde_json::from_str(&presence_event(kind, &room, &ann.id, sid)).unwrap();
        event["id"] = json!("");
        let body = event.to_string();
        let response = app.deliver(&body, &app.webhook_signature(&body, &secret)).await;
        assert_eq!(response.status(), StatusCode::OK, "{kind}");
        assert_eq!(response.json::<Value>().await.unwrap()["status"], "ok", "{kind} was processed");
    }
    let me = app.get(&format!("/api/rooms/{room}/me"), Some(&ann.session)).await.json::<Value>().await.unwrap();
    assert_eq!(me["participant"]["status"], "connected", "the last delivery counted too");
    // A delivery with an id is still de-duplicated after those.
    let body = app.livekit_event("participant_left", &room, &ann.id, "PA_b").await;
    let again = app.deliver(&body, &app.webhook_signature(&body, &secret)).await;
    assert_eq!(again.json::<Value>().await.unwrap()["status"], "duplicate");
}
