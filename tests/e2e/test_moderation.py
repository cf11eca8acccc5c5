"""Host actions take effect in LiveKit: real clients are removed, muted and disconnected."""

import asyncio

from conftest import bearer, moderate
from livekit import rtc
from livekit_client import Client
from stack import wait_for


async def meeting(api):
    """A host and a guest, both connected with real clients."""
    created = api.create_room(max_participants=5)
    room_id = created["room"]["id"]
    host = api.join(room_id, "Host", host_key=created["host_key"])
    guest = api.join(room_id, "Guest")
    clients = []
    for person in (host, guest):
        grant = api.token(room_id, person["session_token"])
        clients.append(await Client().connect(grant["livekit_url"], grant["token"]))
    return room_id, host, guest, clients


def disconnected(client):
    return client.room.connection_state == rtc.ConnectionState.CONN_DISCONNECTED


async def test_a_kicked_participant_is_disconnected_by_the_server_and_cannot_come_back(api):
    room_id, host, guest, (host_client, guest_client) = await meeting(api)
    try:
        response = moderate(api, room_id, host["session_token"], guest["participant"]["id"], "kick")
        assert response.status_code == 200, response.text
        await wait_for(lambda: disconnected(guest_client), "the kicked client was disconnected")
        token = api.client.post(f"/api/rooms/{room_id}/token", headers=bearer(guest["session_token"]))
        assert token.status_code == 403 and token.json()["error"]["code"] == "kicked"
    finally:
        await host_client.disconnect()
        await guest_client.disconnect()


async def test_a_muted_participants_track_shows_as_muted_to_the_others(api):
    room_id, host, guest, (host_client, guest_client) = await meeting(api)
    try:
        await guest_client.publish_synthetic_video()
        identity, _track = await asyncio.wait_for(host_client.video_tracks.get(), 20)
        assert identity == guest["participant"]["identity"]
        remote = host_client.room.remote_participants[identity]
        publication = next(iter(remote.track_publications.values()))
        assert not publication.muted

        response = moderate(api, room_id, host["session_token"], guest["participant"]["id"], "mute", {"source": "camera"})
        assert response.status_code == 204, response.text
        await wait_for(lambda: publication.muted, "the host sees the guest's camera muted")
    finally:
        await host_client.disconnect()
        await guest_client.disconnect()


async def test_ending_the_meeting_disconnects_everyone(api):
    room_id, host, _guest, clients = await meeting(api)
    try:
        response = api.client.post(f"/api/rooms/{room_id}/end", headers=bearer(host["session_token"]))
        assert response.status_code == 204, response.text
        await wait_for(lambda: all(disconnected(c) for c in clients), "every client was disconnected")
        assert api.client.get(f"/api/rooms/{room_id}").json()["ended"] is True
    finally:
        for client in clients:
            await client.disconnect()
