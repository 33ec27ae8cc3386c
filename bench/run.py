"""Measure the desk's pages and jobs on a large database (issue: Scale).

    python -m bench.run [--runs 30] [--job-runs 5] [--write docs/performance.md]

Pages go through Django's test client with production settings (DEBUG off), logged in as the
staff of the busiest office; jobs are called as beat calls them, each run inside a transaction
that is rolled back, so every run does the whole work. Prints a table of p50 / p95 latency and
the query count of each, and can write it into docs/performance.md between the markers
`<!-- bench:start -->` and `<!-- bench:end -->`.
"""

from __future__ import annotations

import argparse
import logging
import os
import platform
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from bench.docs import write_between


@dataclass
class Result:
    name: str
    kind: str  # "page" or "job"
    timings: list[float]
    queries: int
    target_ms: float

    @property
    def p50(self) -> float:
        return statistics.median(self.timings) * 1000

    @property
    def p95(self) -> float:
        ordered = sorted(self.timings)
        return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))] * 1000

    @property
    def verdict(self) -> str:
        return "ok" if self.p95 <= self.target_ms else "over"


class Rollback(Exception):
    pass


def measure(name: str, kind: str, action: Callable[[], object], *, runs: int, target_ms: float,
            rollback: bool = False) -> Result:  # fmt: skip
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    timings, queries = [], 0
    for _ in range(runs):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            if rollback:
                try:
                    with transaction.atomic():
                        action()
                        raise Rollback
                except Rollback:
                    pass
            else:
                action()
            timings.append(time.perf_counter() - started)
        queries = len(captured)
    return Result(name, kind, timings, queries, target_ms)


def _ok(response) -> None:
    if response.status_code not in (200, 302):
        raise SystemExit(f"{response.request['PATH_INFO']} answered {response.status_code}")


