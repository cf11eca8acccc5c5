use crate::helpers::{assert_error, joined, spawn_app};
use livekit_api::access_token::TokenVerifier;
use reqwest::StatusCode;
use serde_json::{Value, json};

#[tokio::test]
async fn an_admitted_participant_gets_a_short_lived_token_for_their_room_only() {
    let app = spawn_app().await;
    let (room, host_key) = app.room(5).await;
    let host = joined(app.join(&room, json!({"display_name": "Héloïse", "host_key": host_key})).await).await;
    let response = app.post_authed(&format!("/api/rooms/{room}/token"), &host.session, None).await;
    assert_eq!(response.status(), StatusCode::OK);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["livekit_url"], app.config.livekit.public_url);

    let lk = &app.config.livekit;
    let claims = TokenVerifier::with_api_key(&lk.api_key, lk.api_secret.as_ref().unwrap().expose())
        .verify(body["token"].as_str().unwrap())
        .unwrap();
    assert_eq!(claims.sub, host.id, "identity is the participant id");
    assert_eq!(claims.name, "Héloïse");
    assert_eq!(serde_json::from_str::<Value>(&claims.metadata).unwrap(), json!({"role": "host"}));
    let grants = &claims.video;
    assert!(grants.room_join);
    assert_eq!(grants.room, room);
    assert!(!grants.room_admin && !grants.room_create && !grants.room_list && !grants.room_record);
    assert_eq!(grants.can_subscribe, Some(true));
    assert_eq!(grants.can_publish_data, Some(false), "chat goes through the API");
    let mut sources = grants.can_publish_sources.clone();
    sources.sort();
    assert_eq!(sources, ["camera", "microphone", "screen_share", "screen_share_audio"]);

    let lifetime = claims.exp as i64 - chrono::Utc::now().timestamp();
    assert!((540..=600).contains(&lifetime), "about ten minutes, got {lifetime}s");
    let expires_at = chrono::DateTime::parse_from_rfc3339(body["expires_at"].as_str().unwrap()).unwrap();
    assert!((expires_at.timestamp() - claims.exp as i64).abs() <= 2);
}

#[tokio::test]
async fn a_token_needs_a_valid_session_for_that_room() {
    let app = spawn_app().await;
    let (room, _) = app.room(5).await;
    let (other_room, _) = app.room(5).await;
    let ann = app.guest(&room, "Ann").await;
    let token_url = format!("/api/rooms/{room}/token");

    let missing = app.client.post(app.url(&token_url)).send().await.unwrap();
    assert_error(missing, StatusCode::UNAUTHORIZED, "unauthorized").await;
    assert_error(app.post_authed(&token_url, "forged-session", None).await, StatusCode::UNAUTHORIZED, "unauthorized")
        .await;
    let elsewhere = app.post_authed(&format!("/api/rooms/{other_room}/token"), &ann.session, None).await;
    assert_error(elsewhere, StatusCode::UNAUTHORIZED, "unauthorized").await;
}

#[tokio::test]
async fn an_expired_session_is_401() {
    let app = crate::helpers::spawn_app_with(|c| c.session_ttl = std::time::Duration::from_secs(1)).await;
    let (room, _) = app.room(5).await;
    let ann = app.guest(&room, "Ann").await;
    tokio::time::sleep(std::time::Duration::from_millis(1200)).await;
    let response = app.post_authed(&format!("/api/rooms/{room}/token"), &ann.session, None).await;
    assert_error(response, StatusCode::UNAUTHORIZED, "unauthorized").await;
}

#[tokio::test]
async fn a_participant_who_dropped_out_gets_their_slot_back_with_a_new_token_if_one_is_free() {
    let app = spawn_app().await;
    let (room, _) = app.room(2).await;
    let ann = app.guest(&room, "Ann").await;
    app.livekit_event("participant_joined", &room, &ann.id, "PA_1").await;
    app.livekit_event("participant_left", &room, &ann.id, "PA_1").await;
    assert_eq!(app.participant_count(&room).await, 0);
    let response = app.post_authed(&format!("/api/rooms/{room}/token"), &ann.session, None).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(app.participant_count(&room).await, 1);

    // Dropped again while two others took both slots: no token, and nobody is pushed out.
    app.livekit_event("participant_joined", &room, &ann.id, "PA_2").await;
    app.livekit_event("participant_left", &room, &ann.id, "PA_2").await;
    app.guest(&room, "Bob").await;
    app.guest(&room, "Cat").await;
    let response = app.post_authed(&format!("/api/rooms/{room}/token"), &ann.session, None).await;
    assert_error(response, StatusCode::CONFLICT, "room_full").await;
    assert_eq!(app.participant_count(&room).await, 2);
}

