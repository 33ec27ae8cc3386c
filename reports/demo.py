"""Demo reports: the last two full months of every office and branch, so the archive, the
charts and the comparison have something to show on a fresh demo."""

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from django.utils import timezone

from accounts.models import Branch, Office

from .months import previous_month
from .workflow import SHANGHAI_FOR_BRANCHES, generate_report


def _last_two_months(now: datetime, zone: ZoneInfo) -> list[date]:
    last = previous_month(now, zone)
    return [previous_month(datetime.combine(last, time(12), tzinfo=zone), zone), last]


def seed_reports() -> int:
    """Generate what is missing (existing versions are kept); returns how many were new."""
    now = timezone.now()
    created = 0
    for office in Office.objects.all():
        for month in _last_two_months(now, office.zone):
            created += generate_report(office=office, month=month, now=now)[1]
    for branch in Branch.objects.all():
        for month in _last_two_months(now, ZoneInfo(SHANGHAI_FOR_BRANCHES)):
            created += generate_report(branch=branch, month=month, now=now)[1]
    return created
