"""The weekly summary for the office manager (R-RPT-2): every complaint of the week and the
most complained-about departments, in the inbox and by e-mail, every Monday morning."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Count
from django.utils.translation import gettext as _

from accounts.models import Office
from accounts.roles import Role
from accounts.staffing import staff_ids_by_office
from complaints.models import Complaint
from followups import notices
from followups.models import Dispatch, Notification
from followups.notify import notify_many

from .months import week_bounds

SEND_AT = time(8, 0)  # Monday, office time
LISTED = 200  # lines of the list in one message; the rest is counted


@dataclass(frozen=True)
class WeekSummary:
    office: Office
    monday: date
    complaints: list[Complaint]
    total: int
    still_open: int
    departments: list[tuple[str, int]]


def previous_week(now: datetime, office: Office) -> date:
    """The Monday of the week before the local date of `now`."""
    today = now.astimezone(office.zone).date()
    return today - timedelta(days=today.weekday() + 7)


def week_summary(office: Office, monday: date) -> WeekSummary:
    """Three queries: the week's complaints (Monday 00:00 to Monday 00:00, office time), how
    many are still open, and the departments they were dispatched to, most first."""
    start, end = week_bounds(monday, office.zone)
    week = Complaint.objects.filter(office=office, received_at__gte=start, received_at__lt=end)
    complaints = list(week.select_related("category").order_by("received_at", "pk")[:LISTED])
    total = len(complaints) if len(complaints) < LISTED else week.count()
    departments = (
        Dispatch.objects.filter(complaint__in=week.values("pk"))
        .order_by()
        .values("department")
        .annotate(n=Count("complaint", distinct=True))
        .order_by("-n", "department")
    )
    labels = dict(Dispatch.Department.choices)
    return WeekSummary(
        office=office,
        monday=monday,
        complaints=complaints,
        total=total,
        still_open=week.open().count(),
        departments=[(str(labels.get(row["department"], row["department"])), row["n"])
                     for row in departments],
    )  # fmt: skip


def summary_text(summary: WeekSummary) -> str:
    """The message's body, in the active language; its title is the catalogue's."""
    lines = [_("Still open: %(open)d.") % {"open": summary.still_open}]
    if summary.departments:
        most = _(", ").join(f"{name} {n}" for name, n in summary.departments[:5])
        lines.append(_("Most complained-about departments: %(list)s.") % {"list": most})
    if summary.complaints:
        lines += ["", _("Complaints of the week:")]
        for complaint in summary.complaints:
            received = complaint.received_at.astimezone(summary.office.zone)
            lines.append(
                f"{complaint.number}  {received:%m-%d %H:%M}  "
                f"{complaint.get_classification_display()}  {complaint.get_status_display()}  "
                f"{complaint.category or '—'}  {complaint.description[:40]}"
            )
        if summary.total > len(summary.complaints):
            lines.append(_("… and %(n)d more.") % {"n": summary.total - len(summary.complaints)})
    return "\n".join(lines)


def send_weekly_summaries(*, now: datetime) -> int:
    """From 08:00 on Monday (office time), last week's summary to each office's managers, once.

    Returns how many notifications were written (0 when run again)."""
    due = [
        office
        for office in Office.objects.all()
        if now.astimezone(office.zone).weekday() == 0
        and now.astimezone(office.zone).time() >= SEND_AT
    ]
    if not due:
        return 0
    managers = staff_ids_by_office([office.pk for office in due], Role.OFFICE_MANAGER)
    keys = {office.pk: f"weekly:{office.pk}:{previous_week(now, office)}" for office in due}
    done = set(
        Notification.objects.filter(key__in=keys.values()).values_list("recipient_id", "key")
    )
    rows = []
    for office in due:
        waiting = [u for u in managers.get(office.pk, []) if (u, keys[office.pk]) not in done]
        if not waiting:
            continue
        summary = week_summary(office, previous_week(now, office))
        with notices.written():
            body = summary_text(summary)
        rows += [
            notices.row(
                Notification.Kind.WEEKLY,
                recipient_id=user_id,
                key=keys[office.pk],
                office_id=office.pk,
                text=body,
                office=office.name,
                monday=f"{summary.monday:%m-%d}",
                sunday=f"{summary.monday + timedelta(days=6):%m-%d}",
                total=summary.total,
            )
            for user_id in waiting
        ]
    return notify_many(rows, now=now)
