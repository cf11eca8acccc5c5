"""Looking at the test stack's state directly, for what the public API does not show."""

import asyncio
import base64
import hashlib
import json
import os
import subprocess
import time

from livekit import api as lkapi


def sql(query, *args):
    """Runs one query with psql against the local server's database; answers the first cell."""
    command = ["psql", os.environ["DATABASE_URL"], "-Atq", "-v", "ON_ERROR_STOP=1", "-c", query]
    return subprocess.run(command, check=True, capture_output=True, text=True).stdout.strip()


def connected_count(room_id):
    assert all(c.isalpha() or c == "-" for c in room_id)
    return int(sql(f"SELECT count(*) FROM participants WHERE room_id = '{room_id}' AND status = 'connected'"))


async def wait_for(condition, what, timeout=15):
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting until {what}")
        await asyncio.sleep(0.2)


def signed_webhook(event):
    """A LiveKit event's body and the headers LiveKit sends with it, signed with the stack's own key."""
    body = json.dumps(event)
    digest = base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()
    token = lkapi.AccessToken(os.environ["LIVEKIT_API_KEY"], os.environ["LIVEKIT_API_SECRET"]).with_sha256(digest).to_jwt()
    return body, {"authorization": token, "content-type": "application/webhook+json"}
