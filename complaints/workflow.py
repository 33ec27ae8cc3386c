"""Every change to a complaint goes through a function here: it checks the actor's
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
from accounts.staffing import holds, holds_a_role_at, is_branch_quality, roles_of, works_in

from .deadlines import intake_deadlines
from .emails import PLAIN_EMAIL_ONLY, is_plain_email
from .models import Category, Channel, Complaint, ComplaintEvent, ComplaintSequence, DutyLogEntry
from .signals import complaint_made_major, complaint_recorded
from .workcalendar import WorkCalendar


class EntryRefused(Exception):
    """Raised with every reason a record cannot be entered, keyed by field ("__all__": the
    whole form's)."""

    def __init__(self, reasons: dict[str, str]):
        self.reasons = reasons
        super().__init__("; ".join(f"{field}: {reason}" for field, reason in reasons.items()))


class IntakeRefused(EntryRefused):
    """Raised with every reason the complaint cannot be recorded."""


def _intake_refused_for(by: User, complaint: Complaint) -> dict[str, str]:
    """Office staff record at their desk; the branch quality department records complaints
    that reached the branch and names an office manager to handle them (R-QD-1)."""
    if works_in(by, complaint.office) and not is_branch_quality(by, complaint.office):
        if complaint.channel == Channel.BRANCH:  # it would count for the branch (R-QD-2)
            return {"channel": _("Only the branch quality department records this channel.")}
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
    if complaint.category_id and not (
        Category.objects.offered_in([complaint.office.branch_id])
        .filter(pk=complaint.category_id)
        .exists()
    ):
        reasons["category"] = _("That category is not used by this office's branch.")
    if complaint.email and not is_plain_email(complaint.email):
        reasons["email"] = PLAIN_EMAIL_ONLY
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
    """Fill the stored deadlines from the time of receipt (docs/architecture.md, Deadlines)."""
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


def intake_refusals(complaint: Complaint, *, by: User, now: datetime | None = None) -> dict:
    """Every reason the typed `complaint` cannot be recorded, at once, and its
    deadlines filled in. The intake form asks this even while some fields are still invalid
    (their parts left out), so no refusal waits for a second try (issue 14)."""
    now = now or timezone.now()
    if not complaint.office_id or not complaint.received_at:
        return {}
    complaint.entered_at = now
    complaint.entered_by = by
    if not complaint.received_by_id:
        complaint.received_by = by
    set_deadlines(complaint)
    reasons = _intake_refusals(complaint, now=now)
    if complaint.received_by != by and not holds_a_role_at(complaint.received_by, complaint.office):
        # The receiver is told of the complaint's deadlines: never someone of another office.
        reasons["received_by"] = _("The person who received it works for another office.")
    return reasons


def record_complaint(
    complaint: Complaint, *, by: User, now: datetime | None = None, via: dict | None = None
) -> Complaint:
    """Record a new complaint (R-REC-1..3): the record, its first event and its duty-log line.

    `complaint` is an unsaved instance carrying what the assistant typed; the workflow sets
    the number, the time of entry, the deadlines and the late-entry flag. `via` names what
    recorded it when not the desk's page (the API and its integration token), in the event."""
    now = now or timezone.now()
    refused = _intake_refused_for(by, complaint)
    if refused:
        raise IntakeRefused(refused)
    reasons = intake_refusals(complaint, by=by, now=now)
    if reasons:
        raise IntakeRefused(reasons)
    complaint.entered_late = complaint.entered_at > complaint.entry_due  # R-REC-2
    complaint.is_complete = not complaint.missing_record_fields()  # R-REC-3

    with transaction.atomic():
        through = {"via": via} if via else {}  # the pages name nothing
        save_recorded(complaint, by=by, now=now, linked_to=complaint.linked_to_id, **through)
        if complaint.handler_id:  # R-QD-1
            ComplaintEvent.objects.create(
                complaint=complaint,
                kind=ComplaintEvent.Kind.ASSIGNED,
                at=now,
                actor=by,
                data={"handler": complaint.handler_id},
            )
        matter = _("Complaint %(number)s: %(description)s")
        finish_entry(complaint, by=by, now=now, matter=matter)
    return complaint


def save_recorded(complaint: Complaint, *, by, now: datetime, note="", **data) -> None:
    """A new record saved under its number with its first event, inside the transaction:
    recorded at the desk, through the API or from the community's page."""
    complaint.number = next_number(complaint.office, complaint.received_at)
    complaint.save()
    entry_event(complaint, ComplaintEvent.Kind.RECORDED, by=by, now=now, note=note, **data)


def entry_event(complaint: Complaint, kind: str, *, by, now: datetime, note="", **data):
    """The event that enters a record: recorded at the desk or through the API, recorded from
    the community's page, checked from there (complaints.community). Each says whether the
    entry was late (R-REC-2)."""
    return ComplaintEvent.objects.create(
        complaint=complaint,
        kind=kind,
        at=now,
        actor=by,
        note=note,
        data={"entered_late": complaint.entered_late, **data},
    )


def finish_entry(
    complaint: Complaint, *, by: User, now: datetime, matter: str, announce=complaint_recorded
) -> None:
    """The end of a record's entry at the desk, inside its transaction: the duty-log line
    (R-REC-1, `matter` formatted with the number and the description), a major complaint
    reported (R-SEV-1), and the `announce` signal sent (followups tells who must know; None:
    nothing to tell). Intake and the check of a complaint from the community's page
    (complaints.community) end here."""
    DutyLogEntry.objects.create(
        office=complaint.office,
        occurred_at=complaint.received_at,
        kind=DutyLogEntry.Kind.COMPLAINT,
        matter=matter % {"number": complaint.number, "description": complaint.description},
        recorder=by,
        complaint=complaint,
        **_duty_log_columns(complaint, handler=str(complaint.received_by)),
    )
    if complaint.is_major:  # R-SEV-1: the office manager is told at once (followups)
        Complaint.objects.filter(pk=complaint.pk).update(major_since=now)
        complaint.major_since = now
        ComplaintEvent.objects.create(
            complaint=complaint, kind=ComplaintEvent.Kind.MAJOR_REPORTED, at=now, actor=by
        )
    if announce is not None:
        announce.send(sender=Complaint, complaint=complaint, by=by, now=now)


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
    complaint: Complaint,
    *,
    by: User,
    changed: dict[str, str],
    now: datetime | None = None,
    before: dict[str, str] | None = None,
) -> Complaint:
    """A correction of the record's facts (never its status or deadlines), in the admin or on
    the desk: completeness is recomputed (R-REC-3) and the timeline says who changed what,
    with the value before and after when `before` gives the earlier ones.

    `changed` maps each changed field to its label, for the timeline."""
    now = now or timezone.now()
    with transaction.atomic():
        complaint.is_complete = not complaint.missing_record_fields()
        complaint.refresh_search_text()
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
            data = {"fields": sorted(changed)}
            note = ", ".join(changed.values())
            if before is not None:
                after = {name: shown_value(complaint, name) for name in changed}
                data["changes"] = {name: [before[name], after[name]] for name in sorted(changed)}
                note = "\n".join(
                    f"{label}: “{before[name]}” → “{after[name]}”"
                    for name, label in changed.items()
                )
            ComplaintEvent.objects.create(
                complaint=complaint,
                kind=ComplaintEvent.Kind.EDITED,
                at=now,
                actor=by,
                note=note,
                data=data,
            )
    return complaint


