"""Chat delivery latency: from the start of `POST /messages` to the message arriving over
LiveKit data at each of ten real clients (the `livekit` Python SDK) in one room.

One participant sends at 1 and at 50 messages per second; every (message, receiver) pair is a
sample. A message that has not arrived 5 s after the last one was sent counts as lost.
Writes bench/results/chat_latency.json.
"""

import asyncio
import json
import os
import statistics
import time
import uuid
from pathlib import Path

import httpx
from livekit import rtc
from meet_api import MeetApi, request_args

ROOT = Path(__file__).resolve().parent.parent
APP = os.environ["APP_URL"]
RUNS = int(os.environ.get("RUNS", "3"))
CLIENTS = 10
RATES = {1: 20.0, 50: 6.0}  # messages per second: seconds of sending per run


def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


async def meeting(api):
    """A room with CLIENTS connected LiveKit clients; returns them with their sessions."""
    # The API client blocks; off the event loop, so the rooms already connected keep running.
    call = asyncio.to_thread
    room_id = (await call(api.create_room, "Chat latency", max_participants=100))["room"]["id"]
    clients = []
    for n in range(CLIENTS):
        session = (await call(api.join, room_id, f"Client {n}"))["session_token"]
        grant = await call(api.token, room_id, session)
        room = rtc.Room()
        await room.connect(grant["livekit_url"], grant["token"])
        clients.append((room, session))
    for _ in range(100):  # the server learns who connected from LiveKit's webhooks
        if (await call(api.room, room_id))["room"]["participant_count"] == CLIENTS:
            break
        await asyncio.sleep(0.1)
    else:
        raise RuntimeError("not every client was counted as connected")
    return room_id, clients


async def one_run(http, room_id, clients, rate, seconds):
    sent_at, arrivals = {}, []

    def on_data(packet: rtc.DataPacket):
        if packet.topic != "chat":
            return
        text = json.loads(packet.data)["text"]
        if text in sent_at:
            arrivals.append((text, time.perf_counter() - sent_at[text]))

    for room, _ in clients:
        room.on("data_received", on_data)
    session = clients[0][1]
    interval, count = 1 / rate, int(rate * seconds)
    start = time.perf_counter()
    posts = []
    for n in range(count):
        await asyncio.sleep(max(0, start + n * interval - time.perf_counter()))
        text = f"latency {uuid.uuid4()}"
        sent_at[text] = time.perf_counter()
        posts.append(asyncio.create_task(http.request(**request_args("sendChat", room_id=room_id, session=session, json={"text": text}))))
    answers = await asyncio.gather(*posts)
    await asyncio.sleep(5)
    for room, _ in clients:
        room.off("data_received", on_data)
    if any(a.status_code != 201 for a in answers):
        raise RuntimeError(f"sending failed: {[a.status_code for a in answers if a.status_code != 201][:5]}")
    latencies = [seconds * 1000 for _, seconds in arrivals]
    expected = count * CLIENTS
    return {"p50_ms": percentile(latencies, 50), "p99_ms": percentile(latencies, 99), "samples": len(latencies), "lost": expected - len(latencies)}


async def main():
    # Sends are timed, so they go out concurrently on an async client; the setup is plain calls.
    api = MeetApi(APP, timeout=30)
    async with httpx.AsyncClient(base_url=APP, timeout=30, limits=httpx.Limits(max_connections=64)) as http:
        room_id, clients = await meeting(api)
        results = {"clients": CLIENTS, "runs": RUNS, "rates": {}}
        print(f"chat delivery to {CLIENTS} LiveKit clients, {RUNS} runs per rate")
        for rate, seconds in RATES.items():
            runs = [await one_run(http, room_id, clients, rate, seconds) for _ in range(RUNS)]
            summary = {
                key: {"median": statistics.median(r[key] for r in runs), "min": min(r[key] for r in runs), "max": max(r[key] for r in runs)}
                for key in ("p50_ms", "p99_ms")
            }
            summary |= {"samples": sum(r["samples"] for r in runs), "lost": sum(r["lost"] for r in runs), "seconds_per_run": seconds}
            results["rates"][str(rate)] = summary
            print(f"  {rate:>3} msg/s: p50 {summary['p50_ms']['median']:.1f} ms, p99 {summary['p99_ms']['median']:.1f} ms "
                  f"({summary['samples']} deliveries, {summary['lost']} lost)")
        for room, _ in clients:
            await room.disconnect()
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    (out / "chat_latency.json").write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    asyncio.run(main())
