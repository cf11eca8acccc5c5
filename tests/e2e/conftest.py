"""End-to-end tests: the local server, the real LiveKit server and real LiveKit clients.

`make test` starts the test stack and the local server and sets APP_URL; run through it.
"""

import os
import uuid

import httpx
import pytest

APP_URL = os.environ.get("APP_URL", "")


@pytest.fixture(scope="session")
def api():
    if not APP_URL:
        pytest.fail("APP_URL is not set: run these tests through `make test`", pytrace=False)
    client = httpx.Client(base_url=APP_URL, timeout=10)
    try:
        health = client.get("/api/health")
    except httpx.HTTPError as error:
        pytest.fail(f"the local server at {APP_URL} does not answer: {error}", pytrace=False)
    assert health.status_code == 200, health.text
    yield Api(client)
    client.close()


class Api:
    """One method per endpoint, answering parsed JSON and asserting success."""

    def __init__(self, client: httpx.Client):
        self.client = client

    def create_room(self, **fields):
        response = self.client.post("/api/rooms", json={"title": "E2E " + uuid.uuid4().hex[:6], **fields})
        assert response.status_code == 201, response.text
        return response.json()

    def join(self, room_id, name, host_key=None):
        body = {"display_name": name} | ({"host_key": host_key} if host_key else {})
        response = self.client.post(f"/api/rooms/{room_id}/join", json=body)
        assert response.status_code == 201, response.text
        return response.json()

    def token(self, room_id, session):
        response = self.client.post(f"/api/rooms/{room_id}/token", headers=bearer(session))
        assert response.status_code == 200, response.text
        return response.json()

    def room(self, room_id):
        response = self.client.get(f"/api/rooms/{room_id}")
        assert response.status_code == 200, response.text
        return response.json()["room"]

    def send_chat(self, room_id, session, text):
        response = self.client.post(f"/api/rooms/{room_id}/messages", json={"text": text}, headers=bearer(session))
        assert response.status_code == 201, response.text
        return response.json()["message"]


def bearer(session):
    return {"Authorization": f"Bearer {session}"}


def moderate(api, room_id, host_session, target_id, action, body=None):
    response = api.client.post(
        f"/api/rooms/{room_id}/participants/{target_id}/{action}", json=body, headers=bearer(host_session)
    )
    return response
