"""Someone who got into a meeting with a valid token but not the meeting's key: joins through
the API as any guest would, subscribes with LiveKit's Python SDK (no encryption configured),
and reports what it could see of the first camera it receives.

  python tests/e2e/eavesdropper.py APP_URL ROOM_ID SECONDS [--publish]

With --publish it also sends a camera of its own, unencrypted, as an old or careless client
would. It prints one JSON line: the bytes of video that reached it, the frames its decoder produced, and
their mean colour (sampled), e.g. {"bytes": 412345, "frames": 0, "mean_rgb": null}.
"""

import asyncio
import json
import sys

import httpx
from livekit import rtc
from livekit_client import Client
from meet_api import request_args

# Every so many bytes of an RGBA frame: a sample of pixels, enough for a mean colour.
SAMPLE_STEP = 4 * 97


async def answer(http, operation, **args):
    return (await http.request(**request_args(operation, **args))).raise_for_status().json()


def mean_rgb(frame):
    data = bytes(frame.convert(rtc.VideoBufferType.RGBA).data)
    pixels = range(0, len(data) - 3, SAMPLE_STEP)
    return [sum(data[i + c] for i in pixels) / len(pixels) for c in range(3)]


async def inbound_video(track):
    """What WebRTC counted for the track: bytes received and frames decoded."""
    for stats in await track.get_stats():
        if stats.WhichOneof("stats") == "inbound_rtp":
            inbound = stats.inbound_rtp.inbound
            return inbound.bytes_received, inbound.frames_decoded
    return 0, 0


async def main(app_url, room_id, seconds, publish):
    async with httpx.AsyncClient(base_url=app_url, timeout=30) as http:
        joined = await answer(http, "joinRoom", room_id=room_id, json={"display_name": "Eve"})
        grant = await answer(http, "roomToken", room_id=room_id, session=joined["session_token"])
    client = Client()
    room = client.room
    tracks = asyncio.Queue()
    room.on("track_subscribed", lambda track, *_: track.kind == rtc.TrackKind.KIND_VIDEO and tracks.put_nowait(track))
    await client.connect(grant["livekit_url"], grant["token"])
    try:
        if publish:
            await client.publish_synthetic_video()
        track = await asyncio.wait_for(tracks.get(), timeout=30)
        stream = rtc.VideoStream(track)
        colours = []

        async def collect():
            async for event in stream:
                colours.append(mean_rgb(event.frame))

        collecting = asyncio.create_task(collect())
        await asyncio.sleep(seconds)
        collecting.cancel()
        await stream.aclose()
        received, decoded = await inbound_video(track)
        mean = [round(sum(c[i] for c in colours) / len(colours), 1) for i in range(3)] if colours else None
        print(json.dumps({"bytes": received, "decoded": decoded, "frames": len(colours), "mean_rgb": mean}), flush=True)
    finally:
        await room.disconnect()


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], sys.argv[2], float(sys.argv[3]), "--publish" in sys.argv[4:]))
