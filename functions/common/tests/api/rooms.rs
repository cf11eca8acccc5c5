use crate::helpers::{assert_error, spawn_app};
use reqwest::StatusCode;
use serde_json::{Value, json};

#[tokio::test]
async fn health_answers_ok() {
    let app = spawn_app().await;
    let response = app.get("/api/health", None).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.json::<Value>().await.unwrap(), json!({"status": "ok"}));
}

#[tokio::test]
async fn creating_a_room_returns_it_with_a_host_key_and_a_link() {
    let app = spawn_app().await;
    let response =
        app.create_room(json!({"title": "  Weekly sync  ", "max_participants": 4, "waiting_room": true})).await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let body: Value = response.json().await.unwrap();
    let room = &body["room"];
    let id = room["id"].as_str().unwrap();
    assert!(common::domain::RoomId::parse(id).is_some(), "{id}");
    assert_eq!(room["title"], "Weekly sync");
    assert_eq!(room["max_participants"], 4);
    assert_eq!(room["waiting_room"], true);
    assert_eq!(room["locked"], false);
    assert!(room["created_at"].as_str().is_some());
    assert_eq!(body["join_url"], format!("{}/r/{id}", app.config.public_base_url));
    assert!(body["host_key"].as_str().unwrap().len() >= 32);

    // Only a hash of the host key is stored.
    let stored = app.stored_host_key(id).await;
    assert_eq!(stored.len(), 32, "a SHA-256 hash");
    assert!(!stored.windows(8).any(|w| body["host_key"].as_str().unwrap().as_bytes().windows(8).any(|k| k == w)));
}

#[tokio::test]
async fn a_room_has_sensible_defaults() {
    let app = spawn_app().await;
    let body: Value = app.create_room(json!({"title": "Chat"})).await.json().await.unwrap();
    assert_eq!(body["room"]["max_participants"], 10);
    assert_eq!(body["room"]["waiting_room"], false);
}

#[tokio::test]
async fn an_all_hands_room_holds_up_to_500_people() {
    let app = spawn_app().await;
    let body: Value =
        app.create_room(json!({"title": "All hands", "max_participants": 500})).await.json().await.unwrap();
    assert_eq!(body["room"]["max_participants"], 500);
    let shown: Value =
        app.get(&format!("/api/rooms/{}", body["room"]["id"].as_str().unwrap()), None).await.json().await.unwrap();
    assert_eq!(shown["room"]["max_participants"], 500);
}

#[tokio::test]
async fn invalid_rooms_are_refused_with_422_and_nothing_is_stored() {
    let app = spawn_app().await;
    let cases = [
        json!({"title": ""}),
        json!({"title": "   "}),
        json!({"title": "x".repeat(101)}),
        json!({"title": "bell\u{7}"}),
        json!({"title": "ok", "max_participants": 1}),
        json!({"title": "ok", "max_participants": 501}),
        json!({"title": "ok", "max_participants": "ten"}),
        json!({"title": 5}),
        json!({}),
    ];
    for case in cases {
        assert_error(app.create_room(case.clone()).await, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    }
    assert_eq!(app.room_count().await, 0);
}

#[tokio::test]
async fn malformed_json_is_400_and_other_content_types_are_415() {
    let app = spawn_app().await;
    let response = app
        .client
        .post(app.url("/api/rooms"))
        .header("content-type", "application/json")
        .body("{\"title\":")
        .send()
        .await
        .unwrap();
    assert_error(response, StatusCode::BAD_REQUEST, "invalid_json").await;
    let response =
        app.client.post(app.url("/api/rooms")).header("content-type", "text/plain").body("{}").send().await.unwrap();
    assert_error(response, StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type").await;
}

#[tokio::test]
async fn bodies_over_16_kib_are_refused_with_413() {
    let app = spawn_app().await;
    let response = app.create_room(json!({"title": "ok", "padding": "x".repeat(17 * 1024)})).await;
    assert_error(response, StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large").await;
}

#[tokio::test]
async fn unknown_rooms_and_routes_answer_json_404s() {
    let app = spawn_app().await;
    assert_error(app.get("/api/rooms/abc-defg-hij", None).await, StatusCode::NOT_FOUND, "room_not_found").await;
    assert_error(app.get("/api/rooms/not-a-room-id", None).await, StatusCode::NOT_FOUND, "room_not_found").await;
    assert_error(app.get("/api/nothing-here", None).await, StatusCode::NOT_FOUND, "not_found").await;
    let response = app.client.delete(app.url("/api/health")).send().await.unwrap();
    assert_error(response, StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed").await;
}

#[tokio::test]
async fn a_room_shows_its_state_and_who_is_in_it() {
    let app = spawn_app().await;
    let (room, _) = app.room(5).await;
    let body: Value = app.get(&format!("/api/rooms/{room}"), None).await.json().await.unwrap();
    assert_eq!(body["room"]["id"], room);
    assert_eq!(body["room"]["participant_count"], 0);
    assert_eq!(body["ended"], false);
    app.guest(&room, "Ann").await;
    assert_eq!(app.participant_count(&room).await, 1);
}

#[tokio::test]
async fn room_creation_is_rate_limited_per_client_with_retry_after() {
    let app = crate::helpers::spawn_app_with(|c| c.rate_limits.create_room.max = 1000).await;
    let limited = crate::helpers::spawn_app_with(|c| {
        c.rate_limits.create_room = common::config::RateLimit { max: 2, window: std::time::Duration::from_secs(60) }
    })
    .await;
    for _ in 0..2 {
        assert_eq!(limited.create_room(json!({"title": "a"})).await.status(), StatusCode::CREATED);
    }
    let response = limited.create_room(json!({"title": "a"})).await;
    let retry_after: u64 = response.headers()["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((1..=60).contains(&retry_after), "{retry_after}");
    assert_error(response, StatusCode::TOO_MANY_REQUESTS, "rate_limited").await;
    // Another client is not affected.
    assert_eq!(app.create_room(json!({"title": "a"})).await.status(), StatusCode::CREATED);
}
