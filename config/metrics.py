"""Prometheus metrics at `/metrics`, behind a bearer token (docs/operations.md, Metrics).

- Requests: latency by view and method, requests by view and status, and the database queries
  each view makes (count and time), measured by `MetricsMiddleware` in each web process.
  Under gunicorn the processes share `PROMETHEUS_MULTIPROC_DIR` (set by `gunicorn.conf.py`),
  so one scrape sums the machine's workers.
- Celery: runs by task and state, durations, from the counters the workers keep in Redis
  (`config/task_metrics.py`), and the length of each queue.
- The desk's own gauges, computed at scrape time by each app's selectors: open complaints and
  those past each deadline by office, reports missing after the 1st, notifications not
  e-mailed yet.

`METRICS_TOKEN` unset: the endpoint does not exist (404). Set: a request without
`Authorization: Bearer <token>` is refused (403).
"""

from __future__ import annotations

import hmac
import os
import time
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseForbidden
from django.utils import timezone
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, HistogramMetricFamily

from config import task_metrics
from config.celery import app

REQUEST_SECONDS = Histogram(
    "desk_http_request_duration_seconds",
    "Time to answer a request, by view.",
    ["view", "method"],
    buckets=(0.025, 0.05, 0.1, 0.15, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
)
REQUESTS = Counter(
    "desk_http_requests", "Requests answered, by view and status.", ["view", "method", "status"]
)
QUERIES = Counter("desk_db_queries", "Database queries made by requests, by view.", ["view"])
QUERY_SECONDS = Counter(
    "desk_db_query_seconds", "Time spent in database queries by requests, by view.", ["view"]
)


class MetricsMiddleware:
    """Times each request and counts its database queries, labelled by the view's URL name."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        queries = {"n": 0, "seconds": 0.0}

        def count(execute, sql, params, many, context):
            started = time.perf_counter()
            try:
                return execute(sql, params, many, context)
            finally:
                queries["n"] += 1
                queries["seconds"] += time.perf_counter() - started

        started = time.perf_counter()
        with connection.execute_wrapper(count):
            response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        view = match.view_name if match else "unmatched"
        REQUEST_SECONDS.labels(view, request.method).observe(time.perf_counter() - started)
        REQUESTS.labels(view, request.method, str(response.status_code)).inc()
        if queries["n"]:
            QUERIES.labels(view).inc(queries["n"])
            QUERY_SECONDS.labels(view).inc(queries["seconds"])
        return response


class _ThisProcess:
    """The default registry (this process's request metrics) when there is one process."""

    def collect(self):
        return REGISTRY.collect()


def _queue_lengths(client) -> dict[str, int]:
    queues = [queue.name for queue in app.conf.task_queues or []] or [app.conf.task_default_queue]
    if client is None:
        folder = Path(app.conf.broker_transport_options.get("data_folder_in", ""))
        return {name: len(list(folder.glob(f"*.{name}.msg"))) for name in queues}
    pipe = client.pipeline(transaction=False)
    for name in queues:
        pipe.llen(name)
        for priority in (3, 6, 9):  # kombu's Redis lists for the other priority steps
            pipe.llen(f"{name}\x06\x16{priority}")
    lengths = pipe.execute()
    return {name: sum(lengths[4 * i : 4 * i + 4]) for i, name in enumerate(queues)}


class DeskCollector:
    """What is read at scrape time: Celery's counters and queues, the desk's own gauges."""

    def collect(self):
        now = timezone.now()
        yield from self._celery()
        yield from self._desk(now)

    def _celery(self):
        client = task_metrics.client_for(app.conf.broker_url)
        queues = GaugeMetricFamily(
            "desk_celery_queue_length", "Tasks waiting in each queue.", labels=["queue"]
        )
        for name, length in _queue_lengths(client).items():
            queues.add_metric([name], length)
        yield queues
        if client is None:
            return
        pipe = client.pipeline(transaction=False)
        pipe.hgetall(task_metrics.RUNS_KEY)
        pipe.hgetall(task_metrics.SECONDS_KEY)
        pipe.hgetall(task_metrics.BUCKETS_KEY)
        runs, seconds, buckets = pipe.execute()
        counter = CounterMetricFamily(
            "desk_celery_task_runs", "Task runs by task and final state.", labels=["task", "state"]
        )
        for field, value in sorted(runs.items()):
            task, state = field.decode().rsplit("|", 1)
            counter.add_metric([task, state], int(value))
        yield counter
        durations = HistogramMetricFamily(
            "desk_celery_task_duration_seconds", "Time a task took to run.", labels=["task"]
        )
        by_task: dict[str, dict[str, int]] = {}
        for field, value in buckets.items():
            task, bound = field.decode().rsplit("|", 1)
            by_task.setdefault(task, {})[bound] = int(value)
        for task, counts in sorted(by_task.items()):
            bounds = [str(b) for b in task_metrics.BUCKETS] + ["+Inf"]
            durations.add_metric(
                [task],
                [(bound, counts.get(bound, 0)) for bound in bounds],
                float(seconds.get(task.encode(), 0)),
            )
        yield durations

    def _desk(self, now):
        from complaints.models import OVERDUE_KINDS
        from complaints.selectors import desk_gauges
        from followups.selectors import unsent_notifications
        from reports.selectors import missing_report_counts

        open_ = GaugeMetricFamily(
            "desk_complaints_open", "Open complaints, by office.", labels=["office"]
        )
        overdue = GaugeMetricFamily(
            "desk_complaints_overdue",
            "Open complaints past a deadline, by office and kind.",
            labels=["office", "kind"],
        )
        for row in desk_gauges(now=now):
            open_.add_metric([row["office__code"]], row["open"])
            for kind, _label in OVERDUE_KINDS:
                overdue.add_metric([row["office__code"], kind], row[f"overdue_{kind}"])
        yield open_
        yield overdue
        missing = GaugeMetricFamily(
            "desk_reports_missing",
            "Reports of last month still missing once due (from 09:00 on the 1st).",
            labels=["subject"],
        )
        for subject, n in missing_report_counts(now=now).items():
            missing.add_metric([subject], n)
        yield missing
        unsent = unsent_notifications()
        yield GaugeMetricFamily(
            "desk_notifications_unsent", "Notifications not e-mailed yet.", value=unsent["count"]
        )
        oldest = (now - unsent["oldest"]).total_seconds() if unsent["oldest"] else 0
        yield GaugeMetricFamily(
            "desk_notifications_oldest_unsent_seconds",
            "Age of the oldest notification not e-mailed yet.",
            value=oldest,
        )


def scrape() -> bytes:
    registry = CollectorRegistry(auto_describe=False)
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        multiprocess.MultiProcessCollector(registry)
    else:
        registry.register(_ThisProcess())
    registry.register(DeskCollector())
    return generate_latest(registry)


def metrics(request: HttpRequest) -> HttpResponse:
    token = settings.METRICS_TOKEN
    if not token:
        raise Http404
    given = request.headers.get("Authorization", "")
    if not hmac.compare_digest(given.encode(), f"Bearer {token}".encode()):
        return HttpResponseForbidden("A bearer token is needed.", content_type="text/plain")
    return HttpResponse(scrape(), content_type=CONTENT_TYPE_LATEST)
