"""The home page of each role is its work queue: what is due, waiting or late, each number a
link to the list behind it. Counts use the conditions of `complaints.queues`, which the
complaint list filters by, so a number and its list agree. A fixed number of queries per role,
whatever the number of complaints or offices.

The page draws on every app (the shift review, closures, monthly reports), so it lives in the
top app."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from urllib.parse import urlencode

from django.db.models import Count, Max, Min, Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.lockouts import locked_attempts
from accounts.models import Office, User
from accounts.roles import Role
from accounts.scoping import visible_offices
from accounts.staffing import offices_worked_in
from complaints.models import (
    CHASED_DEADLINES,
    OPEN_STATUSES,
    Complaint,
    ShiftHandover,
    WebsiteScan,
)
from complaints.queues import DUE_QUEUES, QUEUE_LABELS, office_day, queue_condition, queues_rows
from followups.models import Escalation, ShiftReview
from followups.selectors import office_shifts, todays_revisits

from .models import MonthlyReport
from .months import previous_month

SCANS_A_DAY = 2  # R-CHAN-2: the website is scanned at least twice a day
NEAREST_LIMIT = 10
LATE_REVIEWS_WINDOW = timedelta(days=7)  # R-FUP-1: the reviews flagged late lately


@dataclass
class Tile:
    """One number of the home page and the list behind it."""

    label: str
    count: int
    url: str
    note: str = ""
    alarm: bool = False  # shown in red: late or overdue
    name: str = ""  # the queue's name, for tests and the page's data-queue

    @classmethod
    def waiting(cls, label: str, count: int, url: str, *, name: str) -> Tile:
        """What waits for the user: red while anything does."""
        return cls(label, count, url, alarm=count > 0, name=name)


def _own_offices(user: User) -> tuple[list[Office], QuerySet]:
    """The offices the user works in (by code), and their complaints the user sees."""
    offices = list(offices_worked_in(user).order_by("code"))
    return offices, Complaint.objects.visible_to(user).filter(office__in=offices)


def complaint_list_url(queue: str = "", **params) -> str:
    query = {"queue": queue, **params} if queue else params
    return f"{reverse('complaints:list')}?{urlencode(query)}"


def _count_queues(complaints, names, *, offices, now) -> dict[str, int]:
    """Every queue in `names` counted by one aggregate query."""
    if not names:
        return {}
    return complaints.filter(queues_rows(names, offices=offices, now=now)).aggregate(
        **{
            name: Count("pk", filter=queue_condition(name, offices=offices, now=now))
            for name in names
        }
    )


def _queue_tiles(complaints, names, *, offices, now, alarms=(), office=None) -> list[Tile]:
    counts = _count_queues(complaints, names, offices=offices, now=now)
    extra = {"office": office.pk} if office else {}
    return [
        Tile(
            label=QUEUE_LABELS[name],
            count=counts[name],
            url=complaint_list_url(name, **extra),
            alarm=name in alarms and counts[name] > 0,
            name=name,
        )
        for name in names
    ]


@dataclass
class DueRow:
    complaint: Complaint
    kind: str
    due: datetime


def nearest_due(complaints, *, offices, now) -> list[DueRow]:
    """What is due today or overdue at the desk, nearest deadline first: one query per
    deadline (four), merged."""
    rows = []
    for name, kind in DUE_QUEUES.items():
        due_field = CHASED_DEADLINES[kind]
        found = (
            complaints.filter(queue_condition(name, offices=offices, now=now))
            .select_related("office")
            .order_by(due_field, "pk")[:NEAREST_LIMIT]
        )
        rows += [DueRow(c, QUEUE_LABELS[name], getattr(c, due_field)) for c in found]
    return sorted(rows, key=lambda row: (row.due, row.complaint.pk))[:NEAREST_LIMIT]


@dataclass
class ReviewSummary:
    office: Office
    exists: bool
    total: int = 0
    ticked: int = 0
    late: bool = False


@dataclass
class Queue:
    """What one role's home page shows."""

    role: str
    tiles: list[Tile] = field(default_factory=list)
    nearest: list[DueRow] = field(default_factory=list)
    reviews: list[ReviewSummary] = field(default_factory=list)
    revisits: list[Complaint] = field(default_factory=list)
    offices: list[dict] = field(default_factory=list)
    oldest_waiting: datetime | None = None


def _reviews(offices, *, now) -> list[ReviewSummary]:
    summaries = []
    for shift in office_shifts(offices, now=now):
        if not shift.review_is_current:
            summaries.append(ReviewSummary(shift.office, exists=False))
            continue
        items = list(shift.review.items.all())
        ticked = sum(1 for item in items if item.reviewed_at)
        summaries.append(
            ReviewSummary(
                shift.office,
                exists=True,
                total=len(items),
                ticked=ticked,
                late=ticked < len(items) and now > shift.review.due_at,
            )
        )
    return summaries


def client_assistant(user: User, *, now: datetime) -> Queue:
    offices, complaints = _own_offices(user)
    queue = Queue(role=Role.CLIENT_ASSISTANT)
    queue.reviews = _reviews(offices, now=now)
    names = ["to_check", *DUE_QUEUES]  # to check first: its 2 hours are the shortest clock
    queue.tiles = _queue_tiles(complaints, names, offices=offices, now=now, alarms=names)
    queue.nearest = nearest_due(complaints, offices=offices, now=now)
    queue.revisits = todays_revisits(user, offices, now=now)
    handovers = (
        ShiftHandover.objects.visible_to(user)
        .filter(office__in=offices, incoming__isnull=True)
        .exclude(outgoing=user)
        .count()
    )
    queue.tiles.append(
        Tile.waiting(
            _("Handovers to countersign"),
            handovers,
            reverse("complaints:dutylog") + "#handovers",
            name="handovers",
        )
    )
    today = Q(pk__in=[])
    for office in offices:
        start, end = office_day(office, now)
        today |= Q(office=office, scanned_at__gte=start, scanned_at__lt=end)
    scans = WebsiteScan.objects.visible_to(user).filter(today).count()
    queue.tiles.append(
        Tile(
            _("Website scans today"),
            scans,
            reverse("complaints:scans"),
            note=_("of %(n)d") % {"n": SCANS_A_DAY * len(offices)},
            name="scans",
        )
    )
    return queue