#[tokio::test]
async fn leaving_ends_the_session_so_coming_back_is_a_new_join() {
    let app = spawn_app().await;
    let (room, _, host) = app.room_with_host(5, false).await;
    let ann = app.guest(&room, "Ann").await;
    let left = app.post_authed(&format!("/api/rooms/{room}/leave"), &ann.session, None).await;
    assert_eq!(left.status(), StatusCode::NO_CONTENT);
    let token = app.post_authed(&format!("/api/rooms/{room}/token"), &ann.session, None).await;
    assert_error(token, StatusCode::UNAUTHORIZED, "unauthorized").await;

    // Rejoining with the old session is a new join: the lock applies to it.
    let join_path = format!("/api/rooms/{room}/join");
    let rejoin = || app.post_authed(&join_path, &ann.session, Some(json!({"display_name": "Ann"})));
    let locked = app.patch_room(&room, &host.session, json!({"locked": true})).await;
    assert_eq!(locked.status(), StatusCode::OK);
    assert_error(rejoin().await, StatusCode::FORBIDDEN, "room_locked").await;

    // With the lock lifted and a waiting room on, she waits like anyone new.
    let open = app.patch_room(&room, &host.session, json!({"locked": false, "waiting_room": true})).await;
    assert_eq!(open.status(), StatusCode::OK);
    let again = joined(rejoin().await).await;
    assert_eq!(again.body["participant"]["status"], "waiting");
    assert_ne!(again.id, ann.id, "a new participant");
}

#[tokio::test]
async fn with_livekit_down_a_token_is_503_and_the_slot_is_kept() {
    let app = crate::helpers::spawn_app_with(|c| c.livekit.api_url = "http://127.0.0.1:9".into()).await;
    let (room, _) = app.room(5).await;
    let ann = app.guest(&room, "Ann").await;
    let response = app.post_authed(&format!("/api/rooms/{room}/token"), &ann.session, None).await;
    assert_error(response, StatusCode::SERVICE_UNAVAILABLE, "media_unavailable").await;
    assert_eq!(app.participant_count(&room).await, 1);
}

#[tokio::test]
async fn a_connection_check_gets_a_room_of_its_own_for_one_with_camera_and_microphone_only() {
    let app = spawn_app().await;
    let response = app.client.post(app.url("/api/connection-check")).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["livekit_url"], app.config.livekit.public_url);

    let lk = &app.config.livekit;
    let secret = lk.api_secret.as_ref().unwrap().expose();
    let claims = TokenVerifier::with_api_key(&lk.api_key, secret).verify(body["token"].as_str().unwrap()).unwrap();
    let grants = &claims.video;
    assert!(grants.room.starts_with("check-"), "not a meeting's room: {}", grants.room);
    assert!(common::domain::RoomId::parse(&grants.room).is_none());
    assert!(grants.room_join && !grants.room_admin && !grants.room_create && !grants.room_list);
    assert_eq!(grants.can_publish_data, Some(false));
    let mut sources = grants.can_publish_sources.clone();
    sources.sort();
    assert_eq!(sources, ["camera", "microphone"]);
    let lifetime = claims.exp as i64 - chrono::Utc::now().timestamp();
    assert!((240..=300).contains(&lifetime), "about five minutes, got {lifetime}s");

    // LiveKit has the room, for one person.
    let rooms = livekit_api::services::room::RoomClient::with_api_key(&lk.api_url, &lk.api_key, secret);
    let found = rooms.list_rooms(vec![grants.room.clone()]).await.unwrap();
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].max_participants, 1);
}

#[tokio::test]
async fn connection_checks_are_rate_limited_per_address() {
    let app = crate::helpers::spawn_app_with(|c| {
        c.rate_limits.connection_check =
            common::config::RateLimit { max: 2, window: std::time::Duration::from_secs(60) }
    })
    .await;
    for _ in 0..2 {
        let response = app.client.post(app.url("/api/connection-check")).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::OK);
    }
    let third = app.client.post(app.url("/api/connection-check")).send().await.unwrap();
    assert_error(third, StatusCode::TOO_MANY_REQUESTS, "rate_limited").await;
}

#[tokio::test]
async fn connection_checks_are_bounded_in_total_and_their_webhooks_change_nothing() {
    let app = crate::helpers::spawn_app_with(|c| {
        c.rate_limits.connection_check_total =
            common::config::RateLimit { max: 1, window: std::time::Duration::from_secs(60) };
    })
    .await;
    // The total is one bucket in Redis for every client (and every test): with a total of one,
    // at most one of two checks within the minute gets through.
    let first = app.client.post(app.url("/api/connection-check")).send().await.unwrap();
    let second = app.client.post(app.url("/api/connection-check")).send().await.unwrap();
    assert!(
        [first.status(), second.status()].contains(&StatusCode::TOO_MANY_REQUESTS),
        "a second check within the minute is refused when the total is one"
    );

    // LiveKit reports the check room's participant like any other: acknowledged, nothing stored.
    let body =
        app.livekit_event("participant_joined", "check-0123456789abcdef", "check-0123456789abcdef", "PA_x").await;
    assert!(body.contains("check-"));
}
