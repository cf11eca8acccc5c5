use crate::helpers::{assert_error, joined, spawn_app, spawn_app_with};
use reqwest::StatusCode;
use serde_json::{Value, json};
use std::time::Duration;

#[tokio::test]
async fn a_guest_joins_and_gets_a_session() {
    let app = spawn_app().await;
    let (room, _) = app.room(5).await;
    let guest = app.guest(&room, "  Ann  ").await;
    let participant = &guest.body["participant"];
    assert_eq!(participant["display_name"], "Ann");
    assert_eq!(participant["role"], "guest");
    assert_eq!(participant["status"], "admitted");
    assert_eq!(participant["identity"], participant["id"]);
    assert!(guest.session.len() >= 32);
}

#[tokio::test]
async fn the_right_host_key_makes_a_host_and_a_wrong_one_is_403() {
    let app = spawn_app().await;
    let (room, host_key) = app.room(5).await;
    let host = joined(app.join(&room, json!({"display_name": "Host", "host_key": host_key})).await).await;
    assert_eq!(host.body["participant"]["role"], "host");
    let response = app.join(&room, json!({"display_name": "Mallory", "host_key": "guessed"})).await;
    assert_error(response, StatusCode::FORBIDDEN, "invalid_host_key").await;
    assert_eq!(app.participant_count(&room).await, 1);
}

#[tokio::test]
async fn joining_an_unknown_room_is_404() {
    let app = spawn_app().await;
    assert_error(
        app.join("zzz-zzzz-zzz", json!({"display_name": "Ann"})).await,
        StatusCode::NOT_FOUND,
        "room_not_found",
    )
    .await;
}

#[tokio::test]
async fn joining_a_full_room_is_rejected_with_409() {
    let app = spawn_app().await;
    let (room, _) = app.room(2).await;
    app.guest(&room, "A").await;
    app.guest(&room, "B").await;
    assert_error(app.join(&room, json!({"display_name": "C"})).await, StatusCode::CONFLICT, "room_full").await;
}

#[tokio::test]
async fn a_hundred_concurrent_joins_admit_exactly_the_limit() {
    let app = spawn_app().await;
    let (room, _) = app.room(5).await;
    let mut joins = tokio::task::JoinSet::new();
    for i in 0..100 {
        let (client, url) = (app.client.clone(), app.url(&format!("/api/rooms/{room}/join")));
        joins.spawn(async move {
            client.post(url).json(&json!({"display_name": format!("P{i}")})).send().await.unwrap().status()
        });
    }
    let statuses = joins.join_all().await;
    let admitted = statuses.iter().filter(|s| **s == StatusCode::CREATED).count();
    let full = statuses.iter().filter(|s| **s == StatusCode::CONFLICT).count();
    assert_eq!((admitted, full), (5, 95), "{statuses:?}");
    assert_eq!(app.participant_count(&room).await, 5);
}

#[tokio::test]
async fn rejoining_with_ones_own_session_reuses_the_participant_and_slot() {
    let app = spawn_app().await;
    let (room, _) = app.room(2).await;
    let ann = app.guest(&room, "Ann").await;
    app.guest(&room, "Bob").await;
    let again =
        app.post_authed(&format!("/api/rooms/{room}/join"), &ann.session, Some(json!({"display_name": "Ann"}))).await;
    assert_eq!(again.status(), StatusCode::CREATED);
    let again = joined(again).await;
    assert_eq!(again.id, ann.id);
    assert_eq!(again.session, ann.session);
    assert_eq!(again.body["rejoined"], true);
    assert_eq!(app.participant_count(&room).await, 2);
}

#[tokio::test]
async fn leaving_frees_the_slot_at_once_and_the_session_can_come_back() {
    let app = spawn_app().await;
    let (room, _) = app.room(2).await;
    let ann = app.guest(&room, "Ann").await;
    app.guest(&room, "Bob").await;
    let response = app.post_authed(&format!("/api/rooms/{room}/leave"), &ann.session, None).await;
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    assert_eq!(app.participant_count(&room).await, 1);

    let carol = app.guest(&room, "Carol").await;
    assert_ne!(carol.id, ann.id);
    // Ann comes back, but the room is full again.
    let back =
        app.post_authed(&format!("/api/rooms/{room}/join"), &ann.session, Some(json!({"display_name": "Ann"}))).await;
    assert_error(back, StatusCode::CONFLICT, "room_full").await;
}

