"""A removed guest who tries to get back into the meeting with every token they ever held.

Driven by the browser test `web/e2e/removed.test.mjs`, which plays the host in Chromium:
  python tests/e2e/intruder.py APP_URL ROOM_ID
prints one JSON line when it is in the meeting and receives the host's media (with both
the token the API gave and the one LiveKit refreshed), then waits for a line on stdin (sent
once the host has removed it) and reconnects with each token several times, printing what
each attempt received: tracks subscribed and data packets.
"""

import asyncio
import json
import sys
import time

import httpx
from livekit import rtc

ATTEMPTS = 3
WATCH_SECONDS = 6


def say(**fields):
    print(json.dumps(fields), flush=True)


class Watcher:
    """One LiveKit connection that counts every track and data packet it is given."""

    def __init__(self):
        self.room = rtc.Room()
        self.tracks = []
        self.data = []
        self.room.on("track_subscribed", lambda track, _pub, who: self.tracks.append((who.identity, track.kind)))
        self.room.on("data_received", lambda packet: self.data.append(packet.topic))

    async def connect(self, url, token):
        await asyncio.wait_for(self.room.connect(url, token), timeout=20)


async def main(app_url, room_id):
    async with httpx.AsyncClient(base_url=app_url, timeout=10) as http:
        joined = (await http.post(f"/api/rooms/{room_id}/join", json={"display_name": "Mallory"})).raise_for_status().json()
        headers = {"authorization": f"Bearer {joined['session_token']}"}
        grant = (await http.post(f"/api/rooms/{room_id}/token", headers=headers)).raise_for_status().json()

    inside = Watcher()
    await inside.connect(grant["livekit_url"], grant["token"])
    deadline = time.monotonic() + 30
    while (not inside.tracks or inside.room._token == grant["token"]) and time.monotonic() < deadline:
        await asyncio.sleep(0.2)
    refreshed = inside.room._token
    say(
        event="inside",
        identity=joined["participant"]["identity"],
        tracks=len(inside.tracks),
        refreshed=refreshed != grant["token"],
    )

    await asyncio.get_running_loop().run_in_executor(None, sys.stdin.readline)
    await inside.room.disconnect()

    attempts = []
    for name, token in (("issued", grant["token"]), ("refreshed", refreshed)):
        for _ in range(ATTEMPTS):
            watcher = Watcher()
            try:
                await watcher.connect(grant["livekit_url"], token)
                connected = True
            except Exception:  # noqa: BLE001 - a refused connection is a fine outcome here
                connected = False
            await asyncio.sleep(WATCH_SECONDS if connected else 0)
            attempts.append({"token": name, "connected": connected, "tracks": len(watcher.tracks), "data": len(watcher.data)})
            await watcher.room.disconnect()
    say(event="done", attempts=attempts)


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], sys.argv[2]))
