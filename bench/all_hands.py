"""The all-hands: several hundred people open the same link within seconds.

A room of MAX people (500) is created, then JOINERS people (MAX and a few more) each join it
once from their own loopback address (127.0.x.y, so the per-address limit never binds; the
server runs with its default limits, the per-room one included), spread evenly over SPREAD
seconds. Reports each
join's latency, how many were admitted and refused, how long the room took to fill, and
what the room itself says afterwards. Exactly MAX must be admitted: one more is a broken
promise, one fewer a person turned away from a room with space.

On DynamoDB it also reads, from the local DynamoDB, the capacity units the burst consumed:
they all land under the room's one partition key, which is what bounds an all-hands in the
cloud (see the model in docs/capacity.md).

Merges its figures under ALL_HANDS_LABEL (the STORE by default) into
bench/results/all_hands.json.
"""

import asyncio
import json
import os
import statistics
import time
from pathlib import Path

import httpx
from meet_api import MeetApi, Refused, request_args

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results" / "all_hands.json"
APP = os.environ["APP_URL"]
STORE = os.environ["STORE"]
# The results' key: one store may be measured at more than one pace.
LABEL = os.environ.get("ALL_HANDS_LABEL", STORE)
MAX = int(os.environ.get("ALL_HANDS_MAX", "500"))
JOINERS = MAX + int(os.environ.get("ALL_HANDS_EXTRA", "20"))
SPREAD = float(os.environ.get("ALL_HANDS_SPREAD", "5"))


def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def address(n):
    """A loopback address of its own for joiner `n` (Linux routes all of 127/8 to lo)."""
    return f"127.0.{1 + n // 250}.{1 + n % 250}"


async def join(n, http, room_id, start):
    await asyncio.sleep(max(0.0, start + n * SPREAD / JOINERS - time.monotonic()))
    sent = time.monotonic()
    args = request_args("joinRoom", room_id=room_id, json={"display_name": f"Person {n}"})
    response = await http.request(**args)
    answered = time.monotonic()
    try:
        body = response.json()
        outcome = body["participant"]["status"] if response.status_code == 201 else body["error"]["code"]
    except (ValueError, KeyError, TypeError):
        outcome = f"http {response.status_code}"
    return {"latency_ms": (answered - sent) * 1000, "answered_at": answered - start, "outcome": outcome}


async def burst(room_id):
    # Every person's client is made before the clock starts: building one costs the load
    # generator milliseconds of CPU (its TLS context), which would show as the server's latency.
    clients = [
        httpx.AsyncClient(base_url=APP, transport=httpx.AsyncHTTPTransport(local_address=address(n)), timeout=60)
        for n in range(JOINERS)
    ]
    try:
        start = time.monotonic() + 0.5
        return await asyncio.gather(*(join(n, http, room_id, start) for n, http in enumerate(clients)))
    finally:
        await asyncio.gather(*(http.aclose() for http in clients))


def main():
    api = MeetApi(APP)
    created = api.create_room("All hands", max_participants=MAX)
    room_id = created["room"]["id"]
    print(f"all-hands on {LABEL}: {JOINERS} joins into a room of {MAX}, spread over {SPREAD:g} s", flush=True)
    dynamodb = os.environ.get("AWS_ENDPOINT_URL_DYNAMODB") if STORE == "dynamodb" else None
    if dynamodb:
        httpx.post(f"{dynamodb}/__usage")  # count the burst's capacity units alone
    joins = asyncio.run(burst(room_id))
    usage = httpx.get(f"{dynamodb}/__usage").json() if dynamodb else None
    admitted = [j for j in joins if j["outcome"] == "admitted"]
    outcomes = {}
    for j in joins:
        outcomes[j["outcome"]] = outcomes.get(j["outcome"], 0) + 1
    latencies = [j["latency_ms"] for j in joins]
    shown = api.room(room_id)["room"]
    # A guest already in holds its place, so one more join now must still be refused.
    try:
        api.join(room_id, "One too many")
        after_full = "admitted"
    except Refused as refusal:
        after_full = refusal.code
    result = {
        "max_participants": MAX,
        "joiners": JOINERS,
        "spread_s": SPREAD,
        "admitted": len(admitted),
        "outcomes": outcomes,
        "participant_count": shown["participant_count"],
        "join_after_full": after_full,
        "filled_after_s": max((j["answered_at"] for j in admitted), default=None),
        "p50_ms": percentile(latencies, 50),
        "p99_ms": percentile(latencies, 99),
        "max_ms": max(latencies),
        "mean_ms": statistics.fmean(latencies),
    }
    if usage:
        # What the whole burst would consume on DynamoDB, all of it under one partition key.
        result["dynamodb"] = {
            "read_units": sum(u["read_units"] for u in usage.values()),
            "write_units": sum(u["write_units"] for u in usage.values()),
            "requests": {op: u["requests"] for op, u in usage.items()},
        }
    print(json.dumps(result), flush=True)
    results = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    results[LABEL] = result
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2))
    # A measurement, not a test: the report shows a room that did not fill exactly.
    if result["admitted"] != MAX or result["participant_count"] != MAX or after_full != "room_full":
        print(f"all-hands on {LABEL}: the room did not fill exactly to {MAX}", flush=True)


if __name__ == "__main__":
    main()
