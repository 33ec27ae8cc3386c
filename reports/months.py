"""Month and week arithmetic in an office's time zone (no ORM): the bounds of every period a
report counts, local midnight to local midnight."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo


def month_bounds(month: date, zone: ZoneInfo) -> tuple[datetime, datetime]:
    """The aware instants [start, end) of the calendar month holding `month`, in `zone`."""
    start = datetime.combine(month.replace(day=1), time.min, tzinfo=zone)
    following = date(month.year + month.month // 12, month.month % 12 + 1, 1)
    return start, datetime.combine(following, time.min, tzinfo=zone)


def week_bounds(monday: date, zone: ZoneInfo) -> tuple[datetime, datetime]:
    """The aware instants [start, end) of the week from `monday` 00:00 to the next, in `zone`."""
    start = datetime.combine(monday, time.min, tzinfo=zone)
    return start, datetime.combine(monday + timedelta(days=7), time.min, tzinfo=zone)


def previous_month(now: datetime, zone: ZoneInfo) -> date:
    """The first day of the month before the local date of `now`."""
    today = now.astimezone(zone).date()
    return date(today.year - (today.month == 1), (today.month - 2) % 12 + 1, 1)


def parse_month(text: str) -> date:
    """`2026-10` → date(2026, 10, 1); ValueError otherwise."""
    year, month = text.split("-")
    return date(int(year), int(month), 1)
