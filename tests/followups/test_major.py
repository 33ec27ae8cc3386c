"""R-SEV-1: a major complaint is reported by the office manager to the branch leadership, as a
recorded step with the time the customer was told to expect an answer."""

from datetime import timedelta

import pytest
from django.urls import reverse

from accounts.roles import Role
from complaints.models import ComplaintEvent
from complaints.workflow import correct_record
from followups.clocks import major_report_scan
from followups.models import MajorReport, Notification
from followups.workflow import StepRefused, report_major
from tests.factories import ComplaintFactory, staff

from .conftest import T0

pytestmark = pytest.mark.django_db


@pytest.fixture
def leadership(office):
    return (
        staff(Role.BRANCH_GM, branch=office.branch),
        staff(Role.QUALITY_DEPARTMENT, branch=office.branch),
    )


@pytest.fixture
def major(office, assistant, manager):
    complaint = ComplaintFactory(office=office, received_by=assistant, received_at=T0)
    complaint.is_major = True
    return correct_record(complaint, by=assistant, changed={"is_major": "major"}, now=T0)


def test_the_manager_reports_a_major_complaint_to_the_gm_and_quality_department(
    major, manager, leadership
):
    answer_by = T0 + timedelta(days=2)
    report_major(major, by=manager, report="涉及多户，已上报", answer_expected_at=answer_by, now=T0)
    assert MajorReport.objects.get(complaint=major).answer_expected_at == answer_by
    event = major.events.get(kind=ComplaintEvent.Kind.MAJOR_TO_LEADERSHIP)
    assert event.actor == manager and event.note == "涉及多户，已上报"
    told = set(
        Notification.objects.filter(kind="major_leadership").values_list("recipient", flat=True)
    )
    assert told == {leadership[0].pk, leadership[1].pk}


def test_a_complaint_made_major_by_a_correction_tells_the_manager(major, manager):
    assert Notification.objects.filter(recipient=manager, kind="major", complaint=major).exists()
    assert major.major_since == T0
    assert major.events.filter(kind=ComplaintEvent.Kind.MAJOR_REPORTED).exists()


def test_only_the_manager_reports_and_only_once(major, manager, assistant, leadership):
    with pytest.raises(StepRefused):
        report_major(major, by=assistant, report="x", answer_expected_at=T0 + timedelta(days=1))
    report_major(major, by=manager, report="x", answer_expected_at=T0 + timedelta(days=1), now=T0)
    with pytest.raises(StepRefused) as refused:
        report_major(
            major, by=manager, report="y", answer_expected_at=T0 + timedelta(days=1), now=T0
        )
    assert "已上报" in " ".join(refused.value.reasons)  # "already been reported"


def test_a_complaint_that_is_not_major_is_not_reported(complaint, manager):
    with pytest.raises(StepRefused):
        report_major(complaint, by=manager, report="x", answer_expected_at=T0 + timedelta(days=1))


def test_a_major_complaint_not_reported_in_two_hours_alerts_the_manager_again(major, manager):
    assert major_report_scan(now=T0 + timedelta(hours=2) - timedelta(minutes=1)) == 0
    assert major_report_scan(now=T0 + timedelta(hours=2)) == 1
    assert major_report_scan(now=T0 + timedelta(hours=3)) == 0  # once
    note = Notification.objects.get(kind="major_unreported")
    assert note.recipient == manager and note.complaint == major


def test_a_reported_major_complaint_is_not_chased(major, manager, leadership):
    report_major(major, by=manager, report="x", answer_expected_at=T0 + timedelta(days=1), now=T0)
    assert major_report_scan(now=T0 + timedelta(hours=5)) == 0


def test_the_manager_reports_from_the_complaints_page(client, major, manager, leadership):
    client.force_login(manager)
    page = client.get(reverse("complaints:detail", args=[major.pk]))
    assert 'data-testid="step-major_report"' in page.content.decode()
    response = client.post(
        reverse("followups:major_report", args=[major.pk]),
        {"major-report": "已电话上报总经理", "major-answer_expected_at": "2030-01-01T10:00"},
    )
    assert response.status_code == 302
    assert MajorReport.objects.filter(complaint=major).exists()
    page = client.get(reverse("complaints:detail", args=[major.pk]))
    assert 'data-testid="step-major_report"' not in page.content.decode()
