"""Measure the desk's pages and jobs on a large database (issue: Scale).

    python -m bench.run [--runs 30] [--job-runs 5] [--write docs/performance.md]
    python -m bench.run --compare URL_1_YEAR URL_5_YEARS [--job-runs 5] [--write …]

Pages go through Django's test client with production settings (DEBUG off), logged in as the
staff of the busiest office; jobs are called as beat calls them, each run inside a transaction
that is rolled back, so every run does the whole work. Prints a table of p50 / p95 latency and
the query count of each, and can write it into docs/performance.md between the markers
`<!-- bench:start -->` and `<!-- bench:end -->`. A run leaves the data as it found it: writes
are rolled back, the dead rows they leave are vacuumed, its logins are forgotten.

`--compare` measures the month-bound work (scans, monthly reports, work queues) on databases
of the same monthly volume and 1 and 5 years of history, interleaved, into `history` markers.
"""

from __future__ import annotations

import argparse
import itertools
import logging
import os
import platform
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from bench.attachments import attachment_results
from bench.docs import write_between
from bench.webhooks import webhook_results


@dataclass
class Result:
    name: str
    kind: str  # "page" or "job"
    timings: list[float]
    queries: int
    target_ms: float
    sql: list[float] = field(default_factory=list)  # seconds in the database, per run

    @property
    def p50(self) -> float:
        return statistics.median(self.timings) * 1000

    @property
    def p95(self) -> float:
        ordered = sorted(self.timings)
        return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))] * 1000

    @property
    def sql_p50(self) -> float:
        return statistics.median(self.sql) * 1000 if self.sql else 0.0

    @property
    def verdict(self) -> str:
        return "ok" if self.p95 <= self.target_ms else "over"


class Rollback(Exception):
    pass


def measure(name: str, kind: str, action: Callable[[], object], *, runs: int, target_ms: float,
            rollback: bool = False) -> Result:  # fmt: skip
    from django.db import connection, reset_queries, transaction
    from django.test.utils import CaptureQueriesContext

    timings, sql, queries = [], [], 0
    for _ in range(runs):
        # Django keeps the last 9,000 queries: once that log is full, a capture counts none, and
        # a long run's later lines read "0 queries, 0 ms of SQL". Each run starts it empty.
        reset_queries()
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
        sql.append(sum(float(query["time"]) for query in captured))
    return Result(name, kind, timings, queries, target_ms, sql)


def _ok(response) -> None:
    if response.status_code not in (200, 302):
        raise SystemExit(f"{response.request['PATH_INFO']} answered {response.status_code}")


# Tables a measured write touches; the write is rolled back, the dead rows it leaves are
# vacuumed away after the run so that the next run reads the same pages (issue 20, item 5).
WRITTEN_TABLES = (
    "complaints_complaint",
    "complaints_complaintevent",
    "complaints_complaintsequence",
    "complaints_dutylogentry",
    "resident_trackinglink",
    "followups_notification",
    "followups_contact",
    "followups_escalation",
    "followups_shiftreview",
    "followups_shiftreviewitem",
    "integrations_integrationtoken",
    "integrations_webhooksubscription",
    "integrations_webhookdelivery",
    "accounts_loginsession",
    "axes_accesslog",
    "axes_accessattempt",
)


def busiest(code: str | None = None):
    """The office with the most complaints (or the one of `code`) and the largest branch."""
    from django.db.models import Count

    from accounts.models import Branch, Office

    offices = Office.objects.select_related("branch")
    if code:
        office = offices.get(code=code)
    else:
        office = offices.annotate(n=Count("complaints")).order_by("-n", "code")[0]
    branch = Branch.objects.annotate(n=Count("offices__complaints")).order_by("-n", "code")[0]
    return office, branch


def staff_of(office, branch):
    from accounts.models import Membership
    from accounts.roles import Role

    def member(role):
        return Membership.objects.filter(office=office, role=role).select_related("user")[0].user

    quality = Membership.objects.filter(branch=branch, role=Role.QUALITY_DEPARTMENT)[0].user
    return member(Role.CLIENT_ASSISTANT), member(Role.OFFICE_MANAGER), quality


def searches(office) -> list[tuple[str, str]]:
    """One query of each kind the desk types, taken from the office's own records."""
    from complaints.models import Complaint

    newest = Complaint.objects.filter(office=office).select_related("building", "category")
    newest = newest.order_by("-received_at")[0]
    return [
        ("number fragment", newest.number.split("-", 1)[1]),  # 202612-0001
        ("phone", newest.phone),
        ("phone, 4 digits", newest.phone[-4:]),
        ("complainant", newest.complainant_name),
        ("address", f"{newest.building.name}{newest.room}"),
        ("room", newest.room),
        ("category", newest.category.name),
        ("two-character word", "噪音"),
    ]


