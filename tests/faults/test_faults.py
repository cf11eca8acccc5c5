"""Faults under load: a server pulled out from under a running service, as an outage would do
it, while a light steady load of joins, tokens and chat messages keeps going. For each fault
the test checks what people would see during it (clear 503s with stable codes, answered within
the dependency budget, the rest of the service working), that the service recovers by itself
once the server is back, and that nothing acknowledged is lost or half-written. The metrics
show each fault; the time to recover is measured and written to $STATE_DIR/logs/faults.json.

Run by `make test` as a step of its own, after everything else that uses the test stack."""

import asyncio
import contextlib
import json
import os
import re
import signal
import subprocess
import time
import uuid
from pathlib import Path

import httpx
import pytest
from livekit_client import Client
from load import Load
from meet_api import MeetApi, Refused
from stack import sql, wait_for

ROOT = Path(__file__).resolve().parents[2]
APP_URL = os.environ.get("APP_URL", "")
STATE = Path(os.environ.get("STATE_DIR", "/nonexistent"))
# What a request may take while a dependency does not answer: each dependency call gives up at
# the budget (DEPENDENCY_TIMEOUT_MS, 2 s by default); a request caught as the fault begins may
# meet it in two calls; and a margin for a loaded machine.
BUDGET = 2.0
ANSWER_WITHIN = 2 * BUDGET + 3.0
FAULT_SECONDS = 5
GRACE = int(os.environ.get("CONNECT_GRACE_SECONDS", "60"))
recovery = {}


@pytest.fixture(scope="module")
def api():
    if not APP_URL or not STATE.is_dir():
        pytest.fail("APP_URL and STATE_DIR are not set: run these tests through `make test`", pytrace=False)
    client = MeetApi(APP_URL)
    client.health()
    yield client
    client.close()
    (STATE / "logs").mkdir(exist_ok=True)
    (STATE / "logs" / "faults.json").write_text(json.dumps(recovery, indent=2))


def stack_up():
    """The project's own script brings back whatever is not running."""
    subprocess.run(["bash", str(ROOT / "infra/scripts/stack.sh"), "up"], check=True, capture_output=True)


def pid(name):
    return int((STATE / f"{name}.pid").read_text().split()[0])


def postgres_pids():
    postmaster = int((STATE / "postgres" / "postmaster.pid").read_text().split()[0])
    children = subprocess.run(["pgrep", "-P", str(postmaster)], capture_output=True, text=True).stdout.split()
    return [postmaster, *map(int, children)]


def signal_all(pids, sig):
    """Signals each process; one that has ended meanwhile (a backend whose client left) needs none."""
    for process in pids:
        with contextlib.suppress(ProcessLookupError):
            os.kill(process, sig)


def scrape():
    return httpx.get(f"http://127.0.0.1:{os.environ['METRICS_PORT']}/metrics", timeout=5).text


def counted(text, name, **labels):
    total = 0.0
    for line in text.splitlines():
        match = re.match(rf"^{name}\{{(.*)\}} (\S+)$", line)
        if match and all(f'{k}="{v}"' in match.group(1) for k, v in labels.items()):
            total += float(match.group(2))
    return total


def answered_in_time(answers):
    slow = [a for a in answers if a.status == 0 or a.seconds > ANSWER_WITHIN]
    assert not slow, f"hung or unanswered: {slow[:3]}"
    assert not [a for a in answers if a.status >= 500 and a.status != 503], "a 5xx other than 503"


def outage(load, op, start, end):
    """The answers to `op` (any when None) to requests that met the fault for their whole
    budget: sent past its first half second (earlier ones may have been served), and early
    enough that their budget ran out before the server came back."""
    return load.between(start + 0.5, end - BUDGET - 0.2, op)


def messages_kept(api, load, until):
    """Every chat message that got 201 before `until` is in its room's history."""
    acknowledged = [a for a in load.answers if a.op == "chat" and a.status == 201 and a.at < until]
    by_room = {}
    for answer in acknowledged:
        by_room.setdefault(answer.detail["room"], set()).add(answer.detail["text"])
    for room, texts in by_room.items():
        # Read as someone joining now would (the load's own people have long dropped out).
        reader = api.join(room, "Reader")["session_token"]
        history = set()
        page = api.list_chat(room, reader, limit=100)
        while True:
            history |= {m["text"] for m in page["messages"]}
            if not page.get("next_cursor"):
                break
            page = api.list_chat(room, reader, limit=100, after=page["next_cursor"])
        assert texts <= history, f"lost: {sorted(texts - history)[:3]}"
    return len(acknowledged)


