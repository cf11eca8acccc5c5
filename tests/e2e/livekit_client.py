"""A real LiveKit participant (the `livekit` Python SDK) with the few abilities tests need."""

import asyncio
import json

from livekit import rtc

WIDTH, HEIGHT = 320, 240


class Client:
    def __init__(self):
        self.room = rtc.Room()
        self.data = asyncio.Queue()
        self.video_tracks = asyncio.Queue()
        self.room.on("data_received", self._on_data)
        self.room.on("track_subscribed", self._on_track)

    def _on_data(self, packet: rtc.DataPacket):
        sender = packet.participant.identity if packet.participant else None
        self.data.put_nowait((packet.topic, sender, packet.data))

    def _on_track(self, track, _publication, participant):
        if track.kind == rtc.TrackKind.KIND_VIDEO:
            self.video_tracks.put_nowait((participant.identity, track))

    async def connect(self, url, token):
        await asyncio.wait_for(self.room.connect(url, token), timeout=20)
        return self

    async def publish_synthetic_video(self):
        """Publishes a camera track and keeps feeding it frames until the client disconnects."""
        source = rtc.VideoSource(WIDTH, HEIGHT)
        track = rtc.LocalVideoTrack.create_video_track("synthetic-camera", source)
        options = rtc.TrackPublishOptions(source=rtc.TrackSource.SOURCE_CAMERA)
        await self.room.local_participant.publish_track(track, options)

        async def feed():
            shade = 0
            while self.room.isconnected():
                shade = (shade + 8) % 256
                pixels = bytes([shade, 255 - shade, 128, 255]) * (WIDTH * HEIGHT)
                source.capture_frame(rtc.VideoFrame(WIDTH, HEIGHT, rtc.VideoBufferType.RGBA, pixels))
                await asyncio.sleep(1 / 15)

        self._feeder = asyncio.create_task(feed())

    async def receive_frames(self, count, timeout=30):
        """Waits for a remote video track, then for `count` decoded frames of it."""
        identity, track = await asyncio.wait_for(self.video_tracks.get(), timeout)
        stream = rtc.VideoStream(track)
        frames = []

        async def collect():
            async for event in stream:
                frames.append(event.frame)
                if len(frames) >= count:
                    return

        try:
            await asyncio.wait_for(collect(), timeout)
        finally:
            await stream.aclose()
        return identity, frames

    async def next_data(self, topic, timeout=15):
        while True:
            got_topic, sender, payload = await asyncio.wait_for(self.data.get(), timeout)
            if got_topic == topic:
                return sender, json.loads(payload)

    async def disconnect(self):
        await self.room.disconnect()