def run(*, runs: int, job_runs: int) -> tuple[list[Result], dict]:
    from django.db.models import Count
    from django.test import Client
    from django.urls import reverse
    from django.utils import timezone

    from accounts.models import Branch, Membership, Office
    from accounts.roles import Role
    from complaints.models import Category, Complaint
    from followups import clocks
    from reports.kpis import monthly_kpis, monthly_trend
    from reports.months import previous_month
    from reports.workflow import subject_scope

    office = (
        Office.objects.annotate(n=Count("complaints")).order_by("-n").select_related("branch")[0]
    )
    branch = Branch.objects.annotate(n=Count("offices__complaints")).order_by("-n")[0]

    def member(role):
        return Membership.objects.filter(office=office, role=role).select_related("user")[0].user

    assistant, manager = member(Role.CLIENT_ASSISTANT), member(Role.OFFICE_MANAGER)
    client = Client()
    client.force_login(assistant)
    sample = Complaint.objects.filter(office=office).order_by("-received_at")
    detail = sample.filter(contacts__isnull=False).first() or sample.first()
    phone = sample.first().phone
    category = Category.objects.order_by("pk").first()
    now = timezone.now()

    def get(url, **params):
        return lambda: _ok(client.get(url, params, secure=True))

    list_url = reverse("complaints:list")
    building = office.buildings.first()

    def intake():
        data = {
            "office": office.pk, "channel": "phone", "complainant_name": "王先生",
            "phone": "138 0013 8000", "building": building.pk, "room": "1502",
            "received_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
            "category": category.pk, "classification": "valid", "severity": "general",
            "description": "楼上夜间装修", "customer_request": "停止夜间施工",
            "answered_at_once": "on",
        }  # fmt: skip
        _ok(client.post(reverse("complaints:intake"), data, secure=True))

    results = [
        measure("intake POST", "page", intake, runs=runs, target_ms=150),
        measure("list, default", "page", get(list_url), runs=runs, target_ms=150),
        measure("list, all open", "page", get(list_url, status="open"), runs=runs, target_ms=150),
        measure(
            "list, contact overdue",
            "page",
            get(list_url, overdue="contact"),
            runs=runs,
            target_ms=150,
        ),  # fmt: skip
        measure(
            "list, category + class",
            "page",
            get(list_url, category=category.pk, classification="valid"),
            runs=runs,
            target_ms=150,
        ),  # fmt: skip
        measure(
            "list, search by phone", "page", get(list_url, q=phone), runs=runs, target_ms=150
        ),  # fmt: skip
        measure(
            "list, search by 4 digits",
            "page",
            get(list_url, q=phone[-4:]),
            runs=runs,
            target_ms=150,
        ),  # fmt: skip
        measure(
            "detail",
            "page",
            get(reverse("complaints:detail", args=[detail.pk])),
            runs=runs,
            target_ms=150,
        ),  # fmt: skip
        measure("my shift", "page", get(reverse("followups:my_shift")), runs=runs, target_ms=150),
    ]
    client.force_login(manager)
    results.append(measure("list, as the manager", "page", get(list_url), runs=runs,
                           target_ms=150))  # fmt: skip
    quality = Membership.objects.filter(branch=branch, role=Role.QUALITY_DEPARTMENT)[0].user
    client.force_login(quality)
    results.append(measure("list, as the branch quality dept", "page", get(list_url),
                           runs=runs, target_ms=150))  # fmt: skip
    # Operations (docs/operations.md): the probes and a Prometheus scrape, whose desk gauges
    # are computed at scrape time over every office.
    from django.test import override_settings

    results.append(measure("healthz", "page", get("/healthz"), runs=runs, target_ms=20))
    results.append(measure("readyz (database, migrations)", "page",
                           get("/readyz", check=["database", "migrations"]), runs=runs,
                           target_ms=50))  # fmt: skip
    with override_settings(METRICS_TOKEN="bench"):
        scrape = lambda: _ok(client.get("/metrics", secure=True,  # noqa: E731
                                        HTTP_AUTHORIZATION="Bearer bench"))  # fmt: skip
        results.append(measure("metrics scrape", "page", scrape, runs=runs, target_ms=500))
    for name, job in (
        ("shift-start review, all offices", clocks.open_shift_reviews),
        ("deadline scan", clocks.deadline_scan),
        ("escalation scan", clocks.escalation_scan),
        ("supervisor digest", clocks.supervisor_digest),
    ):
        results.append(measure(name, "job", lambda job=job: job(now=now), runs=job_runs,
                               target_ms=2000, rollback=True))  # fmt: skip

    def report(subject):
        offices, complaints, zone = subject_scope(**subject)
        month = previous_month(now, zone)
        monthly_kpis(complaints, month=month, zone=zone, offices=offices, now=now)
        monthly_trend(complaints, month=month, zone=zone)

    results.append(measure(f"monthly report, office {office.code}", "job",
                           lambda: report({"office": office, "branch": None}), runs=job_runs,
                           target_ms=5000))  # fmt: skip
    results.append(measure(f"monthly report, branch {branch.code}", "job",
                           lambda: report({"office": None, "branch": branch}), runs=job_runs,
                           target_ms=5000))  # fmt: skip
    in_branch = Complaint.objects.filter(office__branch=branch).count()
    facts = {
        "complaints": Complaint.objects.count(),
        "offices": Office.objects.count(),
        "branches": Branch.objects.count(),
        "busiest office": f"{office.code} ({office.complaints.count()} complaints)",
        "largest branch": f"{branch.code} ({in_branch} complaints)",
    }
    return results, facts


def table(results: list[Result], facts: dict, *, runs: int, job_runs: int) -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        pg = cursor.fetchone()[0]
    lines = [
        f"Measured {datetime.now():%Y-%m-%d} on {os.cpu_count()} cores, "
        f"{platform.python_implementation()} {platform.python_version()}, PostgreSQL {pg}; "
        + ", ".join(f"{key}: {value}" for key, value in facts.items())
        + f". Pages: {runs} runs each; jobs: {job_runs} runs each.",
        "",
        "| what | p50 ms | p95 ms | queries | target p95 | |",
        "| --- | ---: | ---: | ---: | ---: | --- |",
    ]
    for r in results:
        lines.append(
            f"| {r.name} | {r.p50:.0f} | {r.p95:.0f} | {r.queries} | {r.target_ms:.0f} ms "
            f"| {r.verdict} |"
        )
    return "\n".join(lines)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--job-runs", type=int, default=5)
    parser.add_argument("--write", type=Path)
    args = parser.parse_args(argv)
    from bench.generate import setup_django

    setup_django()
    logging.getLogger("axes").setLevel(logging.WARNING)  # a login line per force_login
    from django.db import connection

    if connection.vendor != "postgresql":
        raise SystemExit("The benchmark runs on PostgreSQL: set DATABASE_URL.")
    results, facts = run(runs=args.runs, job_runs=args.job_runs)
    text = table(results, facts, runs=args.runs, job_runs=args.job_runs)
    print(text)
    if args.write:
        write_between(args.write, "bench", text)


if __name__ == "__main__":
    main()