def customer_supervisor(user: User, *, now: datetime) -> Queue:
    offices, complaints = _own_offices(user)
    queue = Queue(role=Role.CUSTOMER_SUPERVISOR)
    queue.tiles = _queue_tiles(
        complaints,
        ["received_today", "invalid_unexplained", "overdue_any"],
        offices=offices,
        now=now,
        alarms=["overdue_any"],
    )
    queue.reviews = _reviews(offices, now=now)
    late = ShiftReview.objects.filter(
        office__in=offices, flagged_at__isnull=False, starts_at__gte=now - LATE_REVIEWS_WINDOW
    ).count()
    queue.tiles.append(
        Tile.waiting(
            _("Shift reviews late in the last 7 days"),
            late,
            reverse("admin:followups_shiftreview_changelist"),
            name="late_reviews",
        )
    )
    return queue


def office_manager(user: User, *, now: datetime) -> Queue:
    offices, complaints = _own_offices(user)
    queue = Queue(role=Role.OFFICE_MANAGER)
    names = ["waiting_closure", "day_10", "day_15", "major_open", "rejected_back"]
    queue.tiles = _queue_tiles(
        complaints, names, offices=offices, now=now, alarms=["day_15", "major_open"]
    )
    # Closures are approved in the admin's queue, not in the complaint list (R-CLO-3).
    queue.tiles[0].url = reverse("admin:followups_closurerequest_changelist")
    queue.oldest_waiting = complaints.filter(
        queue_condition("waiting_closure", offices=offices, now=now)
    ).aggregate(oldest=Min("revisited_at"))["oldest"]
    owed = Escalation.objects.visible_to(user).filter(
        complaint__office__in=offices, level=15, reported_at__isnull=True
    )
    count = owed.count()
    queue.tiles.append(
        Tile.waiting(
            _("Day-15 reports you owe the branch general manager"),
            count,
            reverse("admin:followups_escalation_changelist") + "?level__exact=15",
            name="reports_owed",
        )
    )
    queue.tiles.append(_locked_logins(user, now=now))
    return queue


def _locked_logins(user: User, *, now: datetime) -> Tile:
    count = locked_attempts(user, now=now).count()
    return Tile.waiting(
        _("Locked logins of your staff"),
        count,
        reverse("locked_logins"),
        name="locked_logins",
    )


def quality_department(user: User, *, now: datetime) -> Queue:
    offices = list(visible_offices(user).select_related("branch").order_by("code"))
    complaints = Complaint.objects.visible_to(user)
    queue = Queue(role=Role.QUALITY_DEPARTMENT)
    counts = {  # both of open complaints: read those only, not the branch's history
        row["office"]: row
        for row in complaints.open()
        .values("office")
        .annotate(
            open=Count("pk", filter=Q(status__in=OPEN_STATUSES)),
            overdue=Count("pk", filter=queue_condition("overdue_any", offices=offices, now=now)),
        )
    }
    reports = {}
    for report in MonthlyReport.objects.visible_to(user).filter(
        office__in=offices, month=previous_month(now, offices[0].zone) if offices else None
    ):
        current = reports.get(report.office_id)
        if current is None or report.version > current.version:
            reports[report.office_id] = report
    for office in offices:
        row = counts.get(office.pk, {})
        queue.offices.append(
            {
                "office": office,
                "open": Tile(
                    _("open"),
                    row.get("open", 0),
                    complaint_list_url(status="open", office=office.pk),
                ),
                "overdue": Tile(
                    _("overdue"),
                    row.get("overdue", 0),
                    complaint_list_url("overdue_any", office=office.pk),
                    alarm=row.get("overdue", 0) > 0,
                ),
                "report": reports.get(office.pk),
            }
        )
    queue.tiles = _queue_tiles(complaints, ["branch_assigned"], offices=offices, now=now)
    return queue


def branch_gm(user: User, *, now: datetime) -> Queue:
    offices = list(visible_offices(user))
    complaints = Complaint.objects.visible_to(user)
    queue = Queue(role=Role.BRANCH_GM)
    queue.tiles = _queue_tiles(
        complaints, ["day_15", "major_open"], offices=offices, now=now, alarms=["major_open"]
    )
    reported = Escalation.objects.visible_to(user).filter(level=15, reported_at__isnull=False)
    summary = reported.aggregate(n=Count("pk"), last=Max("reported_at"))
    queue.tiles.append(
        Tile(
            _("Day-15 reports received"),
            summary["n"],
            reverse("admin:followups_escalation_changelist") + "?level__exact=15",
            name="reports_received",
        )
    )
    queue.tiles.append(_locked_logins(user, now=now))
    return queue


BUILDERS = {
    Role.CLIENT_ASSISTANT: client_assistant,
    Role.CUSTOMER_SUPERVISOR: customer_supervisor,
    Role.OFFICE_MANAGER: office_manager,
    Role.QUALITY_DEPARTMENT: quality_department,
    Role.BRANCH_GM: branch_gm,
}


def work_queue(user: User, *, now: datetime) -> Queue | None:
    """The home page of the user's main role, or None without a role."""
    role = user.home_role
    return BUILDERS[role](user, now=now) if role else None
