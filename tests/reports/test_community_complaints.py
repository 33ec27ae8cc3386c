"""A complaint still to check from the community's page (complaints.community) in the desk's
clocks and reports: it has no receiver yet, and nothing that reads a month or a deadline breaks
on it (R-REC-1, R-REC-2, R-REC-3, R-URG-2)."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from complaints.models import Complaint
from followups.clocks import deadline_scan, escalation_scan
from followups.models import Notification
from reports.kpis import monthly_kpis
from reports.workflow import generate_report
from tests.resident.community import sent_from_community

SHANGHAI = ZoneInfo("Asia/Shanghai")
SENT = datetime(2026, 11, 10, 9, 0, tzinfo=SHANGHAI)
pytestmark = [
    pytest.mark.django_db,
    pytest.mark.frozen_at(datetime(2026, 12, 1, 1, 0, tzinfo=SHANGHAI)),
]


@pytest.fixture
def unchecked(office):
    return sent_from_community(office, at=SENT)


def test_the_month_counts_it_as_not_accepted_and_incomplete(unchecked, office):
    """R-REC-1, R-REC-3: nobody at the desk accepted it; its record lacks class and category."""
    kpis = monthly_kpis(
        Complaint.objects.filter(office=office),
        month=date(2026, 11, 1),
        zone=SHANGHAI,
        now=datetime(2026, 12, 1, 0, 30, tzinfo=SHANGHAI),
    )
    assert kpis.received == 1
    assert (kpis.accepted.met, kpis.accepted.of) == (0, 1)
    assert (kpis.complete_records.met, kpis.complete_records.of) == (0, 1)
    assert kpis.by_channel == {"website": 1}


def test_the_monthly_report_is_generated_with_it(unchecked, office):
    report, created = generate_report(
        month=date(2026, 11, 1), now=datetime(2026, 12, 1, 0, 30, tzinfo=SHANGHAI), office=office
    )
    assert created and report.data["received"] == 1


def test_an_overdue_contact_reaches_the_supervisors_only(unchecked, supervisor):
    """R-URG-2: left unchecked for days, it is chased; it has no receiver to tell."""
    deadline_scan(now=SENT + timedelta(days=4))
    assert Notification.objects.filter(recipient=supervisor, complaint=unchecked).exists()
    assert Notification.objects.filter(recipient__isnull=True).count() == 0


def test_the_ladder_climbs_for_it(unchecked, manager):
    """R-FUP-2: open over 10 days, checked or not."""
    escalation_scan(now=SENT + timedelta(days=11))
    assert Notification.objects.filter(complaint=unchecked, kind="escalation_10").exists()


def test_left_unchecked_past_two_hours_it_misses_timely_entry(unchecked, office):
    """R-REC-2: not entered (checked) within 2 hours of the submission: standard 3 missed, and
    the list of late entries shows it, before anyone checks it."""
    kpis = monthly_kpis(
        Complaint.objects.filter(office=office),
        month=date(2026, 11, 1),
        zone=SHANGHAI,
        now=datetime(2026, 12, 1, 0, 30, tzinfo=SHANGHAI),
    )
    assert (kpis.entered_on_time.met, kpis.entered_on_time.of) == (0, 1)
    assert list(Complaint.objects.overdue("entry", SENT + timedelta(hours=3))) == [unchecked]
    assert not Complaint.objects.overdue("entry", SENT + timedelta(hours=1)).exists()


def test_the_reason_it_missed_says_it_waits_for_its_check(unchecked):
    from reports.measures import annotated
    from reports.why import why_missed

    row = annotated(Complaint.objects.all(), now=SENT + timedelta(hours=3)).get()
    assert "社区投诉页提交，尚未核实" in why_missed("entered_on_time", row)
