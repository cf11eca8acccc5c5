"""The local server's metrics, read the way Prometheus reads them: every request is counted by
route, status and error code, store and LiveKit calls are timed, and the metrics listener is its
own (the public port does not serve it)."""

import os
import re

import httpx
import pytest

from meet_api import Refused

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
    timed = dict(name="meet_http_request_duration_seconds_count", route="/api/rooms", method="POST")
    assert value(after, **timed) >= value(before, **timed) + 1
    stored = dict(name="meet_dependency_duration_seconds_count", dependency="postgres", operation="create_room", outcome="ok")
    assert value(after, **stored) >= value(before, **stored) + 1
    assert room


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
