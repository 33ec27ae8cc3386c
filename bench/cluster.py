"""Several machines on one (`make cluster`, docs/reliability.md): two web servers, two workers,
one beat — and for a while a second beat — against one PostgreSQL and one Redis on loopback.

    python -m bench.cluster [--seconds 60] [--rate 4] [--write docs/reliability.md]

The soak's mix (bench/soak.py) goes through both web servers as a load balancer without sticky
sessions would send it: every desk logs in on one server and alternates between the two with
the same cookie. One worker consumes the `clocks` queue, the other `mail` and `celery`; the
scans run every 15 s so that both beats fire them many times. The verdict:

- zero errors, and no request sent back to the login page (a session one server did not know);
- no lost complaint, and each complaint recorded on one server is at once on the other's page;
- the second beat changes nothing: no notification e-mailed twice (the e-mails written by the
  workers are counted against the notifications marked sent), no escalation, review or
  notification written twice;
- `/readyz` passes on both servers at the end, and their `/metrics` count at least the requests
  sent (more: each redirect followed is a request), which they do only if gunicorn's workers
  are summed.

Exits non-zero if any fails.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from datetime import datetime
from pathlib import Path

import psycopg
from psycopg import sql

from bench.database import ensure
from bench.docs import write_between
from bench.soak import (
    ROOT,
    USERS,
    Desk,
    Tally,
    _count,
    _wait_for,
    drive,
    server_env,
    start_beat,
    start_web,
    start_worker,
    stop_all,
)

PORTS = (8131, 8132)
METRICS_TOKEN = "cluster-only-not-secret"
RECORDED = re.compile(r"/complaints/(\d+)/recorded/")


class RoundRobinDesk(Desk):
    """A desk behind a load balancer without sticky sessions: it logs in on the first server
    and sends each later request to the next one, with the same cookie jar."""

    def __init__(self, bases: list[str], username: str, tally: Tally, marker: str):
        self.bases, self.turn, self.seen_elsewhere = bases, 0, 0
        self.answered_by = bases[0]
        super().__init__(bases[0], username, tally, marker)

    def fetch(self, path: str, data: dict | None = None) -> str:
        self.base = self.answered_by = self.bases[self.turn % len(self.bases)]
        self.turn += 1  # the next request, a form's POST too, goes to the next server
        text = super().fetch(path, data)
        if not path.startswith("/login/") and "/login/" in getattr(self, "last_url", ""):
            self.tally.add(0, f"{self.base}{path}: sent to log in (session unknown there)")
        return text

    def intake(self) -> None:
        super().intake()
        recorded = RECORDED.search(getattr(self, "last_url", ""))
        if recorded is None:
            return
        self.turn = 1 - self.bases.index(self.answered_by)  # the other server, at once
        page = self.fetch(f"/complaints/{recorded.group(1)}/")
        if self.marker in page:
            self.seen_elsewhere += 1
        else:
            self.tally.add(0, f"complaint {recorded.group(1)} not seen on {self.base}")


def fresh_database(url: str) -> None:
    parts = url.rsplit("/", 1)
    with psycopg.connect(f"{parts[0]}/postgres", autocommit=True) as admin:
        admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
            sql.Identifier(parts[1])))  # fmt: skip
    ensure(url)


def manage(env: dict, *args: str) -> str:
    return subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True,
        check=True,
    ).stdout  # fmt: skip


ADDRESSES = """
from django.db.models import Value
from django.db.models.functions import Concat
from accounts.models import User
User.objects.filter(email="").update(email=Concat("username", Value("@example.com")))
"""
DUPLICATES = """
from django.db.models import Count
from followups.models import Escalation, Notification, ShiftReview
def twice(model, *fields):
    return model.objects.values(*fields).annotate(n=Count("pk")).filter(n__gt=1).count()
print(twice(Notification, "recipient", "key"), twice(Escalation, "complaint", "level"),
      twice(ShiftReview, "office", "starts_at"),
      Notification.objects.filter(emailed_at__gte=START).count(),
      Notification.objects.count(), Escalation.objects.count())
