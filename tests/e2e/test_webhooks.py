"""LiveKit's real webhooks keep the room's headcount true to who is connected."""

import asyncio
import os

from livekit_client import Client
from stack import wait_for

GRACE = int(os.environ.get("CONNECT_GRACE_SECONDS", "60"))


async def test_connecting_keeps_the_slot_and_disconnecting_frees_it(api):
    room_id = api.create_room(max_participants=2)["room"]["id"]
    ann = api.join(room_id, "Ann")
    assert api.room(room_id)["participant_count"] == 1
    grant = api.token(room_id, ann["session_token"])
    client = await Client().connect(grant["livekit_url"], grant["token"])

    # Past the connect grace period only LiveKit's participant_joined keeps Ann counted.
    assert GRACE <= 5, "the e2e server runs with a short CONNECT_GRACE_SECONDS"
    await asyncio.sleep(GRACE + 1)
    assert api.room(room_id)["participant_count"] == 1

    await client.disconnect()
    await wait_for(lambda: api.room(room_id)["participant_count"] == 0, "participant_left freed the slot")


async def test_an_admitted_participant_who_never_connects_is_not_counted_after_the_grace_period(api):
    room_id = api.create_room(max_participants=2)["room"]["id"]
    api.join(room_id, "Ghost")
    assert api.room(room_id)["participant_count"] == 1
    await asyncio.sleep(GRACE + 1)
    assert api.room(room_id)["participant_count"] == 0
