//! Limits that fit real use: an office behind one address joins its all-hands, while a flood
//! into one room, one /64 or past CloudFront is bounded.

use crate::helpers::{TestApp, assert_error, joined, spawn_app, spawn_app_with};
use common::config::{RateLimit, RateLimits, Secret};
use common::rate_limit::{Decision, RateLimiter, RedisRateLimiter};
use common::redis_conn::LazyRedis;
use reqwest::StatusCode;
use reqwest::header::{HeaderMap, HeaderValue};
use serde_json::json;
use std::sync::Arc;
use std::time::Duration;

/// A network of its own per test run: limits live in Redis across runs.
fn fresh() -> u16 {
    rand::random::<u16>()
}

async fn join_from(
    app: &TestApp,
    room: &str,
    headers: &[(&'static str, impl AsRef<str>)],
    name: &str,
) -> reqwest::Response {
    let mut map = HeaderMap::new();
    for (header, value) in headers {
        map.insert(*header, HeaderValue::from_str(value.as_ref()).unwrap());
    }
    let url = app.url(&format!("/api/rooms/{room}/join"));
    app.client.post(url).headers(map).json(&json!({"display_name": name})).send().await.unwrap()
}

#[tokio::test]
async fn a_hundred_people_behind_one_address_all_join_a_meeting_of_a_hundred_within_a_minute() {
    let app = spawn_app_with(|c| c.rate_limits = RateLimits::default()).await;
    let (room, _) = app.room(100).await;
    // One office: every colleague comes from the same address, new to the limiter.
    let office = format!("2001:db8:{:x}::1", fresh());
    for i in 0..100 {
        let response = join_from(&app, &room, &[("x-forwarded-for", &office)], &format!("Colleague {i}")).await;
        assert_eq!(response.status(), StatusCode::CREATED, "colleague {i}");
        assert_eq!(joined(response).await.body["participant"]["status"], "admitted");
    }
    assert_eq!(app.participant_count(&room).await, 100);
}

#[tokio::test]
async fn the_default_limits_let_an_all_hands_of_500_in_within_a_minute_and_still_stop_a_flood() {
    // The limiter itself, on the real Redis: 500 joins through one HTTP app per test would
    // measure the local DynamoDB's speed, not the limits. (`make bench` joins 500 people into
    // one room through the API at these limits.)
    let app = spawn_app().await;
    let redis = LazyRedis::new(app.config.redis_url.expose(), Duration::from_secs(2)).unwrap();
    let limiter = RedisRateLimiter::new(Arc::new(redis));
    let defaults = RateLimits::default();
    let (office, room) = (format!("join:office-{:x}", fresh()), format!("join-room:all-hands-{:x}", fresh()));
    let allowed = |decision: anyhow::Result<Decision>| decision.unwrap() == Decision::Allowed;
    for person in 0..500 {
        assert!(allowed(limiter.check(&office, defaults.join).await), "from the office: {person}");
        assert!(allowed(limiter.check(&room, defaults.room_join).await), "into the room: {person}");
    }
    // One address alone runs out before the room does: it cannot lock a meeting's joins.
    let mut from_one_address = 500;
    while allowed(limiter.check(&office, defaults.join).await) {
        from_one_address += 1;
        assert!(allowed(limiter.check(&room, defaults.room_join).await));
    }
    assert!(from_one_address < defaults.room_join.max, "{from_one_address} joins from one address");
    // And a flood from everywhere into the room stops at the room's limit.
    let mut into_the_room = from_one_address;
    while allowed(limiter.check(&room, defaults.room_join).await) {
        into_the_room += 1;
    }
    assert_eq!(into_the_room, defaults.room_join.max);
}

#[tokio::test]
async fn joins_into_one_room_are_bounded_from_every_address_together() {
    let app = spawn_app_with(|c| c.rate_limits.room_join = RateLimit { max: 3, window: Duration::from_secs(60) }).await;
    let (room, host_key) = app.room(10).await;
    let net = fresh();
    let mut guests = Vec::new();
    for i in 0..3 {
        let response =
            join_from(&app, &room, &[("x-forwarded-for", &format!("2001:db8:{net:x}:{i}::1"))], "Guest").await;
        assert_eq!(response.status(), StatusCode::CREATED);
        guests.push(joined(response).await);
    }
    let first = &guests[0];
    let response = join_from(&app, &room, &[("x-forwarded-for", &format!("2001:db8:{net:x}:9::1"))], "Guest").await;
    assert!(response.headers().contains_key("retry-after"));
    assert_error(response, StatusCode::TOO_MANY_REQUESTS, "rate_limited").await;
    assert_eq!(app.participant_count(&room).await, 3, "a refused join writes nothing");
    // Nobody can lock the owner out by using up the room's joins, nor a guest out of a reload.
    let owner = app.join(&room, json!({"display_name": "Owner", "host_key": host_key})).await;
    assert_eq!(owner.status(), StatusCode::CREATED);
    let body = Some(json!({"display_name": "G"}));
    let reload = app.post_authed(&format!("/api/rooms/{room}/join"), &first.session, body).await;
    assert_eq!(reload.status(), StatusCode::CREATED);
    let (other, _) = app.room(10).await;
    let response = join_from(&app, &other, &[("x-forwarded-for", &format!("2001:db8:{net:x}:9::1"))], "Guest").await;
    assert_eq!(response.status(), StatusCode::CREATED, "other rooms are not affected");
}

#[tokio::test]
async fn one_ipv6_subscriber_is_one_client_whatever_address_of_its_64_it_uses() {
    let app = spawn_app_with(|c| c.rate_limits.join = RateLimit { max: 2, window: Duration::from_secs(60) }).await;
    let (room, _) = app.room(10).await;
    let net = fresh();
    for host in ["1::1", "1:ffff::2"] {
        let response =
            join_from(&app, &room, &[("x-forwarded-for", &format!("2001:db8:{net:x}:{host}"))], "Guest").await;
        assert_eq!(response.status(), StatusCode::CREATED);
    }
    let same = format!("2001:db8:{net:x}:1:abcd::3");
    let response = join_from(&app, &room, &[("x-forwarded-for", &same)], "Guest").await;
    assert_error(response, StatusCode::TOO_MANY_REQUESTS, "rate_limited").await;
    let next = format!("2001:db8:{net:x}:2::1");
    let response = join_from(&app, &room, &[("x-forwarded-for", &next)], "Guest").await;
    assert_eq!(response.status(), StatusCode::CREATED, "the next /64 is someone else");
}

const ORIGIN_SECRET: &str = "origin-secret-for-this-test-only-0123456789";

#[tokio::test]
async fn behind_cloudfront_requests_without_the_origin_secret_are_refused_and_viewers_are_told_apart() {
    let app = spawn_app_with(|c| {
        c.origin_secret = Some(Secret::new(ORIGIN_SECRET));
        c.rate_limits.join = RateLimit { max: 1, window: Duration::from_secs(60) };
    })
    .await;
    // The execute-api URL, called directly: no secret, or a guessed one.
    for headers in [vec![], vec![("x-origin-verify", "guess")]] {
        let response = join_from(&app, "abc-defg-hij", &headers, "Direct").await;
        assert_error(response, StatusCode::FORBIDDEN, "direct_access_refused").await;
        let mut map = HeaderMap::new();
        for (header, value) in &headers {
            map.insert(*header, HeaderValue::from_str(value).unwrap());
        }
        let response = app.client.get(app.url("/api/health")).headers(map).send().await.unwrap();
        assert_error(response, StatusCode::FORBIDDEN, "direct_access_refused").await;
    }

    // Through CloudFront: each viewer is keyed by the address CloudFront saw, whatever
    // X-Forwarded-For the viewer made up.
    let mut map = HeaderMap::new();
    map.insert("x-origin-verify", HeaderValue::from_static(ORIGIN_SECRET));
    let created = app.client.post(app.url("/api/rooms")).headers(map).json(&json!({"title": "All hands"})).send().await;
    let room = created.unwrap().json::<serde_json::Value>().await.unwrap()["room"]["id"].as_str().unwrap().to_owned();
    let net = fresh();
    let (viewer_a, viewer_b) =
        (format!("10.{}.{}.1", net >> 8, net & 0xff), format!("10.{}.{}.2", net >> 8, net & 0xff));
    let via = |viewer: &str, forged: &'static str| {
        [
            ("x-origin-verify", ORIGIN_SECRET.to_owned()),
            ("x-viewer-address", viewer.to_owned()),
            ("x-forwarded-for", forged.into()),
        ]
    };
    let first = join_from(&app, &room, &via(&viewer_a, "192.0.2.1"), "Viewer A").await;
    assert_eq!(first.status(), StatusCode::CREATED);
    let again = join_from(&app, &room, &via(&viewer_a, "192.0.2.2"), "Viewer A again").await;
    assert_error(again, StatusCode::TOO_MANY_REQUESTS, "rate_limited").await;
    let other = join_from(&app, &room, &via(&viewer_b, "192.0.2.1"), "Viewer B").await;
    assert_eq!(other.status(), StatusCode::CREATED);
}

#[tokio::test]
async fn request_ids_are_always_the_servers_own() {
    let app = spawn_app_with(|_| {}).await;
    let response = app.client.get(app.url("/api/rooms/abc-defg-hij")).header("x-request-id", "forged-id").send().await;
    let response = response.unwrap();
    let id = response.headers()["x-request-id"].to_str().unwrap().to_owned();
    assert_ne!(id, "forged-id");
    assert!(uuid::Uuid::parse_str(&id).is_ok(), "{id}");
    let body = assert_error(response, StatusCode::NOT_FOUND, "room_not_found").await;
    assert_eq!(body["error"]["request_id"], id);
}
