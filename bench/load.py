"""HTTP load on the local server, with its dependencies' raw rates and a Node peer, in one run.

Every endpoint (create-room, join, token, send-chat, list-chat), the server's static 200
(`/api/health`) and the Node peer's token endpoint are driven by oha at each concurrency in LEVELS,
RUNS times each. Beside them, in the same run: pgbench running the join's SQL, redis-benchmark
running the chat append script, and oha against LiveKit's own SendData. Then a realistic mix at
rising offered rates. CPU per process group and the server's peak memory come from /proc.
All traffic goes to 127.0.0.1. Writes bench/results/load.json; bench/report.py renders it.
"""

import asyncio
import base64
import datetime
import json
import os
import re
import statistics
import subprocess
import threading
import time
import uuid
from pathlib import Path

from meet_api import MeetApi
from livekit import api as lkapi
from livekit import rtc

from procstat import Monitor, bottleneck

ROOT = Path(__file__).resolve().parent.parent
OHA = os.environ.get("OHA", "oha")
RUNS = int(os.environ.get("RUNS", "3"))
DURATION = float(os.environ.get("DURATION", "3"))
LEVELS = [int(c) for c in os.environ.get("LEVELS", "1,8,64,256").split(",")]
APP = os.environ["APP_URL"]
PEER = os.environ["PEER_URL"]
JOINS_PER_ROOM = 50  # rooms hold 100, so random spreading never fills one


def median_spread(values):
    return {"median": statistics.median(values), "min": min(values), "max": max(values)}


def oha(url, *, concurrency, method="GET", body=None, headers=(), duration=None, requests=None, rate=None, regex=False):
    """One oha run; returns its JSON summary reduced to what the report shows."""
    cmd = [OHA, "--no-tui", "--output-format", "json", "-c", str(concurrency), "-m", method]
    cmd += ["-z", f"{duration}s"] if duration else ["-n", str(requests)]
    if rate:
        cmd += ["-q", str(rate)]
    for header in headers:
        cmd += ["-H", header]
    if body is not None:
        cmd += ["-H", "content-type: application/json", "-d", json.dumps(body)]
    if regex:
        cmd.append("--rand-regex-url")
    cmd.append(url)
    done = subprocess.run(cmd, capture_output=True, text=True, check=True)
    report = json.loads(done.stdout)
    summary, latency = report["summary"], report["latencyPercentiles"]
    status = {str(k): v for k, v in report.get("statusCodeDistribution", {}).items()}
    return {
        # Answered requests only: oha's own requestsPerSec also counts failed connections.
        "rps": sum(status.values()) / summary["total"],
        "p50_ms": (latency.get("p50") or 0) * 1000,
        "p95_ms": (latency.get("p95") or 0) * 1000,
        "p99_ms": (latency.get("p99") or 0) * 1000,
        "status": status,
        # Requests still in flight when a timed run ends are cut off by oha, not failed.
        "errors": {k: v for k, v in report.get("errorDistribution", {}).items() if k != "aborted due to deadline"},
    }


