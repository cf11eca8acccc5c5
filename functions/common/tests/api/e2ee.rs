//! End-to-end encrypted rooms: the room says so to everyone, and its chat takes only sealed
//! text, of a bounded shape, which it stores and lists as it came.

use crate::helpers::{TestApp, assert_error, spawn_app};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use reqwest::StatusCode;
use serde_json::{Value, json};

fn b64(bytes: usize) -> String {
    URL_SAFE_NO_PAD.encode((0..bytes).map(|i| (i * 37 % 251) as u8).collect::<Vec<_>>())
}

/// Creates an encrypted room and joins it as a guest: (room, session).
async fn encrypted_room(app: &TestApp) -> (String, String) {
    let response = app.create_room(json!({"title": "Private", "e2ee": true})).await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let created: Value = response.json().await.unwrap();
    assert_eq!(created["room"]["e2ee"], true);
    let room = created["room"]["id"].as_str().unwrap().to_owned();
    assert!(!created["join_url"].as_str().unwrap().contains('#'), "the server never has the key");
    let ann = app.guest(&room, "Ann").await;
    (room, ann.session)
}

async fn history(app: &TestApp, room: &str, session: &str) -> Value {
    let response = app.get(&format!("/api/rooms/{room}/messages"), Some(session)).await;
    assert_eq!(response.status(), StatusCode::OK);
    response.json::<Value>().await.unwrap()["messages"].clone()
}

#[tokio::test]
async fn a_room_is_encrypted_only_when_its_creator_asks_and_everyone_can_see_which() {
    let app = spawn_app().await;
    let (plain, _) = app.room(5).await;
    let (encrypted, _) = encrypted_room(&app).await;
    for (room, e2ee) in [(plain, false), (encrypted, true)] {
        let shown: Value = app.get(&format!("/api/rooms/{room}"), None).await.json().await.unwrap();
        assert_eq!(shown["room"]["e2ee"], e2ee, "{shown}");
    }
    let response = app.create_room(json!({"title": "Private", "e2ee": "yes"})).await;
    assert_error(response, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
}

#[tokio::test]
async fn an_encrypted_rooms_chat_stores_and_lists_the_sealed_text_as_sent() {
    let app = spawn_app().await;
    let (room, session) = encrypted_room(&app).await;
    let sealed = json!({"iv": b64(12), "ct": b64(45)});
    let response = app.send_chat(&room, &session, json!({"encrypted": sealed, "client_id": "c-1"})).await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let sent: Value = response.json().await.unwrap();
    assert_eq!(sent["message"]["encrypted"], sealed);
    assert!(sent["message"].get("text").is_none(), "{sent}");

    // The longest a message may be: 2000 characters of four bytes, and the tag.
    let longest = json!({"iv": b64(12), "ct": b64(8016)});
    let response = app.send_chat(&room, &session, json!({"encrypted": longest})).await;
    assert_eq!(response.status(), StatusCode::CREATED);

    let listed = history(&app, &room, &session).await;
    let shown: Vec<&Value> = listed.as_array().unwrap().iter().map(|m| &m["encrypted"]).collect();
    assert_eq!(shown, [&sealed, &longest]);
    assert!(listed.as_array().unwrap().iter().all(|m| m.get("text").is_none()));
}

#[tokio::test]
async fn plain_text_to_an_encrypted_room_is_refused_and_nothing_is_stored() {
    let app = spawn_app().await;
    let (room, session) = encrypted_room(&app).await;
    let response = app.send_chat(&room, &session, json!({"text": "my password is hunter2"})).await;
    let body = assert_error(response, StatusCode::UNPROCESSABLE_ENTITY, "encryption_required").await;
    assert!(!body.to_string().contains("hunter2"));
    assert_eq!(history(&app, &room, &session).await, json!([]));
}

#[tokio::test]
async fn a_sealed_message_of_the_wrong_shape_is_422_and_nothing_is_stored() {
    let app = spawn_app().await;
    let (room, session) = encrypted_room(&app).await;
    let (iv, ct) = (b64(12), b64(40));
    for body in [
        json!({}),
        json!({"encrypted": {"iv": b64(11), "ct": ct}}),
        json!({"encrypted": {"iv": b64(16), "ct": ct}}),
        json!({"encrypted": {"iv": iv, "ct": b64(16)}}),
        json!({"encrypted": {"iv": iv, "ct": b64(8017)}}),
        json!({"encrypted": {"iv": iv, "ct": format!("{ct}==")}}),
        json!({"encrypted": {"iv": iv, "ct": format!("+{}", &ct[1..])}}),
        json!({"encrypted": {"iv": iv, "ct": "plain words, not base64"}}),
        json!({"encrypted": {"iv": iv}}),
        json!({"encrypted": {"iv": 12, "ct": ct}}),
        json!({"encrypted": {"iv": iv, "ct": ct, "key": "leaked"}}),
        json!({"encrypted": ct}),
        json!({"encrypted": {"iv": iv, "ct": ct}, "text": "both"}),
    ] {
        let response = app.send_chat(&room, &session, body.clone()).await;
        assert_error(response, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    }
    assert_eq!(history(&app, &room, &session).await, json!([]));
}

#[tokio::test]
async fn sealed_text_to_a_room_that_is_not_encrypted_is_422() {
    let app = spawn_app().await;
    let (room, _) = app.room(5).await;
    let ann = app.guest(&room, "Ann").await;
    let response = app.send_chat(&room, &ann.session, json!({"encrypted": {"iv": b64(12), "ct": b64(40)}})).await;
    let body = assert_error(response, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    assert!(body["error"]["message"].as_str().unwrap().starts_with("encrypted "), "{body}");
    assert_eq!(history(&app, &room, &ann.session).await, json!([]));
}
