"""A crowd for the large-meeting browser test and bench: people who join one room through the
API as any guest would and each publish a small synthetic camera with LiveKit's Python SDK.

  python tests/e2e/crowd.py APP_URL ROOM_ID COUNT

prints one JSON line once everyone is in and publishing ({"event": "inside", "identities":
[...]}), then stays until a line arrives on stdin or stdin closes, and leaves LiveKit.
"""

import asyncio
import json
import os
import sys

import httpx
from livekit import rtc
from meet_api import request_args

# Small and slow, so that one process can feed fifty cameras on a two-core machine; each is
# still a real VP8 stream that the browser must receive and decode when its tile shows it.
WIDTH, HEIGHT, FPS = 160, 120, 10
# Joins and connections at once: a burst of people arriving, not all in the same millisecond.
AT_ONCE = 8
# Frames of every shade, made once: the cameras cycle through them.
SHADES = [bytes([v, 255 - v, 128, 255]) * (WIDTH * HEIGHT) for v in range(0, 256, 8)]


def say(**fields):
    print(json.dumps(fields), flush=True)


async def answer(http, operation, **args):
    return (await http.request(**request_args(operation, **args))).raise_for_status().json()


async def arrive(http, room_id, name, gate, rooms):
    """One person: joins through the API, connects to LiveKit and publishes a camera."""
    async with gate:
        joined = await answer(http, "joinRoom", room_id=room_id, json={"display_name": name})
        grant = await answer(http, "roomToken", room_id=room_id, session=joined["session_token"])
        room = rtc.Room()
        rooms.append(room)
        # They only publish: receiving everyone's video fifty times over would measure this
        # process instead of the browser.
        options = rtc.RoomOptions(auto_subscribe=False)
        await asyncio.wait_for(room.connect(grant["livekit_url"], grant["token"], options), timeout=30)
        source = rtc.VideoSource(WIDTH, HEIGHT)
        track = rtc.LocalVideoTrack.create_video_track("camera", source)
        publish = room.local_participant.publish_track(track, rtc.TrackPublishOptions(source=rtc.TrackSource.SOURCE_CAMERA))
        await asyncio.wait_for(publish, timeout=30)
        return source, joined["participant"]["identity"]


async def feed(sources):
    """Every camera gets a new frame FPS times a second, each a shade apart so they all differ."""
    tick = 0
    while True:
        tick += 1
        for n, source in enumerate(sources):
            pixels = SHADES[(tick + n) % len(SHADES)]
            source.capture_frame(rtc.VideoFrame(WIDTH, HEIGHT, rtc.VideoBufferType.RGBA, pixels))
        await asyncio.sleep(1 / FPS)


async def main(app_url, room_id, count):
    gate = asyncio.Semaphore(AT_ONCE)
    rooms = []
    try:
        async with httpx.AsyncClient(base_url=app_url, timeout=30) as http:
            names = [f"Guest {n:02d}" for n in range(1, count + 1)]
            people = await asyncio.gather(*(arrive(http, room_id, name, gate, rooms) for name in names))
        feeder = asyncio.create_task(feed([source for source, _ in people]))
        say(event="inside", identities=[identity for _, identity in people])
        await asyncio.get_running_loop().run_in_executor(None, sys.stdin.readline)
        feeder.cancel()
    finally:
        await asyncio.gather(*(room.disconnect() for room in rooms), return_exceptions=True)


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], sys.argv[2], int(sys.argv[3])))
    # Everyone has left LiveKit. The SDK's native threads can panic while Python tears its
    # objects down at exit, which would read as a failure: end the process here instead.
    os._exit(0)
