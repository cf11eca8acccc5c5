"""What the LiveKit server spends per subscriber: one room, publishers sending simulcast camera
video and audio, and a rising number of subscribers, all real clients (`livekit` Python SDK).

The LiveKit CLI's `lk load-test` would be the usual tool, but its module is not served by the Go
module proxy these machines reach, so the same shape of load is made here with the Python SDK.
At each subscriber count the LiveKit server's CPU and memory are read from /proc over a steady
window; the per-subscriber cost is the least-squares slope across the counts.
Writes bench/results/media.json.
"""

import asyncio
import datetime
import json
import os
import statistics
from pathlib import Path

import numpy as np
from livekit import api as lkapi
from livekit import rtc

from procstat import Monitor

ROOT = Path(__file__).resolve().parent.parent
URL = os.environ["LIVEKIT_URL"]
PUBLISHERS = int(os.environ.get("MEDIA_PUBLISHERS", "2"))
SUBSCRIBERS = [int(n) for n in os.environ.get("MEDIA_SUBSCRIBERS", "0,4,8,16").split(",")]
WINDOW = float(os.environ.get("MEDIA_WINDOW", "10"))
RUNS = int(os.environ.get("RUNS", "3"))
WIDTH, HEIGHT, FPS = 640, 360, 24
VIDEO_BITRATE = 800_000  # the top layer; simulcast adds the lower ones below it


def token(room, identity, publish):
    grants = lkapi.VideoGrants(room_join=True, room=room, can_publish=publish, can_subscribe=not publish)
    return (
        lkapi.AccessToken(os.environ["LIVEKIT_API_KEY"], os.environ["LIVEKIT_API_SECRET"])
        .with_identity(identity)
        .with_grants(grants)
        .with_ttl(datetime.timedelta(hours=1))
        .to_jwt()
    )


async def publisher(room_name, n, stop):
    """Camera-like video (noise, so the encoder reaches its bitrate) with simulcast, plus a tone."""
    room = rtc.Room()
    await room.connect(URL, token(room_name, f"publisher-{n}", True))
    video = rtc.VideoSource(WIDTH, HEIGHT)
    options = rtc.TrackPublishOptions(source=rtc.TrackSource.SOURCE_CAMERA, simulcast=True)
    options.video_encoding.max_bitrate = VIDEO_BITRATE
    options.video_encoding.max_framerate = FPS
    await room.local_participant.publish_track(rtc.LocalVideoTrack.create_video_track("camera", video), options)
    audio = rtc.AudioSource(48000, 1)
    await room.local_participant.publish_track(
        rtc.LocalAudioTrack.create_audio_track("microphone", audio), rtc.TrackPublishOptions(source=rtc.TrackSource.SOURCE_MICROPHONE)
    )
    rng = np.random.default_rng(n)
    frames = [rng.integers(0, 256, WIDTH * HEIGHT * 4, dtype=np.uint8).tobytes() for _ in range(8)]
    tone = (np.sin(np.arange(480) * 2 * np.pi * 440 / 48000) * 8000).astype(np.int16).tobytes()

    async def feed_video():
        i = 0
        while not stop.is_set():
            video.capture_frame(rtc.VideoFrame(WIDTH, HEIGHT, rtc.VideoBufferType.RGBA, frames[i % len(frames)]))
            i += 1
            await asyncio.sleep(1 / FPS)

    async def feed_audio():
        while not stop.is_set():
            await audio.capture_frame(rtc.AudioFrame(tone, 48000, 1, 480))

    return room, [asyncio.create_task(feed_video()), asyncio.create_task(feed_audio())]


async def subscriber(room_name, n, expected_tracks):
    """Subscribes to every track (the SDK's default); returns once all of them arrived."""
    room = rtc.Room()
    subscribed = asyncio.Event()
    count = {"tracks": 0}

    def on_track(*_):
        count["tracks"] += 1
        if count["tracks"] >= expected_tracks:
            subscribed.set()

    room.on("track_subscribed", on_track)
    await room.connect(URL, token(room_name, f"subscriber-{n}", False))
    await asyncio.wait_for(subscribed.wait(), 30)
    return room


async def received_bytes(rooms):
    """Media bytes the subscribers' WebRTC stacks received so far (inbound RTP stats)."""
    total = 0
    for room in rooms:
        stats = await room.get_rtc_stats()
        # With one peer connection per client (LiveKit 1.13), received streams are listed
        # under the publisher's statistics; both lists are read.
        for stat in [*stats.subscriber_stats, *stats.publisher_stats]:
            if stat.WhichOneof("stats") == "inbound_rtp":
                total += stat.inbound_rtp.inbound.bytes_received
    return total


