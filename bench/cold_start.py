"""Cold start of each function: from process start to its first answered real request.

Each function binary (release build) is started fresh, outside Lambda, on its own port, with
the cloud's store (DynamoDB, here moto's server) and the test stack's Redis and LiveKit. The
clock runs from spawn until the first answer to a request that needs the function's own
dependencies (creating a room writes the table, sending chat writes Redis, and so on).
Prints a table (median and range over RUNS starts) and writes bench/results/cold_start.json.
"""

import json
import os
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

import httpx
from meet_api import MeetApi, request_args

ROOT = Path(__file__).resolve().parent.parent
RUNS = int(os.environ.get("RUNS", "5"))
BIN = ROOT / "target" / "release"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fixture(base):
    """A room and its host, made through a warm local server."""
    api = MeetApi(base)
    created = api.create_room("Cold start")
    room = created["room"]["id"]
    host = api.join(room, "Host", host_key=created["host_key"])
    return room, host["session_token"]


def requests_for(room, session):
    """One request per function, as `httpx.Client.request` arguments."""
    return {
        "create-room": request_args("createRoom", json={"title": "Cold"}),
        "join-room": request_args("joinRoom", room_id=room, json={"display_name": "Cold"}),
        "token": request_args("roomToken", room_id=room, session=session),
        "send-chat": request_args("sendChat", room_id=room, session=session, json={"text": "cold"}),
        "list-chat": request_args("listChat", room_id=room, session=session),
        "livekit-webhook": request_args("livekitWebhook", content=b"{}"),
        "moderation": request_args("lobby", room_id=room, session=session),
        "telemetry": request_args("reportTelemetry", json={"events": [{"type": "join", "outcome": "connected"}]}),
    }


def one_cold_start(function, request, env):
    port = free_port()
    started = time.perf_counter()
    process = subprocess.Popen([str(BIN / function)], env=env | {"PORT": str(port)}, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=10) as client:
            while True:
                try:
                    response = client.request(**request)
                    break
                except httpx.TransportError:
                    if process.poll() is not None:
                        raise RuntimeError(f"{function} exited with {process.returncode}")
                    time.sleep(0.001)
        elapsed = (time.perf_counter() - started) * 1000
        if response.status_code >= 500:
            raise RuntimeError(f"{function}: {response.status_code} {response.text}")
        return elapsed, response.status_code
    finally:
        process.terminate()
        process.wait()


def main():
    base = os.environ["APP_URL"]
    room, session = fixture(base)
    env = dict(os.environ) | {"RUST_LOG": "warn", "RATE_LIMIT_JOIN_MAX": "100000", "RATE_LIMIT_ROOM_JOIN_MAX": "100000", "RATE_LIMIT_CREATE_ROOM_MAX": "100000", "RATE_LIMIT_CHAT_MAX": "100000"}
    results = {}
    print(f"cold start, process spawn to first answered request, {RUNS} starts each (ms)")
    print(f"{'function':<17} {'median':>8} {'min':>8} {'max':>8}  status  bytes")
    for function, request in requests_for(room, session).items():
        times, status = [], None
        for _ in range(RUNS):
            elapsed, status = one_cold_start(function, request, env)
            times.append(elapsed)
        size = (BIN / function).stat().st_size
        results[function] = {"median_ms": statistics.median(times), "min_ms": min(times), "max_ms": max(times), "status": status, "binary_bytes": size}
        print(f"{function:<17} {statistics.median(times):8.1f} {min(times):8.1f} {max(times):8.1f}  {status:>6}  {size}")
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    (out / "cold_start.json").write_text(json.dumps({"runs": RUNS, "store": env.get("DYNAMODB_TABLE") and "dynamodb" or "postgres", "functions": results}, indent=2))


if __name__ == "__main__":
    sys.exit(main())
