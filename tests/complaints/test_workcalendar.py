"""The working calendar and the agreed-reply limit (R-REPLY-2)."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from complaints.deadlines import latest_reply
from complaints.models import CalendarOverride
from complaints.workcalendar import WorkCalendar
from tests.factories import BranchFactory, OfficeFactory

SHANGHAI = ZoneInfo("Asia/Shanghai")
CALENDAR = WorkCalendar()  # statutory calendar only: no database needed


def test_received_wednesday_before_national_day_is_answered_by_the_makeup_saturday():
    # R-REPLY-2: the procedure's own example.
    assert WorkCalendar().add_working_days(date(2026, 9, 30), 3) == date(2026, 10, 10)


def test_makeup_saturday_is_a_working_day_and_national_day_is_not():
    assert CALENDAR.is_working_day(date(2026, 10, 10))  # 调休 Saturday
    assert not CALENDAR.is_working_day(date(2026, 10, 1))
    assert not CALENDAR.is_working_day(date(2026, 10, 17))  # an ordinary Saturday


def test_a_plain_week_skips_the_weekend():
    friday = date(2026, 11, 20)
    assert CALENDAR.add_working_days(friday, 1) == date(2026, 11, 23)


def test_latest_reply_is_the_end_of_the_third_working_day_in_office_time():
    received = datetime(2026, 9, 30, 14, 20, tzinfo=SHANGHAI)
    due = latest_reply(received, CALENDAR, SHANGHAI)
    assert due == datetime(2026, 10, 10, 23, 59, 59, tzinfo=SHANGHAI)


def test_the_local_day_decides_not_the_utc_day():
    # 01:30 on Monday in Shanghai is still Sunday in UTC.
    received = datetime(2026, 11, 22, 17, 30, tzinfo=UTC)  # Mon 2026-11-23 01:30 Shanghai
    assert latest_reply(received, CALENDAR, SHANGHAI).date() == date(2026, 11, 26)


@pytest.mark.django_db
def test_an_all_branch_override_makes_a_day_off():
    CalendarOverride.objects.create(day=date(2026, 11, 24), kind="day_off", note="台风停工")
    assert WorkCalendar.default().add_working_days(date(2026, 11, 23), 1) == date(2026, 11, 25)


@pytest.mark.django_db
def test_a_branch_override_applies_to_its_offices_only():
    north, south = BranchFactory(code="N"), BranchFactory(code="S")
    CalendarOverride.objects.create(day=date(2026, 11, 28), kind="working_day", branch=north)
    saturday = date(2026, 11, 28)
    assert WorkCalendar.for_office(OfficeFactory(branch=north)).is_working_day(saturday)
    assert not WorkCalendar.for_office(OfficeFactory(branch=south)).is_working_day(saturday)
    assert not WorkCalendar.default().is_working_day(saturday)


@pytest.mark.django_db
def test_the_branch_override_wins_over_the_all_branch_one():
    branch = BranchFactory()
    CalendarOverride.objects.create(day=date(2026, 12, 1), kind="day_off")
    CalendarOverride.objects.create(day=date(2026, 12, 1), kind="working_day", branch=branch)
    assert WorkCalendar.for_office(OfficeFactory(branch=branch)).is_working_day(date(2026, 12, 1))
    assert not WorkCalendar.default().is_working_day(date(2026, 12, 1))


receipts = st.datetimes(
    min_value=datetime(2024, 1, 1), max_value=datetime(2026, 12, 31), timezones=st.just(SHANGHAI)
)


@settings(max_examples=300, deadline=None)
@given(receipts)
def test_latest_reply_is_never_before_receipt(received):
    # R-REPLY-2 property
    assert latest_reply(received, CALENDAR, SHANGHAI) > received


@settings(max_examples=300, deadline=None)
@given(receipts)
def test_latest_reply_never_falls_on_a_day_off(received):
    due = latest_reply(received, CALENDAR, SHANGHAI)
    assert CALENDAR.is_working_day(due.astimezone(SHANGHAI).date())


@settings(max_examples=300, deadline=None)
@given(receipts, st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=20)))
def test_latest_reply_is_monotonic_in_the_receipt_time(received, later_by):
    earlier = latest_reply(received, CALENDAR, SHANGHAI)
    later = latest_reply(received + later_by, CALENDAR, SHANGHAI)
    assert later >= earlier


@settings(max_examples=200, deadline=None)
@given(receipts)
def test_latest_reply_leaves_exactly_three_working_days(received):
    due_day = latest_reply(received, CALENDAR, SHANGHAI).date()
    day, working = received.date(), 0
    while day < due_day:
        day += timedelta(days=1)
        working += CALENDAR.is_working_day(day)
    assert working == 3
