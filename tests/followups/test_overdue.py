"""One definition of "overdue" for the list, my shift and the clocks (R-URG-2, R-REV-1)."""

from datetime import timedelta

import pytest

from complaints.models import Complaint
from followups.workflow import record_corrective_action, resolve

from .conftest import T0

pytestmark = pytest.mark.django_db


def test_the_contact_clock_stops_at_resolution_and_the_revisit_clock_takes_over(
    complaint, assistant
):
    week_later = T0 + timedelta(days=7)
    assert Complaint.objects.overdue("contact", week_later).filter(pk=complaint.pk).exists()
    record_corrective_action(
        complaint,
        by=assistant,
        cause="a",
        correction="b",
        prevention="c",
        now=T0 + timedelta(hours=1),
    )
    resolve(complaint, by=assistant, now=T0 + timedelta(hours=2))
    assert not Complaint.objects.overdue("contact", week_later).filter(pk=complaint.pk).exists()
    assert (
        Complaint.objects.overdue("revisit", week_later).filter(pk=complaint.pk).exists()
    )  # R-REV-1
    assert not Complaint.objects.overdue("revisit", T0 + timedelta(hours=20)).exists()
