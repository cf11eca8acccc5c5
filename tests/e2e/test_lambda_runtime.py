"""Every route of template.yaml answers through AWS's own Lambda runtime: each function's
bootstrap runs under the Runtime Interface Emulator (`aws-lambda-rie`) and receives the
events API Gateway's HTTP API sends (`clients/python/lambda_runtime.py`). One meeting is
held through it from creation to its end, with a real LiveKit client for the host actions
that act on media: once on PostgreSQL, once on DynamoDB (the cloud's store, in a table made as
the template makes it). What it cannot show is AWS's side: IAM, SSM and the origin check."""

import asyncio
import os
import shutil
import uuid
from pathlib import Path

import pytest
from lambda_runtime import ApiGateway, create_table, routes
from livekit_client import Client
from meet_api import MeetApi, Refused
from stack import signed_webhook, wait_for

ROOT = Path(__file__).resolve().parents[2]
LOGS = Path(os.environ.get("STATE_DIR", "/tmp")) / "logs"


@pytest.fixture(scope="module", params=["postgres", "dynamodb"])
def gateway(request):
    if shutil.which("aws-lambda-rie") is None:
        pytest.fail("aws-lambda-rie is not installed: run through `make test`", pytrace=False)
    bootstraps = ROOT / "target" / "debug"
    missing = sorted({r.function for r in routes() if not (bootstraps / r.function).exists()})
    if missing:
        pytest.fail(f"no bootstrap for {missing}: `make test` builds them (build_functions in env.sh)", pytrace=False)
    (LOGS / request.param).mkdir(parents=True, exist_ok=True)
    # Slots are held for the whole meeting: the emulators start, cold, as it goes.
    env = os.environ | {"CONNECT_GRACE_SECONDS": "600"}
    if request.param == "dynamodb":
        # The cloud's store, in a table made as template.yaml makes it.
        table = f"rie-{uuid.uuid4().hex}"
        create_table(table)
        env["DYNAMODB_TABLE"] = table
    gateway = ApiGateway(bootstraps, LOGS / request.param, env)
    gateway.store = request.param
    yield gateway
    gateway.close()


@pytest.fixture
def lambda_api(gateway):
    client = MeetApi("https://meet.example", transport=gateway)
    yield client
    client.close()


async def test_a_whole_meeting_goes_through_every_route_under_the_lambda_runtime(gateway, lambda_api):
    api = lambda_api
    assert api.health() == {"status": "ok"}
    created = api.create_room("Through Lambda", max_participants=6, waiting_room=True)
    room_id, host_key = created["room"]["id"], created["host_key"]
    assert api.room(room_id)["room"]["title"] == "Through Lambda"

    host = api.join(room_id, "Host", host_key=host_key)
    host_session = host["session_token"]
    assert api.me(room_id, host_session)["role"] == "host"

    def admitted(name):
        guest = api.join(room_id, name)
        assert guest["participant"]["status"] == "waiting"
        assert name in [w["display_name"] for w in api.lobby(room_id, host_session)]
        api.moderate(room_id, host_session, guest["participant"]["id"], "admit")
        return guest

    ann = admitted("Ann")
    bob = api.join(room_id, "Bob")
    api.moderate(room_id, host_session, bob["participant"]["id"], "deny")
    ann_session = ann["session_token"]
    statuses = {p["display_name"]: p["status"] for p in api.participants(room_id, ann_session)}
    assert statuses == {"Host": "admitted", "Ann": "admitted", "Bob": "denied"}

    # On PostgreSQL, Ann connects to LiveKit with the token the Lambda minted and stays
    # connected while the meeting goes on: the host mutes her camera. (LiveKit's webhooks go to
    # the local server, whose store is PostgreSQL: on the DynamoDB run they would find no such
    # meeting and have her removed, so there the mute finds no camera to mute.)
    grant = api.token(room_id, ann_session)
    ann_client = await Client().connect(grant["livekit_url"], grant["token"]) if gateway.store == "postgres" else None
    try:

        def mute():
            return api.call("muteParticipant", room_id=room_id, participant_id=ann["participant"]["id"],
                            session=host_session, json={"source": "camera"})

        if ann_client:
            await asyncio.wait_for(ann_client.publish_synthetic_video(), 20)
            # Until LiveKit has the published track, there is nothing to mute.
            await wait_for(lambda: mute().status_code != 404, "the host muted Ann's camera")
        else:
            refused = mute()
            assert (refused.status_code, refused.json()["error"]["code"]) == (404, "track_not_found"), refused.text

        api.raise_hand(room_id, ann_session)
        assert [h["participant_id"] for h in api.hands(room_id, host_session)["hands"]] == [ann["participant"]["id"]]
        api.lower_hand(room_id, ann_session)
        api.raise_hand(room_id, ann_session)
        api.lower_hands(room_id, host_session)
        assert api.hands(room_id, host_session)["hands"] == []

        api.send_chat(room_id, ann_session, "sent through Lambda")
        assert [m["text"] for m in api.list_chat(room_id, host_session)["messages"]] == ["sent through Lambda"]
        api.react(room_id, ann_session, "👏")

        api.moderate(room_id, host_session, ann["participant"]["id"], "promote")
        assert api.update_room(room_id, host_session, title="Still through Lambda")["title"] == "Still through Lambda"
        cat, dan = admitted("Cat"), admitted("Dan")
        api.moderate(room_id, host_session, cat["participant"]["id"], "kick")
        api.moderate(room_id, host_session, dan["participant"]["id"], "ban")
        actions = [a["action"] for a in api.answer("moderationLog", room_id=room_id, session=host_session)["actions"]]
        logged = {"admit", "deny", "promote", "update_room", "kick", "ban", "lower_hands"} | ({"mute"} if ann_client else set())
        assert logged <= set(actions), actions
        api.leave(room_id, ann_session)
    finally:
        if ann_client:
            await ann_client.disconnect()

    body, headers = signed_webhook({"event": "room_finished", "room": {"name": "not-a-meeting"}, "id": f"EV_rie_{room_id}",
                            "createdAt": "1764132000"})
    assert api.call("livekitWebhook", content=body, headers=headers).status_code == 200
    unsigned = api.call("livekitWebhook", content=body, headers={"content-type": "application/webhook+json"})
    assert (unsigned.status_code, unsigned.json()["error"]["code"]) == (401, "unauthorized")

    api.answer("reportTelemetry", json={"events": [{"type": "join", "outcome": "connected"}]})
    assert api.answer("connectionCheck")["token"]

    api.end(room_id, host_session)
    assert api.room(room_id)["ended"] is True
    with pytest.raises(Refused) as after_end:
        api.join(room_id, "Late")
    assert (after_end.value.status, after_end.value.code) == (410, "room_ended")

    # Every route of the template was served, and answered its success at least once.
    template = {r.key for r in routes()}
    assert set(gateway.served) == template, template ^ set(gateway.served)
    failed = {key: statuses for key, statuses in gateway.served.items() if not any(200 <= s < 300 for s in statuses)}
    assert failed == ({} if ann_client else {"POST /api/rooms/{room_id}/participants/{participant_id}/mute": [404]})
    # Each function was started by the emulator's init, as a cold Lambda is.
    for function, emulator in gateway.emulators.items():
        assert emulator.init_ms() is not None and emulator.reports(), function