def slope(xs, ys):
    mx, my = statistics.mean(xs), statistics.mean(ys)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / max(sum((x - mx) ** 2 for x in xs), 1e-9)


async def create_room(name):
    """LiveKit here, as in production, makes a room only when our server's API asks for it
    (auto_create off): the bench asks the same way."""
    livekit = lkapi.LiveKitAPI(os.environ["LIVEKIT_API_URL"], os.environ["LIVEKIT_API_KEY"], os.environ["LIVEKIT_API_SECRET"])
    try:
        await livekit.room.create_room(lkapi.CreateRoomRequest(name=name))
    finally:
        await livekit.aclose()


async def one_run(run):
    room_name = f"media-bench-{run}"
    await create_room(room_name)
    stop = asyncio.Event()
    publishers = [await publisher(room_name, n, stop) for n in range(PUBLISHERS)]
    await asyncio.sleep(3)  # encoders ramp up to their bitrate
    subscribers, levels = [], []
    for target in SUBSCRIBERS:
        while len(subscribers) < target:
            subscribers.append(await subscriber(room_name, len(subscribers), 2 * PUBLISHERS))
        await asyncio.sleep(3)  # subscriptions settle
        before = await received_bytes(subscribers)
        with Monitor(watch_rss="livekit") as monitor:
            await asyncio.sleep(WINDOW)
        usage = monitor.result()
        mbps = (await received_bytes(subscribers) - before) * 8 / WINDOW / 1e6
        if target and mbps / target < 0.1:
            raise RuntimeError(f"subscribers received only {mbps:.2f} Mbit/s in all: the media is not flowing")
        levels.append({"subscribers": target, "received_mbps": mbps, "livekit_cpu_percent": usage["cpu_percent"].get("livekit", 0),
                       "livekit_rss_mb": usage["peak_rss_mb"], "machine_busy_percent": usage["machine_busy_percent"],
                       "cpu_percent": usage["cpu_percent"]})
        print(f"  run {run + 1}: {target:>3} subscribers: LiveKit {levels[-1]['livekit_cpu_percent']:.1f}% of a core, "
              f"{levels[-1]['livekit_rss_mb']:.0f} MB; subscribers received {mbps:.1f} Mbit/s; machine {usage['machine_busy_percent']:.0f}% busy", flush=True)
    stop.set()
    for room in subscribers:
        await room.disconnect()
    for room, tasks in publishers:
        for task in tasks:
            task.cancel()
        await room.disconnect()
    return levels


async def main():
    print(f"media: {PUBLISHERS} publishers ({WIDTH}x{HEIGHT} simulcast video at {FPS} fps, up to {VIDEO_BITRATE // 1000} kbps, "
          f"and audio), subscribers {SUBSCRIBERS}, {WINDOW:g} s windows, {RUNS} runs")
    runs = [await one_run(run) for run in range(RUNS)]
    levels = []
    for i, target in enumerate(SUBSCRIBERS):
        cpu = [r[i]["livekit_cpu_percent"] for r in runs]
        rss = [r[i]["livekit_rss_mb"] for r in runs]
        levels.append({"subscribers": target, "cpu_percent": {"median": statistics.median(cpu), "min": min(cpu), "max": max(cpu)},
                       "rss_mb": {"median": statistics.median(rss), "min": min(rss), "max": max(rss)},
                       "received_mbps": statistics.median(r[i]["received_mbps"] for r in runs),
                       "machine_busy_percent": statistics.median(r[i]["machine_busy_percent"] for r in runs)})
    xs = [level["subscribers"] for level in levels]
    per_subscriber = [slope(xs, [r[i]["livekit_cpu_percent"] for i in range(len(xs))]) for r in runs]
    rss_per_subscriber = [slope(xs, [r[i]["livekit_rss_mb"] for i in range(len(xs))]) for r in runs]
    result = {
        "publishers": PUBLISHERS, "video": f"{WIDTH}x{HEIGHT} simulcast at {FPS} fps, top layer {VIDEO_BITRATE // 1000} kbps",
        "window_s": WINDOW, "runs": RUNS, "levels": levels,
        "cpu_percent_per_subscriber": {"median": statistics.median(per_subscriber), "min": min(per_subscriber), "max": max(per_subscriber)},
        "rss_mb_per_subscriber": {"median": statistics.median(rss_per_subscriber), "min": min(rss_per_subscriber), "max": max(rss_per_subscriber)},
    }
    print(f"  LiveKit per subscriber: {result['cpu_percent_per_subscriber']['median']:.2f}% of a core, "
          f"{result['rss_mb_per_subscriber']['median']:.2f} MB")
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    (out / "media.json").write_text(json.dumps(result, indent=2))


if __name__ == "__main__":
    asyncio.run(main())