def measured(run):
    """Runs `run()` RUNS times under the /proc monitor; medians with their spread."""
    runs = []
    for _ in range(RUNS):
        with Monitor() as monitor:
            result = run()
        runs.append(result | monitor.result())
    status, errors = {}, {}
    for r in runs:
        for code, n in r["status"].items():
            status[code] = status.get(code, 0) + n
        for error, n in r["errors"].items():
            errors[error] = errors.get(error, 0) + n
    answered = sum(status.values())
    if answered and sum(n for code, n in status.items() if code.startswith("2")) < 0.99 * answered:
        # A broken fixture (an expired session, a full room) would measure the error path.
        raise RuntimeError(f"more than 1% of answers were not 2xx: {status}")
    middle = sorted(runs, key=lambda r: r["rps"])[len(runs) // 2]
    return {
        "rps": median_spread([r["rps"] for r in runs]),
        "p50_ms": statistics.median(r["p50_ms"] for r in runs),
        "p95_ms": statistics.median(r["p95_ms"] for r in runs),
        "p99_ms": median_spread([r["p99_ms"] for r in runs]),
        "status": status,
        "errors": errors,
        "server_cpu_percent": statistics.median(r["cpu_percent"].get("server", 0) for r in runs),
        "server_peak_rss_mb": max(r["peak_rss_mb"] for r in runs),
        "cpu_percent": middle["cpu_percent"],
        "machine_busy_percent": middle["machine_busy_percent"],
        "mean_only": middle.get("mean_only", False),
        "bottleneck": bottleneck(middle),
    }


class Fixture:
    """Rooms and sessions made through the API, and one LiveKit client connected to the chat
    room so that send-chat fans out through LiveKit as it does in a real meeting."""

    def __init__(self):
        self.api = MeetApi(APP, timeout=30)

    def room(self, title="Bench", **fields):
        return self.api.create_room(title, **({"max_participants": 100} | fields))

    def join_urls(self, requests):
        """A regex matching the join URL of enough fresh rooms for `requests` random joins."""
        rooms = [self.room()["room"]["id"] for _ in range(max(2, requests // JOINS_PER_ROOM + 1))]
        before, after = self.api.url("joinRoom", room_id="ROOM_ID").split("ROOM_ID")
        # oha's generator reads `\.` as something else; a class keeps the dots literal.
        pattern = before.replace(".", "[.]") + "(" + "|".join(rooms) + ")" + after
        sample = subprocess.run([OHA, "--rand-regex-url", "--dump-urls", "20", pattern], capture_output=True, text=True, check=True)
        urls = sample.stdout.split()
        if len(urls) != 20 or not all(url.startswith(before) for url in urls):
            raise RuntimeError(f"the join URL pattern would leave {APP}: {urls[:3]}")
        return pattern


async def connected_listener(fixture, room_id):
    """A LiveKit client in the room, counted as connected by the server through its webhook."""
    guest = fixture.api.join(room_id, "Listener")
    grant = fixture.api.token(room_id, guest["session_token"])
    room = rtc.Room()
    received = {"data": 0}
    room.on("data_received", lambda _packet: received.__setitem__("data", received["data"] + 1))
    await room.connect(grant["livekit_url"], grant["token"])
    for _ in range(100):
        if fixture.api.room(room_id)["room"]["participant_count"] >= 1:
            break
        await asyncio.sleep(0.1)
    else:
        raise RuntimeError("the webhook never marked the listener connected")
    return room, received, guest["session_token"]


def endpoint_runs(fixture, chat_room, session):
    """(name, run at concurrency c) for each endpoint; the order is the report's."""
    auth = f"Authorization: Bearer {session}"
    url = fixture.api.url

    def join(c):
        requests = 1000 if c == 1 else 4000
        return oha(fixture.join_urls(requests), concurrency=c, method="POST", body={"display_name": "Bench"}, requests=requests, regex=True)

    return [
        ("static 200", lambda c: oha(url("health"), concurrency=c, duration=DURATION)),
        ("create-room", lambda c: oha(url("createRoom"), concurrency=c, method="POST", body={"title": "Bench"}, duration=DURATION)),
        ("join", join),
        ("token", lambda c: oha(url("roomToken", room_id=chat_room), concurrency=c, method="POST", headers=[auth], duration=DURATION)),
        ("node peer token", lambda c: oha(f"{PEER}/token?room={chat_room}", concurrency=c, method="POST", duration=DURATION)),
        ("send-chat", lambda c: oha(url("sendChat", room_id=chat_room), concurrency=c, method="POST", headers=[auth], body={"text": "load"}, duration=DURATION)),
        ("list-chat", lambda c: oha(url("listChat", room_id=chat_room), concurrency=c, headers=[auth], duration=DURATION)),
    ]


def pgbench(concurrency):
    """The join's SQL (bench/pgbench/join.sql) straight to PostgreSQL, as pgbench reports it."""
    database = os.environ["DATABASE_URL"]
    subprocess.run(["psql", "-q", "-X", "-v", "ON_ERROR_STOP=1", "-f", ROOT / "bench/pgbench/setup.sql", database], check=True, capture_output=True)
    cmd = [os.environ.get("PGBENCH", "pgbench"), "-n", "-M", "prepared", "-D", "rooms=2000", "-f", ROOT / "bench/pgbench/join.sql"]
    cmd += ["-c", str(concurrency), "-j", str(min(concurrency, 2)), "-T", str(max(1, round(DURATION))), "--report-per-command", database]
    out = subprocess.run([str(c) for c in cmd], capture_output=True, text=True, check=True).stdout
    tps = float(re.search(r"tps = ([\d.]+)", out).group(1))
    latency = float(re.search(r"latency average = ([\d.]+) ms", out).group(1))
    failed = int(re.search(r"number of failed transactions: (\d+)", out).group(1))
    # pgbench reports the mean latency only; the report labels it so.
    return {"rps": tps, "p50_ms": latency, "p95_ms": latency, "p99_ms": latency, "mean_only": True, "status": {}, "errors": {"failed": failed} if failed else {}}


def redis_benchmark(concurrency):
    """The chat append script (functions/common/src/chat/append.lua) by EVAL, as the send-chat
    write runs it: with a client id, into one room's stream."""
    host, port = re.match(r"rediss?://(?:[^@]*@)?([^:/]+):(\d+)", os.environ["REDIS_URL"]).groups()
    script = (ROOT / "functions/common/src/chat/append.lua").read_text()
    requests = 20000 if concurrency == 1 else 100000
    cmd = ["redis-benchmark", "-h", host, "-p", port, "-c", str(concurrency), "-n", str(requests), "-r", "1000000000", "--csv"]
    stored = json.dumps({"identity": "bench", "name": "Bench", "text": "load", "cid": "__rand_int__"})
    cmd += ["EVAL", script, "2", "chat:{bench}", "chat:{bench}:sent:bench:__rand_int__", "1000", "86400", "1", stored]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout.strip().splitlines()
    # The first column repeats the command unescaped (the JSON's quotes and commas), so the
    # figures are read from the right.
    header = [h.strip('"') for h in out[0].split(",")][1:]
    row = dict(zip(header, (v.strip('"') for v in out[-1].rsplit(",", len(header))[1:])))
    return {"rps": float(row["rps"]), "p50_ms": float(row["p50_latency_ms"]), "p95_ms": float(row["p95_latency_ms"]), "p99_ms": float(row["p99_latency_ms"]), "status": {}, "errors": {}}


def livekit_send_data(room_id):
    """LiveKit's own SendData (Twirp, JSON), with the same reliable kind and topic as our fan-out."""
    token = (
        lkapi.AccessToken(os.environ["LIVEKIT_API_KEY"], os.environ["LIVEKIT_API_SECRET"])
        .with_grants(lkapi.VideoGrants(room_admin=True, room=room_id))
        .with_ttl(datetime.timedelta(hours=1))
        .to_jwt()
    )
    url = f"{os.environ['LIVEKIT_API_URL']}/twirp/livekit.RoomService/SendData"
    payload = json.dumps({"id": str(uuid.uuid4()), "text": "load", "sender": {"identity": "bench", "display_name": "Bench"}})
    body = {"room": room_id, "data": base64.b64encode(payload.encode()).decode(), "kind": "RELIABLE", "topic": "chat"}
    return lambda c: oha(url, concurrency=c, method="POST", headers=[f"Authorization: Bearer {token}"], body=body, duration=DURATION)


# A meeting of eight, per room: one creation, eight joins, eight tokens, eight history reads on
# join, and chat at two messages per participant over the same stretch.
MIX = {"create-room": 1, "join": 8, "token": 8, "list-chat": 8, "send-chat": 16}
MIX_RATES = [int(r) for r in os.environ.get("MIX_RATES", "200,400,800,1600,3200").split(",")]


def mix_run(fixture, chat_room, session, total_rate):
    """All five endpoints at once, each oha throttled to its share of `total_rate`."""
    weight = sum(MIX.values())
    auth = f"Authorization: Bearer {session}"
    url = fixture.api.url
    join_requests = int(total_rate * MIX["join"] / weight * DURATION * 1.5) + 50
    join_urls = fixture.join_urls(join_requests)

    def launch(name):
        rate = max(1, round(total_rate * MIX[name] / weight))
        c = max(4, min(256, rate // 10))
        args = {
            "create-room": (url("createRoom"), {"method": "POST", "body": {"title": "Mix"}}),
            "join": (join_urls, {"method": "POST", "body": {"display_name": "Mix"}, "regex": True}),
            "token": (url("roomToken", room_id=chat_room), {"method": "POST", "headers": [auth]}),
            "list-chat": (url("listChat", room_id=chat_room), {"headers": [auth]}),
            "send-chat": (url("sendChat", room_id=chat_room), {"method": "POST", "headers": [auth], "body": {"text": "mix"}}),
        }[name]
        return asyncio.to_thread(oha, args[0], concurrency=c, duration=DURATION, rate=rate, **args[1])

    async def together():
        results = await asyncio.gather(*(launch(name) for name in MIX))
        return dict(zip(MIX, results))

    with Monitor() as monitor:
        per_endpoint = asyncio.run(together())
    usage = monitor.result()
    return {
        "offered_rps": total_rate,
        "achieved_rps": sum(r["rps"] for r in per_endpoint.values()),
        "endpoints": per_endpoint,
        "worst_p99_ms": max(r["p99_ms"] for r in per_endpoint.values()),
        "non_2xx": sum(n for r in per_endpoint.values() for code, n in r["status"].items() if not code.startswith("2")),
        "errors": sum(n for r in per_endpoint.values() for n in r["errors"].values()),
        "server_cpu_percent": usage["cpu_percent"].get("server", 0),
        "server_peak_rss_mb": usage["peak_rss_mb"],
        "cpu_percent": usage["cpu_percent"],
        "bottleneck": bottleneck(usage),
    }


def main():
    fixture = Fixture()
    created = fixture.room("Chat bench")
    chat_room = created["room"]["id"]
    host = fixture.api.join(chat_room, "Host", host_key=created["host_key"])
    loop = asyncio.new_event_loop()
    # The connected listener's session sends and reads chat: a participant who never connects
    # to LiveKit loses their place after the connect grace period, and their session with it.
    listener, received, session = loop.run_until_complete(connected_listener(fixture, chat_room))
    # The listener's connection runs on this loop, which a background thread keeps turning.
    threading.Thread(target=loop.run_forever, daemon=True).start()
    for n in range(60):  # history for list-chat to read
        fixture.api.send_chat(chat_room, host["session_token"], f"history {n}")

    results = {"levels": LEVELS, "runs": RUNS, "duration_s": DURATION, "endpoints": {}, "limits": {}}
    print(f"load: {RUNS} runs of {DURATION:g} s per endpoint and concurrency level {LEVELS}", flush=True)
    for name, run in endpoint_runs(fixture, chat_room, session):
        results["endpoints"][name] = {}
        for c in LEVELS:
            results["endpoints"][name][str(c)] = measured(lambda: run(c))
            r = results["endpoints"][name][str(c)]
            print(f"  {name:<16} c={c:<4} {r['rps']['median']:9.0f} req/s  p99 {r['p99_ms']['median']:7.1f} ms  status {r['status']}", flush=True)

    limits = {
        "pgbench join SQL": pgbench,
        "redis chat append": redis_benchmark,
        "livekit SendData": livekit_send_data(chat_room),
    }
    for name, run in limits.items():
        results["limits"][name] = {}
        for c in LEVELS:
            results["limits"][name][str(c)] = measured(lambda: run(c))
            r = results["limits"][name][str(c)]
            print(f"  {name:<18} c={c:<4} {r['rps']['median']:9.0f} op/s  p99 {r['p99_ms']['median']:7.1f} ms", flush=True)

    results["mix"] = {"weights": MIX, "levels": []}
    for rate in MIX_RATES:
        level = mix_run(fixture, chat_room, session, rate)
        results["mix"]["levels"].append(level)
        print(f"  mix offered {rate:>5}/s achieved {level['achieved_rps']:7.0f}/s  worst p99 {level['worst_p99_ms']:7.1f} ms  non-2xx {level['non_2xx']}", flush=True)

    results["listener_received"] = received["data"]
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    (out / "load.json").write_text(json.dumps(results, indent=2))
    asyncio.run_coroutine_threadsafe(listener.disconnect(), loop).result(timeout=10)


if __name__ == "__main__":
    started = time.perf_counter()
    main()
    print(f"load: done in {time.perf_counter() - started:.0f} s")
