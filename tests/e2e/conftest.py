"""End-to-end tests: the local server, the real LiveKit server and real LiveKit clients.

`make test` starts the test stack and the local server and sets APP_URL; run through it.
"""

import os

import httpx
import pytest
from meet_api import MeetApi

APP_URL = os.environ.get("APP_URL", "")


@pytest.fixture(scope="session")
def api():
    if not APP_URL:
        pytest.fail("APP_URL is not set: run these tests through `make test`", pytrace=False)
    client = MeetApi(APP_URL)
    try:
        client.health()
    except httpx.HTTPError as error:
        pytest.fail(f"the local server at {APP_URL} does not answer: {error}", pytrace=False)
    yield client
    client.close()
