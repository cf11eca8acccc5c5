"""A crowd for the large-meeting browser test and bench: people who join one room through the
API as any guest would and each publish a small synthetic camera with LiveKit's Python SDK.

  python tests/e2e/crowd.py APP_URL ROOM_ID COUNT

prints one JSON line once everyone is in and publishing ({"event": "inside", "names": [...],
"identities": [...]}), then stays until a line arrives on stdin or stdin closes.
"""

import asyncio
import json
import sys

import httpx
from livekit import rtc

# Small and slow, so that one process can feed fifty cameras on a two-core machine; each is
# still a real VP8 stream that the browser must receive and decode when its tile shows it.
WIDTH, HEIGHT, FPS = 160, 120, 10
# Joins and connections at once: a burst of people arriving, not all in the same millisecond.
AT_ONCE = 8


def say(**fields):
    print(json.dumps(fields), flush=True)


async def arrive(http, url_room, name, gate):
    """One person: joins through the API, connects to LiveKit and publishes a camera."""
    async with gate:
        joined = (await http.post(f"/api/rooms/{url_room}/join", json={"display_name": name})).raise_for_status().json()
        headers = {"authorization": f"Bearer {joined['session_token']}"}
        grant = (await http.post(f"/api/rooms/{url_room}/token", headers=headers)).raise_for_status().json()
        room = rtc.Room()
        # They only publish: receiving everyone's video fifty times over would measure this
        # process instead of the browser.
        options = rtc.RoomOptions(auto_subscribe=False)
        await asyncio.wait_for(room.connect(grant["livekit_url"], grant["token"], options), timeout=30)
        source = rtc.VideoSource(WIDTH, HEIGHT)
        track = rtc.LocalVideoTrack.create_video_track("camera", source)
        await room.local_participant.publish_track(track, rtc.TrackPublishOptions(source=rtc.TrackSource.SOURCE_CAMERA))
        return room, source, joined["participant"]["identity"]


async def feed(sources):
    """Every camera gets a new frame FPS times a second, each a shade apart so they all differ."""
    shade = 0
    while True:
        shade = (shade + 8) % 256
        for n, source in enumerate(sources):
            value = (shade + 5 * n) % 256
            pixels = bytes([value, 255 - value, 128, 255]) * (WIDTH * HEIGHT)
            source.capture_frame(rtc.VideoFrame(WIDTH, HEIGHT, rtc.VideoBufferType.RGBA, pixels))
        await asyncio.sleep(1 / FPS)


async def main(app_url, room_id, count):
    names = [f"Guest {n:02d}" for n in range(1, count + 1)]
    gate = asyncio.Semaphore(AT_ONCE)
    async with httpx.AsyncClient(base_url=app_url, timeout=30) as http:
        people = await asyncio.gather(*(arrive(http, room_id, name, gate) for name in names))
    feeder = asyncio.create_task(feed([source for _, source, _ in people]))
    say(event="inside", names=names, identities=[identity for _, _, identity in people])
    await asyncio.get_running_loop().run_in_executor(None, sys.stdin.readline)
    feeder.cancel()
    await asyncio.gather(*(room.disconnect() for room, _, _ in people), return_exceptions=True)


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], sys.argv[2], int(sys.argv[3])))
