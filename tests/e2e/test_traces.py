"""Traces as a collector receives them: a local server exporting over OTLP/HTTP to a receiver on
loopback. A request that carries a W3C `traceparent` continues that trace, named by its route,
and every store, Redis and LiveKit call it makes is a child span."""

import contextlib
import os
import secrets
import signal
import socket
import subprocess
import time
from pathlib import Path

import httpx
import pytest
from meet_api import MeetApi
from opentelemetry.proto.trace.v1.trace_pb2 import Span
from otlp_receiver import Receiver
from stack import wait_for

ROOT = Path(__file__).resolve().parents[2]
SERVER = ROOT / "target" / "debug" / "local-server"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def server_exporting(log_name, **env):
    """A local server of its own (the suite's exports nowhere), with the given trace settings."""
    if not SERVER.exists():
        pytest.fail(f"{SERVER} is missing: run these tests through `make test`", pytrace=False)
    port = free_port()
    env = os.environ | {"PORT": str(port), "METRICS_PORT": ""} | env
    log = open(os.path.join(os.environ.get("STATE_DIR", "/tmp"), "logs", f"{log_name}.log"), "w")
    process = subprocess.Popen([str(SERVER)], env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    api = MeetApi(f"http://127.0.0.1:{port}")
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                api.health()
                break
            except httpx.HTTPError:
                if process.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"the traced local server did not start; see {log_name}.log", pytrace=False)
                time.sleep(0.2)
        yield api
    finally:
        api.close()
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=20)
        log.close()


@pytest.fixture(scope="module")
def traced():
    """Exporting over OTLP/HTTP, as under Lambda, to a receiver on loopback."""
    receiver = Receiver()
    try:
        with server_exporting("traced-server", OTEL_EXPORTER_OTLP_ENDPOINT=receiver.url) as api:
            yield api, receiver
    finally:
        receiver.close()


def traceparent():
    trace_id, parent = secrets.token_bytes(16), secrets.token_bytes(8)
    return trace_id, parent, f"00-{trace_id.hex()}-{parent.hex()}-01"


async def test_a_join_continues_the_callers_trace_with_a_span_per_dependency_call(traced):
    api, receiver = traced
    created = api.create_room(title="Traced")
    room = created["room"]["id"]
    trace_id, parent, header = traceparent()

    joined = api.call("joinRoom", room_id=room, json={"display_name": "Tracy"}, headers={"traceparent": header})
    assert joined.status_code == 201, joined.text
    session = joined.json()["session_token"]
    token = api.call("roomToken", room_id=room, session=session, headers={"traceparent": header})
    assert token.status_code == 200, token.text

    def server_spans():
        return [span for _, span in receiver.of_trace(trace_id) if span.kind == Span.SPAN_KIND_SERVER]

    await wait_for(lambda: len(server_spans()) >= 2, "both requests' spans arrived", timeout=20)
    by_name = {span.name: span for span in server_spans()}
    join = by_name["POST /api/rooms/{room_id}/join"]
    issue = by_name["POST /api/rooms/{room_id}/token"]
    assert join.parent_span_id == parent and issue.parent_span_id == parent, "the caller's span is the parent"
    assert all(service == "meet-local-server" for service, _ in receiver.of_trace(trace_id))
    assert room not in join.name, "spans are named by route, not by room"

    def children(of):
        return [span for _, span in receiver.of_trace(trace_id) if span.parent_span_id == of.span_id]

    await wait_for(lambda: any(s.name == "livekit CreateRoom" for s in children(issue)), "LiveKit's call under the token request")
    join_children = {span.name for span in children(join)}
    assert "postgres join" in join_children, join_children
    assert any(name.startswith("redis ") for name in join_children), join_children
    for parent_span in (join, issue):
        for child in children(parent_span):
            assert child.kind == Span.SPAN_KIND_CLIENT
            assert parent_span.start_time_unix_nano <= child.start_time_unix_nano <= child.end_time_unix_nano <= parent_span.end_time_unix_nano


async def test_a_request_without_traceparent_starts_a_trace_and_a_failure_is_marked(traced):
    api, receiver = traced
    missing = api.call("joinRoom", room_id="zzz-zzzz-zzz", json={"display_name": "Nobody"})
    assert missing.status_code == 404

    def joins():
        return [span for _, span in receiver.spans if span.name == "POST /api/rooms/{room_id}/join" and not span.parent_span_id]

    await wait_for(lambda: joins(), "a root span for the join without traceparent", timeout=20)
    status = {a.key: a.value for a in joins()[-1].attributes}
    assert status["http.response.status_code"].string_value == "404"


async def test_under_make_dev_the_spans_reach_zipkin(api):
    """`make dev` sends spans to the stack's Zipkin, whose UI shows them; asked here through its API."""
    port = os.environ.get("ZIPKIN_PORT")
    if not port:
        pytest.fail("ZIPKIN_PORT is not set: run these tests through `make test`", pytrace=False)
    zipkin = f"http://127.0.0.1:{port}"
    endpoint = f"{zipkin}/api/v2/spans"
    with server_exporting("zipkin-server", OTEL_TRACES_EXPORTER="zipkin", OTEL_EXPORTER_ZIPKIN_ENDPOINT=endpoint) as traced:
        room = traced.create_room(title="Zipkin")["room"]["id"]
        trace_id, parent, header = traceparent()
        joined = traced.call("joinRoom", room_id=room, json={"display_name": "Zip"}, headers={"traceparent": header})
        assert joined.status_code == 201, joined.text

        def spans():
            answer = httpx.get(f"{zipkin}/api/v2/trace/{trace_id.hex()}", timeout=5)
            return answer.json() if answer.status_code == 200 else []

        await wait_for(lambda: any(s.get("kind") == "SERVER" for s in spans()), "the join's span in Zipkin", timeout=30)
    found = spans()
    (join,) = [s for s in found if s.get("kind") == "SERVER"]
    assert join["name"] == "post /api/rooms/{room_id}/join"
    assert join["parentId"] == parent.hex()
    children = {s["name"] for s in found if s.get("parentId") == join["id"]}
    assert "postgres join" in children, children
