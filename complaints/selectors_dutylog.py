"""Reading the duty log, handovers and website scans for pages; every query starts from the
user's scope, and a day is a day of the office's clock."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db.models import Count, QuerySet
from django.utils import timezone

from accounts.models import Office, User

from .models import DutyLogEntry, ShiftHandover, WebsiteScan


def day_bounds(day: date, zone: ZoneInfo) -> tuple[datetime, datetime]:
    """The first instant of `day` and of the day after, in the office's time zone."""
    start = datetime.combine(day, time.min, tzinfo=zone)
    return start, datetime.combine(day + timedelta(days=1), time.min, tzinfo=zone)


def office_today(office: Office, now: datetime | None = None) -> date:
    return timezone.localtime(now or timezone.now(), office.zone).date()


def lines_of_day(user: User, office: Office, day: date) -> QuerySet[DutyLogEntry]:
    """The lines of one office's day in the order of the paper form (R-LOG-1)."""
    start, end = day_bounds(day, office.zone)
    return (
        DutyLogEntry.objects.visible_to(user)
        .filter(office=office, occurred_at__gte=start, occurred_at__lt=end)
        .select_related("office", "recorder", "complaint")
        .order_by("occurred_at", "pk")
    )


def unfinished_lines(user: User, office: Office, day: date, limit: int = 20):
    """What the outgoing shift hands over by default (R-LOG-2): the day's lines not done."""
    return lines_of_day(user, office, day).filter(done=False)[:limit]


def handovers_of_day(user: User, office: Office, day: date) -> QuerySet[ShiftHandover]:
    start, end = day_bounds(day, office.zone)
    return (
        ShiftHandover.objects.visible_to(user)
        .filter(office=office, handed_over_at__gte=start, handed_over_at__lt=end)
        .select_related("outgoing", "incoming")
        .order_by("handed_over_at", "pk")
    )


def recent_scans(user: User, office: Office) -> QuerySet[WebsiteScan]:
    """The office's scans, newest first, with how many complaints each finding became."""
    return (
        WebsiteScan.objects.visible_to(user)
        .filter(office=office)
        .select_related("scanned_by")
        .annotate(complaint_count=Count("complaints"))
        .order_by("-scanned_at", "-pk")
    )


def scans_today(user: User, office: Office, now: datetime | None = None) -> int:
    """How many scans the office made today (R-CHAN-2 asks for at least two)."""
    start, end = day_bounds(office_today(office, now), office.zone)
    return (
        WebsiteScan.objects.visible_to(user)
        .filter(office=office, scanned_at__gte=start, scanned_at__lt=end)
        .count()
    )


def last_scanned_site(user: User, office: Office) -> str:
    """The site of the office's last scan: scans repeat the same message boards."""
    return (
        WebsiteScan.objects.visible_to(user)
        .filter(office=office)
        .exclude(site="")
        .order_by("-scanned_at")
        .values_list("site", flat=True)
        .first()
        or ""
    )
