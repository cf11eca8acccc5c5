"""The local server's metrics, read the way Prometheus reads them: every request is counted by
route, status and error code, store and LiveKit calls are timed, chat, fan-out, host actions and
LiveKit's webhooks are counted, and the metrics listener is its own (the public port does not
serve it)."""

import os
import re

import httpx
import pytest

from livekit_client import Client
from meet_api import Refused
from stack import wait_for

METRICS_URL = f"http://127.0.0.1:{os.environ.get('METRICS_PORT', '')}/metrics"


def scrape():
    if not os.environ.get("METRICS_PORT"):
        pytest.fail("METRICS_PORT is not set: run these tests through `make test`", pytrace=False)
    return httpx.get(METRICS_URL, timeout=5).text


def value(text, name, **labels):
    """The sum of every series of `name` whose labels include `labels` (0 when none)."""
    total = 0.0
    for line in text.splitlines():
        match = re.match(rf"^{name}\{{(.*)\}} (\S+)$", line)
        if not match:
            continue
        found = dict(re.findall(r'(\w+)="([^"]*)"', match.group(1)))
        if all(found.get(key) == wanted for key, wanted in labels.items()):
            total += float(match.group(2))
    return total


def test_requests_are_counted_by_route_status_and_code(api):
    before = scrape()
    room = api.create_room(title="Counted")["room"]["id"]
    with pytest.raises(Refused):
        api.join("zzz-zzzz-zzz", "Nobody")
    after = scrape()

    created = dict(name="meet_http_requests_total", route="/api/rooms", method="POST", status="201", code="ok")
    assert value(after, **created) >= value(before, **created) + 1
    missing = dict(name="meet_http_requests_total", route="/api/rooms/{room_id}/join", status="404", code="room_not_found")
    assert value(after, **missing) >= value(before, **missing) + 1
    refused = dict(name="meet_joins_total", outcome="refused")
    assert value(after, **refused) >= value(before, **refused) + 1
    timed = dict(name="meet_http_request_duration_seconds_count", route="/api/rooms", method="POST")
    assert value(after, **timed) >= value(before, **timed) + 1
    stored = dict(name="meet_dependency_duration_seconds_count", dependency="postgres", operation="create_room", outcome="ok")
    assert value(after, **stored) >= value(before, **stored) + 1
    assert room
    # The pool's own counts, read at the scrape: it has opened connections, within its maximum.
    in_use, idle, most = (value(after, "meet_db_pool_connections", state=s) for s in ("in_use", "idle", "max"))
    assert most >= 1 and 1 <= in_use + idle <= most, (in_use, idle, most)


def test_livekit_calls_are_timed(api):
    room = api.create_room(title="Timed")
    joined = api.join(room["room"]["id"], "Tim", host_key=room["host_key"])
    before = scrape()
    api.token(room["room"]["id"], joined["session_token"])
    after = scrape()
    series = dict(name="meet_dependency_duration_seconds_count", dependency="livekit", operation="CreateRoom", outcome="ok")
    assert value(after, **series) >= value(before, **series) + 1


def test_the_public_port_does_not_serve_metrics(api):
    for path in ["/metrics", "/api/metrics"]:
        response = httpx.get(f"{os.environ['APP_URL']}{path}", timeout=5)
        assert "meet_http_requests_total" not in response.text, path


def test_logs_written_to_a_file_carry_no_colour_codes(api):
    log = os.path.join(os.environ["STATE_DIR"], "logs", "local-server.log")
    if not os.path.exists(log):
        pytest.fail(f"{log} is missing: run these tests through `make test`", pytrace=False)
    start = os.path.getsize(log)
    with pytest.raises(Refused):
        api.join("zzz-zzzz-zzz", "Nobody")  # logged as a refused request
    with open(log, "rb") as written:
        written.seek(start)
        lines = written.read()
    assert b"request refused" in lines
    assert b"\x1b[" not in lines, "no terminal colour codes in a log file"


async def test_chat_fan_out_moderation_and_webhooks_are_counted(api):
    room = api.create_room(title="Operated", max_participants=3)
    room_id = room["room"]["id"]
    host = api.join(room_id, "Hana", host_key=room["host_key"])
    guest = api.join(room_id, "Gus")
    before = scrape()
    grant = api.token(room_id, host["session_token"])
    client = await Client().connect(grant["livekit_url"], grant["token"])
    try:
        joined = dict(name="meet_webhook_events_total", kind="participant_joined", outcome="applied")
        await wait_for(lambda: value(scrape(), **joined) >= value(before, **joined) + 1, "LiveKit's participant_joined counted")

        api.send_chat(room_id, host["session_token"], "counted", client_id="metrics-1")
        api.send_chat(room_id, host["session_token"], "counted", client_id="metrics-1")  # a retry
        _, message = await client.next_data("chat")
        assert message["text"] == "counted"
        api.moderate(room_id, host["session_token"], guest["participant"]["id"], "kick")
    finally:
        await client.disconnect()
    for headers in [{}, {"authorization": "not a signature"}]:
        refused = api.call("livekitWebhook", content=b"{}", headers={**headers, "content-type": "application/webhook+json"})
        assert refused.status_code == 401
    after = scrape()

    def grew(by=1, **series):
        assert value(after, **series) >= value(before, **series) + by, series

    grew(name="meet_chat_messages_total", outcome="stored")
    grew(name="meet_chat_messages_total", outcome="repeated")
    grew(name="meet_data_fanouts_total", topic="chat", outcome="ok")
    grew(name="meet_moderation_actions_total", action="kick")
    grew(name="meet_webhook_refusals_total", reason="unsigned")
    grew(name="meet_webhook_refusals_total", reason="bad_signature")
