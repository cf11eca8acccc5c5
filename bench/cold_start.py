"""Cold start of each function under AWS Lambda's own runtime interface emulator.

Each function's release bootstrap, built as it is deployed (`build_functions` in env.sh: the
DynamoDB store alone), is started fresh under `aws-lambda-rie` RUNS times and sent one real
request through API Gateway's event shape (`clients/python/lambda_runtime.py`), a request that
needs the function's own dependencies (creating a room writes the table, sending chat writes
Redis, and so on), against the cloud's store (DynamoDB, here the local emulator) and the test
stack's Redis and LiveKit. Three figures per start:

- init: the init duration the emulator reports (its `INIT REPORT` line), from the bootstrap's
  start until it asks for its first event (what Lambda reports as the cold start's init);
- first answer: from spawning the emulator until the answer to that request is back;
- warm: the `Duration` the emulator reports for the same request sent again to the started
  function (what a request costs once the function is up).

Also the size of each bootstrap: the x86_64 one measured here, and the arm64 one `make build`
leaves in `.aws-sam/build` (what is deployed), when it is there. Prints a table and writes
bench/results/cold_start.json.
"""

import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import httpx
from lambda_runtime import ApiGateway, binaries
from meet_api import MeetApi, request_args

ROOT = Path(__file__).resolve().parent.parent
RUNS = int(os.environ.get("RUNS", "5"))
# Another build to measure (the baseline was measured so, from the commit before slimming).
BIN = Path(os.environ.get("BOOTSTRAP_DIR", ROOT / "target" / "release"))
SAM_BUILD = ROOT / ".aws-sam" / "build"


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


def one_cold_start(function, request, env, logs):
    """Init duration, first-answer time and warm duration (ms) of one fresh start, and the
    first answer's status."""
    gateway = ApiGateway(BIN, logs, env)
    try:
        with httpx.Client(base_url="https://meet.example", transport=gateway) as client:
            started = time.perf_counter()
            response = client.request(**request)
            first_answer = (time.perf_counter() - started) * 1000
            again = client.request(**request)
            emulator = gateway.emulators[function]
            init, reports = emulator.init_ms(), emulator.reports()
        for answer in (response, again):
            if answer.status_code >= 500:
                raise RuntimeError(f"{function}: {answer.status_code} {answer.text}")
        if init is None or len(reports) < 2:
            raise RuntimeError(f"{function}: the emulator did not report an init and two requests; see {logs}")
        return init, first_answer, reports[1]["Duration"], response.status_code
    finally:
        gateway.close()


def deployed_sizes():
    """The arm64 bootstraps `make build` made, by function, when it has run."""
    return {
        function: (SAM_BUILD / logical_id / "bootstrap").stat().st_size
        for function, logical_id in binaries().items()
        if (SAM_BUILD / logical_id / "bootstrap").exists()
    }


def summary(values):
    return {"median": statistics.median(values), "min": min(values), "max": max(values)}


def main():
    room, session = fixture(os.environ["APP_URL"])
    env = dict(os.environ) | {"RUST_LOG": "warn"}
    arm64 = deployed_sizes()
    results = {}
    print(f"cold start under the Lambda runtime emulator, {RUNS} starts each (ms, median [min-max])")
    print(f"{'function':<17} {'init':>22} {'first answer':>22} {'warm':>20}  status  x86_64 bytes  arm64 bytes")
    with tempfile.TemporaryDirectory() as logs:
        for function, request in requests_for(room, session).items():
            inits, answers, warm, status = [], [], [], None
            for _ in range(RUNS):
                init, answer, again, status = one_cold_start(function, request, env, Path(logs))
                inits.append(init)
                answers.append(answer)
                warm.append(again)
            results[function] = {
                "init_ms": summary(inits),
                "first_answer_ms": summary(answers),
                "warm_ms": summary(warm),
                "status": status,
                "x86_64_bytes": (BIN / function).stat().st_size,
                "arm64_bytes": arm64.get(function),
            }
            r = results[function]
            shown = lambda s: f"{s['median']:.1f} [{s['min']:.1f}-{s['max']:.1f}]"
            print(f"{function:<17} {shown(r['init_ms']):>22} {shown(r['first_answer_ms']):>22} {shown(r['warm_ms']):>20}  {status:>6}  "
                  f"{r['x86_64_bytes']:>12}  {r['arm64_bytes'] or '-':>11}")
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    store = "dynamodb" if env.get("DYNAMODB_TABLE") else "postgres"
    (out / "cold_start.json").write_text(json.dumps({"runs": RUNS, "store": store, "functions": results}, indent=2))


if __name__ == "__main__":
    sys.exit(main())