def jobs(now, office, branch):
    """The month-bound jobs: the scans beat runs and the office's and branch's reports."""
    from followups import clocks
    from reports.kpis import monthly_kpis, monthly_trend
    from reports.months import previous_month
    from reports.subjects import subject_of

    def report(subject):
        about = subject_of(**subject)
        month = previous_month(now, about.zone)
        monthly_kpis(about.complaints, month=month, zone=about.zone, offices=about.offices, now=now)
        monthly_trend(about.complaints, month=month, zone=about.zone)

    return [
        ("shift-start review, all offices", lambda: clocks.open_shift_reviews(now=now), 2000),
        ("deadline scan", lambda: clocks.deadline_scan(now=now), 2000),
        ("escalation scan", lambda: clocks.escalation_scan(now=now), 2000),
        ("supervisor digest", lambda: clocks.supervisor_digest(now=now), 2000),
        (f"monthly report, office {office.code}",
         lambda: report({"office": office, "branch": None}), 5000),
        (f"monthly report, branch {branch.code}",
         lambda: report({"office": None, "branch": branch}), 300),
    ]  # fmt: skip


def run(*, runs: int, job_runs: int) -> tuple[list[Result], dict]:
    from django.test import Client
    from django.urls import reverse
    from django.utils import timezone

    from accounts.models import Branch, Office
    from complaints.models import Category, Complaint

    office, branch = busiest()
    assistant, manager, quality = staff_of(office, branch)
    client = Client()
    client.force_login(assistant)
    sample = Complaint.objects.filter(office=office).order_by("-received_at")
    detail = sample.filter(contacts__isnull=False).first() or sample.first()
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

    def api_contact():
        body = {"kind": "progress", "method": "phone", "summary": "进展已告知业主"}
        url = reverse("api:complaint-contact", args=[detail.pk])
        _ok(client.post(url, body, content_type="application/json", secure=True))

    def tracking_path(complaint):
        from resident.links import issue_link

        return reverse("resident:track", args=[issue_link(complaint)[1]])

    def page(name, action, target=150):
        return measure(name, "page", action, runs=runs, target_ms=target)

    def intake_guide():
        data = {
            "office": office.pk, "channel": "phone", "complainant_name": "王先生",
            "phone": "139abc45678", "building": building.pk, "urgent_kind": "safety",
            "received_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
            "classification": "valid", "severity": "general", "description": "楼道漏水",
        }  # fmt: skip
        _ok(client.post(reverse("complaints:intake_guide"), data, secure=True))

    results = [
        # Rolled back: a run leaves no complaint behind (the dead rows are vacuumed below).
        measure("intake POST", "page", intake, runs=runs, target_ms=150, rollback=True),
        page("intake guide (htmx)", intake_guide),
        page("list, default", get(list_url)),
        page("list, all open", get(list_url, status="open")),
        page("list, contact overdue", get(list_url, overdue="contact")),
        page(
            "list, category + class", get(list_url, category=category.pk, classification="valid")
        ),  # fmt: skip
        page("detail", get(reverse("complaints:detail", args=[detail.pk]))),
        # The REST API (docs/api.md), through the same session: issue #18's target is 50 ms.
        page("API list, default", get(reverse("api:complaint-list")), target=50),
        page("API list, all open", get(reverse("api:complaint-list"), status="open"), target=50),
        page("API detail", get(reverse("api:complaint-detail", args=[detail.pk])), target=50),
        page(
            "API caller's complaints",
            get(reverse("api:caller-complaints", args=[detail.phone or "13800138000"])),
            target=50,
        ),
        # A step through the API, rolled back each run (docs/api.md).
        measure(
            "API step, contact POST", "page", api_contact, runs=runs, target_ms=50, rollback=True
        ),
        # The resident's tracking page (#17, docs/resident.md): no login, one complaint.
        page("tracking page (resident)", get(tracking_path(detail)), target=50),
        page("my shift", get(reverse("followups:my_shift"))),
        page("home, assistant's work queue", get(reverse("home"))),
    ]
    results += attachment_results(client, detail, runs=runs, measure=measure, ok=_ok)
    results += webhook_results(intake, office=office, runs=runs, measure=measure)
    results += community_results(office, building, runs=runs)
    kinds = searches(office)
    for kind, text in kinds:
        results.append(page(f"search, {kind}", get(list_url, q=text), target=100))
    client.force_login(manager)
    results.append(page("home, manager's work queue", get(reverse("home"))))
    results.append(page("locked logins", get(reverse("locked_logins"))))

    target = sample.filter(status__in=["recorded", "in_progress"]).first() or detail

    def complete_record():  # the manager completes an open record (rolled back each run)
        # A valid mobile: the generator's numbers need not pass the desk's phone check.
        data = {
            "complainant_name": target.complainant_name, "phone": "138 0013 8000",
            "email": target.email, "building": target.building_id or "",
            "unit": target.unit_id or "", "room": target.room, "channel": target.channel,
            "category": target.category_id or "", "classification": "valid",
            "severity": target.severity, "description": target.description,
            "customer_request": "停止夜间施工",
        }  # fmt: skip
        _ok(client.post(reverse("complaints:record", args=[target.pk]), data, secure=True))

    results.append(measure("complete the record POST", "page", complete_record, runs=runs,
                           target_ms=150, rollback=True))  # fmt: skip
    results.append(page("list, as the manager", get(list_url)))
    results.append(page("inbox, as the manager", get(reverse("followups:inbox"))))
    results.append(page("inbox, unread only", get(reverse("followups:inbox"), show="unread")))
    results.append(page("API notifications", get(reverse("api:notification-list")), target=50))
    client.force_login(quality)
    results.append(page("list, as the branch quality dept", get(list_url)))
    results.append(page("home, quality dept's work queue", get(reverse("home"))))
    results += api_report_results(page, get, branch)
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
    for kind, text in kinds:
        results.append(page(f"search branch-wide, {kind}", get(list_url, q=text), target=100))
    client.logout()
    for name, job, target in jobs(now, office, branch):
        results.append(measure(name, "job", job, runs=job_runs, target_ms=target, rollback=True))
    in_branch = Complaint.objects.filter(office__branch=branch).count()
    facts = {
        "complaints": Complaint.objects.count(),
        "offices": Office.objects.count(),
        "branches": Branch.objects.count(),
        "busiest office": f"{office.code} ({office.complaints.count()} complaints)",
        "largest branch": f"{branch.code} ({in_branch} complaints)",
    }
    return results, facts


