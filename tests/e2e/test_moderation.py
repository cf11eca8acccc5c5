"""Host actions take effect in LiveKit: real clients are removed, muted and disconnected."""

import asyncio
import os

import aiohttp
import pytest
from livekit import api as lkapi
from livekit.protocol import rtc as lkrtc
from livekit import rtc
from livekit_client import Client
from meet_api import Refused
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
        api.moderate(room_id, host["session_token"], guest["participant"]["id"], "kick")
        await wait_for(lambda: disconnected(guest_client), "the kicked client was disconnected")
        with pytest.raises(Refused) as refused:
            api.token(room_id, guest["session_token"])
        assert (refused.value.status, refused.value.code) == (403, "kicked")
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

        api.moderate(room_id, host["session_token"], guest["participant"]["id"], "mute", {"source": "camera"})
        await wait_for(lambda: publication.muted, "the host sees the guest's camera muted")
    finally:
        await host_client.disconnect()
        await guest_client.disconnect()


async def test_ending_the_meeting_disconnects_everyone(api):
    room_id, host, _guest, clients = await meeting(api)
    try:
        api.end(room_id, host["session_token"])
        await wait_for(lambda: all(disconnected(c) for c in clients), "every client was disconnected")
        assert api.room(room_id)["ended"] is True
    finally:
        for client in clients:
            await client.disconnect()


async def connect_refused(url, token):
    """True when LiveKit refuses the token outright (a room it does not have)."""
    client = Client()
    try:
        await client.connect(url, token)
    except Exception:
        return True
    await client.disconnect()
    return False


async def test_after_the_end_no_token_ever_issued_opens_the_meeting_again(api):
    room_id, host, guest, clients = await meeting(api)
    old = [api.token(room_id, p["session_token"]) for p in (host, guest)]
    try:
        api.end(room_id, host["session_token"])
        await wait_for(lambda: all(disconnected(c) for c in clients), "every client was disconnected")
        for grant in old:
            assert await connect_refused(grant["livekit_url"], grant["token"]), "an old token reopened the meeting"
    finally:
        for client in clients:
            await client.disconnect()


async def test_a_livekit_room_reopened_by_a_token_that_raced_the_end_is_closed_at_the_first_connection(api):
    room_id, host, guest, clients = await meeting(api)
    old = api.token(room_id, guest["session_token"])
    livekit = lkapi.LiveKitAPI(os.environ["LIVEKIT_API_URL"], os.environ["LIVEKIT_API_KEY"], os.environ["LIVEKIT_API_SECRET"])
    try:
        api.end(room_id, host["session_token"])
        await wait_for(lambda: all(disconnected(c) for c in clients), "every client was disconnected")
        # What a token call that passed its check just before the end does next: open the room.
        await livekit.room.create_room(lkapi.CreateRoomRequest(name=room_id))
        intruder = Client()
        try:
            await intruder.connect(old["livekit_url"], old["token"])
        except Exception:  # noqa: BLE001 - refused outright is fine too
            pass

        async def room_is_open():
            rooms = await livekit.room.list_rooms(lkapi.ListRoomsRequest(names=[room_id]))
            return len(rooms.rooms) > 0

        # Well within LiveKit's own 10 s departure timeout, which would close it eventually.
        deadline = asyncio.get_running_loop().time() + 5
        while await room_is_open():
            assert asyncio.get_running_loop().time() < deadline, "the ended meeting's LiveKit room stayed open"
            await asyncio.sleep(0.2)
        await wait_for(lambda: disconnected(intruder), "the connection to the ended meeting was closed")
        await intruder.disconnect()
    finally:
        await livekit.aclose()
        for client in clients:
            await client.disconnect()


async def signal_only(url, token):
    """Opens only LiveKit's signalling websocket with `token`, never the media path: LiveKit
    seats such a participant (it counts against the room's limit) but sends no webhook."""
    session = aiohttp.ClientSession()
    socket = await session.ws_connect(f"{url}/rtc?access_token={token}&protocol=15&auto_subscribe=1&sdk=js&version=2.0.0")
    answer = lkrtc.SignalResponse()
    answer.ParseFromString((await socket.receive()).data)
    assert answer.WhichOneof("message") == "join", answer
    return session, socket


