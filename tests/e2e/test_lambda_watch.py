"""Every function runs as a Lambda: each is invoked through `cargo lambda watch`'s emulator, and
writes its metrics to its log in CloudWatch's embedded metric format."""

import json
import os
import shutil
import signal
import subprocess
import time

import httpx
from stack import wait_for
import pytest

PORT = int(os.environ.get("LAMBDA_PORT", "19000"))
BASE = f"http://127.0.0.1:{PORT}/lambda-url"
LOG = os.path.join(os.environ.get("STATE_DIR", "/tmp"), "logs", "cargo-lambda.log")


@pytest.fixture(scope="module")
def lambdas():
    if shutil.which("cargo-lambda") is None:
        pytest.fail("cargo-lambda is not installed: run through `make test`", pytrace=False)
    log = open(LOG, "w")
    process = subprocess.Popen(
        # The local stack's store is PostgreSQL; deployed functions link DynamoDB's alone.
        ["cargo", "lambda", "watch", "--features", "postgres", "--ignore-changes", "-q", "-A", "127.0.0.1", "-P", str(PORT)],
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
        # Each function compiles and cold-starts on its first call, which can outlast the
        # short grace period the rest of the e2e suite runs with.
        env=os.environ | {"CONNECT_GRACE_SECONDS": "600"},
    )
    client = httpx.Client(timeout=120)
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                client.get(f"http://127.0.0.1:{PORT}/")
                break
            except httpx.TransportError:
                if process.poll() is not None or time.monotonic() > deadline:
                    pytest.fail("cargo lambda watch did not start; see cargo-lambda.log", pytrace=False)
                time.sleep(0.5)
        yield client
    finally:
        client.close()
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=20)
        log.close()


def test_every_function_answers_through_the_lambda_emulator(lambdas):
    created = lambdas.post(f"{BASE}/create-room/api/rooms", json={"title": "Lambda smoke"})
    assert created.status_code == 201, created.text
    room_id = created.json()["room"]["id"]

    assert lambdas.get(f"{BASE}/join-room/api/health").json() == {"status": "ok"}
    shown = lambdas.get(f"{BASE}/join-room/api/rooms/{room_id}")
    assert shown.status_code == 200 and shown.json()["room"]["id"] == room_id

    joined = lambdas.post(f"{BASE}/join-room/api/rooms/{room_id}/join", json={"display_name": "Lambda"})
    assert joined.status_code == 201, joined.text
    auth = {"Authorization": "Bearer " + joined.json()["session_token"]}

    token = lambdas.post(f"{BASE}/token/api/rooms/{room_id}/token", headers=auth)
    assert token.status_code == 200 and token.json()["token"], token.text

    sent = lambdas.post(f"{BASE}/send-chat/api/rooms/{room_id}/messages", json={"text": "via lambda"}, headers=auth)
    assert sent.status_code == 201, sent.text
    listed = lambdas.get(f"{BASE}/list-chat/api/rooms/{room_id}/messages", headers=auth)
    assert [m["text"] for m in listed.json()["messages"]] == ["via lambda"]

    unsigned = lambdas.post(f"{BASE}/livekit-webhook/api/livekit/webhook", content=b"{}")
    assert unsigned.status_code == 401
    assert unsigned.json()["error"]["code"] == "unauthorized"


def metric_documents():
    """The embedded-metric-format documents in the functions' log, as CloudWatch would read them."""
    documents = []
    with open(LOG, encoding="utf-8", errors="replace") as log:
        for line in log:
            start = line.find('{"_aws"')
            if start >= 0:
                documents.append(json.loads(line[start:]))
    return documents


async def test_under_lambda_metrics_go_to_the_log_for_cloudwatch(lambdas):
    created = lambdas.post(f"{BASE}/create-room/api/rooms", json={"title": "Lambda metrics"})
    assert created.status_code == 201, created.text
    refused = lambdas.post(f"{BASE}/join-room/api/rooms/zzz-zzzz-zzz/join", json={"display_name": "Nobody"})
    assert refused.status_code == 404

    def found(**wanted):
        return [d for d in metric_documents() if all(d.get(k) == v for k, v in wanted.items())]

    await wait_for(lambda: found(route="/api/rooms", status="201", function="create-room"), "create-room's request counted")
    await wait_for(lambda: found(outcome="refused", function="join-room"), "join-room's refused join counted")
    counted = found(route="/api/rooms", status="201", function="create-room")[-1]
    assert counted["meet_http_requests_total"] == 1
    (declared,) = counted["_aws"]["CloudWatchMetrics"]
    assert declared["Namespace"] == "Meet"
    assert set(declared["Dimensions"][0]) == {"function", "route", "method", "status", "code"}
    assert counted["RequestId"], "each document names the request it came from"
    timed = found(route="/api/rooms", method="POST", function="create-room")
    assert any(isinstance(d.get("meet_http_request_duration_seconds"), list) for d in timed), "latency as values"
    assert found(function="join-room", outcome="refused")[-1]["meet_joins_total"] == 1
