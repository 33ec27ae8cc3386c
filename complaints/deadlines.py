"""Deadline arithmetic of the procedure (no ORM): every result is an aware datetime.

"Which day is it" is decided in the office's time zone; the stored values are aware instants.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from .workcalendar import WorkCalendar

ENTRY_WINDOW = timedelta(hours=2)  # R-REC-2
CONTACT_INTERVAL = timedelta(days=3)  # R-URG-2
REPLY_WORKING_DAYS = 3  # R-REPLY-2
ALERT_AFTER = timedelta(days=10)  # R-FUP-2
REPORT_AFTER = timedelta(days=15)  # R-FUP-3


def latest_reply(received_at: datetime, calendar: WorkCalendar, zone: ZoneInfo) -> datetime:
    """R-REPLY-2: the agreed reply is due by the end of the 3rd working day after the local day
    of receipt. The end of the day, not the clock time of receipt, keeps the limit monotonic:
    a complaint received later never gets an earlier limit (Fri 23:00 and Sat 01:00 both give
    the following Wednesday)."""
    receipt_day = received_at.astimezone(zone).date()
    due_day = calendar.add_working_days(receipt_day, REPLY_WORKING_DAYS)
    return datetime.combine(due_day, time(23, 59, 59), tzinfo=zone)


@dataclass(frozen=True)
class IntakeDeadlines:
    entry_due: datetime
    dispatch_due: datetime | None
    reply_latest: datetime
    next_contact_due: datetime
    alert_due: datetime
    report_due: datetime


def intake_deadlines(
    received_at: datetime,
    *,
    calendar: WorkCalendar,
    zone: ZoneInfo,
    urgent: bool,
    dispatch_within: timedelta,
) -> IntakeDeadlines:
    if received_at.tzinfo is None:
        raise ValueError("received_at must be an aware datetime")
    return IntakeDeadlines(
        entry_due=received_at + ENTRY_WINDOW,
        dispatch_due=received_at + dispatch_within if urgent else None,  # R-URG-1
        reply_latest=latest_reply(received_at, calendar, zone),
        next_contact_due=received_at + CONTACT_INTERVAL,
        alert_due=received_at + ALERT_AFTER,
        report_due=received_at + REPORT_AFTER,
    )
