"""The repeat-call page says one true thing and the promises as they stand now (issue 14)."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from accounts.roles import Role
from tests.factories import ComplaintFactory, OfficeFactory, staff
from tests.followups.states import revisited

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 11, 20, 10, 0, tzinfo=SHANGHAI)


@time_machine.travel(NOW, tick=False)
def test_a_repeat_call_page_says_added_and_shows_the_promises_now(client):
    office = OfficeFactory()
    assistant = staff(Role.CLIENT_ASSISTANT, office=office)
    old = ComplaintFactory(office=office, received_at=NOW - timedelta(days=49))  # reply long past
    client.force_login(assistant)

    response = client.post(
        reverse("complaints:repeat_call", args=[old.pk]), {"note": "又来电催促"}, follow=True
    )

    text = response.text
    assert 'data-testid="repeat-call-added"' in text
    assert 'data-testid="recorded"' not in text  # not "recorded" as well
    assert not list(response.context["messages"])  # one message, on the page
    pending = {deadline.key for deadline in response.context["pending"]}
    assert "reply" in pending  # the agreed reply, shown as overdue now — not as a promise
    assert "已超时" in text


def test_a_repeat_call_while_waiting_for_closure_says_what_happens(client):
    # R-CLO-3 and R-REV-2: the manager sees the call before approving; dissatisfaction is new
    office = OfficeFactory()
    assistant = staff(Role.CLIENT_ASSISTANT, office=office)
    start = NOW - timedelta(days=3)
    complaint = revisited(ComplaintFactory(office=office, received_at=start), assistant, start)
    client.force_login(assistant)

    response = client.post(
        reverse("complaints:repeat_call", args=[complaint.pk]), {"note": "还有问题"}, follow=True
    )

    assert 'data-testid="repeat-call-waiting-closure"' in response.text
    assert complaint.events.filter(kind="repeat_call").exists()
