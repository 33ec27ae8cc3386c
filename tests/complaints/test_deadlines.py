"""Deadlines set at intake (docs/architecture.md, Deadlines)."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from complaints.deadlines import intake_deadlines
from complaints.workcalendar import WorkCalendar

SHANGHAI = ZoneInfo("Asia/Shanghai")
RECEIVED = datetime(2026, 11, 20, 16, 0, tzinfo=SHANGHAI)  # a Friday


def deadlines(urgent=False):
    return intake_deadlines(
        RECEIVED,
        calendar=WorkCalendar(),
        zone=SHANGHAI,
        urgent=urgent,
        dispatch_within=timedelta(minutes=30),
    )


def test_entry_is_due_two_hours_after_receipt():
    assert deadlines().entry_due == RECEIVED + timedelta(hours=2)  # R-REC-2


def test_only_urgent_matters_get_a_dispatch_deadline():
    assert deadlines().dispatch_due is None
    assert deadlines(urgent=True).dispatch_due == RECEIVED + timedelta(minutes=30)  # R-URG-1


def test_the_customer_is_contacted_again_within_three_days():
    assert deadlines().next_contact_due == RECEIVED + timedelta(days=3)  # R-URG-2


def test_day_ten_alert_and_day_fifteen_report():
    assert deadlines().alert_due == RECEIVED + timedelta(days=10)  # R-FUP-2
    assert deadlines().report_due == RECEIVED + timedelta(days=15)  # R-FUP-3


def test_friday_receipt_is_answered_by_wednesday_across_the_weekend():
    assert deadlines().reply_latest.date() == datetime(2026, 11, 25).date()  # R-REPLY-2


def test_naive_times_are_refused():
    with pytest.raises(ValueError):
        intake_deadlines(
            RECEIVED.replace(tzinfo=None),
            calendar=WorkCalendar(),
            zone=SHANGHAI,
            urgent=False,
            dispatch_within=timedelta(minutes=30),
        )
