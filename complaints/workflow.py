"""Every change to a complaint goes through a function here (STYLE 3): it checks the actor's
role and scope, locks what it changes, writes the change and its ComplaintEvent in one
transaction, and schedules side effects with `transaction.on_commit`."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from accounts.models import Office, User
from accounts.roles import Role
from accounts.staffing import holds, holds_a_role_at, is_branch_quality, works_in

from .deadlines import intake_deadlines
from .models import Complaint, ComplaintEvent, ComplaintSequence, DutyLogEntry
from .signals import complaint_made_major, complaint_recorded
from .workcalendar import WorkCalendar


class IntakeRefused(Exception):
    """Raised with every reason the complaint cannot be recorded (STYLE 4)."""

    def __init__(self, reasons: dict[str, str]):
        self.reasons = reasons
        super().__init__("; ".join(f"{field}: {reason}" for field, reason in reasons.items()))


def _intake_refused_for(by: User, complaint: Complaint) -> dict[str, str]:
    """Office staff record at their desk; the branch quality department records complaints
    that reached the branch and names an office manager to handle them (R-QD-1)."""
    if works_in(by, complaint.office):
        return {}
    if not is_branch_quality(by, complaint.office):
        return {"office": _("You cannot record complaints for this office.")}
    reasons = {}
    if complaint.channel != "branch":
        complaint.channel = "branch"
    if not (
        complaint.handler_id and holds(complaint.handler, Role.OFFICE_MANAGER, complaint.office)
    ):
        reasons["handler"] = _("Name an office manager of this office as the handler.")
    return reasons


def next_number(office: Office, received_at: datetime) -> str:
    """`HY-202611-0042`: office code, month of receipt (office time), running number.

    The sequence row is locked, so concurrent intakes draw distinct numbers; the row is
    created in a savepoint first because two first intakes of a month race to create it."""
    period = received_at.astimezone(office.zone).strftime("%Y%m")
    try:
        with transaction.atomic():
            ComplaintSequence.objects.create(office=office, period=period)
    except IntegrityError:
        pass
    sequence = ComplaintSequence.objects.select_for_update().get(office=office, period=period)
    sequence.last += 1
    sequence.save(update_fields=["last"])
    return f"{office.code}-{period}-{sequence.last:04d}"


def _intake_refusals(complaint: Complaint, *, now: datetime) -> dict[str, str]:
    reasons = {}
    if complaint.received_at > now:
        reasons["received_at"] = _("The time of receipt cannot be in the future.")
    if complaint.reply_due and complaint.reply_due > complaint.reply_latest:
        reasons["reply_due"] = _(
            "The agreed reply must be no later than %(latest)s (3 working days after receipt)."
        ) % {
            "latest": timezone.localtime(complaint.reply_latest, complaint.office.zone).strftime(
                "%Y-%m-%d %H:%M"
            )
        }
    if complaint.reply_due and complaint.reply_due < complaint.received_at:
        reasons["reply_due"] = _("The agreed reply cannot be before the time of receipt.")
    if not complaint.answered_at_once and not complaint.reply_due:
        reasons["reply_due"] = _(
            "Agree a time for the next reply, or tick that a definite answer was given at once."
        )
    if complaint.classification == "to_improve" and not complaint.responsible_party.strip():
        reasons["responsible_party"] = _("A to-improve complaint names the responsible party.")
    if complaint.urgent_kind == "facility" and not complaint.facility_kind:
        reasons["facility_kind"] = _("Say which facility is at fault.")
    if complaint.urgent_kind != "facility" and complaint.facility_kind:
        complaint.facility_kind = ""
    if complaint.building_id and complaint.building.office_id != complaint.office_id:
        reasons["building"] = _("That building belongs to another office.")
    if complaint.unit_id and complaint.unit.building_id != complaint.building_id:
        reasons["unit"] = _("That unit is not in the chosen building.")
    # Links stay inside the office: its pages show what a complaint follows and where it was
    # found, and the branch quality department can pick from every office of the branch.
    if complaint.linked_to_id and complaint.linked_to.office_id != complaint.office_id:
        reasons["linked_to"] = _("That complaint belongs to another office.")
    if complaint.website_scan_id and complaint.website_scan.office_id != complaint.office_id:
        reasons["website_scan"] = _("That website scan belongs to another office.")
    if not (complaint.phone or complaint.email):
        reasons["phone"] = _("Give a phone number or an e-mail address to reach the customer.")
    return reasons


def _duty_log_columns(complaint: Complaint, **columns: str) -> dict[str, str]:
    """The record's facts cut to the duty log's narrower columns (R-REC-1): the address
    (unit, room and a 120-character other address) or a long e-mail would not fit the paper
    form's columns, and the database would refuse the whole intake with a 500. The complaint
    keeps every character; the line links to it."""
    values = {
        "customer_name": complaint.complainant_name,
        "address": complaint.address,
        "contact": complaint.phone or complaint.email,
        **columns,
    }
    return {
        name: Truncator(value).chars(DutyLogEntry._meta.get_field(name).max_length)
        for name, value in values.items()
    }


def set_deadlines(complaint: Complaint) -> None:
    """Fill the stored deadlines from the time of receipt (DESIGN: Deadlines)."""
    office = complaint.office
    deadlines = intake_deadlines(
        complaint.received_at,
        calendar=WorkCalendar.for_office(office),
        zone=office.zone,
        urgent=bool(complaint.urgent_kind),
        dispatch_within=timedelta(minutes=office.dispatch_minutes),
    )
    complaint.entry_due = deadlines.entry_due
    complaint.dispatch_due = deadlines.dispatch_due
    complaint.reply_latest = deadlines.reply_latest
    complaint.next_contact_due = deadlines.next_contact_due
    complaint.alert_due = deadlines.alert_due
    complaint.report_due = deadlines.report_due
    if complaint.answered_at_once:
        complaint.reply_due = None


def record_complaint(complaint: Complaint, *, by: User, now: datetime | None = None) -> Complaint:
    """Record a new complaint (R-REC-1..3): the record, its first event and its duty-log line.

    `complaint` is an unsaved instance carrying what the assistant typed; the workflow sets
    the number, the time of entry, the deadlines and the late-entry flag."""
    now = now or timezone.now()
    refused = _intake_refused_for(by, complaint)
    if refused:
        raise IntakeRefused(refused)
    complaint.entered_at = now
    complaint.entered_by = by
    if not complaint.received_by_id:
        complaint.received_by = by
    set_deadlines(complaint)
    reasons = _intake_refusals(complaint, now=now)
    if complaint.received_by != by and not holds_a_role_at(complaint.received_by, complaint.office):
        # The receiver is told of the complaint's deadlines: never someone of another office.
        reasons["received_by"] = _("The person who received it works for another office.")
    if reasons:
        raise IntakeRefused(reasons)
    complaint.entered_late = complaint.entered_at > complaint.entry_due  # R-REC-2
    complaint.is_complete = not complaint.missing_record_fields()  # R-REC-3

    with transaction.atomic():
        complaint.number = next_number(complaint.office, complaint.received_at)
        complaint.save()
        ComplaintEvent.objects.create(
            complaint=complaint,
            kind=ComplaintEvent.Kind.RECORDED,
            at=now,
            actor=by,
            data={"entered_late": complaint.entered_late, "linked_to": complaint.linked_to_id},
        )
        DutyLogEntry.objects.create(
            office=complaint.office,
            occurred_at=complaint.received_at,
            kind=DutyLogEntry.Kind.COMPLAINT,
            matter=_("Complaint %(number)s: %(description)s")
            % {"number": complaint.number, "description": complaint.description},
            recorder=by,
            complaint=complaint,
            **_duty_log_columns(complaint, handler=str(complaint.received_by)),
        )
        if complaint.handler_id:  # R-QD-1
            ComplaintEvent.objects.create(
                complaint=complaint,
                kind=ComplaintEvent.Kind.ASSIGNED,
                at=now,
                actor=by,
                data={"handler": complaint.handler_id},
            )
        if complaint.is_major:  # R-SEV-1: the office manager is told at once (followups)
            Complaint.objects.filter(pk=complaint.pk).update(major_since=now)
            complaint.major_since = now
            ComplaintEvent.objects.create(
                complaint=complaint, kind=ComplaintEvent.Kind.MAJOR_REPORTED, at=now, actor=by
            )
        complaint_recorded.send(sender=Complaint, complaint=complaint, by=by, now=now)
    return complaint


def log_repeat_call(
    complaint: Complaint, *, by: User, note: str, now: datetime | None = None
) -> ComplaintEvent:
    """The same customer calls again about an open complaint: add to its timeline and the duty
    log instead of recording a duplicate."""
    now = now or timezone.now()
    if not works_in(by, complaint.office):
        raise IntakeRefused({"office": _("You cannot record complaints for this office.")})
    with transaction.atomic():
        locked = Complaint.objects.select_for_update().get(pk=complaint.pk)
        event = ComplaintEvent.objects.create(
            complaint=locked, kind=ComplaintEvent.Kind.REPEAT_CALL, at=now, actor=by, note=note
        )
        DutyLogEntry.objects.create(
            office=locked.office,
            occurred_at=now,
            kind=DutyLogEntry.Kind.COMPLAINT,
            **_duty_log_columns(locked),
            matter=_("Customer called again about %(number)s: %(note)s")
            % {"number": locked.number, "note": note},
            recorder=by,
            complaint=locked,
        )
    return event


def correct_record(
    complaint: Complaint, *, by: User, changed: dict[str, str], now: datetime | None = None
) -> Complaint:
    """A correction of the record's facts (never its status or deadlines), e.g. in the admin:
    completeness is recomputed (R-REC-3) and the timeline says who changed what.

    `changed` maps each changed field to its label, for the timeline."""
    now = now or timezone.now()
    with transaction.atomic():
        complaint.is_complete = not complaint.missing_record_fields()
        made_major = complaint.is_major and complaint.major_since is None
        if made_major:  # R-SEV-1: the report window starts with the correction
            complaint.major_since = now
        complaint.save()
        if made_major:
            ComplaintEvent.objects.create(
                complaint=complaint, kind=ComplaintEvent.Kind.MAJOR_REPORTED, at=now, actor=by
            )
            complaint_made_major.send(sender=Complaint, complaint=complaint, by=by, now=now)
        if changed:
            ComplaintEvent.objects.create(
                complaint=complaint,
                kind=ComplaintEvent.Kind.EDITED,
                at=now,
                actor=by,
                note=", ".join(changed.values()),
                data={"fields": sorted(changed)},
            )
    return complaint
