"""DynamoDB capacity units per API call, counted by the local DynamoDB (infra/scripts/dynamodb_local.py)
while the server runs on the DynamoDB store. With on-demand prices these give the store's cost per
million joins and messages. Writes bench/results/dynamodb_units.json.
"""

import json
import os
from pathlib import Path

import httpx
from meet_api import MeetApi

ROOT = Path(__file__).resolve().parent.parent
APP = os.environ["APP_URL"]
DYNAMODB = os.environ["AWS_ENDPOINT_URL_DYNAMODB"]
CALLS = 40


def main():
    api = MeetApi(APP, timeout=30)
    usage = httpx.Client(base_url=DYNAMODB, timeout=30)

    if usage.get("/__usage").headers.get("content-type") != "application/json":
        raise RuntimeError("the local DynamoDB does not count capacity units: it predates that; `make stack-down` and run again")

    def measure(name, call):
        usage.post("/__usage")
        for n in range(CALLS):
            answer = call(n)
            if answer.status_code >= 300:
                raise RuntimeError(f"{name}: {answer.status_code} {answer.text}")
        counted = usage.get("/__usage").json()
        reads = sum(op["read_units"] for op in counted.values()) / CALLS
        writes = sum(op["write_units"] for op in counted.values()) / CALLS
        requests = {op: round(v["requests"] / CALLS, 2) for op, v in counted.items()}
        return {"read_units": reads, "write_units": writes, "requests_per_call": requests}

    rooms = []
    results = {"calls": CALLS}

    def create(_):
        answer = api.call("createRoom", json={"title": "Units", "max_participants": 100})
        rooms.append(answer.json()["room"]["id"])
        return answer

    results["create-room"] = measure("create-room", create)
    room = rooms[0]
    sessions = []

    def join(n):
        answer = api.call("joinRoom", room_id=room, json={"display_name": f"Guest {n}"})
        sessions.append(answer.json()["session_token"])
        return answer

    results["join"] = measure("join", join)
    results["token"] = measure("token", lambda n: api.call("roomToken", room_id=room, session=sessions[n]))
    results["send-chat"] = measure("send-chat", lambda n: api.call("sendChat", room_id=room, session=sessions[n], json={"text": "units"}))
    results["list-chat"] = measure("list-chat", lambda n: api.call("listChat", room_id=room, session=sessions[n]))
    print(f"DynamoDB capacity units per call ({CALLS} calls each, counted by the local DynamoDB)")
    for name, r in results.items():
        if name != "calls":
            print(f"  {name:<12} reads {r['read_units']:5.2f}  writes {r['write_units']:5.2f}  requests {r['requests_per_call']}")
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    (out / "dynamodb_units.json").write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
