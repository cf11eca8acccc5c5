"""People actually meet: real clients connect with API tokens, see video, and get chat."""

import asyncio
import datetime
import os
import subprocess

import pytest
from livekit import api as lkapi

from livekit_client import HEIGHT, WIDTH, Client
from stack import connected_count, wait_for


async def connected_pair(api):
    created = api.create_room(max_participants=4)
    room_id = created["room"]["id"]
    ann = api.join(room_id, "Ann", host_key=created["host_key"])
    bob = api.join(room_id, "Bob")
    grants = [api.token(room_id, p["session_token"]) for p in (ann, bob)]
    clients = [await Client().connect(g["livekit_url"], g["token"]) for g in grants]
    return room_id, (ann, bob), clients


async def test_one_participant_sees_the_others_video(api):
    room_id, (ann, _bob), (a, b) = await connected_pair(api)
    try:
        await a.publish_synthetic_video()
        sender, frames = await b.receive_frames(count=5)
        assert sender == ann["participant"]["identity"]
        assert len(frames) == 5
        assert (frames[-1].width, frames[-1].height) == (WIDTH, HEIGHT)
    finally:
        await a.disconnect()
        await b.disconnect()


async def test_a_chat_message_sent_through_the_api_reaches_everyone_over_livekit(api):
    room_id, (ann, _bob), (a, b) = await connected_pair(api)
    try:
        # Fan-out goes only to rooms LiveKit reports as occupied: wait for the webhooks.
        await wait_for(lambda: connected_count(room_id) == 2, "both clients reported connected")
        message = api.send_chat(room_id, ann["session_token"], "hello over LiveKit")
        for client in (a, b):
            sender, payload = await client.next_data("chat")
            assert sender is None, "chat must come from the server, not a participant"
            assert payload == message
    finally:
        await a.disconnect()
        await b.disconnect()


def token_for(room_id, identity, secret, ttl):
    grants = lkapi.VideoGrants(room_join=True, room=room_id)
    return (
        lkapi.AccessToken(os.environ["LIVEKIT_API_KEY"], secret)
        .with_identity(identity)
        .with_grants(grants)
        .with_ttl(ttl)
        .to_jwt()
    )


async def test_livekit_refuses_forged_and_expired_tokens(api):
    room_id = api.create_room()["room"]["id"]
    url = os.environ["LIVEKIT_URL"]
    forged = token_for(room_id, "intruder", "a-guessed-secret-that-is-long-enough-0000", datetime.timedelta(minutes=5))
    with pytest.raises(Exception):
        await Client().connect(url, forged)
    # LiveKit tolerates a minute of clock skew, so this one expired two minutes ago.
    expired = token_for(room_id, "late", os.environ["LIVEKIT_API_SECRET"], datetime.timedelta(minutes=-2))
    with pytest.raises(Exception):
        await Client().connect(url, expired)


async def test_a_participant_cannot_send_data_others_would_take_for_chat(api):
    room_id, _, (a, b) = await connected_pair(api)
    try:
        try:
            await a.room.local_participant.publish_data(b'{"text":"forged"}', reliable=True, topic="chat")
        except Exception:
            pass  # refusing outright is as good as dropping
        with pytest.raises(asyncio.TimeoutError):
            await b.next_data("chat", timeout=3)
    finally:
        await a.disconnect()
        await b.disconnect()


def livekit_sockets():
    """(protocol, local address) of every socket the stack's LiveKit server holds."""
    pid = open(os.path.join(os.environ["STATE_DIR"], "livekit.pid")).read().strip()
    listing = subprocess.run(["ss", "-H", "-tuanp"], check=True, capture_output=True, text=True).stdout
    sockets = []
    for line in listing.splitlines():
        if f"pid={pid}," in line:
            fields = line.split()
            sockets.append((fields[0], fields[4].rsplit(":", 1)[0]))
    return sockets


async def test_media_flows_while_every_livekit_socket_is_on_loopback(api):
    # During a call, with ICE sockets open: nothing of LiveKit's is reachable from the network.
    room_id, _, (a, b) = await connected_pair(api)
    try:
        await a.publish_synthetic_video()
        await b.receive_frames(count=3)
        sockets = livekit_sockets()
        assert any(proto == "udp" for proto, _ in sockets), f"ICE over UDP is in use: {sockets}"
        outside = [(proto, address) for proto, address in sockets if address not in ("127.0.0.1", "[::ffff:127.0.0.1]")]
        assert outside == [], f"LiveKit listens beyond loopback: {outside}"
    finally:
        await a.disconnect()
        await b.disconnect()
