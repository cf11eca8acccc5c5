"""What operators look at, as they would: the stack's Prometheus scrapes the local server, LiveKit
and the exporters of Redis' and PostgreSQL's own gauges, and computes the panels of
infra/observability/rules.yml from them."""

import os

import httpx
import pytest
from stack import wait_for


def prometheus():
    port = os.environ.get("PROM_PORT")
    if not port:
        pytest.fail("PROM_PORT is not set: run these tests through `make test`", pytrace=False)
    return f"http://127.0.0.1:{port}"


def query(expr):
    answer = httpx.get(f"{prometheus()}/api/v1/query", params={"query": expr}, timeout=5).json()
    assert answer["status"] == "success", answer
    return answer["data"]["result"]


def targets():
    answer = httpx.get(f"{prometheus()}/api/v1/targets", timeout=5).json()
    return {t["labels"]["job"]: t["health"] for t in answer["data"]["activeTargets"]}


async def test_prometheus_scrapes_the_server_livekit_redis_and_postgres(api):
    api.create_room(title="Scraped")  # something for the server's own metrics to say
    wanted = {"meet", "livekit", "redis", "postgres"}
    await wait_for(lambda: all(targets().get(job) == "up" for job in wanted), f"{wanted} all up: {targets()}", timeout=30)
    for source, expr in [
        ("the server's requests", 'meet_http_requests_total{route="/api/rooms"}'),
        ("the database pool", 'meet_db_pool_connections{state="max"}'),
        ("LiveKit's rooms", "livekit_room_total"),
        ("Redis' memory", "redis_memory_used_bytes"),
        ("PostgreSQL's connections", 'pg_stat_database_numbackends{datname="meet"}'),
    ]:
        # Scraped every five seconds: what just happened shows within a scrape or two.
        await wait_for(lambda: query(expr), f"{source} in Prometheus ({expr})", timeout=20)


async def test_the_panels_are_computed_from_what_is_scraped(api):
    for _ in range(3):
        api.create_room(title="Panel")
    panel = 'route:meet_http_requests:rate5m{route="/api/rooms"} > 0'
    await wait_for(lambda: query(panel), f"{panel} recorded", timeout=45)
    # A ratio, present even for a route with no 5xx lately (0, not missing).
    (ratio,) = query('route:meet_http_5xx:ratio_rate5m{route="/api/rooms"}')
    assert 0 <= float(ratio["value"][1]) <= 1
