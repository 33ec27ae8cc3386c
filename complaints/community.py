"""Complaints a resident sends from the community's page (docs/resident.md): recorded at once on
the website channel (R-CHAN-1) without anyone at the desk, then checked by an assistant who sets
what only the desk can say — class, category, severity (R-CLS-1..4, R-SEV-1, R-CAT-1).

Until the check the complaint is `awaiting_check`: treated as valid (R-CLS-4, the model's
default) and of general severity, without a category, a receiver or a duty-log line, so its
record is incomplete (R-REC-3). Its entry clock runs from the submission (R-REC-2): the record
counts as entered when it is checked, late if that is more than 2 hours after the submission.
The resident's side (the `resident` app) calls `record_from_community`; the desk's check page
calls `check_community_complaint`."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.staffing import works_in

from .attachments import store_files
from .filecheck import CheckedFile
from .models import (
    Attachment,
    Category,
    Channel,
    Classification,
    Complaint,
    ComplaintEvent,
    UrgentKind,
)
from .signals import complaint_made_major, complaint_recorded
from .workflow import (
    EntryRefused,
    IntakeRefused,
    entry_event,
    finish_entry,
    save_recorded,
    set_deadlines,
)

VIA = "community_page"


def record_from_community(
    complaint: Complaint,
    *,
    files: list[tuple[CheckedFile, object]] = (),
    now: datetime | None = None,
) -> Complaint:
    """Record what a resident sent: `complaint` is unsaved and carries the office and what was
    typed (name, phone, address, what happened, what they want); `files` the checked photos.
    The record, its first event and its photos are one transaction."""
    now = now or timezone.now()
    if complaint.building_id and complaint.building.office_id != complaint.office_id:
        raise IntakeRefused({"building": _("That building belongs to another office.")})
    complaint.channel = Channel.WEBSITE  # R-CHAN-1: the community website
    complaint.received_at = complaint.entered_at = now  # R-REC-2: the clock runs from here
    complaint.awaiting_check = True
    complaint.answered_at_once = False
    set_deadlines(complaint)
    # R-REPLY-2: nobody agreed a time with the resident: the latest the procedure allows.
    complaint.reply_due = complaint.reply_latest
    complaint.is_complete = False  # R-REC-3: class, category and severity wait for the check
    with transaction.atomic():
        note = _("Sent by the resident from the community's page; to check.")
        save_recorded(complaint, by=None, now=now, note=note, linked_to=None, via={"kind": VIA})
        store_files(complaint, by=None, files=list(files), step=Attachment.Step.INTAKE, now=now)
        # Recorded, as far as the other apps are concerned: not major, no handler, nobody at
        # the desk to tell yet (its queue does); the resident's side issues its link on it.
        complaint_recorded.send(sender=Complaint, complaint=complaint, by=None, now=now)
    return complaint


class CheckRefused(EntryRefused):
    """Raised with every reason the check cannot be recorded."""


CHECKED_FIELDS = (
    "classification",
    "responsible_party",
    "category",
    "severity",
    "is_major",
    "urgent_kind",
    "facility_kind",
)


def _check_refusals(complaint: Complaint, *, by: User) -> dict[str, str]:
    reasons = {}
    if not works_in(by, complaint.office):
        reasons["__all__"] = _("Only the office's staff check the complaints sent to it.")
    elif not complaint.awaiting_check:
        reasons["__all__"] = _("This complaint was already checked.")
    if complaint.classification not in Classification.values:
        reasons["classification"] = _("Choose the complaint's class.")
    if complaint.classification == Classification.TO_IMPROVE and not (
        complaint.responsible_party.strip()
    ):
        reasons["responsible_party"] = _("A to-improve complaint names the responsible party.")
    if not complaint.category_id:
        reasons["category"] = _("Choose the complaint's category.")
    elif not (
        Category.objects.offered_in([complaint.office.branch_id])
        .filter(pk=complaint.category_id)
        .exists()
    ):
        reasons["category"] = _("That category is not used by this office's branch.")
    if complaint.urgent_kind == UrgentKind.FACILITY and not complaint.facility_kind:
        reasons["facility_kind"] = _("Say which facility is at fault.")
    return reasons


def check_community_complaint(
    complaint: Complaint, *, by: User, values: dict, now: datetime | None = None
) -> Complaint:
    """The assistant's check of a complaint from the community's page: `values` set its class
    (and responsible party), category, severity, major and urgent flags (`CHECKED_FIELDS`).

    The checker becomes who received and entered it; the record is entered now, late past the
    2 hours from the submission (R-REC-2); an urgent matter is to be dispatched within the
    office's dispatch time of the submission (R-URG-1); the duty log gets its line (R-REC-1);
    a major complaint goes to the office manager (R-SEV-1) as at intake."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = (
            Complaint.objects.select_for_update(of=("self",))
            .select_related("office", "office__branch", "building", "unit")
            .get(pk=complaint.pk)
        )
        for name, value in values.items():
            if name in CHECKED_FIELDS:
                setattr(locked, name, value)
        if locked.urgent_kind != UrgentKind.FACILITY:
            locked.facility_kind = ""
        reasons = _check_refusals(locked, by=by)
        if reasons:
            raise CheckRefused(reasons)
        locked.awaiting_check = False
        locked.received_by = locked.entered_by = by
        locked.entered_at = now
        locked.entered_late = now > locked.entry_due  # R-REC-2
        locked.dispatch_due = (
            locked.received_at + timedelta(minutes=locked.office.dispatch_minutes)
            if locked.urgent_kind
            else None
        )
        locked.is_complete = not locked.missing_record_fields()  # R-REC-3
        locked.refresh_search_text()  # the category's name is searched too
        locked.save()
        entry_event(
            locked,
            ComplaintEvent.Kind.CHECKED,
            by=by,
            now=now,
            classification=locked.classification,
            category=locked.category_id,
            severity=locked.severity,
        )
        matter = _("Complaint %(number)s (community page): %(description)s")
        # `complaint_recorded` was sent at the submission (once a complaint: the resident's
        # tracking link hangs on it); only a complaint found major has someone to tell now.
        announce = complaint_made_major if locked.is_major else None
        finish_entry(locked, by=by, now=now, matter=matter, announce=announce)
    return locked
