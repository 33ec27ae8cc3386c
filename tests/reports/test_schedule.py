"""`manage.py run_clocks` runs every scheduled job of the desk (docs/operations.md: Catch up
after an outage), idempotent for the same `--at`."""

from datetime import datetime, timedelta
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.core.management import call_command

from accounts.roles import Role
from complaints.models import DutyLogEntry
from followups.models import Notification
from reports.models import MonthlyReport
from reports.schedule import JOBS
from tests.factories import ComplaintFactory, DutyLogEntryFactory, OfficeFactory, staff

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")


def run_clocks(at: datetime) -> dict[str, int]:
    out = StringIO()
    call_command("run_clocks", "--at", at.isoformat(), stdout=out)
    lines = [line.rsplit(" created", 1)[0] for line in out.getvalue().strip().splitlines()]
    return {name: int(n) for name, n in (line.split(": ") for line in lines)}


def test_run_clocks_has_a_job_for_every_beat_entry():
    # Nothing beat runs is forgotten by a catch-up (and nothing is run that beat never would).
    assert set(JOBS) == set(settings.CELERY_BEAT_SCHEDULE)


def test_a_catch_up_after_an_outage_over_the_first_produces_the_monthly_reports():
    # R-RPT-1: down from 23:00 on 30 November until 02:00 on 1 December.
    office = OfficeFactory()
    staff(Role.QUALITY_DEPARTMENT, branch=office.branch)
    ComplaintFactory(office=office, received_at=datetime(2026, 11, 20, 9, tzinfo=SHANGHAI))
    counts = run_clocks(datetime(2026, 12, 1, 2, 0, tzinfo=SHANGHAI))
    assert counts["monthly-reports"] == 2  # the office's and its branch's
    report = MonthlyReport.objects.get(office=office)
    assert report.month.isoformat() == "2026-11-01" and report.data["received"] == 1


def test_a_run_before_half_past_midnight_on_the_first_does_not_freeze_the_month_early():
    OfficeFactory()
    assert run_clocks(datetime(2026, 12, 1, 0, 20, tzinfo=SHANGHAI))["monthly-reports"] == 0
    assert not MonthlyReport.objects.exists()


def test_the_missing_report_alert_and_retention_run_from_the_same_command():
    # R-RPT-1 alert after 09:00 on the 1st; R-LOG-3 purge of lines older than a year.
    office = OfficeFactory()
    quality = staff(Role.QUALITY_DEPARTMENT, branch=office.branch)
    DutyLogEntryFactory(office=office, occurred_at=datetime(2025, 10, 1, 9, tzinfo=SHANGHAI))
    counts = run_clocks(datetime(2026, 12, 1, 10, 0, tzinfo=SHANGHAI))
    assert counts["duty-log-retention"] == 1
    assert not DutyLogEntry.objects.exists()
    # The reports were produced by the same run, so nothing is missing.
    assert counts["missing-report-alert"] == 0
    assert not Notification.objects.filter(recipient=quality, kind="report_missing").exists()


def test_running_it_twice_with_the_same_instant_creates_nothing_the_second_time():
    office = OfficeFactory()
    staff(Role.OFFICE_MANAGER, office=office)
    staff(Role.CUSTOMER_SUPERVISOR, office=office)
    at = datetime(2026, 12, 7, 9, 0, tzinfo=SHANGHAI)  # a Monday, after the digest and summary
    ComplaintFactory(office=office, received_at=at - timedelta(days=16))
    first = run_clocks(at)
    assert first["escalation-scan"] == 2 and first["weekly-summaries"] >= 1
    assert first["supervisor-digest"] >= 1 and first["monthly-reports"] == 2
    assert set(run_clocks(at).values()) == {0}
