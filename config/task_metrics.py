"""Celery task metrics, kept in the broker's Redis (docs/operations.md, Metrics).

Workers run on several machines, in prefork children that come and go; each task's end adds to
counters in one Redis hash per kind, so `/metrics` on any web server shows the whole cluster's
runs, failures and durations, and the counters survive a worker's restart. With the embedded
filesystem broker there is no Redis: task metrics are not kept (the desk's own gauges are).

Imported by `config/celery.py`: nothing here touches Django's models.
"""

from __future__ import annotations

import logging
import time

import redis
from celery import signals

logger = logging.getLogger(__name__)

RUNS_KEY = "desk:metrics:task-runs"  # field "task|state" → count
SECONDS_KEY = "desk:metrics:task-seconds"  # field "task" → sum of durations
BUCKETS_KEY = "desk:metrics:task-buckets"  # field "task|le" → runs that took at most le
BUCKETS = (0.05, 0.25, 1.0, 5.0, 30.0, 120.0, 600.0)

_started: dict[str, float] = {}
_clients: dict[str, redis.Redis] = {}


def client_for(url: str | None) -> redis.Redis | None:
    if not url or not url.startswith(("redis://", "rediss://")):
        return None
    if url not in _clients:
        _clients[url] = redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1)
    return _clients[url]


def record(client: redis.Redis, task: str, state: str, seconds: float | None) -> None:
    pipe = client.pipeline(transaction=False)
    pipe.hincrby(RUNS_KEY, f"{task}|{state}", 1)
    if seconds is not None:
        pipe.hincrbyfloat(SECONDS_KEY, task, seconds)
        for bound in (*BUCKETS, "+Inf"):
            if bound == "+Inf" or seconds <= bound:
                pipe.hincrby(BUCKETS_KEY, f"{task}|{bound}", 1)
    pipe.execute()


@signals.task_prerun.connect
def _task_started(task_id=None, **_kwargs):
    _started[task_id] = time.monotonic()


@signals.task_postrun.connect
def _task_finished(task_id=None, task=None, state=None, **_kwargs):
    began = _started.pop(task_id, None)
    client = client_for(task.app.conf.broker_url) if task is not None else None
    if client is None:
        return
    seconds = time.monotonic() - began if began is not None else None
    try:
        record(client, task.name, state or "UNKNOWN", seconds)
    except redis.RedisError as error:  # a metric is never worth a failed task
        logger.warning("task metrics not recorded for %s: %s", task.name, error)
