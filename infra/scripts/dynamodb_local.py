"""A local DynamoDB for development and tests: moto's server, one request at a time.

moto's TransactWriteItems rolls back a failed transaction by restoring a snapshot of the
table taken when it began, so a transaction that fails while another commits would undo the
other's writes. Real DynamoDB isolates transactions; serialising requests here gives the
same guarantee, which the race tests rely on.

It also counts the capacity units each request would consume on real DynamoDB, so `make bench`
can price a join or a chat message: `GET /__usage` answers the totals per operation and
`POST /__usage` resets them. The rules are DynamoDB's published ones (reads per 4 KB, writes per
1 KB, transactions at twice the rate, eventually consistent reads at half, one more write per
item for the `by_session` index); item sizes are estimated from the JSON the SDK sends and
receives, which is somewhat larger than DynamoDB's own measure, so the counts lean high.

Serialised, it never sees two transactions on one item at once, so it never answers what real
DynamoDB answers then (`TransactionCanceledException` with a `TransactionConflict` reason).
Tests inject that: `POST /__conflicts {"table": T, "mode": M}` makes the transactions writing
to table T collide, `once` (each distinct transaction the first time it is sent; its retry goes
through), `always`, or `off`; `GET /__conflicts` answers how many were injected per table.
"""

import io
import json
import math
import sys
import threading

from moto.moto_server.werkzeug_app import DomainDispatcherApplication, MotoRequestHandler, create_backend_app
from werkzeug.serving import run_simple

host, port = sys.argv[1], int(sys.argv[2])
backend = DomainDispatcherApplication(create_backend_app)
one_at_a_time = threading.Lock()
usage = {}
# Injected collisions: table -> mode, the transactions already collided once, and counts.
conflict_modes, collided, injected = {}, set(), {}


def size(value):
    return len(json.dumps(value, separators=(",", ":")))


def read_units(items_bytes, consistent):
    return max(1, math.ceil(items_bytes / 4096)) * (1 if consistent else 0.5)


def write_units(item):
    """One write of `item`, plus the index write when it carries a session (a participant)."""
    return max(1, math.ceil(size(item) / 1024)) + (1 if "session" in item else 0)


def units(operation, request, response):
    """(read units, write units) of one request."""
    if operation == "GetItem":
        return read_units(size(response.get("Item", {})), request.get("ConsistentRead", False)), 0
    if operation == "Query":
        return read_units(sum(size(i) for i in response.get("Items", [])), request.get("ConsistentRead", False)), 0
    if operation == "PutItem":
        return 0, write_units(request.get("Item", {}))
    if operation in ("UpdateItem", "DeleteItem"):
        return 0, write_units(request.get("Key", {}))
    if operation == "TransactWriteItems":
        writes = 0
        for entry in request.get("TransactItems", []):
            (kind, body), = entry.items()
            writes += 2 * write_units(body.get("Item") or body.get("Key") or {})
        return 0, writes
    if operation == "TransactGetItems":
        return sum(2 * read_units(size(r.get("Item", {})), True) for r in response.get("Responses", [])), 0
    return 0, 0


def answer_json(start_response, value, status="200 OK"):
    start_response(status, [("content-type", "application/json")])
    return [json.dumps(value).encode()]


def collision(operation, body):
    """DynamoDB's answer to a transaction that collided with another, when one is injected."""
    if operation != "TransactWriteItems":
        return None
    try:
        request = json.loads(body)
        items = request["TransactItems"]
        table = next(iter(items[0].values()))["TableName"]
    except (ValueError, KeyError, IndexError, StopIteration, AttributeError):
        return None
    mode = conflict_modes.get(table, "off")
    # A retry is the same transaction under a fresh idempotency token.
    request.pop("ClientRequestToken", None)
    transaction = json.dumps(request, sort_keys=True)
    if mode == "off" or (mode == "once" and transaction in collided):
        return None
    collided.add(transaction)
    injected[table] = injected.get(table, 0) + 1
    reasons = [{"Code": "TransactionConflict", "Message": "Transaction is ongoing for the item"}] + [
        {"Code": "None"} for _ in items[1:]
    ]
    return {
        "__type": "com.amazonaws.dynamodb.v20120810#TransactionCanceledException",
        "Message": "Transaction cancelled, please refer cancellation reasons for specific reasons "
        f"[{', '.join(r['Code'] for r in reasons)}]",
        "CancellationReasons": reasons,
    }


def app(environ, start_response):
    if environ.get("PATH_INFO") == "/__conflicts":
        if environ["REQUEST_METHOD"] == "POST":
            length = int(environ.get("CONTENT_LENGTH") or 0)
            wanted = json.loads(environ["wsgi.input"].read(length) or b"{}")
            if wanted.get("mode") not in ("once", "always", "off") or not wanted.get("table"):
                return answer_json(start_response, {"error": "give a table and a mode: once, always or off"}, "400 Bad Request")
            with one_at_a_time:
                conflict_modes[wanted["table"]] = wanted["mode"]
        return answer_json(start_response, injected)
    if environ.get("PATH_INFO") == "/__usage":
        if environ["REQUEST_METHOD"] == "POST":
            usage.clear()
        start_response("200 OK", [("content-type", "application/json")])
        return [json.dumps(usage).encode()]
    target = environ.get("HTTP_X_AMZ_TARGET", "")
    operation = target.rsplit(".", 1)[-1]
    length = int(environ.get("CONTENT_LENGTH") or 0)
    body = environ["wsgi.input"].read(length) if length else b""
    environ["wsgi.input"] = io.BytesIO(body)
    captured = {}

    def capture(status, headers, exc_info=None):
        captured["status"] = status
        return start_response(status, headers, exc_info)

    with one_at_a_time:
        collided_now = collision(operation, body)
        if collided_now is not None:
            count(operation, b"{}", [], "400")
            start_response("400 Bad Request", [("content-type", "application/x-amz-json-1.0")])
            return [json.dumps(collided_now).encode()]
        chunks = list(backend(environ, capture))
        if operation:
            count(operation, body, chunks, captured["status"])
    return chunks


def count(operation, body, chunks, status):
    try:
        request = json.loads(body or b"{}")
        response = json.loads(b"".join(chunks) or b"{}")
        reads, writes = units(operation, request, response) if status.startswith("200") else (0, 0)
        # A write refused by its condition still consumes its write units on DynamoDB.
        if status.startswith("400") and operation in ("PutItem", "UpdateItem", "DeleteItem", "TransactWriteItems"):
            reads, writes = units(operation, request, {})
    except (ValueError, AttributeError):
        reads, writes = 0, 0
    entry = usage.setdefault(operation, {"requests": 0, "read_units": 0, "write_units": 0})
    entry["requests"] += 1
    entry["read_units"] += reads
    entry["write_units"] += writes


run_simple(host, port, app, threaded=True, request_handler=MotoRequestHandler)
