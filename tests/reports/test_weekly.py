"""The office manager's weekly summary (R-RPT-2): last week's complaints and the most
complained-about departments, Monday from 08:00 office time, in the inbox and by e-mail."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.core import mail

from accounts.roles import Role
from followups.models import Notification
from followups.notify import send_pending
from reports.weekly import send_weekly_summaries
from tests.config.test_beat_schedule import next_run
from tests.factories import ComplaintFactory, DispatchFactory, OfficeFactory, staff

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")
MONDAY_0830 = datetime(2026, 11, 23, 8, 30, tzinfo=SHANGHAI)


def at(day, hour, minute=0):
    return datetime(2026, 11, day, hour, minute, tzinfo=SHANGHAI)


@pytest.fixture
def week():
    office = OfficeFactory(code="HY", name="华苑", time_zone="Asia/Shanghai")
    manager = staff(Role.OFFICE_MANAGER, office=office, email="manager@example.com")
    first = ComplaintFactory(office=office, received_at=at(16, 0, 10))
    last = ComplaintFactory(office=office, received_at=at(22, 23, 50), classification="invalid")
    middle = ComplaintFactory(office=office, received_at=at(18, 9))
    for complaint in (first, middle):
        DispatchFactory(complaint=complaint, department="engineering")
    DispatchFactory(complaint=first, department="engineering")  # the same complaint twice
    DispatchFactory(complaint=last, department="cleaning")
    before = ComplaintFactory(office=office, received_at=at(15, 23, 50))
    after = ComplaintFactory(office=office, received_at=at(23, 0, 10))
    return {"office": office, "manager": manager, "listed": [first, middle, last],
            "left_out": [before, after]}  # fmt: skip


def test_the_manager_gets_last_weeks_complaints_and_departments_on_monday(week):
    assert send_weekly_summaries(now=MONDAY_0830) == 1
    message = Notification.objects.get(recipient=week["manager"], kind="weekly")
    assert "11-16–11-22" in message.title and "3" in message.title
    for complaint in week["listed"]:
        assert complaint.number in message.body
    for complaint in week["left_out"]:  # Sunday 23:50 before, Monday 00:10 after
        assert complaint.number not in message.body
    # A complaint dispatched twice to one department counts once.
    assert "工程部 2" in message.body and message.body.index("工程部") < message.body.index("保洁")
    send_pending(now=MONDAY_0830)
    assert [m.subject for m in mail.outbox] == [message.title]
    assert week["listed"][0].number in mail.outbox[0].body


def test_the_summary_is_written_once_and_only_from_monday_0800(week):
    assert send_weekly_summaries(now=MONDAY_0830 - timedelta(minutes=31)) == 0  # 07:59
    assert send_weekly_summaries(now=MONDAY_0830 - timedelta(days=1)) == 0  # Sunday
    assert send_weekly_summaries(now=MONDAY_0830) == 1
    assert send_weekly_summaries(now=MONDAY_0830 + timedelta(hours=1)) == 0
    assert Notification.objects.filter(kind="weekly").count() == 1


def test_an_office_in_another_zone_gets_it_at_its_own_0800(week):
    urumqi = OfficeFactory(code="WL", time_zone="Asia/Urumqi")  # UTC+6
    manager = staff(Role.OFFICE_MANAGER, office=urumqi)
    send_weekly_summaries(now=MONDAY_0830)  # 06:30 in Urumqi
    assert not Notification.objects.filter(recipient=manager).exists()
    send_weekly_summaries(now=MONDAY_0830 + timedelta(hours=2))  # 08:30 in Urumqi
    assert Notification.objects.filter(recipient=manager, kind="weekly").exists()


def test_only_the_offices_own_managers_are_told(week):
    staff(Role.CLIENT_ASSISTANT, office=week["office"])
    elsewhere = staff(Role.OFFICE_MANAGER, office=OfficeFactory(code="XY"))
    send_weekly_summaries(now=MONDAY_0830)
    assert list(Notification.objects.values_list("recipient", flat=True).distinct()) in (
        [week["manager"].pk],
        [week["manager"].pk, elsewhere.pk],
    )
    other = Notification.objects.filter(recipient=elsewhere).first()
    assert other is None or week["listed"][0].number not in other.body


def test_beat_polls_the_weekly_summary_every_hour():
    after = datetime(2026, 11, 23, 0, 0, tzinfo=UTC)  # Monday 08:00 in Shanghai
    assert settings.CELERY_BEAT_SCHEDULE["weekly-summaries"]["task"].endswith("weekly_summaries")
    with time_machine.travel(after, tick=False):
        assert next_run("weekly-summaries", after) == after + timedelta(minutes=5)
