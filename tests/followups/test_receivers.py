"""Who is told when a complaint is recorded (R-SEV-1, R-QD-1): rows in the intake's
transaction, e-mailed by the sender."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from accounts.roles import Role
from complaints.models import Complaint
from complaints.workflow import record_complaint
from followups.models import Notification
from followups.notify import send_pending
from tests.factories import CategoryFactory, staff

pytestmark = pytest.mark.django_db


def new_complaint(office, **fields):
    values = {
        "office": office,
        "complainant_name": "王先生",
        "phone": "+8613800138000",
        "received_at": timezone.now() - timedelta(minutes=5),
        "channel": "phone",
        "category": CategoryFactory(),
        "description": "电梯困人",
        "answered_at_once": True,
    }
    return Complaint(**{**values, **fields})


def test_a_major_complaint_reaches_the_office_manager_in_the_app_and_by_mail(
    office, assistant, manager
):
    complaint = record_complaint(new_complaint(office, is_major=True), by=assistant)
    notice = Notification.objects.get(recipient=manager, kind="major")  # R-SEV-1
    assert complaint.number in notice.title
    assert send_pending() == 1
    assert mail.outbox[0].to == ["manager@example.com"]
    assert complaint.number in mail.outbox[0].subject


def test_an_ordinary_complaint_bothers_nobody(office, assistant, manager):
    record_complaint(new_complaint(office), by=assistant)
    assert not Notification.objects.exists()


def test_the_manager_named_by_the_quality_department_is_told(office, manager):
    quality = staff(Role.QUALITY_DEPARTMENT, branch=office.branch)
    complaint = record_complaint(
        new_complaint(office, channel="branch", handler=manager, received_by=quality), by=quality
    )  # R-QD-1
    assert Notification.objects.filter(
        recipient=manager, kind="assigned", complaint=complaint
    ).exists()
