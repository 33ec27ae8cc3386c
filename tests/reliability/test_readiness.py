"""/readyz with real processes (threat: a worker, beat or Redis gone while the web still
answers, unnoticed until the front desk misses its notifications; docs/operations.md)."""

import json
import time

import pytest
import time_machine

from config.health import stamp_beat_tick

from .conftest import wait_until

pytestmark = pytest.mark.django_db(transaction=True)


def readyz(client, *checks):
    response = client.get("/readyz", {"check": list(checks)} if checks else {})
    return response.status_code, json.loads(response.content)


def test_ready_with_a_worker_and_beat_and_the_worker_is_named_once_it_stops(client, app_on, celery):
    worker = celery("worker", "--pool", "solo", "--without-mingle", "--without-gossip",
                    "--loglevel", "INFO")  # fmt: skip
    celery("beat", "--loglevel", "INFO", "--schedule", str(celery.log.name) + ".schedule")
    wait_until(lambda: readyz(client)[0] == 200, "readyz to pass", log=celery.log)
    status, answer = readyz(client)
    assert answer["failed"] == [] and set(answer["checks"]) == {
        "database", "migrations", "broker", "beat", "worker"}  # fmt: skip
    assert answer["checks"]["worker"]["detail"].startswith("celery@")
    worker.terminate()
    worker.wait(timeout=30)
    status, answer = readyz(client)
    assert status == 503 and answer["failed"] == ["worker"]


def test_redis_down_names_the_broker_and_what_depends_on_it(client, private_redis, app_on):
    stamp_beat_tick()
    private_redis.stop()
    started = time.monotonic()
    status, answer = readyz(client)
    assert status == 503
    assert answer["failed"] == ["broker", "beat", "worker"]
    assert answer["checks"]["database"]["ok"] is True
    assert time.monotonic() - started < 10  # a probe answers within its timeouts
    started = time.monotonic()
    status, answer = readyz(client, "worker")  # asked alone, the worker check fails fast too
    assert status == 503 and answer["failed"] == ["worker"]
    assert time.monotonic() - started < 5


def test_beat_is_stale_three_minutes_after_its_last_tick(client, private_redis, app_on):
    with time_machine.travel(1_790_000_000, tick=False):
        stamp_beat_tick()
    with time_machine.travel(1_790_000_000 + 179, tick=False):
        assert readyz(client, "beat")[0] == 200
    with time_machine.travel(1_790_000_000 + 181, tick=False):
        status, answer = readyz(client, "beat")
    assert status == 503 and answer["checks"]["beat"]["detail"] == "last tick 181 s ago"
