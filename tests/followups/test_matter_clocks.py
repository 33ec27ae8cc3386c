"""The clocks follow the customer's matter (R-REV-2, R-FUP-2/3, R-URG-2)."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import translation

from complaints.models import Complaint
from complaints.timeleft import State, complaint_deadlines, waiting_for
from followups.clocks import closure_reminders, deadline_scan, escalation_scan
from followups.models import Escalation, Notification
from followups.workflow import record_revisit, reject_closure

from .conftest import T0
from .states import handled, revisited

pytestmark = pytest.mark.django_db


def _unsatisfied(complaint, by, at, method="phone"):
    handled(complaint, by, at)
    record_revisit(
        complaint, by=by, method=method, outcome="unsatisfied", remarks="仍然漏水", now=at
    )
    return Complaint.objects.get(linked_to=complaint)


def test_a_re_recorded_complaint_is_alerted_on_day_ten_of_the_first_receipt(
    complaint, assistant, manager
):
    # R-REV-2 with R-FUP-2: unhappy on day 9, the matter is still alerted on day 10.
    successor = _unsatisfied(complaint, assistant, T0 + timedelta(days=9))
    assert successor.alert_due == T0 + timedelta(days=10)
    assert successor.report_due == T0 + timedelta(days=15)
    assert escalation_scan(now=T0 + timedelta(days=10) - timedelta(minutes=1)) == 0
    assert escalation_scan(now=T0 + timedelta(days=10)) == 1
    assert Escalation.objects.get().complaint == successor
    assert Notification.objects.filter(
        recipient=manager, kind="escalation_10", complaint=successor
    ).exists()


def test_the_chain_keeps_the_first_receipt_over_two_unsatisfied_revisits(complaint, assistant):
    # R-REV-2: resolving and recording "not satisfied" twice never avoids the day-15 report.
    second = _unsatisfied(complaint, assistant, T0 + timedelta(days=4))
    third = _unsatisfied(second, assistant, T0 + timedelta(days=8))
    assert third.report_due == T0 + timedelta(days=15)
    escalation_scan(now=T0 + timedelta(days=15))
    assert set(third.escalations.values_list("level", flat=True)) == {10, 15}


def test_the_re_recorded_complaint_starts_its_own_reply_and_contact_clocks(complaint, assistant):
    # R-REPLY-2 and R-URG-2 count from the new complaint's own receipt.
    at = T0 + timedelta(days=9)
    successor = _unsatisfied(complaint, assistant, at)
    assert successor.received_at == at
    assert successor.next_contact_due == at + timedelta(days=3)
    assert successor.reply_latest > at + timedelta(days=3)


@pytest.mark.parametrize("method", ["phone", "visit", "email", "website"])
def test_the_re_recorded_complaint_came_in_the_way_the_revisit_reached_the_customer(
    complaint, assistant, method
):
    # R-REV-2 with R-CHAN-1: the channel is the revisit's method.
    successor = _unsatisfied(complaint, assistant, T0 + timedelta(days=2), method=method)
    assert successor.channel == method


# --- Clocks pause once handling is finished (docs: Rules the desk adds) --------------------


def test_a_complaint_waiting_for_its_revisit_gets_no_contact_or_ladder_notice(
    complaint, assistant, manager
):
    # R-URG-2, R-FUP-2/3: resolved on day 2, the revisit is what is due.
    handled(complaint, assistant, T0 + timedelta(days=2))
    deadline_scan(now=T0 + timedelta(days=16))
    escalation_scan(now=T0 + timedelta(days=16))
    kinds = set(Notification.objects.values_list("kind", flat=True))
    assert "revisit_overdue" in kinds
    assert not kinds & {"contact_overdue", "escalation_10", "escalation_15"}
    assert not Escalation.objects.exists()


def test_a_complaint_waiting_for_approval_is_not_reported_to_the_branch_gm(
    complaint, assistant, manager
):
    # R-FUP-3 chases an unhandled complaint, not one waiting for the manager's approval.
    revisited(complaint, assistant, T0 + timedelta(days=1))
    escalation_scan(now=T0 + timedelta(days=20))
    deadline_scan(now=T0 + timedelta(days=20))
    assert not Notification.objects.filter(
        kind__in=["escalation_10", "escalation_15", "contact_overdue"]
    ).exists()


def test_the_clocks_say_what_the_complaint_waits_for_instead_of_counting_down(complaint, assistant):
    revisited(complaint, assistant, T0 + timedelta(days=1))
    complaint.refresh_from_db()
    with translation.override("en"):
        at = T0 + timedelta(days=12)
        clocks = {d.key: d.left for d in complaint_deadlines(complaint, now=at)}
        assert clocks["alert"].state is State.PAUSED and clocks["report"].state is State.PAUSED
        assert clocks["contact"].text == "paused: waiting for the manager's approval"
        assert waiting_for(complaint) == "waiting for the manager's approval"


def test_the_detail_and_list_say_the_complaint_waits_for_its_revisit(client, complaint, assistant):
    handled(complaint, assistant, T0 + timedelta(days=1))
    client.force_login(assistant)
    with time_machine.travel(T0 + timedelta(days=11), tick=False):
        detail = client.get(reverse("complaints:detail", args=[complaint.pk]))
        listing = client.get(reverse("complaints:list"))
    assert 'data-testid="waiting-for"' in detail.content.decode()
    assert 'data-state="paused"' in detail.content.decode()
    assert "等待回访" in listing.content.decode()  # "waiting for the revisit"


def test_a_closure_waiting_over_a_working_day_reminds_the_manager_once(
    complaint, assistant, manager
):
    # Friday 11:00 revisit: one working day later is Monday 11:00, not Saturday.
    friday = T0 + timedelta(days=4)
    revisited(complaint, assistant, friday)
    revisit_at = friday + timedelta(hours=2)
    assert closure_reminders(now=revisit_at + timedelta(days=2)) == 0  # Sunday
    monday = revisit_at + timedelta(days=3)
    assert closure_reminders(now=monday - timedelta(minutes=1)) == 0
    assert closure_reminders(now=monday) == 1
    assert closure_reminders(now=monday + timedelta(hours=5)) == 0
    note = Notification.objects.get(kind="closure_waiting")
    assert note.recipient == manager and note.complaint == complaint


def test_after_a_rejected_closure_the_contact_clock_restarts_from_the_rejection(
    complaint, assistant, manager
):
    # R-URG-2: not "contact 19 days overdue" the moment the manager sends it back.
    revisited(complaint, assistant, T0 + timedelta(days=1))
    rejected_at = T0 + timedelta(days=5)
    reject_closure(complaint, by=manager, reason="整改记录不全", now=rejected_at)
    complaint.refresh_from_db()
    assert complaint.next_contact_due == rejected_at + timedelta(days=3)
    deadline_scan(now=rejected_at + timedelta(days=3) - timedelta(minutes=1))
    assert not Notification.objects.filter(kind="contact_overdue").exists()
    deadline_scan(now=rejected_at + timedelta(days=3, minutes=1))
    assert Notification.objects.filter(kind="contact_overdue").exists()
    assert not Escalation.objects.exists()


def test_a_closure_rejected_after_day_ten_escalates_at_once_saying_why(
    complaint, assistant, manager, supervisor
):
    # R-FUP-2: the ladder counts from receipt; the wait for approval paused it, no more.
    revisited(complaint, assistant, T0 + timedelta(days=1))
    rejected_at = T0 + timedelta(days=11)
    reject_closure(complaint, by=manager, reason="整改记录不全", now=rejected_at)
    assert list(complaint.escalations.values_list("level", flat=True)) == [10]
    notes = Notification.objects.filter(kind="escalated_late")
    assert set(notes.values_list("recipient", flat=True)) == {manager.pk, supervisor.pk}
    assert "day-10" in notes.first().body or "10" in notes.first().title
    assert escalation_scan(now=rejected_at + timedelta(minutes=15)) == 0  # not twice
    assert escalation_scan(now=T0 + timedelta(days=15)) == 1  # day 15 follows as usual
