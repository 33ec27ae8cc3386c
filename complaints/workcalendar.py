"""The mainland-China working calendar: weekends and statutory holidays off, make-up working
days (调休) on, plus the desk's own overrides (announcements the `holidays` package does not know
yet). The arithmetic is pure; only the two constructors read the override table.

    from complaints.workcalendar import WorkCalendar
    WorkCalendar.default().add_working_days(date(2026, 9, 30), 3)   # date(2026, 10, 10)
    WorkCalendar.for_office(office)
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

import holidays


class WorkCalendar:
    def __init__(self, *, days_off: Iterable[date] = (), working_days: Iterable[date] = ()):
        self._statutory = holidays.China()
        self._days_off = frozenset(days_off)
        self._working_days = frozenset(working_days)

    def is_working_day(self, day: date) -> bool:
        if day in self._working_days:
            return True
        if day in self._days_off:
            return False
        return self._statutory.is_working_day(day)

    def add_working_days(self, start: date, n: int) -> date:
        """The n-th working day after `start` (n ≥ 1; `start` itself never counts)."""
        if n < 1:
            raise ValueError("n must be at least 1")
        day = start
        while n:
            day += timedelta(days=1)
            if self.is_working_day(day):
                n -= 1
        return day

    def holiday_name(self, day: date) -> str | None:
        return self._statutory.get(day)

    @classmethod
    def default(cls) -> WorkCalendar:
        """The calendar of every branch: statutory days plus overrides that name no branch."""
        return cls._with_overrides(branch_id=None)

    @classmethod
    def for_office(cls, office) -> WorkCalendar:
        """The calendar of the office's branch: all-branch overrides, then the branch's own."""
        return cls._with_overrides(branch_id=office.branch_id)

    @classmethod
    def _with_overrides(cls, *, branch_id: int | None) -> WorkCalendar:
        from django.db.models import F

        from .models import CalendarOverride  # the one place this module touches the ORM

        days_off, working_days = set(), set()
        overrides = CalendarOverride.objects.for_branch(branch_id).order_by(
            F("branch_id").asc(nulls_first=True)  # all-branch rows first; the branch's own win
        )
        for day, kind in overrides.values_list("day", "kind"):
            (working_days if kind == CalendarOverride.Kind.WORKING_DAY else days_off).add(day)
            (days_off if kind == CalendarOverride.Kind.WORKING_DAY else working_days).discard(day)
        return cls(days_off=days_off, working_days=working_days)
