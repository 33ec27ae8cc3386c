"""The follow-up blocks of a complaint's page:

    {% load followups_tags %}
    {% complaint_actions complaint %}    the step forms this user may use now
    {% complaint_followups complaint %}  contacts, dispatches, actions, revisits, escalations

Which forms show is a courtesy: the workflow still checks every step."""

from datetime import timedelta

from django import template
from django.utils import timezone
from django.utils.timesince import timesince

from accounts.models import Membership
from accounts.roles import OFFICE_ROLES, Role
from complaints.models import Classification, Status

from ..forms import (
    ContactForm,
    CorrectiveActionForm,
    DispatchForm,
    EscalationReportForm,
    RejectClosureForm,
    RevisitForm,
    take_typed,
)
from ..models import Contact, Escalation
from ..workflow import HANDLING_STATUSES, closure_missing, handling_missing

register = template.Library()

CONTACT_STATUSES = (*HANDLING_STATUSES, Status.RESOLVED)
WORK_ORDER_DUE_IN = timedelta(hours=2)  # only the form's proposal; the user sets the time


def _roles_in_office(user, complaint) -> set[str]:
    """The user's roles in the complaint's office: a manager elsewhere is no manager here."""
    if not user.is_authenticated:
        return set()
    return set(
        Membership.objects.filter(user=user, office_id=complaint.office_id).values_list(
            "role", flat=True
        )
    )


def _contact_form(complaint, roles, data=None) -> ContactForm:
    explains = complaint.classification == Classification.INVALID and bool(
        roles & {Role.OFFICE_MANAGER, Role.CUSTOMER_SUPERVISOR}
    )  # R-HND-2
    if explains and complaint.status in HANDLING_STATUSES:
        initial = {"kind": Contact.Kind.EXPLANATION, "method": Contact.Method.VISIT}
    elif complaint.replied_at is None and not complaint.answered_at_once:
        initial = {"kind": Contact.Kind.REPLY, "method": Contact.Method.PHONE}
    else:
        initial = {"kind": Contact.Kind.PROGRESS, "method": Contact.Method.PHONE}
    return ContactForm(data, initial=initial, may_explain=explains)


@register.filter
def overdue_for(due, now) -> str:
    """How long ago `due` passed, in its largest unit: `2 months`, `5 hours`."""
    return timesince(due, now, depth=1)


@register.inclusion_tag("followups/partials/actions.html", takes_context=True)
def complaint_actions(context, complaint):
    user = context["request"].user
    roles = _roles_in_office(user, complaint)
    office_staff = bool(roles & OFFICE_ROLES)
    manager = Role.OFFICE_MANAGER in roles
    status = complaint.status
    handling = status in HANDLING_STATUSES
    now = timezone.now()
    typed = take_typed(context["request"], complaint)  # a refused step comes back filled in
    steps = {}
    if office_staff and status in CONTACT_STATUSES:
        steps["contact"] = _contact_form(complaint, roles, typed.get("contact"))
    if office_staff and handling:
        due = timezone.localtime(now + WORK_ORDER_DUE_IN).replace(second=0, microsecond=0)
        steps["dispatch"] = DispatchForm(typed.get("dispatch"), initial={"due_at": due})
        if complaint.classification != Classification.INVALID:  # R-HND-1
            steps["corrective_action"] = CorrectiveActionForm(typed.get("corrective_action"))
        steps["resolve"] = handling_missing(complaint)
    if office_staff and status == Status.RESOLVED:
        steps["revisit"] = RevisitForm(typed.get("revisit"), initial={"method": "phone"})
    if manager and status == Status.REVISITED:
        steps["approve"] = closure_missing(complaint)  # R-CLO-3
        steps["reject"] = RejectClosureForm(typed.get("reject"))
    escalation = None
    if manager and complaint.is_open:
        escalation = complaint.escalations.filter(
            level=Escalation.Level.DAY_15, reported_at__isnull=True
        ).first()
        if escalation:  # R-FUP-3
            steps["escalation_report"] = EscalationReportForm(typed.get("escalation_report"))
    return {
        "complaint": complaint,
        "steps": steps,
        "escalation": escalation,
        "waiting_for_approval": status == Status.REVISITED and not manager,
        "office_staff": office_staff,
        "request": context["request"],
    }


@register.inclusion_tag("followups/partials/history.html")
def complaint_followups(complaint):
    return {
        "complaint": complaint,
        "contacts": list(complaint.contacts.select_related("by")),
        "dispatches": list(complaint.dispatches.select_related("by")),
        "corrective_actions": list(complaint.corrective_actions.select_related("by")),
        "revisits": list(complaint.revisits.select_related("by")),
        "escalations": list(complaint.escalations.select_related("reported_by")),
    }
