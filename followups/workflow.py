"""Every step after intake goes through a function here: it checks the actor's role
and scope, locks the complaint, checks the procedure's rule, writes the change and its
ComplaintEvent in one transaction, and schedules side effects with `transaction.on_commit`."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.roles import OFFICE_ROLES, Role
from accounts.staffing import roles_of, staff, works_in
from complaints.deadlines import CONTACT_INTERVAL
from complaints.models import Complaint, ComplaintEvent, Status
from complaints.workflow import record_complaint

from .clocks import escalate_reopened
from .models import Contact, CorrectiveAction, Dispatch, Notification, Revisit
from .notices import resolve_done
from .notify import notify
from .steps import STEPS, Step

REVISIT_WITHIN = timedelta(hours=24)  # R-REV-1
# R-CLO-1/2: the revisit outcome each class needs before it may close.
CLOSING_OUTCOMES = {
    "valid": {Revisit.Outcome.SATISFIED},
    "to_improve": {Revisit.Outcome.SATISFIED, Revisit.Outcome.UNDERSTANDS},
    "invalid": {Revisit.Outcome.SATISFIED, Revisit.Outcome.UNDERSTANDS},
}


class StepRefused(Exception):
    """A step the procedure does not allow now, with every reason."""

    def __init__(self, reasons: list[str]):
        self.reasons = reasons
        super().__init__("; ".join(str(r) for r in reasons))


class ClosureRefused(StepRefused):
    """Closure refused; `reasons` lists every missing condition (R-CLO-3)."""


def _require(user: User, complaint: Complaint, step: Step, refused=StepRefused) -> None:
    """The table's roles for `step` (followups.steps), held at the complaint's office now."""
    reasons = step.refused_actor(roles_of(user, complaint.office))
    if reasons:
        raise refused(reasons)


def _require_roles(user: User, complaint: Complaint, roles, action: str) -> None:
    if not roles_of(user, complaint.office) & set(roles):
        raise StepRefused([_("You may not %(action)s for this office.") % {"action": action}])


def _lock(complaint: Complaint) -> Complaint:
    return Complaint.objects.select_for_update().select_related("office").get(pk=complaint.pk)


def _lock_for(step: Step, complaint: Complaint, reasons: list[str]) -> Complaint:
    """The complaint locked, when it takes `step` in its status and class now and nothing was
    refused before (`reasons`); else every reason, those first."""
    complaint = _lock(complaint)
    reasons = reasons + step.refused_now(complaint)
    if reasons:
        raise StepRefused(reasons)
    return complaint


def _event(complaint, kind, *, by, at, note="", via: dict | None = None, **data) -> ComplaintEvent:
    """The step's event; `via` names what made a write through the API, stored exactly as
    intake stores it (`record_complaint(via=…)`, docs/api.md); the pages pass none."""
    if via:
        data["via"] = via
    return ComplaintEvent.objects.create(
        complaint=complaint, kind=kind, actor=by, at=at, note=note, data=data
    )


def _start_handling(complaint: Complaint) -> None:
    if complaint.status == Status.RECORDED:
        complaint.status = Status.IN_PROGRESS


def record_contact(
    complaint: Complaint,
    *,
    by: User,
    kind: str,
    method: str,
    summary: str,
    at: datetime | None = None,
    next_reply_due: datetime | None = None,
    signed: bool = True,
    now: datetime | None = None,
    via: dict | None = None,
) -> Contact:
    """A reply, progress update, explanation or website reply (R-REPLY-1..4, R-URG-2, R-HND-2).

    Every contact moves the 3-day contact clock; the agreed reply settles `reply_due`; a new
    agreed time (never later than the procedure allows) can be set with `next_reply_due`."""
    now = now or timezone.now()
    at = at or now
    step = STEPS["explain" if kind == Contact.Kind.EXPLANATION else "contact"]
    _require(by, complaint, step)
    reasons = []
    if at > now:
        reasons.append(_("The time of the contact cannot be in the future."))
    if not summary.strip():
        reasons.append(_("Write down what was said."))
    if kind == Contact.Kind.EXPLANATION and method not in (
        Contact.Method.VISIT,
        Contact.Method.NOTICE,
    ):
        reasons.append(_("An invalid complaint is explained in person or by a public notice."))
    with transaction.atomic():
        complaint = _lock(complaint)
        reasons += step.refused_now(complaint)
        if at < complaint.received_at:
            reasons.append(_("The contact cannot be before the complaint was received."))
        if next_reply_due and next_reply_due > complaint.reply_latest:
            reasons.append(_("The next reply cannot be later than the agreed limit."))
        if next_reply_due and next_reply_due < complaint.received_at:
            reasons.append(_("The agreed reply cannot be before the time of receipt."))
        elif next_reply_due and next_reply_due < at:  # agreed now for a time already past
            reasons.append(_("The next agreed reply cannot be before this contact."))
        if reasons:
            raise StepRefused(reasons)
        contact = Contact.objects.create(
            complaint=complaint,
            kind=kind,
            method=method,
            at=at,
            by=by,
            summary=summary,
            signed=signed,
        )
        complaint.next_contact_due = max(complaint.next_contact_due, at + CONTACT_INTERVAL)
        if kind == Contact.Kind.REPLY and complaint.replied_at is None:
            complaint.replied_at = at  # R-REPLY-3
        if next_reply_due:
            complaint.reply_due, complaint.replied_at = next_reply_due, None
        _start_handling(complaint)
        complaint.save()
        _event(
            complaint,
            ComplaintEvent.Kind.CONTACT,
            by=by,
            at=at,
            note=summary,
            contact=kind,
            via=via,
        )
        resolve_done(complaint=complaint, now=now)  # the notices this step finished
    return contact


def dispatch(
    complaint: Complaint,
    *,
    by: User,
    department: str,
    instructions: str,
    due_at: datetime,
    assignee: str = "",
    now: datetime | None = None,
    via: dict | None = None,
) -> Dispatch:
    """A work order (R-URG-1): the first one settles the urgent dispatch deadline."""
    now = now or timezone.now()
    step = STEPS["dispatch"]
    _require(by, complaint, step)
    reasons = [_("The work order cannot be due in the past.")] if due_at < now else []
    with transaction.atomic():
        complaint = _lock_for(step, complaint, reasons)
        order = Dispatch.objects.create(
            complaint=complaint,
            department=department,
            assignee=assignee,
            instructions=instructions,
            dispatched_at=now,
            due_at=due_at,
            by=by,
        )
        if complaint.dispatched_at is None:
            complaint.dispatched_at = now
        _start_handling(complaint)
        complaint.save()
        _event(
            complaint,
            ComplaintEvent.Kind.DISPATCHED,
            by=by,
            at=now,
            note=instructions,
            department=department,
            via=via,
        )
        resolve_done(complaint=complaint, now=now)  # the notices this step finished
    return order


def record_corrective_action(
    complaint: Complaint,
    *,
    by: User,
    cause: str,
    correction: str,
    prevention: str,
    now=None,
    via: dict | None = None,
) -> CorrectiveAction:
    """R-HND-1: the cause and the corrective and preventive actions."""
    now = now or timezone.now()
    step = STEPS["corrective_action"]
    _require(by, complaint, step)
    missing = [
        label
        for label, text in (
            (_("cause"), cause),
            (_("corrective action"), correction),
            (_("preventive action"), prevention),
        )
        if not text.strip()
    ]
    reasons = [_("Fill in: %(fields)s.") % {"fields": "、".join(missing)}] if missing else []
    with transaction.atomic():
        complaint = _lock_for(step, complaint, reasons)
        action = CorrectiveAction.objects.create(
            complaint=complaint,
            cause=cause,
            correction=correction,
            prevention=prevention,
            at=now,
            by=by,
        )
        _start_handling(complaint)
        complaint.save()
        _event(
            complaint,
            ComplaintEvent.Kind.CORRECTIVE_ACTION,
            by=by,
            at=now,
            note=correction,
            via=via,
        )
    return action


def handling_missing(complaint: Complaint) -> list[str]:
    """What R-HND-1/2 (and R-REPLY-4) still ask for before the complaint counts as handled."""
    missing = []
    if (
        complaint.channel == "website"
        and not complaint.contacts.filter(
            Q(kind=Contact.Kind.WEBSITE_REPLY) | Q(method=Contact.Method.WEBSITE)
        ).exists()
    ):
        # R-REPLY-4: a website complaint is answered on the website (signed or not).
        missing.append(_("the reply on the website (R-REPLY-4)"))
    return missing + _handling_done_missing(complaint)


def _handling_done_missing(complaint: Complaint) -> list[str]:
    if complaint.classification == "invalid":
        # Only a manager or supervisor records an explanation (record_contact), so one that
        # exists counts even after its author left the office.
        explained = complaint.contacts.filter(kind=Contact.Kind.EXPLANATION).exists()
        return (
            []
            if explained
            else [_("the explanation by the manager or supervisor (visit or notice)")]
        )
    if not complaint.corrective_actions.exists():
        return [_("the cause and the corrective and preventive actions")]
    return []


def resolve(
    complaint: Complaint, *, by: User, now: datetime | None = None, via: dict | None = None
) -> Complaint:
    """Handling is finished: the revisit is due within 24 hours (R-REV-1)."""
    now = now or timezone.now()
    step = STEPS["resolve"]
    _require(by, complaint, step)
    with transaction.atomic():
        complaint = _lock(complaint)
        reasons = [_("Missing: %(what)s.") % {"what": item} for item in handling_missing(complaint)]
        reasons += step.refused_now(complaint)
        if reasons:
            raise StepRefused(reasons)
        complaint.status = Status.RESOLVED
        complaint.resolved_at = now
        complaint.revisit_due = now + REVISIT_WITHIN
        complaint.save()
        _event(complaint, ComplaintEvent.Kind.RESOLVED, by=by, at=now, via=via)
        resolve_done(complaint=complaint, now=now)  # the notices this step finished
    return complaint


def record_revisit(
    complaint: Complaint,
    *,
    by: User | None,
    method: str,
    outcome: str,
    courteous: bool | None = None,
    remarks: str = "",
    now: datetime | None = None,
    via: dict | None = None,
) -> Revisit:
    """R-REV-1/2: satisfied or understanding → waiting for the manager's approval; not
    satisfied → a NEW complaint linked to this one, which is superseded; unreachable → the
    attempt is counted and the complaint stays resolved.

    The resident's own answer on the tracking page is `by=None, method="online"` with `via`
    naming the page (docs/resident.md): no desk role to check, the rest exactly as at the desk."""
    now = now or timezone.now()
    step = STEPS["revisit"]
    if not (by is None and method == Revisit.Method.ONLINE):
        _require(by, complaint, step)
    reasons = []
    if outcome == Revisit.Outcome.UNSATISFIED and not remarks.strip():
        reasons.append(_("Write down what the customer is not satisfied with."))
    with transaction.atomic():
        complaint = _lock(complaint)
        reasons += step.refused_now(complaint)
        if reasons:
            raise StepRefused(reasons)
        revisit = Revisit.objects.create(
            complaint=complaint,
            method=method,
            outcome=outcome,
            courteous=courteous,
            remarks=remarks,
            at=now,
            by=by,
        )
        _event(
            complaint,
            ComplaintEvent.Kind.REVISITED,
            by=by,
            at=now,
            note=remarks,
            outcome=outcome,
            via=via,
        )
        if outcome == Revisit.Outcome.UNREACHABLE:
            complaint.revisit_attempts += 1
        elif outcome == Revisit.Outcome.UNSATISFIED:
            successor = _record_successor(
                complaint,
                by=by or _receiver_of_online_answer(complaint),
                method=method,
                remarks=remarks,
                now=now,
                via=via,
            )
            complaint.status = Status.SUPERSEDED
            _event(
                complaint,
                ComplaintEvent.Kind.SUPERSEDED,
                by=by,
                at=now,
                successor=successor.number,
                via=via,
            )
        else:
            complaint.status = Status.REVISITED
            complaint.revisited_at = now
            for manager in staff(complaint.office, Role.OFFICE_MANAGER):
                notify(
                    manager,
                    Notification.Kind.CLOSURE,
                    complaint=complaint,
                    key=f"closure:{complaint.pk}:{now.isoformat()}",
                    now=now,
                    number=complaint.number,
                )
        complaint.save()
        resolve_done(complaint=complaint, now=now)  # the notices this step finished
    return revisit


# R-REV-2: the new complaint reached us the way the revisit did.
REVISIT_CHANNEL = {
    Revisit.Method.PHONE: "phone",
    Revisit.Method.VISIT: "visit",
    Revisit.Method.EMAIL: "email",
    Revisit.Method.WEBSITE: "website",
    Revisit.Method.ONLINE: "website",  # the tracking page is the company's website
}


def _receiver_of_online_answer(complaint: Complaint) -> User:
    """R-REV-2 for the resident's own "not satisfied": the new complaint is received by the desk
    person who would have revisited — the complaint's receiver while they still work at its
    office, else a customer supervisor, an assistant or the manager there now."""
    if works_in(complaint.received_by, complaint.office):
        return complaint.received_by
    for role in (Role.CUSTOMER_SUPERVISOR, Role.CLIENT_ASSISTANT, Role.OFFICE_MANAGER):
        person = staff(complaint.office, role).order_by("pk").first()
        if person is not None:
            return person
    raise StepRefused([_("Nobody works at this office's desk to receive the new complaint.")])


def _record_successor(
    complaint: Complaint,
    *,
    by: User,
    method: str,
    remarks: str,
    now: datetime,
    via: dict | None = None,
) -> Complaint:
    """R-REV-2: the customer's opinion becomes a new complaint, handled again.

    Its own reply and contact clocks start at its own receipt (now); the day-10 alert and the
    day-15 report follow the customer's matter, counted from the first receipt of the chain
    (the predecessor's ladder, itself inherited), so an unsatisfied revisit never resets them."""
    fields = [
        "office", "complainant_name", "phone", "email", "building", "unit", "room", "address_note",
        "category", "classification", "responsible_party", "severity", "is_major", "temperament",
        "customer_request", "handler",
    ]  # fmt: skip
    successor = Complaint(**{name: getattr(complaint, name) for name in fields})
    successor.description = remarks
    successor.received_at = now
    successor.received_by = by
    successor.channel = REVISIT_CHANNEL.get(method, "phone")
    successor.linked_to = complaint
    successor.answered_at_once = False
    from complaints.deadlines import latest_reply
    from complaints.workcalendar import WorkCalendar

    successor.reply_due = latest_reply(
        now, WorkCalendar.for_office(complaint.office), complaint.office.zone
    )
    successor = record_complaint(successor, by=by, now=now, via=via)
    successor.alert_due, successor.report_due = complaint.alert_due, complaint.report_due
    successor.save(update_fields=["alert_due", "report_due"])
    return successor


def closure_missing(complaint: Complaint) -> list[str]:
    """Every condition of R-CLO-1..3 the complaint does not meet yet."""
    missing = STEPS["approve"].refused_now(complaint)
    if not complaint.is_complete:
        missing.append(
            _("the record is incomplete (%(fields)s)")
            % {"fields": ", ".join(map(str, complaint.missing_record_labels()))}
        )
    missing += handling_missing(complaint)
    last = complaint.revisits.order_by("-at").first()
    allowed = CLOSING_OUTCOMES[complaint.classification]
    if last is None or last.outcome not in allowed:
        missing.append(
            _("a revisit where the customer is satisfied")
            if complaint.classification == "valid"
            else _("a revisit where the customer says they understand")
        )
    return missing


def approve_closure(
    complaint: Complaint, *, by: User, now: datetime | None = None, via: dict | None = None
) -> Complaint:
    """R-CLO-3: the office manager checks record, handling and revisit, then closes."""
    now = now or timezone.now()
    _require(by, complaint, STEPS["approve"], ClosureRefused)
    with transaction.atomic():
        complaint = _lock(complaint)
        if complaint.status == Status.CLOSED:
            raise ClosureRefused([_("This complaint is already closed.")])
        missing = closure_missing(complaint)
        if missing:
            raise ClosureRefused(missing)
        complaint.status = Status.CLOSED
        complaint.closed_at = now
        complaint.closed_by = by
        complaint.save()
        _event(complaint, ComplaintEvent.Kind.CLOSED, by=by, at=now, via=via)
        resolve_done(complaint=complaint, now=now)  # the notices this step finished
    return complaint


def reject_closure(
    complaint: Complaint,
    *,
    by: User,
    reason: str,
    now: datetime | None = None,
    via: dict | None = None,
) -> Complaint:
    """The manager sends the complaint back to handling, saying why."""
    now = now or timezone.now()
    step = STEPS["reject"]
    _require(by, complaint, step)
    reasons = [] if reason.strip() else [_("Say why the closure is rejected.")]
    with transaction.atomic():
        complaint = _lock_for(step, complaint, reasons)
        complaint.status = Status.IN_PROGRESS
        complaint.resolved_at = complaint.revisit_due = complaint.revisited_at = None
        # The contact clock restarts from the rejection; the ladder keeps counting from receipt.
        complaint.next_contact_due = now + CONTACT_INTERVAL
        complaint.save()
        _event(complaint, ComplaintEvent.Kind.CLOSURE_REJECTED, by=by, at=now, note=reason, via=via)
        escalate_reopened(complaint, now=now)
        for user in {complaint.received_by, complaint.entered_by}:
            notify(  # only while they still hold a role here (followups.notices)
                user,
                Notification.Kind.REJECTED,
                complaint=complaint,
                key=f"rejected:{complaint.pk}:{now.isoformat()}",
                text=reason,
                now=now,
                number=complaint.number,
            )
        resolve_done(complaint=complaint, now=now)  # the notices this step finished
    return complaint


def tick_review_item(
    item,
    *,
    by: User,
    note: str,
    customer_updated: bool = False,
    method: str = Contact.Method.PHONE,
    now: datetime | None = None,
):
    """R-FUP-1: the assistant checks progress, updates the customer and notes it, per complaint.

    With `customer_updated` the update is recorded as the customer contact it is (R-URG-2), once,
    in the same transaction: it moves the 3-day clock and counts in standard 5, and nobody
    enters it a second time by hand."""
    from .models import ShiftReviewItem

    now = now or timezone.now()
    _require_roles(by, item.complaint, OFFICE_ROLES, _("review complaints"))
    if not note.strip():
        raise StepRefused([_("Note the progress and what the customer was told.")])
    with transaction.atomic():
        item = (
            ShiftReviewItem.objects.select_for_update().select_related("complaint").get(pk=item.pk)
        )
        if item.reviewed_at:
            raise StepRefused([_("This complaint has already been reviewed in this shift.")])
        item.reviewed_at, item.reviewed_by, item.note = now, by, note
        if customer_updated:
            item.contact = record_contact(
                item.complaint,
                by=by,
                kind=Contact.Kind.PROGRESS,
                method=method,
                summary=note,
                now=now,
            )
        item.save(update_fields=["reviewed_at", "reviewed_by", "note", "contact"])
        _event(item.complaint, ComplaintEvent.Kind.REVIEWED, by=by, at=now, note=note)
        resolve_done(kinds=[Notification.Kind.REVIEW_LATE], now=now)  # R-FUP-1
    return item


def report_major(
    complaint: Complaint,
    *,
    by: User,
    report: str,
    answer_expected_at: datetime,
    now: datetime | None = None,
    via: dict | None = None,
):
    """R-SEV-1: the office manager reports a major complaint to the branch leadership (the
    branch GM and the quality department are told), with the time the customer was told to
    expect an answer."""
    from .models import MajorReport

    now = now or timezone.now()
    step = STEPS["major_report"]
    _require(by, complaint, step)
    reasons = [] if report.strip() else [_("Write the report.")]
    if answer_expected_at < now - timedelta(minutes=5):
        reasons.append(_("The time the customer expects an answer cannot be in the past."))
    with transaction.atomic():
        complaint = _lock(complaint)
        reasons += step.refused_now(complaint)
        if not complaint.is_major:
            reasons.append(_("Only a major complaint is reported to the branch leadership."))
        if MajorReport.objects.filter(complaint=complaint).exists():
            reasons.append(_("This major complaint has already been reported."))
        if reasons:
            raise StepRefused(reasons)
        major = MajorReport.objects.create(
            complaint=complaint,
            report=report,
            answer_expected_at=answer_expected_at,
            reported_at=now,
            reported_by=by,
        )
        answer_by = timezone.localtime(answer_expected_at, complaint.office.zone)
        _event(
            complaint,
            ComplaintEvent.Kind.MAJOR_TO_LEADERSHIP,
            by=by,
            at=now,
            note=report,
            answer_expected_at=answer_expected_at.isoformat(),
            via=via,
        )
        for user in staff(complaint.office, Role.BRANCH_GM, Role.QUALITY_DEPARTMENT):
            notify(
                user,
                Notification.Kind.MAJOR_TO_LEADERSHIP,
                complaint=complaint,
                key=f"major_leadership:{complaint.pk}",
                text=report,
                now=now,
                number=complaint.number,
                office=complaint.office.name,
                answer_by=f"{answer_by:%Y-%m-%d %H:%M}",
            )
        resolve_done(complaint=complaint, now=now)  # the notices this step finished
    return major


def report_to_branch_gm(
    escalation, *, by: User, report: str, now: datetime | None = None, via: dict | None = None
):
    """R-FUP-3: on day 15 the office manager reports the complaint to the branch GM."""
    now = now or timezone.now()
    step = STEPS["escalation_report"]
    _require(by, escalation.complaint, step)
    reasons = []
    if escalation.level != 15:
        reasons.append(_("Only a day-15 escalation is reported to the branch general manager."))
    if not report.strip():
        reasons.append(_("Write the report."))
    with transaction.atomic():
        escalation = type(escalation).objects.select_for_update().get(pk=escalation.pk)
        reasons += step.refused_now(_lock(escalation.complaint))
        if escalation.reported_at:
            reasons.append(_("This escalation has already been reported."))
        if reasons:
            raise StepRefused(reasons)
        escalation.report, escalation.reported_at, escalation.reported_by = report, now, by
        escalation.save(update_fields=["report", "reported_at", "reported_by"])
        _event(
            escalation.complaint,
            ComplaintEvent.Kind.ESCALATED,
            by=by,
            at=now,
            note=report,
            level=15,
            via=via,
        )
        for gm in staff(escalation.complaint.office, Role.BRANCH_GM):
            notify(
                gm,
                Notification.Kind.GM_REPORT,
                complaint=escalation.complaint,
                key=f"gm_report:{escalation.pk}",
                text=report,
                now=now,
                number=escalation.complaint.number,
            )
        resolve_done(complaint=escalation.complaint, now=now)  # R-FUP-3: reported
    return escalation


def report_owed_to_branch_gm(
    complaint: Complaint, *, by: User, report: str, now: datetime | None = None, via=None
):
    """R-FUP-3 from the complaint: its day-15 escalation not reported yet, reported."""
    from .models import Escalation

    escalation = complaint.escalations.filter(
        level=Escalation.Level.DAY_15, reported_at__isnull=True
    ).first()
    if escalation is None:
        raise StepRefused([_("No day-15 report is owed for this complaint.")])
    return report_to_branch_gm(escalation, by=by, report=report, now=now, via=via)