#[tokio::test]
async fn leaving_needs_a_session() {
    let app = spawn_app().await;
    let (room, _) = app.room(2).await;
    let response = app.client.post(app.url(&format!("/api/rooms/{room}/leave"))).send().await.unwrap();
    assert_error(response, StatusCode::UNAUTHORIZED, "unauthorized").await;
}

#[tokio::test]
async fn an_admitted_participant_who_never_connects_frees_the_slot_after_the_grace_period() {
    // Long enough for three joins even on the local DynamoDB under the other tests' load.
    let app = spawn_app_with(|c| c.connect_grace = Duration::from_secs(3)).await;
    let (room, _) = app.room(2).await;
    app.guest(&room, "A").await;
    app.guest(&room, "B").await;
    assert_error(app.join(&room, json!({"display_name": "C"})).await, StatusCode::CONFLICT, "room_full").await;
    tokio::time::sleep(Duration::from_millis(3500)).await;
    assert_eq!(app.participant_count(&room).await, 0);
    app.guest(&room, "C").await;
}

#[tokio::test]
async fn with_a_waiting_room_guests_wait_and_get_no_token_but_the_host_enters() {
    let app = spawn_app().await;
    let body: Value = app.create_room(json!({"title": "Lobby", "waiting_room": true})).await.json().await.unwrap();
    let (room, host_key) = (body["room"]["id"].as_str().unwrap(), body["host_key"].as_str().unwrap());
    let guest = app.guest(room, "Guest").await;
    assert_eq!(guest.body["participant"]["status"], "waiting");
    assert_eq!(app.participant_count(room).await, 0, "a waiting guest takes no slot");
    let response = app.post_authed(&format!("/api/rooms/{room}/token"), &guest.session, None).await;
    assert_error(response, StatusCode::FORBIDDEN, "not_admitted").await;

    let host = joined(app.join(room, json!({"display_name": "Host", "host_key": host_key})).await).await;
    assert_eq!(host.body["participant"]["status"], "admitted");
}

#[tokio::test]
async fn invalid_display_names_are_422() {
    let app = spawn_app().await;
    let (room, _) = app.room(5).await;
    let invisible = ["\u{200B}", "\u{3164}\u{3164}", "\u{202E}nimda", "\u{FEFF}", "...", "a\u{2029}b"];
    let invalid = [json!(""), json!(" "), json!("x".repeat(65)), json!("tab\tname"), json!(null), json!(42)];
    for name in invalid.into_iter().chain(invisible.map(|name| json!(name))) {
        let response = app.join(&room, json!({"display_name": name})).await;
        assert_error(response, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    }
    assert_eq!(app.participant_count(&room).await, 0);
}

#[tokio::test]
async fn joins_are_rate_limited_per_client() {
    let app =
        spawn_app_with(|c| c.rate_limits.join = common::config::RateLimit { max: 3, window: Duration::from_secs(60) })
            .await;
    let (room, _) = app.room(10).await;
    for i in 0..3 {
        app.guest(&room, &format!("P{i}")).await;
    }
    let response = app.join(&room, json!({"display_name": "P4"})).await;
    assert!(response.headers().contains_key("retry-after"));
    assert_error(response, StatusCode::TOO_MANY_REQUESTS, "rate_limited").await;
}

#[tokio::test]
async fn rooms_and_joins_keep_working_when_redis_is_down() {
    let app = spawn_app_with(|c| c.redis_url = common::config::Secret::new("redis://127.0.0.1:9")).await;
    let (room, _) = app.room(5).await;
    let ann = app.guest(&room, "Ann").await;
    let response = app.post_authed(&format!("/api/rooms/{room}/token"), &ann.session, None).await;
    assert_eq!(response.status(), StatusCode::OK);
}
