"""Breaches graded serious, general or minor in the monthly report, and standard 2 kept honest
after the duty log's retention (R-LOG-3, R-REC-1, R-URG-1, R-REC-2)."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from complaints.dutylog import purge_old_duty_log
from complaints.models import DutyLogEntry
from reports.workflow import generate_report
from tests.factories import ComplaintFactory, DutyLogEntryFactory, OfficeFactory

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")
NOVEMBER = date(2026, 11, 1)
FIRST = datetime(2026, 12, 1, 0, 30, tzinfo=SHANGHAI)


def logged(complaint):
    DutyLogEntryFactory(
        office=complaint.office,
        complaint=complaint,
        kind="complaint",
        occurred_at=complaint.received_at,
    )
    return complaint


def test_the_report_grades_each_breach_and_lists_it():
    office = OfficeFactory()
    at = datetime(2026, 11, 10, 9, tzinfo=SHANGHAI)
    urgent = logged(ComplaintFactory(office=office, received_at=at, urgent_kind="safety"))
    late = logged(
        ComplaintFactory(office=office, received_at=at, entered_at=at + timedelta(hours=3))
    )
    report, _ = generate_report(office=office, month=NOVEMBER, now=FIRST)
    breaches = report.data["breaches"]
    listed = {(b["number"], b["standard"]): b["grade"] for b in breaches}
    assert listed[(urgent.number, "urgent_dispatched_on_time")] == "serious"  # R-URG-1
    assert listed[(late.number, "entered_on_time")] == "minor"  # R-REC-2
    assert report.data["breaches_by_grade"]["serious"] == sum(
        g == "serious" for g in listed.values()
    )
    assert breaches[0]["grade"] == "serious"  # the serious ones first


def test_a_month_past_retention_keeps_its_acceptance_figure_and_says_so():
    # R-LOG-3 and standard 2: the purge leaves the complaints without their duty-log lines.
    office = OfficeFactory()
    logged(ComplaintFactory(office=office, received_at=datetime(2026, 11, 10, 9, tzinfo=SHANGHAI)))
    first, _ = generate_report(office=office, month=NOVEMBER, now=FIRST)
    assert first.data["accepted"] == {"met": 1, "of": 1}
    a_year_later = datetime(2027, 12, 5, 9, tzinfo=SHANGHAI)
    purge_old_duty_log(now=a_year_later)
    assert not DutyLogEntry.objects.exists()
    second, created = generate_report(
        office=office, month=NOVEMBER, now=a_year_later, regenerate=True
    )
    assert created and second.version == 2
    assert second.data["accepted"] == {"met": 1, "of": 1}  # not 0/1
    assert second.data["accepted_recount"] == "purged"
    assert not any(b["standard"] == "accepted" for b in second.data["breaches"])


def test_the_report_page_shows_the_breaches_and_the_retention_note(client):
    from django.urls import reverse

    from accounts.roles import Role
    from tests.factories import staff

    office = OfficeFactory()
    supervisor = staff(Role.CUSTOMER_SUPERVISOR, office=office)
    logged(
        ComplaintFactory(
            office=office,
            received_at=datetime(2026, 11, 10, 9, tzinfo=SHANGHAI),
            urgent_kind="safety",
        )
    )
    generate_report(office=office, month=NOVEMBER, now=FIRST)
    report, _ = generate_report(
        office=office, month=NOVEMBER, now=datetime(2027, 12, 5, tzinfo=SHANGHAI), regenerate=True
    )
    client.force_login(supervisor)
    page = client.get(reverse("reports:detail", args=[report.pk])).content.decode()
    assert 'data-testid="breaches"' in page and 'data-grade="serious"' in page
    assert 'data-testid="accepted-purged"' in page


def test_standard_5_measures_whether_the_ladder_was_on_time():
    # R-FUP-2/3: an alert taken late (the scan was down) and a day-15 report not made in 24 h.
    from followups.models import Escalation
    from reports.kpis import monthly_kpis

    office = OfficeFactory()
    at = datetime(2026, 11, 2, 9, tzinfo=SHANGHAI)
    on_time, late = (ComplaintFactory(office=office, received_at=at) for _ in range(2))
    Escalation.objects.create(complaint=on_time, level=10, at=on_time.alert_due)
    Escalation.objects.create(complaint=late, level=10, at=late.alert_due + timedelta(hours=5))
    Escalation.objects.create(
        complaint=on_time,
        level=15,
        at=on_time.report_due,
        reported_at=on_time.report_due + timedelta(hours=2),
    )
    Escalation.objects.create(complaint=late, level=15, at=late.report_due)  # never reported
    kpis = monthly_kpis(office.complaints.all(), month=NOVEMBER, zone=SHANGHAI, now=FIRST)
    assert (kpis.alerts_on_time.met, kpis.alerts_on_time.of) == (1, 2)
    assert (kpis.gm_reports_on_time.met, kpis.gm_reports_on_time.of) == (1, 2)