def api_report_results(page, get, branch) -> list[Result]:
    """The API's monthly reports, as the branch's quality department reads them."""
    from django.urls import reverse

    from reports.models import MonthlyReport

    results = [page("API reports", get(reverse("api:report-list")), target=50)]
    report = MonthlyReport.objects.filter(branch=branch).order_by("-month").first()
    if report is not None:  # the bench's database has reports once the monthly job ran
        results.append(
            page(
                "API report snapshot",
                get(reverse("api:report-detail", args=[report.pk])),
                target=50,
            )
        )
        # A workbook with its charts built on each call, as the report page's download: the
        # 50 ms of issue #18 is the list's and the detail's; a download is held to 1 s.
        xlsx = get(reverse("api:report-xlsx", args=[report.pk]))
        results.append(page("API report xlsx", xlsx, target=1000))
    return results


def community_results(office, building, *, runs: int) -> list[Result]:
    """The community's public form (docs/resident.md), as a resident without a login: the page,
    and a submission that records the complaint and its tracking link (rolled back each run;
    the rate limits lifted, so the runs measure the work, not the refusal). The page's target
    is 50 ms; a submission is a write, with the intake POST's target, 150 ms."""
    from django.test import Client, override_settings
    from django.urls import reverse

    resident = Client()
    url = reverse("resident:community", args=[office.code])
    phones = itertools.count(13_900_000_000)

    def submit():
        data = {
            "complainant_name": "王女士", "phone": str(next(phones)),
            "building": building.pk if building else "", "address": "1单元1502",
            "description": "电梯停了一上午", "customer_request": "尽快修好电梯",
        }  # fmt: skip
        _ok(resident.post(url, data, secure=True))

    unlimited = dict.fromkeys(
        ("COMMUNITY_SUBMISSIONS_PER_ADDRESS", "COMMUNITY_SUBMISSIONS_PER_PHONE"), 10**9
    )
    with override_settings(**unlimited):
        results = [
            measure("community form (public)", "page", lambda: _ok(resident.get(url, secure=True)),
                    runs=runs, target_ms=50),
            measure("community form POST (public)", "page", submit, runs=runs, target_ms=150,
                    rollback=True),
        ]  # fmt: skip
    return results


def forget_logins(*, since: datetime) -> None:
    """The bench's own logins leave no trace: axes' access log of this run."""
    from axes.models import AccessLog

    AccessLog.objects.filter(attempt_time__gte=since).delete()


def vacuum() -> None:
    """VACUUM what a rolled-back write left dead, so that two runs in a row read the same."""
    from django.db import connection

    with connection.cursor() as cursor:
        for table in WRITTEN_TABLES:
            cursor.execute(f"VACUUM {connection.ops.quote_name(table)}")


