"""A light steady load, as a few people would make it: joins, tokens and chat messages, a few a
second, from a thread, each answer recorded with its time, status, error code and latency."""

import itertools
import threading
import time
import uuid
from dataclasses import dataclass, field

import httpx
from meet_api import MeetApi, Refused


@dataclass
class Answer:
    at: float  # time.monotonic() when the request was sent
    op: str  # "create", "join", "token" or "chat"
    status: int  # 0 when no answer came (connection refused, timeout)
    code: str | None
    seconds: float
    detail: dict = field(default_factory=dict)


class Load:
    def __init__(self, base_url, people=3, per_second=3):
        """`people` threads, each making about `per_second` requests a second while the
        service answers (a request that waits out a dependency's budget waits its thread)."""
        self.base_url = base_url
        self.pause = 1 / per_second
        self.answers: list[Answer] = []
        self.sessions: list[tuple[str, str]] = []  # (room, session) of joins that got 201
        self._stop = threading.Event()
        self._threads = [threading.Thread(target=self._run, daemon=True) for _ in range(people)]
        self._room = None

    def __enter__(self):
        for thread in self._threads:
            thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout=30)

    def _call(self, op, call, **detail):
        """Runs one request and records its answer."""
        started = time.monotonic()
        status, code, result = 0, None, None
        try:
            result = call()
            status = 201 if op in ("create", "join", "chat") else 200
        except Refused as refused:
            status, code = refused.status, refused.code
        except httpx.HTTPError as error:
            code = type(error).__name__
        self.answers.append(Answer(started, op, status, code, time.monotonic() - started, detail))
        return result

    def _run(self):
        api = MeetApi(self.base_url, timeout=15)
        try:
            for step in itertools.count():
                if self._stop.is_set():
                    return
                self._step(api, step)
                time.sleep(self.pause)
        finally:
            api.close()

    def _step(self, api, step):
        """One request: a new room now and then, then a join, a token or a chat message."""
        if self._room is None or step % 30 == 0:
            title = f"load {uuid.uuid4().hex[:8]}"
            created = self._call("create", lambda: api.create_room(title, max_participants=50), title=title)
            self._room = created["room"]["id"] if created else self._room
            return
        kind = step % 3
        if kind == 0 or not self.sessions:
            name = f"load {uuid.uuid4().hex[:8]}"
            room = self._room
            joined = self._call("join", lambda: api.join(room, name), room=room, name=name)
            if joined:
                self.sessions.append((room, joined["session_token"]))
        elif kind == 1:
            room, session = self.sessions[-1]
            self._call("token", lambda: api.token(room, session), room=room)
        else:
            room, session = self.sessions[-1]
            text = f"load {uuid.uuid4().hex}"
            self._call("chat", lambda: api.send_chat(room, session, text, client_id=text[5:21]), room=room, session=session, text=text)

    def between(self, start, end, op=None):
        return [a for a in self.answers if start <= a.at <= end and (op is None or a.op == op)]

    def first_success_after(self, start, op, timeout=60):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for answer in self.between(start, float("inf"), op):
                if 200 <= answer.status < 300:
                    return answer.at + answer.seconds
            time.sleep(0.1)
        raise AssertionError(f"no {op} succeeded within {timeout}s of {start}")
