"""A working month simulated end to end (reports.simulation): one office through November 2026
with the clock moved, every beat job through its task function, and the month's report
compared with the simulation's own count of what happened (R-RPT-1, R-FUP-2/3, R-URG-2,
R-REV-2, R-CHAN-2, R-LOG-2, R-SEV-1, R-CLO-3)."""

from datetime import date

import pytest

from followups.models import Notification
from followups.notices import NOTICES, STAYS, resolve_done
from reports.models import MonthlyReport
from reports.simulation import (
    Simulation,
    escalated_while_finished,
    escalations_without_notice,
)

pytestmark = pytest.mark.django_db
NOVEMBER = date(2026, 11, 1)


@pytest.fixture(scope="module")
def month(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        simulation = Simulation(start=NOVEMBER, days=30, per_day=5)
        ledger = simulation.run()
        yield simulation, ledger
        from django.core.management import call_command

        call_command("flush", "--noinput", verbosity=0)


def test_the_month_had_every_kind_of_complaint(month):
    simulation, ledger = month
    counts = ledger.counts(NOVEMBER)
    assert counts["received"] >= 150
    assert set(counts["by_classification"]) == {"valid", "to_improve", "invalid"}
    assert set(counts["by_channel"]) >= {"phone", "visit", "letter", "email", "media", "website"}
    assert counts["entered_late"] and counts["re_complaints"]


def test_every_complaint_whose_steps_were_done_is_closed(month):
    # R-CLO-3 / R-REV-2: done means approved (closed) or superseded by its new complaint.
    _simulation, ledger = month
    done = [p for p in ledger.plans if p.done]
    assert len(done) > 100
    for plan in done:
        plan.complaint.refresh_from_db()
        assert plan.complaint.status == ("superseded" if plan.unsatisfied else "closed")


def test_no_contact_or_ladder_notice_while_handling_was_finished(month):
    simulation, ledger = month
    notices = Notification.objects.filter(
        office=simulation.office,
        kind__in=["contact_overdue", "escalation_10", "escalation_15"],
    )
    assert escalated_while_finished(ledger, notices) == []


def test_no_unread_notice_remains_for_a_matter_that_is_done(month):
    # R-CLO-3: a closed or superseded complaint leaves nothing to do in anyone's inbox, and no
    # notice whose matter the catalogue says is done is still unread.
    simulation, _ledger = month
    informs = [kind for kind, entry in NOTICES.items() if entry.done == STAYS]
    ended = Notification.objects.filter(
        office=simulation.office, complaint__status__in=["closed", "superseded"]
    )
    assert list(ended.unread().exclude(kind__in=informs).values_list("kind", "key")) == []
    assert resolve_done() == 0  # nothing left that a step should have marked done


def test_every_missed_deadline_was_notified_to_someone(month):
    simulation, ledger = month
    office = simulation.office
    assert escalations_without_notice(office) == []
    kinds = set(Notification.objects.filter(office=office).values_list("kind", flat=True))
    # R-LOG-2 missed handovers, R-CHAN-2 days with one scan, R-SEV-1 the unreported major
    # complaint, R-URG-1 the late-entered urgent ones, R-FUP-2/3 the slow ones.
    assert {"handover_missing", "scans_missed", "major_unreported", "escalation_10"} <= kinds
    handovers = Notification.objects.filter(office=office, kind="handover_missing")
    assert handovers.values("key").distinct().count() == len(ledger.missed_handovers)
    scan_days = Notification.objects.filter(office=office, kind="scans_missed")
    assert scan_days.values("key").distinct().count() == len(ledger.short_scan_days)


def test_every_figure_of_the_months_report_equals_the_simulations_own_count(month):
    simulation, ledger = month
    report = MonthlyReport.objects.get(office=simulation.office, month=NOVEMBER)
    data, counts = report.data, ledger.counts(NOVEMBER, as_of=report.generated_at)
    assert data["received"] == counts["received"]
    assert data["by_classification"] == dict(counts["by_classification"])
    assert data["by_channel"] == dict(counts["by_channel"])
    assert data["re_complaints"] == counts["re_complaints"]
    entered = data["entered_on_time"]
    assert entered["of"] - entered["met"] == counts["entered_late"]
    assert data["days_short_of_scans"] == counts["short_scan_days"]
    day_10, day_15 = ledger.escalations(NOVEMBER, until=report.generated_at)
    assert (data["escalated_day_10"], data["escalated_day_15"]) == (day_10, day_15)
    assert data["violating_closures"] == 0