"""


def _get(url: str, token: str | None = None) -> tuple[int, str]:
    request = urllib.request.Request(url)  # noqa: S310
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def _requests_counted(text: str) -> float:
    return sum(
        float(line.rsplit(" ", 1)[1])
        for line in text.splitlines()
        if line.startswith("desk_http_requests_total{")
    )


def cluster(*, seconds: int, rate: float, threads: int = 4) -> dict:
    mail = Path(tempfile.mkdtemp(prefix="desk-cluster-mail-"))
    beats = Path(tempfile.mkdtemp(prefix="desk-cluster-beat-"))
    env = server_env(EMAIL_URL=f"filemail:///{mail}", METRICS_TOKEN=METRICS_TOKEN,
                     SHIFT_REVIEW_SCAN_SECONDS="15", DEADLINE_SCAN_SECONDS="15",
                     ESCALATION_SCAN_SECONDS="15")  # fmt: skip
    start = datetime.now().astimezone().isoformat()
    processes = [start_web(port, env) for port in PORTS]
    processes += [
        start_worker(env, "--queues", "clocks", "--hostname", "clocks@%h"),
        start_worker(env, "--queues", "mail,celery", "--hostname", "mail@%h"),
        start_beat(env, beats / "first"),
    ]
    second_beat = None
    marker = f"cluster-{uuid.uuid4().hex[:8]}"
    tally = Tally()
    try:
        for port in PORTS:
            _wait_for(port)
        bases = [f"http://127.0.0.1:{port}" for port in PORTS]
        desks = [
            RoundRobinDesk(bases[i % 2 :] + bases[: i % 2], USERS[i % len(USERS)], tally, marker)
            for i in range(threads)
        ]

        def second_beat_for_a_while(elapsed: float) -> None:
            nonlocal second_beat
            if second_beat is None and elapsed >= seconds / 4:
                second_beat = start_beat(env, beats / "second")
            elif second_beat is not None and elapsed >= 3 * seconds / 4:
                stop_all([second_beat])

        drive(desks, seconds=seconds, rate=rate, every=1.0, between=second_beat_for_a_while)
        time.sleep(15)  # let the last e-mails go out
        ready = [_get(f"{base}/readyz")[0] for base in bases]
        counted = sum(
            _requests_counted(_get(f"{base}/metrics", METRICS_TOKEN)[1]) for base in bases
        )
        stored = _count(marker, env)
        check = DUPLICATES.replace("START", f"{start!r}")
        figures = manage(env, "shell", "-v0", "-c", check).split()
        twice_notified, twice_escalated, twice_reviewed, emailed, notifications, escalations = (
            int(n) for n in figures[-6:]
        )
    finally:
        stop_all([*processes, *([second_beat] if second_beat else [])])
    mails = sum(path.read_text().count("\nMessage-ID: ") for path in mail.glob("*.log"))
    shutil.rmtree(mail, ignore_errors=True)
    shutil.rmtree(beats, ignore_errors=True)
    ordered = sorted(tally.latencies)
    return {
        "seconds": seconds,
        "rate": rate,
        "requests": tally.requests,
        "errors": tally.errors,
        "recorded": tally.recorded,
        "stored": stored,
        "seen_elsewhere": sum(desk.seen_elsewhere for desk in desks),
        "p95_ms": ordered[int(0.95 * (len(ordered) - 1))] * 1000 if ordered else 0,
        "ready": ready,
        "counted": counted,
        "twice": twice_notified + twice_escalated + twice_reviewed,
        "notifications": notifications,
        "escalations": escalations,
        "emailed": emailed,
        "mails": mails,
    }


def verdict(result: dict) -> list[str]:
    problems = []
    if result["errors"]:
        problems.append(f"{len(result['errors'])} errors, first: {result['errors'][0]}")
    if result["recorded"] != result["stored"]:
        problems.append(f"{result['recorded']} complaints recorded, {result['stored']} stored")
    if result["seen_elsewhere"] != result["recorded"]:
        problems.append(f"{result['seen_elsewhere']} of {result['recorded']} seen on the other")
    if result["twice"]:
        problems.append(f"{result['twice']} records written twice")
    if result["mails"] != result["emailed"]:
        problems.append(f"{result['mails']} e-mails for {result['emailed']} notifications")
    if result["ready"] != [200, 200]:
        problems.append(f"readyz answered {result['ready']}")
    if result["counted"] < result["requests"]:  # redirects followed make the servers' count higher
        problems.append(f"metrics counted {result['counted']:.0f} of {result['requests']} requests")
    return problems


def summary(result: dict, problems: list[str]) -> str:
    return "\n".join(
        [
            f"Cluster {datetime.now():%Y-%m-%d}: {result['seconds']} s at {result['rate']} "
            f"requests/s on {os.cpu_count()} cores: two gunicorn servers (2 workers each), a "
            "`clocks` worker and a `mail` worker, one beat and a second beat for the middle half, "
            "scans every 15 s, one PostgreSQL and one Redis.",
            "",
            "| requests | errors | recorded | in the database | seen at once on the other server "
            "| p95 ms | notifications | e-mails / marked sent | written twice | readyz | "
            "requests in /metrics | verdict |",
            "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: | --- |",
            f"| {result['requests']} | {len(result['errors'])} | {result['recorded']} "
            f"| {result['stored']} | {result['seen_elsewhere']} | {result['p95_ms']:.0f} "
            f"| {result['notifications']} | {result['mails']} / {result['emailed']} "
            f"| {result['twice']} | {' '.join(map(str, result['ready']))} "
            f"| {result['counted']:.0f} | {'; '.join(problems) or 'passed'} |",
        ]
    )


def prepare(database_url: str, redis_url: str) -> None:
    """A fresh database with the demo data, and none of an earlier run's jobs or counters."""
    import redis

    fresh_database(database_url)
    env = {**os.environ, "DATABASE_URL": database_url}
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "seed_demo", "-v0")
    manage(env, "collectstatic", "--noinput", "-v0")
    # Every demo user gets an address, so each notification is e-mailed and counted.
    manage(env, "shell", "-v0", "-c", ADDRESSES)
    client = redis.Redis.from_url(redis_url)
    client.delete("celery", "clocks", "mail", *client.keys("desk:*"))


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--rate", type=float, default=4.0, help="requests per second in all")
    parser.add_argument("--write", type=Path)
    args = parser.parse_args(argv)
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        raise SystemExit("the cluster runs on PostgreSQL and Redis: set DATABASE_URL, REDIS_URL")
    prepare(os.environ["DATABASE_URL"], os.environ["REDIS_URL"])
    result = cluster(seconds=args.seconds, rate=args.rate)
    problems = verdict(result)
    text = summary(result, problems)
    print(text)
    if args.write:
        write_between(args.write, "cluster", text)
    if problems:
        raise SystemExit("cluster failed: " + "; ".join(problems))


if __name__ == "__main__":
    main()
