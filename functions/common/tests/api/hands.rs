//! Raised hands and reactions: what people in the room see, kept by the server.

use crate::helpers::{Joined, TestApp, assert_error, spawn_app, spawn_app_with};
use reqwest::{Response, StatusCode};
use serde_json::{Value, json};

impl TestApp {
    async fn raise_hand(&self, room: &str, session: &str) -> Response {
        self.client.put(self.url(&format!("/api/rooms/{room}/hand"))).bearer_auth(session).send().await.unwrap()
    }

    async fn lower_hand(&self, room: &str, session: &str) -> Response {
        self.client.delete(self.url(&format!("/api/rooms/{room}/hand"))).bearer_auth(session).send().await.unwrap()
    }

    /// The raised hands as `session` sees them: participant ids, first raised first.
    async fn hands(&self, room: &str, session: &str) -> Vec<String> {
        let response = self.get(&format!("/api/rooms/{room}/hands"), Some(session)).await;
        assert_eq!(response.status(), StatusCode::OK);
        ids(response.json().await.unwrap())
    }

    async fn react(&self, room: &str, session: &str, emoji: &str) -> Response {
        self.post_authed(&format!("/api/rooms/{room}/reactions"), session, Some(json!({ "emoji": emoji }))).await
    }
}

fn ids(list: Value) -> Vec<String> {
    list["hands"].as_array().unwrap().iter().map(|h| h["participant_id"].as_str().unwrap().to_owned()).collect()
}

async fn three_people(app: &TestApp) -> (String, Joined, Joined, Joined) {
    let (room, _, host) = app.room_with_host(5, false).await;
    let ann = app.guest(&room, "Ann").await;
    let bob = app.guest(&room, "Bob").await;
    (room, host, ann, bob)
}

#[tokio::test]
async fn hands_are_listed_in_the_order_they_were_raised_and_raising_again_keeps_the_place() {
    let app = spawn_app().await;
    let (room, host, ann, bob) = three_people(&app).await;
    assert_eq!(app.raise_hand(&room, &bob.session).await.status(), StatusCode::OK);
    let answer = app.raise_hand(&room, &ann.session).await;
    assert_eq!(ids(answer.json().await.unwrap()), vec![bob.id.clone(), ann.id.clone()]);
    app.raise_hand(&room, &bob.session).await;
    assert_eq!(app.hands(&room, &host.session).await, vec![bob.id.clone(), ann.id.clone()], "Bob keeps his place");

    let lowered = app.lower_hand(&room, &bob.session).await;
    assert_eq!(ids(lowered.json().await.unwrap()), vec![ann.id.clone()]);
    assert_eq!(app.hands(&room, &ann.session).await, vec![ann.id.clone()]);
}

#[tokio::test]
async fn a_host_lowers_one_hand_or_all_and_the_log_says_so() {
    let app = spawn_app().await;
    let (room, host, ann, bob) = three_people(&app).await;
    app.raise_hand(&room, &ann.session).await;
    app.raise_hand(&room, &bob.session).await;
    let url = format!("/api/rooms/{room}/hands/lower");

    let one = app.post_authed(&url, &host.session, Some(json!({ "participant_id": ann.id }))).await;
    assert_eq!(one.status(), StatusCode::OK);
    assert_eq!(ids(one.json().await.unwrap()), vec![bob.id.clone()]);
    let all = app.post_authed(&url, &host.session, Some(json!({}))).await;
    assert_eq!(ids(all.json().await.unwrap()), Vec::<String>::new());
    // Nothing left to lower: not an action worth a log line.
    app.post_authed(&url, &host.session, Some(json!({}))).await;

    let log: Value = app.get(&format!("/api/rooms/{room}/actions"), Some(&host.session)).await.json().await.unwrap();
    let entries: Vec<_> =
        log["actions"].as_array().unwrap().iter().map(|e| (e["action"].clone(), e["target_id"].clone())).collect();
    assert_eq!(entries, [(json!("lower_hands"), json!(ann.id)), (json!("lower_hands"), Value::Null)]);
    assert_eq!(log["actions"][1]["detail"], json!({ "lowered": 1 }));
}

