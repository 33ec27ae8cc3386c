"""Reading for the follow-up pages: every query starts from the user's scope and
each list is one query, however long it is."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

from django.db.models import (
    Case,
    Count,
    IntegerField,
    Min,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)

from accounts.models import Office, User
from accounts.staffing import offices_worked_in
from complaints.models import CHASED_DEADLINES, OVERDUE_KINDS, Complaint, Status

from .clocks import current_shift_starts
from .models import Contact, Notification, ShiftReview, ShiftReviewItem

DUE_LIST_LIMIT = 50
_OVERDUE_LABELS = dict(OVERDUE_KINDS)


def shift_offices(user: User) -> list[Office]:
    """The offices where the user works a desk shift: their office roles, inside their scope."""
    return list(offices_worked_in(user).order_by("code"))


def review_items() -> QuerySet[ShiftReviewItem]:
    """Review rows with what the review needs without opening each complaint (issue 14): the
    complaint with its last contact (one more query for any number of rows)."""
    last = Contact.objects.filter(complaint=OuterRef("pk")).order_by("-at", "-pk")
    complaints = Complaint.objects.annotate(
        last_contact_at=Subquery(last.values("at")[:1]),
        last_contact_summary=Subquery(last.values("summary")[:1]),
    )
    return ShiftReviewItem.objects.select_related("reviewed_by").prefetch_related(
        Prefetch("complaint", queryset=complaints)
    )


@dataclass
class OfficeShift:
    office: Office
    current_start: datetime | None  # None when the office has no shift configured
    review: ShiftReview | None  # the office's latest review

    @property
    def review_is_current(self) -> bool:
        return bool(
            self.review and self.current_start and self.review.starts_at >= self.current_start
        )


def office_shifts(offices: list[Office], *, now: datetime) -> list[OfficeShift]:
    """Per office: the start of its current shift and its latest review with the items
    (R-FUP-1). Three queries for any number of offices and items."""
    ids = [office.pk for office in offices]
    starts = current_shift_starts(now, office_ids=ids)
    latest = ShiftReview.objects.filter(office=OuterRef("office")).order_by("-starts_at")
    items = review_items().order_by("complaint__received_at", "pk")
    reviews = {
        review.office_id: review
        for review in ShiftReview.objects.filter(
            office_id__in=ids, pk=Subquery(latest.values("pk")[:1])
        ).prefetch_related(Prefetch("items", queryset=items))
    }
    return [
        OfficeShift(
            office=office,
            current_start=starts[office.pk][1] if office.pk in starts else None,
            review=reviews.get(office.pk),
        )
        for office in offices
    ]


@dataclass
class DueList:
    kind: str
    label: str
    due_field: str
    complaints: list[Complaint] = field(default_factory=list)
    more: bool = False  # longer than DUE_LIST_LIMIT: the rest is in the complaint list

    def rows(self):
        return [(c, getattr(c, self.due_field)) for c in self.complaints]


def _limited(queryset: QuerySet, due: DueList) -> DueList:
    rows = list(queryset.select_related("office")[: DUE_LIST_LIMIT + 1])
    due.complaints, due.more = rows[:DUE_LIST_LIMIT], len(rows) > DUE_LIST_LIMIT
    return due


def due_lists(user: User, offices: list[Office], *, now: datetime) -> list[DueList]:
    """What is overdue now at the user's desks: urgent dispatch, agreed reply, the 3-day
    contact (R-URG-1, R-REPLY-3, R-URG-2) and the 24-hour revisit (R-REV-1)."""
    complaints = Complaint.objects.visible_to(user).filter(office__in=offices)
    lists = []
    for kind, due_field in CHASED_DEADLINES.items():
        lists.append(
            _limited(
                complaints.overdue(kind, now).order_by(due_field, "pk"),
                DueList(kind, _OVERDUE_LABELS[kind], due_field),
            )
        )
    return lists


def todays_revisits(user: User, offices: list[Office], *, now: datetime) -> list[Complaint]:
    """Resolved complaints whose revisit is due today, "today" in each office's time zone."""
    today = Q(pk__in=[])
    for office in offices:
        day = now.astimezone(office.zone).date()
        start = datetime.combine(day, time.min, tzinfo=office.zone)
        today |= Q(office=office, revisit_due__gte=start, revisit_due__lt=start + timedelta(days=1))
    return list(
        Complaint.objects.visible_to(user)
        .filter(today, status=Status.RESOLVED)
        .select_related("office")
        .order_by("revisit_due", "pk")
    )


def inbox(
    user: User, *, show: str = "all", kind: str = "", complaint: str = ""
) -> QuerySet[Notification]:
    """The user's own notifications, unread first, newest first, with each one's complaint
    (number, customer, matter) in the same query. `show`: "unread" (not read and its matter
    not done), "history" (read or done), "all"; `kind`; `complaint`: its number."""
    notifications = Notification.objects.addressed_to(user)
    if show == "unread":
        notifications = notifications.unread()
    elif show == "history":
        notifications = notifications.filter(
            Q(read_at__isnull=False) | Q(resolved_at__isnull=False)
        )
    if kind:
        notifications = notifications.filter(kind=kind)
    if complaint:
        notifications = notifications.filter(complaint__number__iexact=complaint)
    return (
        notifications.select_related("complaint", "complaint__category")
        .annotate(
            unread=Case(
                When(read_at__isnull=True, resolved_at__isnull=True, then=Value(1)),
                default=Value(0),
                output_field=IntegerField(),
            )
        )
        .order_by("-unread", "-created_at", "-pk")
    )


def unsent_notifications() -> dict:
    """Notifications still to be e-mailed (as `notify.send_pending` sees them: the recipient
    has an address and the notice was not withheld) and the oldest one's creation: the
    operator's gauges (docs/operations.md, Metrics), desk-wide. Read through the partial index
    `notification_unsent`."""
    pending = Notification.objects.filter(emailed_at__isnull=True, not_sent="").exclude(
        recipient__email=""
    )
    return pending.aggregate(count=Count("pk"), oldest=Min("created_at"))
