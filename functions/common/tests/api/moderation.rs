use crate::helpers::{assert_error, joined, spawn_app, spawn_app_with};
use reqwest::StatusCode;
use serde_json::{Value, json};

#[tokio::test]
async fn a_guest_calling_any_host_action_is_403_forbidden() {
    let app = spawn_app().await;
    let (room, _, host) = app.room_with_host(5, false).await;
    let guest = app.guest(&room, "Guest").await;
    for action in ["admit", "deny", "kick", "ban", "promote"] {
        assert_error(app.moderate(&room, &guest.session, &host.id, action).await, StatusCode::FORBIDDEN, "forbidden")
            .await;
    }
    let mute = app
        .post_authed(
            &format!("/api/rooms/{room}/participants/{}/mute", host.id),
            &guest.session,
            Some(json!({"source": "microphone"})),
        )
        .await;
    assert_error(mute, StatusCode::FORBIDDEN, "forbidden").await;
    for path in ["lobby", "actions"] {
        assert_error(
            app.get(&format!("/api/rooms/{room}/{path}"), Some(&guest.session)).await,
            StatusCode::FORBIDDEN,
            "forbidden",
        )
        .await;
    }
    let patch = app.patch_room(&room, &guest.session, json!({"locked": true})).await;
    assert_error(patch, StatusCode::FORBIDDEN, "forbidden").await;
    assert_error(
        app.post_authed(&format!("/api/rooms/{room}/end"), &guest.session, None).await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;

    let body: Value = app.get(&format!("/api/rooms/{room}"), None).await.json().await.unwrap();
    assert_eq!(
        (body["room"]["locked"].as_bool(), body["ended"].as_bool()),
        (Some(false), Some(false)),
        "nothing changed"
    );
    let room_id = common::domain::RoomId::parse(&room).unwrap();
    assert!(app.state.moderation.actions(&room_id).await.unwrap().is_empty(), "nothing recorded");
}

#[tokio::test]
async fn acting_on_a_participant_of_another_room_is_404() {
    let app = spawn_app().await;
    let (room, _, host) = app.room_with_host(5, false).await;
    let (other_room, _, _) = app.room_with_host(5, false).await;
    let stranger = app.guest(&other_room, "Stranger").await;
    for target in [stranger.id.as_str(), "not-a-participant-id"] {
        assert_error(
            app.moderate(&room, &host.session, target, "kick").await,
            StatusCode::NOT_FOUND,
            "participant_not_found",
        )
        .await;
    }
    assert_eq!(app.status_of(&other_room, &stranger.session).await, "admitted");
}

#[tokio::test]
async fn a_waiting_guest_is_admitted_or_denied_by_a_host() {
    let app = spawn_app().await;
    let (room, _, host) = app.room_with_host(5, true).await;
    let first = app.guest(&room, "First").await;
    let second = app.guest(&room, "Second").await;

    let me = app.get(&format!("/api/rooms/{room}/me"), Some(&first.session)).await;
    assert_eq!(me.headers()["retry-after"], "1", "the waiting page polls at a gentle pace");
    assert_eq!(me.json::<Value>().await.unwrap()["participant"]["status"], "waiting");
    let lobby: Value = app.get(&format!("/api/rooms/{room}/lobby"), Some(&host.session)).await.json().await.unwrap();
    let names: Vec<&str> =
        lobby["waiting"].as_array().unwrap().iter().map(|p| p["display_name"].as_str().unwrap()).collect();
    assert_eq!(names, ["First", "Second"], "oldest first");

    let admitted = app.moderate(&room, &host.session, &first.id, "admit").await;
    assert_eq!(admitted.status(), StatusCode::OK);
    assert_eq!(app.status_of(&room, &first.session).await, "admitted");
    assert_eq!(
        app.post_authed(&format!("/api/rooms/{room}/token"), &first.session, None).await.status(),
        StatusCode::OK
    );

    assert_eq!(app.moderate(&room, &host.session, &second.id, "deny").await.status(), StatusCode::OK);
    assert_eq!(app.status_of(&room, &second.session).await, "denied");
    assert_error(
        app.post_authed(&format!("/api/rooms/{room}/token"), &second.session, None).await,
        StatusCode::FORBIDDEN,
        "denied",
    )
    .await;
    // A decision is final: admitting someone already admitted or denied is a state error.
    assert_error(app.moderate(&room, &host.session, &second.id, "admit").await, StatusCode::CONFLICT, "invalid_state")
        .await;
    let lobby: Value = app.get(&format!("/api/rooms/{room}/lobby"), Some(&host.session)).await.json().await.unwrap();
    assert_eq!(lobby["waiting"], json!([]));
}

#[tokio::test]
async fn admitting_into_a_full_room_is_409() {
    let app = spawn_app().await;
    let (room, _, host) = app.room_with_host(2, true).await;
    let first = app.guest(&room, "First").await;
    let second = app.guest(&room, "Second").await;
    assert_eq!(app.moderate(&room, &host.session, &first.id, "admit").await.status(), StatusCode::OK);
    assert_error(app.moderate(&room, &host.session, &second.id, "admit").await, StatusCode::CONFLICT, "room_full")
        .await;
    assert_eq!(app.status_of(&room, &second.session).await, "waiting");
}

#[tokio::test]
async fn two_hosts_racing_to_admit_two_guests_into_the_last_slot_admit_exactly_one() {
    let app = spawn_app().await;
    let (room, host_key, host) = app.room_with_host(3, true).await;
    let cohost = joined(app.join(&room, json!({"display_name": "Cohost", "host_key": host_key})).await).await;
    let a = app.guest(&room, "A").await;
    let b = app.guest(&room, "B").await;
    let (first, second) = tokio::join!(
        app.moderate(&room, &host.session, &a.id, "admit"),
        app.moderate(&room, &cohost.session, &b.id, "admit")
    );
    let mut statuses = [first.status(), second.status()];
    statuses.sort();
    assert_eq!(statuses, [StatusCode::OK, StatusCode::CONFLICT]);
    assert_eq!(app.participant_count(&room).await, 3);
}

#[tokio::test]
async fn a_kicked_session_gets_no_token_no_chat_and_no_rejoin() {
    let app = spawn_app().await;
    let (room, _, host) = app.room_with_host(5, false).await;
    let guest = app.guest(&room, "Guest").await;
    let kicked = app.moderate(&room, &host.session, &guest.id, "kick").await;
    assert_eq!(kicked.status(), StatusCode::OK);
    assert_eq!(kicked.json::<Value>().await.unwrap()["participant"]["status"], "kicked");

    assert_error(
        app.post_authed(&format!("/api/rooms/{room}/token"), &guest.session, None).await,
        StatusCode::FORBIDDEN,
        "kicked",
    )
    .await;
    assert_error(
        app.send_chat(&room, &guest.session, json!({"text": "still here?"})).await,
        StatusCode::FORBIDDEN,
        "kicked",
    )
    .await;
    let rejoin = app
        .post_authed(&format!("/api/rooms/{room}/join"), &guest.session, Some(json!({"display_name": "Guest"})))
        .await;
    assert_error(rejoin, StatusCode::FORBIDDEN, "kicked").await;
    assert_eq!(app.participant_count(&room).await, 1, "the slot is free");
    assert_error(app.moderate(&room, &host.session, &host.id, "kick").await, StatusCode::CONFLICT, "invalid_state")
        .await;
}

#[tokio::test]
async fn a_ban_refuses_the_session_and_new_joins_from_the_same_browser() {
    let app = spawn_app().await;
    let (room, _, host) = app.room_with_host(5, false).await;
    let device = "browser-0001-aaaa";
    let guest = joined(app.join(&room, json!({"display_name": "Troll", "device_id": device})).await).await;
    assert_eq!(app.moderate(&room, &host.session, &guest.id, "ban").await.status(), StatusCode::OK);

    assert_error(
        app.post_authed(&format!("/api/rooms/{room}/token"), &guest.session, None).await,
        StatusCode::FORBIDDEN,
        "banned",
    )
    .await;
    assert_error(
        app.join(&room, json!({"display_name": "New name", "device_id": device})).await,
        StatusCode::FORBIDDEN,
        "banned",
    )
    .await;
    let elsewhere = app.join(&room, json!({"display_name": "Someone else", "device_id": "browser-0002-bbbb"})).await;
    assert_eq!(elsewhere.status(), StatusCode::CREATED);
}

#[tokio::test]
async fn a_ban_takes_out_every_session_of_that_browser_and_a_denied_guest_can_be_banned() {
    let app = spawn_app().await;
    let (room, _, host) = app.room_with_host(5, false).await;
    let device = "browser-0003-cccc";
    // Two tabs of one browser: one shows up, the other stays quiet to come back later.
    let shown = joined(app.join(&room, json!({"display_name": "Troll", "device_id": device})).await).await;
    let quiet = joined(app.join(&room, json!({"display_name": "Quiet", "device_id": device})).await).await;
    assert_eq!(app.moderate(&room, &host.session, &shown.id, "ban").await.status(), StatusCode::OK);
    for session in [&shown.session, &quiet.session] {
        let token = app.post_authed(&format!("/api/rooms/{room}/token"), session, None).await;
        assert_error(token, StatusCode::FORBIDDEN, "banned").await;
        let body = Some(json!({"display_name": "Again"}));
        let rejoin = app.post_authed(&format!("/api/rooms/{room}/join"), session, body).await;
        assert_error(rejoin, StatusCode::FORBIDDEN, "banned").await;
    }
    assert_eq!(app.participant_count(&room).await, 1, "only the host holds a slot");

    let (lobby, _, host) = app.room_with_host(5, true).await;
    let device = "browser-0004-dddd";
    let denied = joined(app.join(&lobby, json!({"display_name": "Pest", "device_id": device})).await).await;
    assert_eq!(app.moderate(&lobby, &host.session, &denied.id, "deny").await.status(), StatusCode::OK);
    assert_eq!(app.moderate(&lobby, &host.session, &denied.id, "ban").await.status(), StatusCode::OK);
    let again = app.join(&lobby, json!({"display_name": "Pest again", "device_id": device})).await;
    assert_error(again, StatusCode::FORBIDDEN, "banned").await;
}

#[tokio::test]
async fn sessions_staged_before_a_lock_that_never_connected_cannot_come_in_after_it() {
    let app = spawn_app_with(|c| c.connect_grace = std::time::Duration::from_secs(1)).await;
    let (room, _, host) = app.room_with_host(10, false).await;
    let staged = app.guest(&room, "Staged").await;
    let dropped = app.guest(&room, "Dropped").await;
    app.livekit_event("participant_joined", &room, &host.id, "PA_host").await;
    app.livekit_event("participant_joined", &room, &dropped.id, "PA_dropped").await;
    app.livekit_event("participant_left", &room, &dropped.id, "PA_dropped").await;
    tokio::time::sleep(std::time::Duration::from_millis(1500)).await; // the staged admission lapses
    assert_eq!(app.patch_room(&room, &host.session, json!({"locked": true})).await.status(), StatusCode::OK);

    let token = app.post_authed(&format!("/api/rooms/{room}/token"), &staged.session, None).await;
    assert_error(token, StatusCode::UNAUTHORIZED, "unauthorized").await;
    let body = Some(json!({"display_name": "S"}));
    let rejoin = app.post_authed(&format!("/api/rooms/{room}/join"), &staged.session, body).await;
    assert_error(rejoin, StatusCode::UNAUTHORIZED, "unauthorized").await;
    // The app then forgets that session and joins afresh, which the lock refuses.
    assert_error(app.join(&room, json!({"display_name": "S"})).await, StatusCode::FORBIDDEN, "room_locked").await;
    // Someone who was in the meeting and lost their connection still gets back in.
    let token = app.post_authed(&format!("/api/rooms/{room}/token"), &dropped.session, None).await;
    assert_eq!(token.status(), StatusCode::OK);
}

#[tokio::test]
async fn a_locked_room_refuses_every_new_join_but_hosts() {
    let app = spawn_app().await;
    let (room, host_key, host) = app.room_with_host(5, true).await;
    let response = app.patch_room(&room, &host.session, json!({"locked": true, "title": "Closed"})).await;
    assert_eq!(response.status(), StatusCode::OK);
    let body: Value = response.json().await.unwrap();
    assert_eq!((body["room"]["locked"].as_bool(), body["room"]["title"].as_str()), (Some(true), Some("Closed")));

    assert_error(app.join(&room, json!({"display_name": "Late"})).await, StatusCode::FORBIDDEN, "room_locked").await;
    let cohost = app.join(&room, json!({"display_name": "Cohost", "host_key": host_key})).await;
    assert_eq!(cohost.status(), StatusCode::CREATED);

    let invalid = app.patch_room(&room, &host.session, json!({"title": ""})).await;
    assert_error(invalid, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
}

#[tokio::test]
async fn ending_a_room_closes_it_for_everyone_and_deletes_its_chat() {
    let app = spawn_app().await;
    let (room, _, host) = app.room_with_host(5, false).await;
    let guest = app.guest(&room, "Guest").await;
    app.send_chat(&room, &guest.session, json!({"text": "bye"})).await;
    let response = app.post_authed(&format!("/api/rooms/{room}/end"), &host.session, None).await;
    assert_eq!(response.status(), StatusCode::NO_CONTENT);

    let body: Value = app.get(&format!("/api/rooms/{room}"), None).await.json().await.unwrap();
    assert_eq!(body["ended"], true);
    assert_eq!(body["room"]["participant_count"], 0);
    assert_error(app.join(&room, json!({"display_name": "Late"})).await, StatusCode::GONE, "room_ended").await;
    assert_error(
        app.post_authed(&format!("/api/rooms/{room}/token"), &guest.session, None).await,
        StatusCode::GONE,
        "room_ended",
    )
    .await;
    assert_error(
        app.get(&format!("/api/rooms/{room}/messages"), Some(&guest.session)).await,
        StatusCode::GONE,
        "room_ended",
    )
    .await;

    let redis = redis::Client::open(app.config.redis_url.expose()).unwrap();
    let mut conn = redis.get_multiplexed_async_connection().await.unwrap();
    let exists: i64 = redis::cmd("EXISTS").arg(format!("chat:{{{room}}}")).query_async(&mut conn).await.unwrap();
    assert_eq!(exists, 0, "chat history deleted");
}

#[tokio::test]
async fn a_promoted_guest_can_moderate_and_everyone_sees_the_new_role() {
    let app = spawn_app().await;
    let (room, _, host) = app.room_with_host(5, true).await;
    let lobby_guest = app.guest(&room, "Waiting").await;
    app.moderate(&room, &host.session, &lobby_guest.id, "admit").await;
    let response = app.moderate(&room, &host.session, &lobby_guest.id, "promote").await;
    assert_eq!(response.json::<Value>().await.unwrap()["participant"]["role"], "host");
    assert_eq!(app.get(&format!("/api/rooms/{room}/lobby"), Some(&lobby_guest.session)).await.status(), StatusCode::OK);
    assert_error(
        app.moderate(&room, &host.session, &lobby_guest.id, "promote").await,
        StatusCode::CONFLICT,
        "invalid_state",
    )
    .await;

    let list: Value =
        app.get(&format!("/api/rooms/{room}/participants"), Some(&lobby_guest.session)).await.json().await.unwrap();
    let roles: Vec<(&str, &str, &str)> = list["participants"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p["display_name"].as_str().unwrap(), p["role"].as_str().unwrap(), p["status"].as_str().unwrap()))
        .collect();
    assert_eq!(roles, [("Host", "host", "admitted"), ("Waiting", "host", "admitted")]);
}

#[tokio::test]
async fn the_participant_list_is_for_people_in_the_room() {
    let app = spawn_app().await;
    let (room, _, _host) = app.room_with_host(5, true).await;
    let waiting = app.guest(&room, "Waiting").await;
    let response = app.get(&format!("/api/rooms/{room}/participants"), Some(&waiting.session)).await;
    assert_error(response, StatusCode::FORBIDDEN, "not_admitted").await;
}

#[tokio::test]
async fn every_action_is_recorded_with_who_what_whom_and_when() {
    let app = spawn_app().await;
    let (room, _, host) = app.room_with_host(5, true).await;
    let a = app.guest(&room, "A").await;
    let b = app.guest(&room, "B").await;
    app.moderate(&room, &host.session, &a.id, "admit").await;
    app.moderate(&room, &host.session, &b.id, "deny").await;
    app.moderate(&room, &host.session, &a.id, "kick").await;
    let log: Value = app.get(&format!("/api/rooms/{room}/actions"), Some(&host.session)).await.json().await.unwrap();
    let entries: Vec<(&str, &str, &str)> = log["actions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["actor_id"].as_str().unwrap(), e["action"].as_str().unwrap(), e["target_id"].as_str().unwrap()))
        .collect();
    assert_eq!(
        entries,
        [
            (host.id.as_str(), "admit", a.id.as_str()),
            (host.id.as_str(), "deny", b.id.as_str()),
            (host.id.as_str(), "kick", a.id.as_str())
        ]
    );
    assert!(log["actions"][0]["created_at"].as_str().is_some());
}

#[tokio::test]
async fn muting_someone_who_publishes_nothing_is_404_track_not_found() {
    let app = spawn_app().await;
    let (room, _, host) = app.room_with_host(5, false).await;
    let guest = app.guest(&room, "Quiet").await;
    let url = format!("/api/rooms/{room}/participants/{}/mute", guest.id);
    assert_error(
        app.post_authed(&url, &host.session, Some(json!({"source": "microphone"}))).await,
        StatusCode::NOT_FOUND,
        "track_not_found",
    )
    .await;
    assert_error(
        app.post_authed(&url, &host.session, Some(json!({"source": "nose"}))).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
}

#[tokio::test]
async fn with_livekit_down_a_mute_is_503_media_unavailable_and_nothing_is_logged() {
    let app = spawn_app_with(|c| c.livekit.api_url = "http://127.0.0.1:9".into()).await;
    let (room, _, host) = app.room_with_host(5, false).await;
    let guest = app.guest(&room, "Loud").await;
    let url = format!("/api/rooms/{room}/participants/{}/mute", guest.id);
    assert_error(
        app.post_authed(&url, &host.session, Some(json!({"source": "microphone"}))).await,
        StatusCode::SERVICE_UNAVAILABLE,
        "media_unavailable",
    )
    .await;
    let log: Value = app.get(&format!("/api/rooms/{room}/actions"), Some(&host.session)).await.json().await.unwrap();
    assert_eq!(log["actions"], json!([]));
}

/// One trial: a guest comes back over and over from six workers while a host removes
/// them. Half the workers drop the LiveKit connection and ask for a token (which takes the
/// slot back), half leave and rejoin; afterwards that participant must be out for good.
async fn removal_racing_a_comeback_loop(app: &crate::helpers::TestApp, action: &str) {
    let (room, _, host) = app.room_with_host(10, false).await;
    let device = format!("device-{}", uuid::Uuid::new_v4().simple());
    let guest = joined(app.join(&room, json!({"display_name": "Mallory", "device_id": device})).await).await;
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let secret =
        app.config.livekit.api_secret.as_ref().expect("the test stack has a LiveKit secret").expose().to_owned();
    let mut workers = Vec::new();
    for worker in 0..6 {
        let (app_url, client, room, session, stop, device) = (
            app.address.clone(),
            app.client.clone(),
            room.clone(),
            guest.session.clone(),
            stop.clone(),
            device.clone(),
        );
        // Signed presence events of a flapping connection, prepared outside the race.
        let flaps: Vec<[(String, String); 2]> = (0..30)
            .map(|i| {
                let sid = format!("PA_{worker}_{i}");
                ["participant_joined", "participant_left"].map(|kind| {
                    let body = crate::helpers::presence_event(kind, &room, &guest.id, &sid);
                    let signature = app.webhook_signature(&body, &secret);
                    (body, signature)
                })
            })
            .collect();
        workers.push(tokio::spawn(async move {
            let url = |path: &str| format!("{app_url}/api/rooms/{room}/{path}");
            let webhook = format!("{app_url}/api/livekit/webhook");
            for flap in flaps.iter().cycle() {
                if stop.load(std::sync::atomic::Ordering::Relaxed) {
                    break;
                }
                if worker % 2 == 0 {
                    for (body, signature) in flap {
                        let delivery = client.post(&webhook).header("authorization", signature).body(body.clone());
                        let _ = delivery.header("content-type", "application/webhook+json").send().await;
                    }
                } else {
                    let _ = client.post(url("leave")).bearer_auth(&session).send().await;
                    // The same browser: a session that left comes back as a new participant.
                    let body = json!({"display_name": "Mallory", "device_id": device});
                    let _ = client.post(url("join")).bearer_auth(&session).json(&body).send().await;
                }
                let _ = client.post(url("token")).bearer_auth(&session).send().await;
            }
        }));
    }
    tokio::time::sleep(std::time::Duration::from_millis(30)).await;
    let removed = app.moderate(&room, &host.session, &guest.id, action).await;
    tokio::time::sleep(std::time::Duration::from_millis(60)).await;
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    for worker in workers {
        worker.await.unwrap();
    }
    let expected = if action == "ban" { "banned" } else { "kicked" };
    let removed_ok = removed.status() == StatusCode::OK;
    // The guest may have left in between, which the host then sees; either way the
    // removal was decided on the state it found, and nothing undid it.
    if removed.status() == StatusCode::OK {
        assert_eq!(app.stored_status(&room, &guest.id).await, expected, "{action} was undone");
        let token = app.post_authed(&format!("/api/rooms/{room}/token"), &guest.session, None).await;
        assert!(matches!(token.status().as_u16(), 401 | 403), "a token after {action}: {}", token.status());
        let chat = app.send_chat(&room, &guest.session, json!({"text": "back"})).await;
        assert!(matches!(chat.status().as_u16(), 401 | 403), "chat after {action}: {}", chat.status());
    } else {
        assert_error(removed, StatusCode::CONFLICT, "invalid_state").await;
    }
    if action == "ban" {
        let again = app.join(&room, json!({"display_name": "Mallory", "device_id": device})).await;
        assert_error(again, StatusCode::FORBIDDEN, "banned").await;
        if removed_ok {
            // Every session that browser opened during the race is out too.
            assert_eq!(app.participant_count(&room).await, 1, "only the host holds a slot after the ban");
        }
    }
}

#[tokio::test]
async fn a_kick_or_ban_racing_a_leave_and_token_loop_always_holds() {
    let app = spawn_app().await;
    for trial in 0..20 {
        removal_racing_a_comeback_loop(&app, if trial % 2 == 0 { "kick" } else { "ban" }).await;
    }
}

#[tokio::test]
async fn the_owner_cannot_be_removed_by_a_promoted_host_nor_locked_out_by_a_ban() {
    let app = spawn_app().await;
    let (room, host_key, owner) = app.room_with_host(5, false).await;
    assert_eq!(owner.body["participant"]["owner"], true);
    let guest = app.guest(&room, "Deputy").await;
    assert_eq!(app.moderate(&room, &owner.session, &guest.id, "promote").await.status(), StatusCode::OK);
    for action in ["kick", "ban"] {
        let refused = app.moderate(&room, &guest.session, &owner.id, action).await;
        assert_error(refused, StatusCode::FORBIDDEN, "owner_protected").await;
    }
    assert_eq!(app.status_of(&room, &owner.session).await, "admitted");

    // A guest on the owner's own browser is banned; the owner still gets in with the key.
    let device = "shared-browser-0001";
    let twin = joined(app.join(&room, json!({"display_name": "Twin", "device_id": device})).await).await;
    assert_eq!(app.moderate(&room, &guest.session, &twin.id, "ban").await.status(), StatusCode::OK);
    let back = app.join(&room, json!({"display_name": "Owner", "host_key": host_key, "device_id": device})).await;
    assert_eq!(back.status(), StatusCode::CREATED);
    let guest_again = app.join(&room, json!({"display_name": "Twin", "device_id": device})).await;
    assert_error(guest_again, StatusCode::FORBIDDEN, "banned").await;
}

#[tokio::test]
async fn a_host_removed_a_moment_ago_can_act_no_more() {
    let app = spawn_app().await;
    let (room, _, owner) = app.room_with_host(5, false).await;
    let deputy = app.guest(&room, "Deputy").await;
    let guest = app.guest(&room, "Guest").await;
    assert_eq!(app.moderate(&room, &owner.session, &deputy.id, "promote").await.status(), StatusCode::OK);
    assert_eq!(app.moderate(&room, &owner.session, &deputy.id, "kick").await.status(), StatusCode::OK);
    let refused = app.moderate(&room, &deputy.session, &guest.id, "kick").await;
    assert_error(refused, StatusCode::FORBIDDEN, "kicked").await;
    assert_eq!(app.status_of(&room, &guest.session).await, "admitted");
}

#[tokio::test]
async fn a_flood_into_the_lobby_stops_at_its_cap_with_409_lobby_full() {
    let app = spawn_app().await;
    let (room, _, host) = app.room_with_host(3, true).await;
    let mut joins = tokio::task::JoinSet::new();
    for i in 0..12 {
        let (client, url) = (app.client.clone(), app.url(&format!("/api/rooms/{room}/join")));
        joins.spawn(async move { client.post(url).json(&json!({"display_name": format!("Waiter {i}")})).send().await });
    }
    let mut waiting = 0;
    for answer in joins.join_all().await {
        let answer = answer.unwrap();
        if answer.status() == StatusCode::CREATED {
            waiting += 1;
        } else {
            assert_error(answer, StatusCode::CONFLICT, "lobby_full").await;
        }
    }
    assert_eq!(waiting, 3, "the lobby holds as many as the room");
    let lobby: Value = app.get(&format!("/api/rooms/{room}/lobby"), Some(&host.session)).await.json().await.unwrap();
    assert_eq!(lobby["waiting"].as_array().unwrap().len(), 3);
}

/// Guests who keep joining a room of three slot shards (120 people) for about a second while
/// its host runs `act` a third of the way in: every join sent after the host's answer must be
/// refused with `refused` (or told to try again), and the room counts exactly those admitted.
async fn joins_race(act: &str, refused: (StatusCode, &str)) {
    let app = spawn_app().await;
    let (room, _, host) = app.room_with_host(120, false).await;
    let mut joins = tokio::task::JoinSet::new();
    let join = |i: u64, after_ms: u64| {
        let (client, url) = (app.client.clone(), app.url(&format!("/api/rooms/{room}/join")));
        async move {
            tokio::time::sleep(std::time::Duration::from_millis(after_ms)).await;
            let sent = tokio::time::Instant::now();
            let answer = client.post(url).json(&json!({"display_name": format!("G{i}")})).send().await.unwrap();
            let status = answer.status();
            let code = answer.json::<Value>().await.ok().and_then(|b| b["error"]["code"].as_str().map(str::to_owned));
            (sent, status, code)
        }
    };
    for i in 0..20 {
        joins.spawn(join(i, i * 50));
    }
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    // The local DynamoDB serves one request at a time: behind the joins, the host's request
    // may find it too slow (503), and the host tries again, as our app lets them.
    let mut tries = 0;
    let done = loop {
        tries += 1;
        let answer = match act {
            "lock" => app.patch_room(&room, &host.session, json!({"locked": true})).await,
            _ => app.post_authed(&format!("/api/rooms/{room}/end"), &host.session, None).await,
        };
        let status = answer.status();
        // A 503 may come after the write did (the answer, not the end, was too slow): trying
        // again then finds the room ended.
        if status.is_success() || (act == "end" && tries > 1 && status == StatusCode::GONE) {
            break tokio::time::Instant::now();
        }
        let body = answer.text().await.unwrap_or_default();
        assert!(status == StatusCode::SERVICE_UNAVAILABLE && tries < 5, "{act}: {status} {body}");
    };
    // And more who arrive once the host's answer is in.
    for i in 20..26 {
        joins.spawn(join(i, 0));
    }
    let answers = joins.join_all().await;
    let late: Vec<_> = answers.iter().filter(|(sent, ..)| *sent > done).collect();
    assert!(late.len() >= 6, "joins were sent after the host's {act} answered");
    assert!(late.iter().any(|(_, status, _)| *status == refused.0), "some of them were answered, not all busy");
    for (_, status, code) in &late {
        let busy = *status == StatusCode::SERVICE_UNAVAILABLE;
        assert!(busy || (*status, code.as_deref()) == (refused.0, Some(refused.1)), "after {act}: {status} {code:?}");
    }
    if act == "lock" {
        let admitted = answers.iter().filter(|(_, status, _)| *status == StatusCode::CREATED).count() as i64;
        assert_eq!(app.participant_count(&room).await, admitted + 1, "the host and exactly those admitted");
    }
}

#[tokio::test]
async fn in_a_room_of_several_shards_no_join_gets_past_a_lock_once_it_is_answered() {
    joins_race("lock", (StatusCode::FORBIDDEN, "room_locked")).await;
}

#[tokio::test]
async fn in_a_room_of_several_shards_no_join_gets_past_the_end_once_it_is_answered() {
    joins_race("end", (StatusCode::GONE, "room_ended")).await;
}
