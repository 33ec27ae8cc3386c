"""The step forms of a complaint's page: each view parses one form and calls one workflow
function; refusals come back as a message listing every reason, never an error page.
Each step's form comes from the step table (followups.steps); roles, statuses and classes are
checked by the workflow from the same table; the lookup through `visible_to` keeps other offices'
complaints a 404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST

from complaints.attachments import AttachmentRefused, attach_files
from complaints.models import Attachment, Complaint
from complaints.views.refusals import refuse
from config import logs

from .. import workflow
from ..forms import form_reasons, keep_typed
from ..models import Escalation, Revisit
from ..steps import STEPS


def _complaint(request, pk) -> Complaint:
    complaint = get_object_or_404(
        Complaint.objects.visible_to(request.user).select_related("office"), pk=pk
    )
    logs.bind(complaint=complaint.number, office=complaint.office.code)
    return complaint


def _back(complaint: Complaint):
    return redirect(reverse("complaints:detail", args=[complaint.pk]))


def _step(request, complaint, name: str, run, done: str):
    """Validate the step's form, run the step with its data, and go back to the complaint's
    page; what was typed in a refused step is kept for the form (under the step's name)."""
    heading = _("%(number)s: not done.") % {"number": complaint.number}
    form_class = STEPS[name].form
    form = form_class(request.POST, request.FILES) if form_class else None
    if form is not None and not form.is_valid():
        refuse(request, heading, form_reasons(form))
        keep_typed(request, complaint, name)
        return _back(complaint)
    data = dict(form.cleaned_data) if form is not None else {}
    files = data.pop("files", [])
    try:
        with transaction.atomic():  # the step and its photos, or neither
            result = run(data)
            _attach(request, complaint, files, result)
    except (workflow.StepRefused, AttachmentRefused) as refused:
        refuse(request, heading, refused.reasons)
        if form is not None:
            keep_typed(request, complaint, name)
    else:
        messages.success(request, done(result) if callable(done) else str(done))
    return _back(complaint)


def _attach(request, complaint, files, record) -> None:
    """The step form's photos and documents, on the record the step wrote (the step names
    match `Attachment.Step`: contact, dispatch, corrective_action, revisit)."""
    if files:
        step = Attachment.Step(request.resolver_match.url_name)
        attach_files(complaint, by=request.user, files=files, step=step, record_id=record.pk)


def _revisit_done(revisit: Revisit) -> str:
    if revisit.outcome == Revisit.Outcome.UNSATISFIED:  # R-REV-2
        successor = revisit.complaint.linked_complaints.order_by("-pk").first()
        return _("The customer is not satisfied: new complaint %(number)s was recorded.") % {
            "number": successor.number
        }
    if revisit.outcome == Revisit.Outcome.UNREACHABLE:
        return _("The attempt was recorded; try the customer again.")
    return _("The revisit was recorded; the office manager is asked to approve the closure.")


def _report(complaint, *, by, report):
    escalation = complaint.escalations.filter(
        level=Escalation.Level.DAY_15, reported_at__isnull=True
    ).first()
    if escalation is None:
        raise workflow.StepRefused([_("No day-15 report is owed for this complaint.")])
    return workflow.report_to_branch_gm(escalation, by=by, report=report)


# What each step's POST runs — a workflow function called as `run(complaint, by=user, **data)`,
# data being its form's (none for a step without a form) — and what it says when done.
RUNS = {
    "contact": (workflow.record_contact, _lazy("The contact with the customer was recorded.")),
    "dispatch": (workflow.dispatch, _lazy("The work order was dispatched.")),
    "corrective_action": (
        workflow.record_corrective_action,
        _lazy("The cause and the corrective and preventive actions were recorded."),
    ),
    "resolve": (
        workflow.resolve,
        _lazy("Handling is finished: revisit the customer within 24 hours."),
    ),
    "revisit": (workflow.record_revisit, _revisit_done),
    "approve": (workflow.approve_closure, _lazy("The complaint is closed.")),
    "reject": (
        workflow.reject_closure,
        _lazy("The closure was rejected; the complaint is back in handling."),
    ),
    "escalation_report": (_report, _lazy("The report was sent to the branch general manager.")),
    "major_report": (
        workflow.report_major,
        _lazy("The major complaint was reported to the branch leadership."),
    ),
}


def _step_view(name: str):
    run, done = RUNS[name]

    @login_required
    @require_POST
    def step(request, pk):
        complaint = _complaint(request, pk)
        return _step(
            request, complaint, name, lambda data: run(complaint, by=request.user, **data), done
        )

    step.__name__ = step.__qualname__ = name
    return step


# The views, one a step, by the step's URL name (followups/urls.py routes them).
VIEWS = {name: _step_view(name) for name in RUNS}
