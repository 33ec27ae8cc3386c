"""The step forms of a complaint's page: each view parses one form and calls one workflow
function; refusals come back as a message listing every reason (STYLE 4), never an error page.
Roles are checked by the workflow; the lookup through `visible_to` keeps other offices' complaints
a 404 (STYLE 8)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from complaints.models import Complaint
from config import logs

from .. import workflow
from ..forms import (
    ContactForm,
    CorrectiveActionForm,
    DispatchForm,
    EscalationReportForm,
    RejectClosureForm,
    RevisitForm,
    form_reasons,
    keep_typed,
)
from ..models import Escalation, Revisit
from .refusals import refuse


def _complaint(request, pk) -> Complaint:
    complaint = get_object_or_404(
        Complaint.objects.visible_to(request.user).select_related("office"), pk=pk
    )
    logs.bind(complaint=complaint.number, office=complaint.office.code)
    return complaint


def _back(complaint: Complaint):
    return redirect(reverse("complaints:detail", args=[complaint.pk]))


def _step(request, complaint, form, run, done: str):
    """Validate `form`, run the step with its data, and go back to the complaint's page."""
    heading = _("%(number)s: not done.") % {"number": complaint.number}
    if form is not None and not form.is_valid():
        refuse(request, heading, form_reasons(form))
        keep_typed(request, complaint, request.resolver_match.url_name)
        return _back(complaint)
    try:
        result = run(form.cleaned_data if form is not None else {})
    except workflow.StepRefused as refused:
        refuse(request, heading, refused.reasons)
        if form is not None:
            keep_typed(request, complaint, request.resolver_match.url_name)
    else:
        messages.success(request, done(result) if callable(done) else done)
    return _back(complaint)


@login_required
@require_POST
def contact(request, pk):
    complaint = _complaint(request, pk)
    return _step(
        request,
        complaint,
        ContactForm(request.POST),
        lambda data: workflow.record_contact(complaint, by=request.user, **data),
        _("The contact with the customer was recorded."),
    )


@login_required
@require_POST
def dispatch(request, pk):
    complaint = _complaint(request, pk)
    return _step(
        request,
        complaint,
        DispatchForm(request.POST),
        lambda data: workflow.dispatch(complaint, by=request.user, **data),
        _("The work order was dispatched."),
    )


@login_required
@require_POST
def corrective_action(request, pk):
    complaint = _complaint(request, pk)
    return _step(
        request,
        complaint,
        CorrectiveActionForm(request.POST),
        lambda data: workflow.record_corrective_action(complaint, by=request.user, **data),
        _("The cause and the corrective and preventive actions were recorded."),
    )


@login_required
@require_POST
def resolve(request, pk):
    complaint = _complaint(request, pk)
    return _step(
        request,
        complaint,
        None,
        lambda _data: workflow.resolve(complaint, by=request.user),
        _("Handling is finished: revisit the customer within 24 hours."),
    )


def _revisit_done(revisit: Revisit) -> str:
    if revisit.outcome == Revisit.Outcome.UNSATISFIED:  # R-REV-2
        successor = revisit.complaint.linked_complaints.order_by("-pk").first()
        return _("The customer is not satisfied: new complaint %(number)s was recorded.") % {
            "number": successor.number
        }
    if revisit.outcome == Revisit.Outcome.UNREACHABLE:
        return _("The attempt was recorded; try the customer again.")
    return _("The revisit was recorded; the office manager is asked to approve the closure.")


@login_required
@require_POST
def revisit(request, pk):
    complaint = _complaint(request, pk)
    return _step(
        request,
        complaint,
        RevisitForm(request.POST),
        lambda data: workflow.record_revisit(complaint, by=request.user, **data),
        _revisit_done,
    )


@login_required
@require_POST
def approve(request, pk):
    complaint = _complaint(request, pk)
    return _step(
        request,
        complaint,
        None,
        lambda _data: workflow.approve_closure(complaint, by=request.user),
        _("The complaint is closed."),
    )


@login_required
@require_POST
def reject(request, pk):
    complaint = _complaint(request, pk)
    return _step(
        request,
        complaint,
        RejectClosureForm(request.POST),
        lambda data: workflow.reject_closure(complaint, by=request.user, **data),
        _("The closure was rejected; the complaint is back in handling."),
    )


def _report(complaint, *, by, report):
    escalation = complaint.escalations.filter(
        level=Escalation.Level.DAY_15, reported_at__isnull=True
    ).first()
    if escalation is None:
        raise workflow.StepRefused([_("No day-15 report is owed for this complaint.")])
    return workflow.report_to_branch_gm(escalation, by=by, report=report)


@login_required
@require_POST
def escalation_report(request, pk):
    complaint = _complaint(request, pk)
    return _step(
        request,
        complaint,
        EscalationReportForm(request.POST),
        lambda data: _report(complaint, by=request.user, **data),
        _("The report was sent to the branch general manager."),
    )
