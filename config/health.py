"""Liveness and readiness probes (docs/operations.md, Health).

`/healthz` says the process answers: no database, no broker. `/readyz` checks what the desk
needs to do its work — the database answers, every migration is applied, the broker answers,
beat has ticked recently and a worker answers a ping — and says in its JSON body which check
failed (503 when one does). `?check=database&check=migrations` runs only the named checks: a
load balancer routes on those, since a stopped worker must not take the web servers out.

Both are answered by `ProbeMiddleware`, first in the chain: probes come from a load balancer or
an orchestrator by address over plain HTTP, so they must not depend on `ALLOWED_HOSTS`, the
HTTPS redirect, sessions or the language. The body names the failing check and the error's
type only; the message (it may name hosts) goes to the log.

Beat's tick is stamped by `StampingScheduler` (`CELERY_BEAT_SCHEDULER`) in the broker's Redis,
or in a file under `var/` with the embedded filesystem broker. That broker has no remote
control, so there the worker check is reported as not checked (ok, `"checked": false`).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

import redis
from celery.beat import PersistentScheduler
from django.conf import settings
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.http import HttpRequest, JsonResponse

from config.celery import app

logger = logging.getLogger(__name__)

BEAT_KEY = "desk:beat:last-tick"
PROBE_TIMEOUT = 1.0  # seconds, for the broker and the worker ping


@dataclass
class Check:
    ok: bool
    detail: str
    checked: bool = True


def _redis_url() -> str | None:
    url = app.conf.broker_url or ""
    return url if url.startswith(("redis://", "rediss://")) else None


def _redis(url: str) -> redis.Redis:
    return redis.Redis.from_url(
        url, socket_connect_timeout=PROBE_TIMEOUT, socket_timeout=PROBE_TIMEOUT
    )


def _failure(name: str, error: Exception) -> Check:
    logger.warning("readiness check %s failed: %s", name, error)
    return Check(ok=False, detail=f"{type(error).__name__}")


def check_database() -> Check:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception as error:  # noqa: BLE001 — any failure is the answer
        connection.close()  # the next request opens a fresh connection
        return _failure("database", error)
    return Check(ok=True, detail=connection.vendor)


_migration_nodes: set[tuple[str, str]] | None = None


def _migrations_on_disk() -> set[tuple[str, str]]:
    """The migrations this code ships (read from disk once per process)."""
    global _migration_nodes
    if _migration_nodes is None:
        _migration_nodes = set(MigrationLoader(None, ignore_no_migrations=True).graph.nodes)
    return _migration_nodes


def check_migrations() -> Check:
    try:
        applied = set(MigrationRecorder(connection).applied_migrations())
    except Exception as error:  # noqa: BLE001
        connection.close()
        return _failure("migrations", error)
    missing = sorted(_migrations_on_disk() - applied)
    if missing:
        names = ", ".join(f"{app_label}.{name}" for app_label, name in missing[:5])
        return Check(ok=False, detail=f"{len(missing)} not applied: {names}")
    return Check(ok=True, detail=f"{len(applied)} applied")


def check_broker() -> Check:
    url = _redis_url()
    if url is None:
        folder = Path(app.conf.broker_transport_options.get("data_folder_in", ""))
        if folder.is_dir():
            return Check(ok=True, detail="filesystem")
        return Check(ok=False, detail=f"queue folder missing: {folder.name}")
    try:
        _redis(url).ping()
    except redis.RedisError as error:
        return _failure("broker", error)
    return Check(ok=True, detail="redis")


def stamp_beat_tick(now: float | None = None) -> None:
    """Record that beat is alive (called by `StampingScheduler` on its ticks)."""
    moment = f"{time.time() if now is None else now:.3f}"
    url = _redis_url()
    if url is None:
        (settings.VAR_DIR / "beat-last-tick").write_text(moment)
    else:
        _redis(url).set(BEAT_KEY, moment)


def last_beat_tick() -> float | None:
    url = _redis_url()
    if url is None:
        stamp = settings.VAR_DIR / "beat-last-tick"
        return float(stamp.read_text()) if stamp.is_file() else None
    value = _redis(url).get(BEAT_KEY)
    return float(value) if value is not None else None


def check_beat() -> Check:
    try:
        last = last_beat_tick()
    except (redis.RedisError, OSError, ValueError) as error:
        return _failure("beat", error)
    if last is None:
        return Check(ok=False, detail="beat has never ticked")
    age = time.time() - last
    if age > settings.BEAT_STALE_SECONDS:
        return Check(ok=False, detail=f"last tick {age:.0f} s ago")
    return Check(ok=True, detail=f"last tick {max(age, 0):.0f} s ago")


def check_worker() -> Check:
    if _redis_url() is None:
        return Check(ok=True, checked=False, detail="the filesystem broker has no remote control")
    try:
        _redis(_redis_url()).ping()  # fail fast: kombu would retry an unreachable broker
        replies = app.control.ping(timeout=PROBE_TIMEOUT, limit=1)
    except Exception as error:  # noqa: BLE001 — a broker error is the answer
        return _failure("worker", error)
    if not replies:
        return Check(ok=False, detail=f"no worker answered within {PROBE_TIMEOUT:.0f} s")
    return Check(ok=True, detail=next(iter(replies[0])))


CHECKS: dict[str, Callable[[], Check]] = {
    "database": check_database,
    "migrations": check_migrations,
    "broker": check_broker,
    "beat": check_beat,
    "worker": check_worker,
}
NEEDS_BROKER = {"beat", "worker"}  # with Redis both are read through the broker


def readiness(names: list[str]) -> tuple[bool, dict]:
    results: dict[str, Check] = {}
    for name in names:
        broker = results.get("broker")
        if name in NEEDS_BROKER and broker is not None and not broker.ok and _redis_url():
            # Asking an unreachable broker would only wait for its timeouts again.
            results[name] = Check(ok=False, detail="not asked: the broker is unreachable")
            continue
        results[name] = CHECKS[name]()
    failed = [name for name, result in results.items() if not result.ok]
    body = {
        "status": "failing" if failed else "ok",
        "failed": failed,
        "checks": {name: asdict(result) for name, result in results.items()},
    }
    return not failed, body


def _answer(body: dict, status: int = 200) -> JsonResponse:
    response = JsonResponse(body, status=status)
    response["Cache-Control"] = "no-store"
    return response


def readyz(request: HttpRequest) -> JsonResponse:
    names = request.GET.getlist("check") or list(CHECKS)
    unknown = sorted(set(names) - set(CHECKS))
    if unknown:
        return _answer({"error": "unknown check", "unknown": unknown, "known": list(CHECKS)}, 400)
    ok, body = readiness([name for name in CHECKS if name in names])  # the broker before beat
    return _answer(body, 200 if ok else 503)


class ProbeMiddleware:
    """Answers `/healthz` and `/readyz` before any other middleware (see the module doc)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        if request.method in ("GET", "HEAD"):
            if request.path_info == "/healthz":
                return _answer({"status": "ok"})
            if request.path_info == "/readyz":
                return readyz(request)
        return self.get_response(request)


class StampingScheduler(PersistentScheduler):
    """Celery beat's own scheduler that also stamps each tick (at most every 10 s) for
    `/readyz`; a failed stamp is logged and never stops beat."""

    stamp_every = 10.0
    _stamped_at = 0.0

    def tick(self, *args, **kwargs):
        now = time.time()
        if now - self._stamped_at >= self.stamp_every:
            try:
                stamp_beat_tick(now)
                self._stamped_at = now
            except (redis.RedisError, OSError) as error:
                logger.warning("beat could not stamp its tick: %s", error)
        return super().tick(*args, **kwargs)


def main(argv: list[str] | None = None) -> int:
    """`python -m config.health [CHECK ...]`: run the checks here (beat's container has no web
    server); prints the JSON body, exits 1 when one fails."""
    import json
    import sys

    import django

    django.setup()
    names = (sys.argv[1:] if argv is None else argv) or list(CHECKS)
    ok, body = readiness([name for name in CHECKS if name in names])
    print(json.dumps(body))
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
