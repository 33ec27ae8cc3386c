"""A change of the working calendar (an override, or a year's confirmation) recomputes the
stored deadlines of the open complaints it touches (docs: Rules the desk adds to the procedure).

Only the agreed-reply limit (`reply_latest`, R-REPLY-2) depends on the calendar. Each change is a
timeline event. An agreed reply time (`reply_due`) is never moved: when the new limit falls
before it, the limit stays at the agreed time and the complaint's receiver and supervisors are
told to agree a new time with the customer (`reply_limit_moved`, answered by followups with a
notice)."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from .deadlines import latest_reply
from .models import OPEN_STATUSES, Complaint, ComplaintEvent
from .signals import reply_limit_moved
from .workcalendar import WorkCalendar


def recompute_reply_limits(*, branch_id: int | None, by=None, now: datetime | None = None) -> int:
    """Recompute `reply_latest` of the open complaints of the branch (every branch when None);
    returns how many changed."""
    now = now or timezone.now()
    complaints = Complaint.objects.filter(status__in=OPEN_STATUSES).select_related("office")
    if branch_id is not None:
        complaints = complaints.filter(office__branch_id=branch_id)
    calendars: dict[int, WorkCalendar] = {}
    changed = 0
    with transaction.atomic():
        for complaint in complaints.select_for_update(of=("self",)):
            office = complaint.office
            calendar = calendars.setdefault(office.branch_id, WorkCalendar.for_office(office))
            new = latest_reply(complaint.received_at, calendar, office.zone)
            agreed = complaint.reply_due
            kept = agreed is not None and agreed > new  # the agreed time is never moved
            limit = max(new, agreed) if kept else new
            if limit == complaint.reply_latest and not kept:
                continue
            old = complaint.reply_latest
            if limit != old:
                complaint.reply_latest = limit
                complaint.save(update_fields=["reply_latest"])
            ComplaintEvent.objects.create(
                complaint=complaint,
                kind=ComplaintEvent.Kind.DEADLINE_RECOMPUTED,
                at=now,
                actor=by,
                data={"field": "reply_latest", "from": old.isoformat(), "to": new.isoformat(),
                      "agreed_kept": kept},
            )  # fmt: skip
            if kept:
                reply_limit_moved.send(sender=Complaint, complaint=complaint, limit=new, now=now)
            changed += 1
    return changed


def on_calendar_change(sender, instance, **kwargs):
    """An override saved or deleted, or a year confirmed (the admin): the open complaints of
    its branch (every branch for an all-branch row) get their reply limits recomputed, after
    the change commits."""
    transaction.on_commit(lambda: recompute_reply_limits(branch_id=instance.branch_id))
