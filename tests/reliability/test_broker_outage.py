"""Redis goes down while an assistant records complaints (threat: broker outage): every
complaint is saved and its notifications go out once Redis is back (R-REC-1, R-SEV-1;
docs/reliability.md)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from complaints.models import Complaint
from followups.models import Notification
from tests.factories import BuildingFactory, CategoryFactory, OfficeFactory, staff

from .conftest import wait_until

pytestmark = pytest.mark.django_db(transaction=True)


def test_complaints_recorded_while_redis_is_down_are_kept_and_notified_later(
    client, private_redis, app_on, celery
):
    office = OfficeFactory(code="HY")
    assistant = staff(Role.CLIENT_ASSISTANT, office=office)
    manager = staff(Role.OFFICE_MANAGER, office=office, email="manager@example.com")
    building, category = BuildingFactory(office=office), CategoryFactory(name="安全隐患")
    client.force_login(assistant)
    private_redis.stop()  # the broker is gone before the first complaint
    received = timezone.localtime() - timedelta(minutes=10)
    for n in range(5):
        response = client.post(
            reverse("complaints:intake"),
            {
                "office": office.pk, "channel": "phone", "complainant_name": f"业主{n}",
                "phone": f"138 0013 800{n}", "building": building.pk, "room": "1502",
                "received_at": received.strftime("%Y-%m-%dT%H:%M"), "category": category.pk,
                "classification": "valid", "severity": "serious", "is_major": "on",
                "description": "电梯困人", "customer_request": "立即处理",
                "answered_at_once": "on",
            },
        )  # fmt: skip
        assert response.status_code == 302 and "/recorded/" in response.url  # never a 500
    assert Complaint.objects.count() == 5
    # R-SEV-1: a major complaint tells the office manager; the rows wait for the broker.
    waiting = Notification.objects.filter(recipient=manager, kind="major")
    assert waiting.count() == 5 and not waiting.filter(emailed_at__isnull=False).exists()

    private_redis.start()  # back, empty: nothing of the outage was queued
    celery("worker", "--loglevel", "INFO", "--pool", "solo", "--without-mingle",
           "--without-gossip")  # fmt: skip
    celery("beat", "--loglevel", "INFO", "--schedule", str(private_redis.folder / "beat"),
           NOTIFICATION_SEND_SECONDS="2", ESCALATION_SCAN_SECONDS="3600",
           DEADLINE_SCAN_SECONDS="3600", SHIFT_REVIEW_SCAN_SECONDS="3600")  # fmt: skip
    wait_until(lambda: not waiting.filter(emailed_at__isnull=True).exists(),
               "every notification e-mailed", log=celery.log)  # fmt: skip
    assert waiting.count() == 5  # each once
