//! Browsers' telemetry: reports of fixed shapes are counted, anything else is refused whole,
//! and one address cannot flood it.

use crate::helpers::{TestApp, assert_error, spawn_app, spawn_app_with};
use common::config::RateLimit;
use reqwest::StatusCode;
use serde_json::{Value, json};
use std::time::Duration;

async fn report(app: &TestApp, from: &str, body: Value) -> reqwest::Response {
    let url = app.url("/api/telemetry");
    app.client.post(url).header("x-forwarded-for", from).json(&body).send().await.unwrap()
}

fn address() -> String {
    format!("2001:db8:{:x}::1", rand::random::<u16>())
}

#[tokio::test]
async fn a_report_of_every_kind_is_accepted() {
    let app = spawn_app().await;
    let events = json!([
        {"type": "join", "outcome": "connected"},
        {"type": "join", "outcome": "failed"},
        {"type": "first_remote_frame", "ms": 1840},
        {"type": "connection_failure", "stage": "ice"},
        {"type": "reconnect", "outcome": "recovered"},
        {"type": "device_error", "device": "camera", "reason": "denied"},
    ]);
    let response = report(&app, &address(), json!({"events": events})).await;
    assert_eq!(response.status(), StatusCode::ACCEPTED);
    assert_eq!(response.json::<Value>().await.unwrap(), json!({"accepted": 6}));
}

#[tokio::test]
async fn reports_outside_the_fixed_shapes_are_refused_whole() {
    let app = spawn_app().await;
    let one = |event: Value| json!({"events": [{"type": "join", "outcome": "connected"}, event]});
    let too_many: Vec<Value> = (0..21).map(|_| json!({"type": "join", "outcome": "connected"})).collect();
    let joins: Vec<Value> = (0..4).map(|_| json!({"type": "join", "outcome": "failed"})).collect();
    for body in [
        json!({"events": []}),
        json!({"events": too_many}),
        // One page joins once per attempt: four join outcomes are more than one browser's.
        json!({"events": joins}),
        one(json!({"type": "first_remote_frame", "ms": 600_001})),
        one(json!({"type": "first_remote_frame", "ms": -5})),
        one(json!({"type": "join", "outcome": "maybe"})),
        one(json!({"type": "page_view"})),
        // Nothing that could name someone gets in, not even beside a valid event.
        one(json!({"type": "join", "outcome": "connected", "room": "abc-defg-hij"})),
        json!({"events": [{"type": "join", "outcome": "connected"}], "user_agent": "x"}),
    ] {
        let response = report(&app, &address(), body.clone()).await;
        assert_error(response, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    }
    let text = app.client.post(app.url("/api/telemetry")).body("events").send().await.unwrap();
    assert_eq!(text.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);
}

#[tokio::test]
async fn one_address_is_rate_limited_and_others_are_not() {
    let app = spawn_app_with(|c| c.rate_limits.telemetry = RateLimit { max: 2, window: Duration::from_secs(60) }).await;
    let (flooder, other) = (address(), address());
    let body = json!({"events": [{"type": "reconnect", "outcome": "lost"}]});
    for _ in 0..2 {
        assert_eq!(report(&app, &flooder, body.clone()).await.status(), StatusCode::ACCEPTED);
    }
    assert_error(report(&app, &flooder, body.clone()).await, StatusCode::TOO_MANY_REQUESTS, "rate_limited").await;
    assert_eq!(report(&app, &other, body).await.status(), StatusCode::ACCEPTED);
}

#[tokio::test]
async fn with_the_rate_limiter_down_reports_are_still_counted() {
    let app = spawn_app_with(|c| c.redis_url = common::config::Secret::new("redis://127.0.0.1:9")).await;
    let body = json!({"events": [{"type": "connection_failure", "stage": "signalling"}]});
    assert_eq!(report(&app, &address(), body).await.status(), StatusCode::ACCEPTED);
}
