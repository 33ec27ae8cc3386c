"""Two beat instances (threat: a second scheduler started by mistake, or an old one left
running after a deploy) fire every clock twice for an hour of simulated time; nothing is
written twice (R-FUP-1..3, R-RPT-1; docs/reliability.md)."""

import threading
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection, connections

from accounts.roles import Role
from followups.clocks import JOBS
from followups.models import Escalation, Notification, ShiftReview, ShiftReviewItem
from reports.models import MonthlyReport
from reports.workflow import alert_missing_reports, generate_due_reports
from tests.factories import ComplaintFactory, OfficeFactory, ShiftFactory, staff

pytestmark = pytest.mark.django_db(transaction=True)
SHANGHAI = ZoneInfo("Asia/Shanghai")
HOUR_START = datetime(2026, 12, 1, 0, 0, tzinfo=SHANGHAI)  # the 1st: reports are due at 00:30


def clocks(now):
    for job in JOBS.values():
        job(now=now)
    generate_due_reports(now=now)
    alert_missing_reports(now=now)


@pytest.fixture
def busy_office():
    if connection.vendor != "postgresql":
        pytest.skip("two schedulers at once need PostgreSQL's row locks; CI runs it")
    office = OfficeFactory(code="HY", time_zone="Asia/Shanghai")
    ShiftFactory(office=office, starts_at=time(0, 15))
    people = {
        role: staff(role, office=office)
        for role in (Role.CLIENT_ASSISTANT, Role.CUSTOMER_SUPERVISOR, Role.OFFICE_MANAGER)
    }
    people[Role.BRANCH_GM] = staff(Role.BRANCH_GM, branch=office.branch)

    def received(at):
        return ComplaintFactory(office=office, received_at=at, entered_at=at,
                                received_by=people[Role.CLIENT_ASSISTANT])  # fmt: skip

    return {
        "office": office,
        "day_10": received(HOUR_START - timedelta(days=10) + timedelta(minutes=20)),
        "day_15": received(HOUR_START - timedelta(days=16)),
        "old": received(HOUR_START - timedelta(days=4)),
    }


def test_two_schedulers_for_an_hour_write_everything_once(busy_office):
    failures = []

    def beat(now, start):
        try:
            start.wait(timeout=30)
            clocks(now)
        except Exception as error:  # noqa: BLE001 — reported below, with the instant
            failures.append((now, repr(error)))
        finally:
            connections.close_all()

    for tick in range(13):  # 00:00, 00:05, … 01:00
        now = HOUR_START + timedelta(minutes=5 * tick)
        start = threading.Barrier(2)
        beats = [threading.Thread(target=beat, args=(now, start)) for _ in range(2)]
        for thread in beats:
            thread.start()
        for thread in beats:
            thread.join(timeout=120)

    assert failures == []
    # R-FUP-2/3: one escalation per complaint and level.
    levels = sorted(Escalation.objects.values_list("complaint__number", "level"))
    assert levels == sorted(
        [
            (busy_office["day_10"].number, 10),
            (busy_office["day_15"].number, 10),
            (busy_office["day_15"].number, 15),
        ]
    )
    # R-FUP-1: one review per shift start (yesterday's 00:15, seen at 00:00, and today's),
    # each complaint listed once in each.
    starts = sorted(ShiftReview.objects.values_list("starts_at", flat=True))
    shift = HOUR_START + timedelta(minutes=15)
    assert starts == [shift - timedelta(days=1), shift]
    today = ShiftReviewItem.objects.filter(review__starts_at=shift)
    items = list(today.values_list("complaint", flat=True))
    assert len(items) == len(set(items)) == 3
    # R-RPT-1: one version of November's report for the office and for the branch.
    assert sorted(MonthlyReport.objects.values_list("version", flat=True)) == [1, 1]
    # Every notification of a cause once: the manager hears of day 10 twice (two complaints).
    manager_day_10 = Notification.objects.filter(
        kind="escalation_10", recipient__memberships__role=Role.OFFICE_MANAGER
    )
    assert manager_day_10.count() == 2