async def test_a_seat_held_by_an_old_token_never_keeps_an_entitled_guest_out(api):
    created = api.create_room(max_participants=2)
    room_id = created["room"]["id"]
    owner = api.join(room_id, "Owner", host_key=created["host_key"])
    troll = api.join(room_id, "Troll")
    old = api.token(room_id, troll["session_token"])
    api.leave(room_id, troll["session_token"])
    # The troll keeps its token and sits in LiveKit's room, which has room for two.
    session, socket = await signal_only(old["livekit_url"], old["token"])
    livekit = lkapi.LiveKitAPI(os.environ["LIVEKIT_API_URL"], os.environ["LIVEKIT_API_KEY"], os.environ["LIVEKIT_API_SECRET"])
    clients = []
    try:
        guest = api.join(room_id, "Guest")
        for person in (owner, guest):
            grant = api.token(room_id, person["session_token"])
            clients.append(await Client().connect(grant["livekit_url"], grant["token"]))
        listed = await livekit.room.list_participants(lkapi.ListParticipantsRequest(room=room_id))
        identities = {p.identity for p in listed.participants}
        assert identities == {owner["participant"]["identity"], guest["participant"]["identity"]}, identities
    finally:
        await livekit.aclose()
        await socket.close()
        await session.close()
        for client in clients:
            await client.disconnect()


async def test_a_kicked_guest_reconnecting_with_an_old_token_is_removed_and_gets_no_chat(api):
    room_id, host, guest, (host_client, guest_client) = await meeting(api)
    old = api.token(room_id, guest["session_token"])
    intruder = Client()
    try:
        api.moderate(room_id, host["session_token"], guest["participant"]["id"], "kick")
        await wait_for(lambda: disconnected(guest_client), "the kicked client was disconnected")
        await intruder.connect(old["livekit_url"], old["token"])
        api.send_chat(room_id, host["session_token"], "only for the people still here")
        _sender, message = await host_client.next_data("chat")
        assert message["text"] == "only for the people still here"
        await wait_for(lambda: disconnected(intruder), "the reconnection was removed by the webhook reconciler")
        assert intruder.data.empty(), "the kicked guest received data"
    finally:
        for client in (host_client, guest_client, intruder):
            await client.disconnect()


async def test_after_leaves_through_the_api_livekit_never_holds_more_than_the_limit(api):
    created = api.create_room(max_participants=2)
    room_id = created["room"]["id"]
    present, gone, clients, peak = [], [], [], 0
    livekit = lkapi.LiveKitAPI(os.environ["LIVEKIT_API_URL"], os.environ["LIVEKIT_API_KEY"], os.environ["LIVEKIT_API_SECRET"])
    try:
        # Four people in turn: the oldest leaves through the API (keeping the LiveKit token
        # it was given) before the next one joins; every old token then tries to come back.
        for name in ("Ann", "Bob", "Cat", "Dan"):
            if len(present) == 2:
                leaving = present.pop(0)
                api.leave(room_id, leaving[0]["session_token"])
                gone.append(leaving)
            person = api.join(room_id, name)
            grant = api.token(room_id, person["session_token"])
            clients.append(await Client().connect(grant["livekit_url"], grant["token"]))
            present.append((person, grant))
            for _person, old in gone:
                comeback = Client()
                clients.append(comeback)
                try:
                    await comeback.connect(old["livekit_url"], old["token"])
                except Exception:
                    pass
            for _ in range(10):
                listed = await livekit.room.list_participants(lkapi.ListParticipantsRequest(room=room_id))
                peak = max(peak, len(listed.participants))
                await asyncio.sleep(0.2)
        assert peak <= 2, f"LiveKit held {peak} people in a room of 2"
        listed = await livekit.room.list_participants(lkapi.ListParticipantsRequest(room=room_id))
        expected = {p["participant"]["identity"] for p, _ in present}
        assert {p.identity for p in listed.participants} == expected
    finally:
        await livekit.aclose()
        for client in clients:
            await client.disconnect()