#[tokio::test]
async fn only_a_host_lowers_other_peoples_hands() {
    let app = spawn_app().await;
    let (room, _host, ann, bob) = three_people(&app).await;
    app.raise_hand(&room, &bob.session).await;
    let url = format!("/api/rooms/{room}/hands/lower");
    let refused = app.post_authed(&url, &ann.session, Some(json!({ "participant_id": bob.id }))).await;
    assert_error(refused, StatusCode::FORBIDDEN, "forbidden").await;
    assert_eq!(app.hands(&room, &ann.session).await, vec![bob.id.clone()]);
}

#[tokio::test]
async fn a_guest_in_the_lobby_cannot_raise_a_hand_and_a_removed_one_no_longer_shows() {
    let app = spawn_app().await;
    let (room, _, host) = app.room_with_host(5, true).await;
    let waiting = app.guest(&room, "Waiting").await;
    assert_error(app.raise_hand(&room, &waiting.session).await, StatusCode::FORBIDDEN, "not_admitted").await;

    let admitted = app.guest(&room, "Admitted").await;
    assert_eq!(app.moderate(&room, &host.session, &admitted.id, "admit").await.status(), StatusCode::OK);
    app.raise_hand(&room, &admitted.session).await;
    assert_eq!(app.hands(&room, &host.session).await, vec![admitted.id.clone()]);
    assert_eq!(app.moderate(&room, &host.session, &admitted.id, "kick").await.status(), StatusCode::OK);
    assert_eq!(app.hands(&room, &host.session).await, Vec::<String>::new());
    // Lowered for good, not only hidden: it would come back if the person ever did.
    let redis = redis::Client::open(app.config.redis_url.expose()).unwrap();
    let mut conn = redis.get_multiplexed_async_connection().await.unwrap();
    let left: i64 = redis::cmd("ZCARD").arg(format!("hands:{{{room}}}")).query_async(&mut conn).await.unwrap();
    assert_eq!(left, 0);
}

#[tokio::test]
async fn a_host_naming_a_field_that_does_not_exist_lowers_nothing() {
    let app = spawn_app().await;
    let (room, host, ann, _) = three_people(&app).await;
    app.raise_hand(&room, &ann.session).await;
    let url = format!("/api/rooms/{room}/hands/lower");
    let typo = app.post_authed(&url, &host.session, Some(json!({ "participant": ann.id }))).await;
    assert_error(typo, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    assert_eq!(app.hands(&room, &host.session).await, vec![ann.id.clone()]);
}

#[tokio::test]
async fn with_redis_down_hands_answer_503_hands_unavailable() {
    let app = spawn_app_with(|c| c.redis_url = common::config::Secret::new("redis://127.0.0.1:9")).await;
    let (room, host, _, _) = three_people(&app).await;
    assert_error(app.raise_hand(&room, &host.session).await, StatusCode::SERVICE_UNAVAILABLE, "hands_unavailable")
        .await;
}

#[tokio::test]
async fn a_reaction_is_one_of_the_fixed_set_and_comes_back_with_its_sender() {
    let app = spawn_app().await;
    let (room, _, ann, _) = three_people(&app).await;
    let sent = app.react(&room, &ann.session, "👏").await;
    assert_eq!(sent.status(), StatusCode::OK);
    let body: Value = sent.json().await.unwrap();
    assert_eq!((body["participant_id"].as_str(), body["emoji"].as_str()), (Some(ann.id.as_str()), Some("👏")));
    assert_error(app.react(&room, &ann.session, "💩").await, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed")
        .await;
}

#[tokio::test]
async fn a_flood_of_reactions_gets_429_with_retry_after() {
    let app = spawn_app().await;
    let (room, _, ann, bob) = three_people(&app).await;
    let limit = app.config.rate_limits.reaction.max;
    for _ in 0..limit {
        assert_eq!(app.react(&room, &ann.session, "🎉").await.status(), StatusCode::OK);
    }
    let flooded = app.react(&room, &ann.session, "🎉").await;
    assert!(flooded.headers().get("retry-after").is_some());
    assert_error(flooded, StatusCode::TOO_MANY_REQUESTS, "rate_limited").await;
    assert_eq!(app.react(&room, &bob.session, "🎉").await.status(), StatusCode::OK, "the limit is per person");
}