def test_redis_killed_chat_answers_503_the_rest_works_and_nothing_acknowledged_is_lost(api):
    before = scrape()
    with Load(APP_URL) as load:
        time.sleep(2)
        start = time.monotonic()
        os.kill(pid("redis"), signal.SIGKILL)
        time.sleep(FAULT_SECONDS)
        end = time.monotonic()
        stack_up()
        back = time.monotonic()
        chat_back = load.first_success_after(back, "chat")
        time.sleep(2)
        stopped = time.monotonic()
    during = load.between(start, end)
    answered_in_time(load.answers)
    chat = outage(load, "chat", start, end)
    assert chat and all(a.status == 503 and a.code == "chat_unavailable" for a in chat), chat[:3]
    for op in ("join", "token"):
        kept = outage(load, op, start, end)
        assert kept and all(a.status in (200, 201) for a in kept), f"{op}: {kept[:3]}"
    assert messages_kept(api, load, stopped) > 10
    after = scrape()
    assert counted(after, "meet_http_requests_total", code="chat_unavailable") > counted(before, "meet_http_requests_total", code="chat_unavailable")
    assert counted(after, "meet_dependency_duration_seconds_count", dependency="redis", outcome="error") > counted(
        before, "meet_dependency_duration_seconds_count", dependency="redis", outcome="error"
    )
    recovery["redis_killed"] = {"chat_back_after_restart_s": round(chat_back - back, 2), "answers_during": len(during)}


async def test_livekit_killed_joins_answer_chat_is_kept_and_fans_out_again_and_vanished_people_free_their_slots(api):
    room = api.create_room(title="Through a LiveKit outage", max_participants=2)["room"]["id"]
    ann, bob = api.join(room, "Ann"), api.join(room, "Bob")
    clients = []
    for person in (ann, bob):
        grant = api.token(room, person["session_token"])
        clients.append(await Client().connect(grant["livekit_url"], grant["token"]))
    await wait_for(lambda: sql(f"SELECT count(*) FROM participants WHERE room_id = '{room}' AND status = 'connected'") == "2", "both connected")

    before = scrape()
    with Load(APP_URL) as load:
        time.sleep(2)
        start = time.monotonic()
        os.kill(pid("livekit"), signal.SIGKILL)
        for client in clients:  # their browsers give up and close while LiveKit is away
            with contextlib.suppress(Exception):
                await asyncio.wait_for(client.disconnect(), 10)
        time.sleep(FAULT_SECONDS)
        end = time.monotonic()
        stack_up()
        back = time.monotonic()
        tokens_back = load.first_success_after(back, "token")
        stopped = time.monotonic()
    answered_in_time(load.answers)
    for op in ("join", "chat"):
        kept = outage(load, op, start, end)
        assert kept and all(a.status == 201 for a in kept), f"{op}: {kept[:3]}"
    tokens = outage(load, "token", start, end)
    assert tokens and all(a.status == 503 and a.code == "media_unavailable" for a in tokens), tokens[:3]
    assert messages_kept(api, load, stopped) > 5
    after = scrape()
    assert counted(after, "meet_http_requests_total", code="media_unavailable") > counted(before, "meet_http_requests_total", code="media_unavailable")
    failed_calls = dict(name="meet_dependency_duration_seconds_count", dependency="livekit", outcome="error")
    assert counted(after, **failed_calls) > counted(before, **failed_calls)

    # Bob comes back; Ann is gone for good. Chat reaches Bob over LiveKit again, and Ann's slot
    # goes to someone new once LiveKit has the room again and the grace period has passed.
    grant = api.token(room, bob["session_token"])
    returned = time.monotonic()
    bob_again = await Client().connect(grant["livekit_url"], grant["token"])
    try:
        api.send_chat(room, bob["session_token"], "still here")
        _, message = await bob_again.next_data("chat")
        assert message["text"] == "still here"

        def someone_new_gets_in():
            try:
                return api.join(room, f"Cy {time.monotonic()}")
            except Refused as refused:
                assert refused.code == "room_full", refused
                return None

        await wait_for(someone_new_gets_in, "Ann's slot freed", timeout=GRACE + 30)
        freed = time.monotonic()
    finally:
        await bob_again.disconnect()
    recovery["livekit_killed"] = {
        "tokens_back_after_restart_s": round(tokens_back - back, 2),
        "vanished_slot_freed_after_room_reopened_s": round(freed - returned, 2),
        "connect_grace_s": GRACE,
    }


