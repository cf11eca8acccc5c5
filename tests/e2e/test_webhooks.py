"""LiveKit's real webhooks keep the room's headcount true to who is connected."""

import asyncio
import os

import pytest
from livekit_client import Client
from meet_api import Refused
from stack import signed_webhook, wait_for

GRACE = int(os.environ.get("CONNECT_GRACE_SECONDS", "60"))


async def test_connecting_keeps_the_slot_and_disconnecting_frees_it(api):
    room_id = api.create_room(max_participants=2)["room"]["id"]
    ann = api.join(room_id, "Ann")
    assert api.room(room_id)["room"]["participant_count"] == 1
    grant = api.token(room_id, ann["session_token"])
    client = await Client().connect(grant["livekit_url"], grant["token"])

    # Past the connect grace period only LiveKit's participant_joined keeps Ann counted.
    assert GRACE <= 5, "the e2e server runs with a short CONNECT_GRACE_SECONDS"
    await asyncio.sleep(GRACE + 1)
    assert api.room(room_id)["room"]["participant_count"] == 1

    await client.disconnect()
    await wait_for(lambda: api.room(room_id)["room"]["participant_count"] == 0, "participant_left freed the slot")


async def test_an_admitted_participant_who_never_connects_is_not_counted_after_the_grace_period(api):
    room_id = api.create_room(max_participants=2)["room"]["id"]
    api.join(room_id, "Ghost")
    assert api.room(room_id)["room"]["participant_count"] == 1
    await asyncio.sleep(GRACE + 1)
    assert api.room(room_id)["room"]["participant_count"] == 0


def deliver(api, event):
    """Posts a LiveKit event signed with the stack's own LiveKit key, as LiveKit would."""
    body, headers = signed_webhook(event)
    return api.call("livekitWebhook", content=body, headers=headers)


async def test_a_late_room_finished_leaves_the_people_livekit_still_holds_counted(api):
    # LiveKit closed an earlier opening of this room (everyone had left it for a while), the
    # backend opened it again, and the room_finished about the first opening arrives now.
    room_id = api.create_room(max_participants=2)["room"]["id"]
    clients = []
    try:
        for name in ("Ann", "Bob"):
            grant = api.token(room_id, api.join(room_id, name)["session_token"])
            clients.append(await Client().connect(grant["livekit_url"], grant["token"]))
        await asyncio.sleep(GRACE + 1)  # past the grace period, only "connected" counts
        assert api.room(room_id)["room"]["participant_count"] == 2

        late = {"event": "room_finished", "room": {"name": room_id}, "id": f"EV_late_{room_id}", "createdAt": "1764132000"}
        response = deliver(api, late)
        assert response.status_code == 200, response.text
        assert api.room(room_id)["room"]["participant_count"] == 2, "both are still in LiveKit: neither slot is free"
        with pytest.raises(Refused) as third:
            api.join(room_id, "Cat")
        assert (third.value.status, third.value.code) == (409, "room_full")
    finally:
        for client in clients:
            await client.disconnect()
