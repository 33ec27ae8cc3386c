"""Every change to the duty log (R-LOG-1..3), the shift handover (R-LOG-2) and the website scan
record (R-CHAN-2) goes through a function here: it checks the actor's role and office,
locks what it changes and writes in one transaction. Complaint lines are not added here: the
intake workflow writes them with the complaint (R-REC-1)."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Office, User
from accounts.staffing import works_in

from .models import DutyLogEntry, ShiftHandover, WebsiteScan

RETENTION = timedelta(days=365)  # R-LOG-3: the duty log is kept for one year
# A line may be dated back at most a week (docs/operations.md, duty log): long enough for a
# line forgotten over a long holiday weekend, too short to rewrite the month a report counts.
BACKDATE_WINDOW = timedelta(days=7)


def backdating_refusal(occurred_at: datetime, *, now: datetime) -> str | None:
    """Why a duty-log line cannot carry this time, or None (R-LOG-1: written as it happens)."""
    if occurred_at > now:
        return _("The time cannot be in the future.")
    if occurred_at < now - BACKDATE_WINDOW:
        return _(
            "A line can be dated at most %(days)d days back; note an older matter with "
            "today's time and say when it happened."
        ) % {"days": BACKDATE_WINDOW.days}
    return None


NON_COMPLAINT_KINDS = (
    DutyLogEntry.Kind.INQUIRY,
    DutyLogEntry.Kind.REPAIR,
    DutyLogEntry.Kind.OTHER,
)


class DutyLogRefused(Exception):
    """Raised with every reason the change cannot be made, keyed by field."""

    def __init__(self, reasons: dict[str, str]):
        self.reasons = reasons
        super().__init__("; ".join(f"{field}: {reason}" for field, reason in reasons.items()))


def _refuse_outsiders(user: User, office: Office) -> None:
    if not works_in(user, office):
        raise DutyLogRefused({"office": _("You cannot keep the duty log of this office.")})


def add_duty_log_line(
    *,
    by: User,
    office: Office,
    kind: str,
    matter: str,
    occurred_at: datetime | None = None,
    customer_name: str = "",
    address: str = "",
    contact: str = "",
    handler: str = "",
    handling_status: str = "",
    done: bool = False,
    handover_note: str = "",
    now: datetime | None = None,
) -> DutyLogEntry:
    """Add a line that is not a complaint — an inquiry, a repair request, anything else the
    shift must note (R-LOG-1)."""
    now = now or timezone.now()
    occurred_at = occurred_at or now
    _refuse_outsiders(by, office)
    reasons = {}
    if kind not in NON_COMPLAINT_KINDS:
        reasons["kind"] = _(
            "Complaint lines are written when the complaint is recorded; use the complaint form."
        )
    if not matter.strip():
        reasons["matter"] = _("Say what the matter is.")
    if refusal := backdating_refusal(occurred_at, now=now):
        reasons["occurred_at"] = refusal
    if reasons:
        raise DutyLogRefused(reasons)
    with transaction.atomic():
        return DutyLogEntry.objects.create(
            office=office,
            occurred_at=occurred_at,
            kind=kind,
            customer_name=customer_name.strip(),
            address=address.strip(),
            contact=contact.strip(),
            matter=matter.strip(),
            recorder=by,
            handler=handler.strip(),
            handling_status=handling_status.strip(),
            done=done,
            handover_note=handover_note.strip(),
        )


def update_duty_log_line(
    line: DutyLogEntry,
    *,
    by: User,
    handler: str | None = None,
    handling_status: str | None = None,
    done: bool | None = None,
    handover_note: str | None = None,
) -> DutyLogEntry:
    """Record how a line is being handled (R-LOG-1); `None` leaves a column as it is."""
    _refuse_outsiders(by, line.office)
    changes = {
        "handler": handler.strip() if handler is not None else None,
        "handling_status": handling_status.strip() if handling_status is not None else None,
        "done": done,
        "handover_note": handover_note.strip() if handover_note is not None else None,
    }
    changes = {field: value for field, value in changes.items() if value is not None}
    with transaction.atomic():
        locked = DutyLogEntry.objects.select_for_update().get(pk=line.pk)
        for field, value in changes.items():
            setattr(locked, field, value)
        if changes:
            locked.save(update_fields=list(changes))
    return locked


def hand_over_shift(
    *, by: User, office: Office, items: str, now: datetime | None = None
) -> ShiftHandover:
    """The outgoing assistant writes what is unfinished and what the next shift must watch,
    and signs (R-LOG-2)."""
    now = now or timezone.now()
    _refuse_outsiders(by, office)
    if not items.strip():
        raise DutyLogRefused(
            {"items": _("Write what is unfinished and what the next shift must watch.")}
        )
    with transaction.atomic():
        return ShiftHandover.objects.create(
            office=office, handed_over_at=now, items=items.strip(), outgoing=by
        )


def countersign_handover(
    handover: ShiftHandover, *, by: User, now: datetime | None = None
) -> ShiftHandover:
    """The incoming assistant — another person of the same office — countersigns, once
    (R-LOG-2)."""
    now = now or timezone.now()
    _refuse_outsiders(by, handover.office)
    with transaction.atomic():
        # No select_related: PostgreSQL cannot lock the nullable side of an outer join.
        locked = ShiftHandover.objects.select_for_update().get(pk=handover.pk)
        reasons = {}
        if locked.outgoing_id == by.pk:
            reasons["incoming"] = _(
                "The outgoing assistant cannot countersign their own handover; "
                "the incoming assistant signs."
            )
        if locked.is_countersigned:
            reasons["incoming_signed_at"] = _(
                "This handover was already countersigned by %(name)s at %(at)s."
            ) % {
                "name": locked.incoming,
                "at": timezone.localtime(locked.incoming_signed_at, locked.office.zone).strftime(
                    "%Y-%m-%d %H:%M"
                ),
            }
        if reasons:
            raise DutyLogRefused(reasons)
        locked.incoming = by
        locked.incoming_signed_at = now
        locked.save(update_fields=["incoming", "incoming_signed_at"])
    return locked


def record_website_scan(
    *, by: User, office: Office, site: str = "", findings: str = "", now: datetime | None = None
) -> WebsiteScan:
    """Record a scan of the community website / BBS: who, when, what was found (R-CHAN-2).
    Each finding is then recorded as a complaint with channel "website" through intake."""
    now = now or timezone.now()
    _refuse_outsiders(by, office)
    with transaction.atomic():
        return WebsiteScan.objects.create(
            office=office,
            scanned_at=now,
            scanned_by=by,
            site=site.strip(),
            findings=findings.strip(),
        )


def purge_old_duty_log(*, now: datetime | None = None, batch_size: int = 1000) -> int:
    """Delete the duty-log lines older than a year (R-LOG-3); return how many.

    Deletes by primary-key batches, each in its own transaction, so a large backlog never holds
    long locks; the complaints the lines name are kept. Running it again deletes nothing."""
    now = now or timezone.now()
    expired = DutyLogEntry.objects.filter(occurred_at__lt=now - RETENTION)
    deleted = 0
    while True:
        with transaction.atomic():
            batch = list(expired.order_by("pk").values_list("pk", flat=True)[:batch_size])
            if not batch:
                return deleted
            count, _by_model = DutyLogEntry.objects.filter(pk__in=batch).delete()
            deleted += count