def compare(urls: list[str], *, runs: int) -> tuple[list[tuple[str, list[float]]], list[dict]]:
    """The month-bound work on databases of the same monthly volume and different years of
    history (`bench.generate --per-month`), interleaved run by run so that a busy machine
    slows each alike. Returns (name, p50 ms per database) and each database's facts."""
    from django.db import connection
    from django.test import Client
    from django.urls import reverse
    from django.utils import timezone

    from complaints.models import Complaint

    def use(url):
        import environ

        connection.close()
        connection.settings_dict.update(environ.Env.db_url_config(url))

    now = timezone.now()
    use(urls[0])
    code = busiest()[0].code
    plans, facts, clients = [], [], []
    for url in urls:
        use(url)
        office, branch = busiest(code)
        assistant, manager, _quality = staff_of(office, branch)
        facts.append({"complaints": Complaint.objects.count(), "office": office.code,
                      "office complaints": office.complaints.count()})  # fmt: skip
        desk, home = Client(), Client()
        desk.force_login(assistant)
        home.force_login(manager)
        clients.append((desk, home))
        plan = [(name, job) for name, job, _target in jobs(now, office, branch)]
        pages = (
            ("home work queues (manager)", home, reverse("home")),
            ("my shift (assistant)", desk, reverse("followups:my_shift")),
        )
        for name, client, page_url in pages:
            plan.append((name, lambda c=client, u=page_url: _ok(c.get(u, secure=True))))
        plans.append(plan)
    timings = [[[] for _job in plan] for plan in plans]
    for _ in range(runs):
        for index, (url, plan) in enumerate(zip(urls, plans, strict=True)):
            use(url)
            for position, (name, job) in enumerate(plan):
                result = measure(name, "job", job, runs=1, target_ms=0, rollback=True)
                timings[index][position] += result.timings
    for url, logged_in in zip(urls, clients, strict=True):
        use(url)
        for client in logged_in:
            client.logout()
        vacuum()
    rows = []
    for position, (name, _job) in enumerate(plans[0]):
        rows.append((name, [statistics.median(t[position]) * 1000 for t in timings]))
    return rows, facts


def compare_table(rows, facts, *, runs: int) -> str:
    heads = [f"{f['complaints']:,} complaints" for f in facts]
    lines = [
        f"Same monthly volume, {' vs '.join(heads)} of history; office {facts[0]['office']}; "
        f"{runs} interleaved runs each, p50 ms. Target: the longer history costs at most 1.3×.",
        "",
        "| what | " + " | ".join(heads) + " | ratio | |",
        "| --- | " + " | ".join("---:" for _ in heads) + " | ---: | --- |",
    ]
    for name, p50s in rows:
        ratio = p50s[-1] / p50s[0] if p50s[0] else 0
        verdict = "ok" if ratio <= 1.3 else "over"
        cells = " | ".join(f"{value:.0f}" for value in p50s)
        lines.append(f"| {name} | {cells} | {ratio:.2f}× | {verdict} |")
    return "\n".join(lines)


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
        "| what | p50 ms | p95 ms | SQL p50 ms | queries | target p95 | |",
        "| --- | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for r in results:
        lines.append(
            f"| {r.name} | {r.p50:.0f} | {r.p95:.0f} | {r.sql_p50:.0f} | {r.queries} "
            f"| {r.target_ms:.0f} ms | {r.verdict} |"
        )
    return "\n".join(lines)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--job-runs", type=int, default=5)
    parser.add_argument("--write", type=Path)
    parser.add_argument(
        "--compare",
        nargs="+",
        metavar="DATABASE_URL",
        help="instead: the month-bound jobs on these databases (1 and 5 years of history)",
    )
    args = parser.parse_args(argv)
    from bench.generate import setup_django

    setup_django()
    logging.getLogger("axes").setLevel(logging.WARNING)  # a login line per force_login
    from django.db import connection

    if connection.vendor != "postgresql":
        raise SystemExit("The benchmark runs on PostgreSQL: set DATABASE_URL.")
    if args.compare:
        rows, facts = compare(args.compare, runs=args.job_runs)
        text = compare_table(rows, facts, runs=args.job_runs)
        marker = "history"
    else:
        started = datetime.now(UTC)
        results, facts = run(runs=args.runs, job_runs=args.job_runs)
        forget_logins(since=started)
        vacuum()
        text = table(results, facts, runs=args.runs, job_runs=args.job_runs)
        marker = "bench"
    print(text)
    if args.write:
        write_between(args.write, marker, text)


if __name__ == "__main__":
    main()
