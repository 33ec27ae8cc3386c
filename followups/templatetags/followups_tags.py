"""The follow-up blocks of a complaint's page:

    {% load followups_tags %}
    {% complaint_actions complaint %}    the step forms this user may use now
    {% complaint_followups complaint %}  contacts, dispatches, actions, revisits, escalations

Which forms show comes from the step table (followups.steps), which the workflow checks too."""

from datetime import timedelta

from django import template
from django.utils import timezone
from django.utils.timesince import timesince

from accounts.roles import OFFICE_ROLES
from accounts.staffing import roles_of
from complaints.models import Status

from ..forms import ContactForm, take_typed
from ..models import Contact, Escalation, MajorReport
from ..steps import HANDLING, STEPS, open_steps
from ..workflow import closure_missing, handling_missing

register = template.Library()

WORK_ORDER_DUE_IN = timedelta(hours=2)  # only the form's proposal; the user sets the time


def _contact_form(complaint, *, explains: bool, data=None) -> ContactForm:
    if explains and complaint.status in HANDLING:  # R-HND-2
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


def _owed_report(complaint):
    """The day-15 escalation whose report to the branch GM is still owed (R-FUP-3), if any."""
    return complaint.escalations.filter(
        level=Escalation.Level.DAY_15, reported_at__isnull=True
    ).first()


@register.inclusion_tag("followups/partials/actions.html", takes_context=True)
def complaint_actions(context, complaint):
    """The forms of the steps open to this user now (followups.steps decides, as it does for
    the workflow); a refused step comes back filled in with what was typed."""
    user = context["request"].user
    roles = roles_of(user, complaint.office)  # a manager elsewhere is no manager here
    open_names = {step.name for step in open_steps(roles, complaint)}
    typed = take_typed(context["request"], complaint)
    steps = {}
    escalation = _owed_report(complaint) if "escalation_report" in open_names else None
    for name in open_names - {"explain"}:
        if name == "contact":
            explains = "explain" in open_names
            steps[name] = _contact_form(complaint, explains=explains, data=typed.get(name))
        elif name == "dispatch":
            due = timezone.localtime(timezone.now() + WORK_ORDER_DUE_IN)
            initial = {"due_at": due.replace(second=0, microsecond=0)}
            steps[name] = STEPS[name].form(typed.get(name), initial=initial)
        elif name == "revisit":
            steps[name] = STEPS[name].form(typed.get(name), initial={"method": "phone"})
        elif name == "resolve":
            steps[name] = handling_missing(complaint)
        elif name == "approve":
            steps[name] = closure_missing(complaint)  # R-CLO-3
        elif name == "escalation_report":
            if escalation:
                steps[name] = STEPS[name].form(typed.get(name))
        elif name == "major_report":  # R-SEV-1: a major complaint not reported yet
            if complaint.is_major and not MajorReport.objects.filter(complaint=complaint).exists():
                steps[name] = STEPS[name].form(typed.get(name))
        else:
            steps[name] = STEPS[name].form(typed.get(name))
    return {
        "complaint": complaint,
        "steps": steps,
        "escalation": escalation,
        "waiting_for_approval": complaint.status == Status.REVISITED and "approve" not in steps,
        "office_staff": bool(roles & OFFICE_ROLES),
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
