use crate::helpers::{assert_error, spawn_app, spawn_app_with};
use common::config::{RateLimit, Secret};
use reqwest::StatusCode;
use serde_json::{Value, json};
use std::time::Duration;

async fn messages(app: &crate::helpers::TestApp, room: &str, session: &str, query: &str) -> Value {
    let response = app.get(&format!("/api/rooms/{room}/messages{query}"), Some(session)).await;
    assert_eq!(response.status(), StatusCode::OK);
    response.json().await.unwrap()
}

#[tokio::test]
async fn a_message_is_stored_with_the_sessions_sender_and_listed_oldest_first() {
    let app = spawn_app().await;
    let (room, _) = app.room(5).await;
    let ann = app.guest(&room, "Ann").await;
    let bob = app.guest(&room, "Bob").await;

    let response = app
        .send_chat(
            &room,
            &ann.session,
            json!({"text": " hello\nworld ", "sender": {"identity": bob.id, "display_name": "Bob"}}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let first: Value = response.json().await.unwrap();
    let message = &first["message"];
    assert_eq!(message["text"], "hello\nworld");
    assert_eq!(message["room_id"], room);
    assert_eq!(message["sender"], json!({"identity": ann.id, "display_name": "Ann"}), "the sender cannot be forged");
    assert!(chrono::DateTime::parse_from_rfc3339(message["sent_at"].as_str().unwrap()).is_ok());

    app.send_chat(&room, &bob.session, json!({"text": "hi Ann"})).await;
    let listed = messages(&app, &room, &bob.session, "").await;
    let texts: Vec<&str> = listed["messages"].as_array().unwrap().iter().map(|m| m["text"].as_str().unwrap()).collect();
    assert_eq!(texts, ["hello\nworld", "hi Ann"]);
    assert!(listed.get("next_cursor").is_none());
}

#[tokio::test]
async fn the_cursor_pages_through_history_without_gaps_or_repeats() {
    let app = spawn_app_with(|c| c.rate_limits.chat.max = 100).await;
    let (room, _) = app.room(5).await;
    let ann = app.guest(&room, "Ann").await;
    for i in 0..7 {
        app.send_chat(&room, &ann.session, json!({"text": format!("m{i}")})).await;
    }
    let mut seen = Vec::new();
    let mut query = "?limit=3".to_owned();
    loop {
        let page = messages(&app, &room, &ann.session, &query).await;
        seen.extend(page["messages"].as_array().unwrap().iter().map(|m| m["text"].as_str().unwrap().to_owned()));
        match page["next_cursor"].as_str() {
            Some(cursor) => query = format!("?limit=3&after={cursor}"),
            None => break,
        }
    }
    assert_eq!(seen, (0..7).map(|i| format!("m{i}")).collect::<Vec<_>>());

    let all = messages(&app, &room, &ann.session, "").await;
    let ids: Vec<&str> = all["messages"].as_array().unwrap().iter().map(|m| m["id"].as_str().unwrap()).collect();
    let after_third = messages(&app, &room, &ann.session, &format!("?after={}", ids[2])).await;
    assert_eq!(after_third["messages"].as_array().unwrap().len(), 4);
}

#[tokio::test]
async fn the_same_client_id_from_the_same_sender_is_stored_once() {
    let app = spawn_app().await;
    let (room, _) = app.room(5).await;
    let ann = app.guest(&room, "Ann").await;
    let bob = app.guest(&room, "Bob").await;
    let first: Value =
        app.send_chat(&room, &ann.session, json!({"text": "once", "client_id": "c-1"})).await.json().await.unwrap();
    let retry = app.send_chat(&room, &ann.session, json!({"text": "once", "client_id": "c-1"})).await;
    assert_eq!(retry.status(), StatusCode::CREATED);
    let retry: Value = retry.json().await.unwrap();
    assert_eq!(retry["message"]["id"], first["message"]["id"]);
    assert_eq!(retry["message"]["client_id"], "c-1", "the sender can match the answer to what it sent");
    // The same client id from someone else is a different message.
    app.send_chat(&room, &bob.session, json!({"text": "mine", "client_id": "c-1"})).await;
    assert_eq!(messages(&app, &room, &ann.session, "").await["messages"].as_array().unwrap().len(), 2);
}

#[tokio::test]
async fn chat_needs_a_session_of_someone_in_the_room() {
    let app = spawn_app().await;
    let (room, _) = app.room(5).await;
    let response = app
        .client
        .post(app.url(&format!("/api/rooms/{room}/messages")))
        .json(&json!({"text": "hi"}))
        .send()
        .await
        .unwrap();
    assert_error(response, StatusCode::UNAUTHORIZED, "unauthorized").await;
    assert_error(app.get(&format!("/api/rooms/{room}/messages"), None).await, StatusCode::UNAUTHORIZED, "unauthorized")
        .await;

    let body: Value = app.create_room(json!({"title": "Lobby", "waiting_room": true})).await.json().await.unwrap();
    let lobby = body["room"]["id"].as_str().unwrap();
    let waiting = app.guest(lobby, "Waiting").await;
    assert_error(
        app.send_chat(lobby, &waiting.session, json!({"text": "let me in"})).await,
        StatusCode::FORBIDDEN,
        "not_admitted",
    )
    .await;
}

#[tokio::test]
async fn invalid_messages_and_queries_are_422() {
    let app = spawn_app().await;
    let (room, _) = app.room(5).await;
    let ann = app.guest(&room, "Ann").await;
    for body in [
        json!({"text": ""}),
        json!({"text": "x".repeat(2001)}),
        json!({"text": "nul\u{0}"}),
        json!({"text": "\u{200B}\u{200B}"}),
        json!({"text": "safe\u{202E}txt.exe"}),
        json!({"text": "one\u{2028}two"}),
        json!({"text": format!("x{}", "\u{0301}".repeat(5))}),
        json!({"text": "ok", "client_id": "has space"}),
        json!({}),
    ] {
        assert_error(
            app.send_chat(&room, &ann.session, body).await,
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
        )
        .await;
    }
    let beyond_u64 = "?after=99999999999999999999-0";
    let last = "?after=18446744073709551615-18446744073709551615";
    let seq_beyond_u64 = "?after=1-18446744073709551616";
    for query in ["?limit=0", "?limit=101", "?limit=x", "?after=yesterday", beyond_u64, seq_beyond_u64, last] {
        let response = app.get(&format!("/api/rooms/{room}/messages{query}"), Some(&ann.session)).await;
        assert_error(response, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    }
    assert_eq!(messages(&app, &room, &ann.session, "").await["messages"], json!([]));
}

#[tokio::test]
async fn chat_is_rate_limited_per_participant() {
    let app = spawn_app_with(|c| c.rate_limits.chat = RateLimit { max: 2, window: Duration::from_secs(30) }).await;
    let (room, _) = app.room(5).await;
    let ann = app.guest(&room, "Ann").await;
    let bob = app.guest(&room, "Bob").await;
    for _ in 0..2 {
        assert_eq!(app.send_chat(&room, &ann.session, json!({"text": "spam"})).await.status(), StatusCode::CREATED);
    }
    let response = app.send_chat(&room, &ann.session, json!({"text": "spam"})).await;
    assert!(response.headers().contains_key("retry-after"));
    assert_error(response, StatusCode::TOO_MANY_REQUESTS, "rate_limited").await;
    assert_eq!(app.send_chat(&room, &bob.session, json!({"text": "not spam"})).await.status(), StatusCode::CREATED);
}

#[tokio::test]
async fn chat_history_expires_with_the_configured_ttl() {
    let app = spawn_app_with(|c| c.chat_ttl = Duration::from_secs(120)).await;
    let (room, _) = app.room(5).await;
    let ann = app.guest(&room, "Ann").await;
    app.send_chat(&room, &ann.session, json!({"text": "short-lived"})).await;
    let redis = redis::Client::open(app.config.redis_url.expose()).unwrap();
    let mut conn = redis.get_multiplexed_async_connection().await.unwrap();
    let ttl: i64 = redis::cmd("TTL").arg(format!("chat:{{{room}}}")).query_async(&mut conn).await.unwrap();
    assert!((100..=120).contains(&ttl), "{ttl}");
}

#[tokio::test]
async fn when_redis_is_down_chat_answers_503_chat_unavailable() {
    let app = spawn_app_with(|c| c.redis_url = Secret::new("redis://127.0.0.1:9")).await;
    let (room, _) = app.room(5).await;
    let ann = app.guest(&room, "Ann").await;
    assert_error(
        app.send_chat(&room, &ann.session, json!({"text": "hello?"})).await,
        StatusCode::SERVICE_UNAVAILABLE,
        "chat_unavailable",
    )
    .await;
    let listed = app.get(&format!("/api/rooms/{room}/messages"), Some(&ann.session)).await;
    assert_error(listed, StatusCode::SERVICE_UNAVAILABLE, "chat_unavailable").await;
}

#[tokio::test]
async fn when_livekit_is_down_a_stored_message_still_answers_201() {
    let app = spawn_app_with(|c| c.livekit.api_url = "http://127.0.0.1:9".into()).await;
    let (room, _) = app.room(5).await;
    let ann = app.guest(&room, "Ann").await;
    assert_eq!(app.send_chat(&room, &ann.session, json!({"text": "kept"})).await.status(), StatusCode::CREATED);
    assert_eq!(messages(&app, &room, &ann.session, "").await["messages"][0]["text"], "kept");
}

/// A Lambda sandbox thawed after minutes finds its Redis connection closed by the server;
/// the first message after that must still be stored, not answered 503.
#[tokio::test]
async fn a_message_sent_after_redis_dropped_the_connection_is_stored() {
    // A user of our own, so that only this app's connection is dropped and parallel tests keep theirs.
    let user = format!("thaw{}", uuid::Uuid::new_v4().simple());
    let base = common_redis_url();
    let admin = redis::Client::open(base.as_str()).unwrap();
    let mut admin = admin.get_multiplexed_async_connection().await.unwrap();
    let _: () = redis::cmd("ACL")
        .arg(&["SETUSER", &user, "on", ">pw", "~*", "&*", "+@all"])
        .query_async(&mut admin)
        .await
        .unwrap();
    let app_url = base.replacen("redis://", &format!("redis://{user}:pw@"), 1);
    let app = spawn_app_with(|c| c.redis_url = Secret::new(app_url.clone())).await;
    let (room, _) = app.room(5).await;
    let ann = app.guest(&room, "Ann").await;
    assert_eq!(app.send_chat(&room, &ann.session, json!({"text": "before"})).await.status(), StatusCode::CREATED);

    let killed: i64 = redis::cmd("CLIENT").arg(&["KILL", "USER", &user]).query_async(&mut admin).await.unwrap();
    assert!(killed >= 1, "the app's connection should have been open");

    assert_eq!(app.send_chat(&room, &ann.session, json!({"text": "after"})).await.status(), StatusCode::CREATED);
    let texts: Vec<String> = messages(&app, &room, &ann.session, "").await["messages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["text"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(texts, ["before", "after"]);
    let _: () = redis::cmd("ACL").arg(&["DELUSER", &user]).query_async(&mut admin).await.unwrap();
}

fn common_redis_url() -> String {
    let config = common::config::Config::from_env().expect("run the tests through `make test`");
    config.redis_url.expose().to_owned()
}