def attempt(call):
    """One request of the test's own: its status, code and time taken."""
    started = time.monotonic()
    try:
        call()
        return 201, None, time.monotonic() - started
    except Refused as refused:
        return refused.status, refused.code, time.monotonic() - started


def test_postgres_restarted_requests_get_503_store_unavailable_and_nothing_is_half_written(api):
    room = api.create_room(title="Through a database restart")["room"]["id"]
    before = scrape()
    with Load(APP_URL) as load:
        time.sleep(2)
        start = time.monotonic()
        subprocess.run(
            ["runuser", "-u", "postgres", "--", "/usr/lib/postgresql/15/bin/pg_ctl", "-D", str(STATE / "postgres"), "-m", "fast", "-w", "stop"],
            check=True,
            capture_output=True,
        )
        # Someone creates a meeting and someone joins one while the database is away.
        title, name = f"during {uuid.uuid4().hex[:8]}", f"during {uuid.uuid4().hex[:8]}"
        tried = [attempt(lambda: api.create_room(title)), attempt(lambda: api.join(room, name))]
        time.sleep(max(0.0, FAULT_SECONDS + 3 - (time.monotonic() - start)))
        end = time.monotonic()
        stack_up()
        back = time.monotonic()
        joins_back = load.first_success_after(back, "join")
        chat_back = load.first_success_after(back, "chat")
        time.sleep(1)
    answered_in_time(load.answers)
    for status, code, seconds in tried:
        assert (status, code) == (503, "store_unavailable") and seconds <= ANSWER_WITHIN, (status, code, seconds)
    during = outage(load, None, start, end)
    assert during and all(a.status == 503 and a.code == "store_unavailable" for a in during), [a for a in during if a.code != "store_unavailable"][:3]
    # What was refused left nothing behind: no room or participant under the names it tried.
    refused = [("create", title), ("join", name)]
    refused += [(a.op, a.detail.get("title") or a.detail.get("name")) for a in load.answers if a.status == 503 and a.op in ("create", "join")]
    for op, value in refused:
        if op == "create":
            assert sql(f"SELECT count(*) FROM rooms WHERE title = '{value}'") == "0", value
        else:
            assert sql(f"SELECT count(*) FROM participants WHERE display_name = '{value}'") == "0", value
    after = scrape()
    assert counted(after, "meet_http_requests_total", code="store_unavailable") > counted(before, "meet_http_requests_total", code="store_unavailable")
    recovery["postgres_restarted"] = {
        "joins_back_after_restart_s": round(joins_back - back, 2),
        "chat_back_after_restart_s": round(chat_back - back, 2),
        "refused_during": len(during) + len(tried),
    }


def test_a_postgres_that_stops_answering_fails_requests_within_the_budget_instead_of_piling_them_up(api):
    before = scrape()
    with Load(APP_URL) as load:
        time.sleep(2)
        paused = postgres_pids()
        start = time.monotonic()
        signal_all(paused, signal.SIGSTOP)
        try:
            time.sleep(FAULT_SECONDS + 3)
        finally:
            signal_all(paused, signal.SIGCONT)
        end = time.monotonic()
        joins_back = load.first_success_after(end, "join")
        time.sleep(1)
    answered_in_time(load.answers)
    # Past the first budget, every request waits on the store: each is refused at the budget.
    during = outage(load, None, start + BUDGET, end)
    assert during and all(a.status == 503 and a.code == "store_unavailable" for a in during), during[:3]
    assert max(a.seconds for a in load.between(start, end)) <= ANSWER_WITHIN
    after = scrape()
    assert counted(after, "meet_dependency_duration_seconds_count", dependency="postgres", outcome="error") > counted(
        before, "meet_dependency_duration_seconds_count", dependency="postgres", outcome="error"
    )
    recovery["postgres_unresponsive"] = {
        "joins_back_after_resume_s": round(joins_back - end, 2),
        "slowest_answer_during_s": round(max(a.seconds for a in load.between(start, end)), 2),
    }