class RecordRefused(Exception):
    """Raised with every reason a correction of the record is refused."""

    def __init__(self, reasons: dict[str, str]):
        self.reasons = reasons
        super().__init__("; ".join(reasons.values()))


# Who complains and where (R-REC-3): the customer's part of the record, at intake and after.
WHO_AND_WHERE = (
    "complainant_name",
    "phone",
    "email",
    "building",
    "unit",
    "room",
    "address_note",
)
# The facts of the record (R-REC-3) the desk may complete or correct; the time of receipt,
# the office and the receiver stay as recorded, since the deadlines were counted from them.
DESK_RECORD_FIELDS = (
    *WHO_AND_WHERE,
    "channel",
    "category",
    "classification",
    "responsible_party",
    "severity",
    "temperament",
    "description",
    "customer_request",
)
RECORD_CORRECTORS = (Role.CUSTOMER_SUPERVISOR, Role.OFFICE_MANAGER)


def shown_value(complaint: Complaint, name: str) -> str:
    """A field's value as the user reads it (the choice's label, the building's name)."""
    field = Complaint._meta.get_field(name)
    if field.choices:
        return str(getattr(complaint, f"get_{name}_display")())
    value = getattr(complaint, name)
    return "" if value is None else str(value)


def shift_ended_since(office: Office, moment: datetime, *, now: datetime) -> bool:
    """Whether a shift of `office` has started between `moment` and `now` (office time); an
    office without configured shifts counts one shift as 12 hours."""
    starts = [shift.starts_at for shift in office.shifts.all()]
    if not starts:
        return now - moment >= timedelta(hours=12)
    local = moment.astimezone(office.zone).date()
    following = [
        datetime.combine(local + timedelta(days=day), start, tzinfo=office.zone)
        for day in (0, 1)
        for start in starts
    ]
    return now >= min(start for start in following if start > moment)


