"""The work queues of the home pages: each a named condition on complaints.

The home page counts a queue with the same condition the complaint list filters by
(`?queue=<name>`), so a number and the list behind it always agree.
"""

from collections.abc import Iterable
from datetime import datetime, time, timedelta

from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from accounts.models import Office

from .models import CHASED_DEADLINES, Classification, Complaint, ComplaintEvent, Status
from .models.choices import OPEN_STATUSES

HANDLING = (Status.RECORDED, Status.IN_PROGRESS)

QUEUE_LABELS = {
    "due_dispatch": _("Urgent dispatch due today or overdue"),
    "due_reply": _("Agreed reply due today or overdue"),
    "due_contact": _("Customer contact due today or overdue"),
    "due_revisit": _("Revisit due today or overdue"),
    "received_today": _("Received today"),
    "invalid_unexplained": _("Invalid complaints still to explain"),
    "waiting_closure": _("Waiting for closure approval"),
    "day_10": _("Open over 10 days"),
    "day_15": _("Open over 15 days"),
    "major_open": _("Major complaints still open"),
    "rejected_back": _("Closure rejected, back in handling"),
    "branch_assigned": _("Complaints that reached the branch, still open"),
    "overdue_any": _("Open with a passed deadline"),
    "to_check": _("From the community's page, to check"),
}

# The due queues of the front desk, in the order the procedure chases them.
DUE_QUEUES = {f"due_{kind}": kind for kind in CHASED_DEADLINES}


def office_day(office: Office, now: datetime) -> tuple[datetime, datetime]:
    """The start and end of `now`'s day in the office's time zone."""
    start = datetime.combine(now.astimezone(office.zone).date(), time.min, tzinfo=office.zone)
    return start, start + timedelta(days=1)


def _per_office_day(offices: Iterable[Office], now: datetime, condition) -> Q:
    """OR over the offices of `condition(office, day_start, day_end)`: "today" is each
    office's own day."""
    combined = Q(pk__in=[])
    for office in offices:
        start, end = office_day(office, now)
        combined |= Q(office=office) & condition(start, end)
    return combined


def _explained() -> Exists:
    # R-HND-2: the explanation of an invalid complaint is a contact the timeline records.
    return Exists(
        ComplaintEvent.objects.filter(
            complaint=OuterRef("pk"),
            kind=ComplaintEvent.Kind.CONTACT,
            data__contact="explanation",
        )
    )


def _rejected() -> Exists:
    return Exists(
        ComplaintEvent.objects.filter(
            complaint=OuterRef("pk"), kind=ComplaintEvent.Kind.CLOSURE_REJECTED
        )
    )


def queues_rows(names: Iterable[str], *, offices: Iterable[Office], now: datetime) -> Q:
    """The complaints that any queue of `names` can count: the open ones (every queue but
    "received_today" is of open complaints), and today's when "received_today" is among them.
    A count read from these follows what is open, not the years of history
    (docs/performance.md)."""
    rows = Q(status__in=OPEN_STATUSES)
    if "received_today" in names:
        rows |= queue_condition("received_today", offices=offices, now=now)
    return rows


def queue_condition(name: str, *, offices: Iterable[Office], now: datetime) -> Q:
    """The condition of one queue as of `now`; `offices` give "today" its time zone."""
    overdue = Complaint.objects.overdue_condition
    opened = Q(status__in=OPEN_STATUSES)
    if name in DUE_QUEUES:
        # Due by the end of the office's day, the overdue ones included.
        kind = DUE_QUEUES[name]
        return opened & _per_office_day(offices, now, lambda start, end: overdue(kind, end))
    if name == "received_today":
        return _per_office_day(
            offices, now, lambda start, end: Q(received_at__gte=start, received_at__lt=end)
        )
    if name == "invalid_unexplained":
        return opened & Q(classification=Classification.INVALID) & ~Q(_explained())
    if name == "rejected_back":
        return Q(status__in=HANDLING) & Q(_rejected())
    if name == "overdue_any":
        any_passed = Q(pk__in=[])
        for kind in CHASED_DEADLINES:
            any_passed |= overdue(kind, now)
        return opened & any_passed
    return (
        opened
        & {
            "waiting_closure": Q(status=Status.REVISITED),
            "day_10": overdue("alert", now),
            "day_15": overdue("report", now),
            "major_open": Q(is_major=True),
            "branch_assigned": Q(channel="branch"),
            "to_check": Q(awaiting_check=True),  # complaints.community
        }[name]
    )
