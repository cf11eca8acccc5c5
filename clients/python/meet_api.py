"""The meeting API for Python: the one client the end-to-end tests and the benchmarks share.

Each route's method, path and success status come from `openapi.yaml` (which the Rust types
generate), so a route renamed or moved on the server breaks this client at once rather than
quietly calling the old address. A call that does not answer its success status raises
`Refused`, carrying the status and the API's error code.
"""

from functools import cache
from pathlib import Path
from string import Formatter
from urllib.parse import quote

import httpx
import yaml

SPEC = Path(__file__).resolve().parents[2] / "openapi.yaml"


@cache
def operations():
    """operationId -> (method, path template, success status), read from the spec."""
    spec = yaml.safe_load(SPEC.read_text())
    table = {}
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            success = min(int(status) for status in operation["responses"] if str(status).startswith("2"))
            table[operation["operationId"]] = (method.upper(), path, success)
    return table


class Refused(Exception):
    """The API answered something other than the route's success status."""

    def __init__(self, response: httpx.Response):
        self.response = response
        self.status = response.status_code
        try:
            self.code = response.json()["error"]["code"]
        except (ValueError, KeyError, TypeError):
            self.code = None
        super().__init__(f"{response.request.method} {response.request.url.path}: {self.status} {response.text[:300]}")


def bearer(session):
    return {"Authorization": f"Bearer {session}"} if session else {}


BODY = ("json", "params", "content")


def path_for(template, **path):
    """The route's path with its parameters filled in; exactly the route's parameters."""
    names = {name for _, name, _, _ in Formatter().parse(template) if name}
    if set(path) != names:
        raise TypeError(f"{template} takes path parameters {sorted(names)}, not {sorted(path)}")
    return template.format(**{name: quote(str(value), safe="") for name, value in path.items()})


def request_args(operation, *, session=None, headers=None, **fields):
    """The arguments of `httpx.(Async)Client.request` for one call: path parameters by name
    (`room_id`, `participant_id`), and `json`, `params` or `content` passed through."""
    method, template, _ = operations()[operation]
    passed = {key: fields.pop(key) for key in BODY if key in fields}
    url = path_for(template, **fields)
    return {"method": method, "url": url, "headers": bearer(session) | (headers or {})} | passed


class MeetApi:
    """One method per route, answering the parsed body (None for an empty answer)."""

    def __init__(self, base_url, *, timeout=10, **client_options):
        self.http = httpx.Client(base_url=base_url, timeout=timeout, **client_options)

    def close(self):
        self.http.close()

    def call(self, operation, **args) -> httpx.Response:
        """The raw answer, whatever its status: for tests of refusals."""
        return self.http.request(**request_args(operation, **args))

    def answer(self, operation, **args):
        response = self.call(operation, **args)
        if response.status_code != operations()[operation][2]:
            raise Refused(response)
        return response.json() if response.content else None

    def url(self, operation, **path):
        """The full address of a route, for load tools that speak HTTP themselves."""
        return f"{self.http.base_url}".rstrip("/") + path_for(operations()[operation][1], **path)

    def health(self):
        return self.answer("health")

    def create_room(self, title="Meeting", **fields):
        return self.answer("createRoom", json={"title": title} | fields)

    def room(self, room_id):
        return self.answer("showRoom", room_id=room_id)

    def join(self, room_id, display_name, *, host_key=None, device_id=None, session=None):
        body = {"display_name": display_name, "host_key": host_key, "device_id": device_id}
        body = {key: value for key, value in body.items() if value}
        return self.answer("joinRoom", room_id=room_id, session=session, json=body)

    def leave(self, room_id, session):
        return self.answer("leaveRoom", room_id=room_id, session=session)

    def token(self, room_id, session):
        return self.answer("roomToken", room_id=room_id, session=session)

    def send_chat(self, room_id, session, text, client_id=None):
        body = {"text": text} | ({"client_id": client_id} if client_id else {})
        return self.answer("sendChat", room_id=room_id, session=session, json=body)["message"]

    def list_chat(self, room_id, session, **params):
        return self.answer("listChat", room_id=room_id, session=session, params=params)

    def me(self, room_id, session):
        return self.answer("me", room_id=room_id, session=session)["participant"]

    def participants(self, room_id, session):
        return self.answer("participants", room_id=room_id, session=session)["participants"]

    def lobby(self, room_id, session):
        return self.answer("lobby", room_id=room_id, session=session)["waiting"]

    def moderate(self, room_id, session, participant_id, action, body=None):
        """A host action on one participant: admit, deny, kick, ban, promote or mute."""
        extra = {"json": body} if body is not None else {}
        operation = f"{action}Participant"
        return self.answer(operation, room_id=room_id, participant_id=participant_id, session=session, **extra)

    def hands(self, room_id, session):
        return self.answer("hands", room_id=room_id, session=session)

    def raise_hand(self, room_id, session):
        return self.answer("raiseHand", room_id=room_id, session=session)

    def lower_hand(self, room_id, session):
        return self.answer("lowerHand", room_id=room_id, session=session)

    def lower_hands(self, room_id, session, participant_id=None):
        """A host lowers one participant's hand, or every hand."""
        body = {"participant_id": participant_id} if participant_id else {}
        return self.answer("lowerHands", room_id=room_id, session=session, json=body)

    def react(self, room_id, session, emoji):
        return self.answer("react", room_id=room_id, session=session, json={"emoji": emoji})

    def update_room(self, room_id, session, **patch):
        return self.answer("updateRoom", room_id=room_id, session=session, json=patch)["room"]

    def end(self, room_id, session):
        return self.answer("endRoom", room_id=room_id, session=session)