def may_complete_record(user: User, complaint: Complaint, *, now: datetime | None = None) -> bool:
    """Who completes a record on the desk (R-REC-3): the supervisor and the manager of the
    office at any time while it is open; the assistant who recorded it during their shift."""
    now = now or timezone.now()
    if not complaint.is_open or complaint.awaiting_check:  # its check comes first (community.py)
        return False
    roles = roles_of(user, complaint.office)
    if roles & set(RECORD_CORRECTORS):
        return True
    recorded_it = user.pk in (complaint.entered_by_id, complaint.received_by_id)
    return (
        Role.CLIENT_ASSISTANT in roles
        and recorded_it
        and not shift_ended_since(complaint.office, complaint.entered_at, now=now)
    )


def complete_record(
    complaint: Complaint, *, by: User, values: dict, now: datetime | None = None
) -> Complaint:
    """Complete or correct the facts of the record from the desk (R-REC-3): who may is
    `may_complete_record`; the rules of intake hold (a to-improve complaint names the party,
    the address stays in the office, a contact remains); each change is in the timeline with
    its value before and after (`correct_record`)."""
    now = now or timezone.now()
    values = {name: value for name, value in values.items() if name in DESK_RECORD_FIELDS}
    with transaction.atomic():
        locked = (
            Complaint.objects.select_for_update(of=("self",))
            .select_related("office", "building", "unit", "category")
            .get(pk=complaint.pk)
        )
        if not may_complete_record(by, locked, now=now):
            raise RecordRefused(
                {
                    "__all__": _(
                        "Only the customer supervisor or the office manager, or the assistant "
                        "who recorded it during the same shift, completes this record."
                    )
                }
            )
        before = {name: shown_value(locked, name) for name in values}
        for name, value in values.items():
            setattr(locked, name, value)
        reasons = {}
        if locked.classification == "to_improve" and not locked.responsible_party.strip():
            reasons["responsible_party"] = _("A to-improve complaint names the responsible party.")
        if locked.building_id and locked.building.office_id != locked.office_id:
            reasons["building"] = _("That building belongs to another office.")
        if locked.unit_id and locked.unit.building_id != locked.building_id:
            reasons["unit"] = _("That unit is not in the chosen building.")
        if not (locked.phone or locked.email):
            reasons["phone"] = _("Give a phone number or an e-mail address to reach the customer.")
        if reasons:
            raise RecordRefused(reasons)
        changed = {
            name: str(Complaint._meta.get_field(name).verbose_name)
            for name in values
            if shown_value(locked, name) != before[name]
        }
        return correct_record(locked, by=by, changed=changed, now=now, before=before)
