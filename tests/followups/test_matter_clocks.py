"""The clocks follow the customer's matter (R-REV-2, R-FUP-2/3, R-URG-2)."""

from datetime import timedelta

import pytest

from complaints.models import Complaint
from followups.clocks import escalation_scan
from followups.models import Escalation, Notification
from followups.workflow import record_revisit

from .conftest import T0
from .states import handled

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


def test_the_re_recorded_complaint_starts_its_own_reply_and_contact_clocks(
    complaint, assistant
):
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
