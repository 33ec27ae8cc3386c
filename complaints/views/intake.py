"""Intake at the front desk: the form, the repeat-caller lookup, and the answer script."""

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.roles import Role
from accounts.scoping import visible_offices
from accounts.staffing import offices_worked_in

from ..attachments import AttachmentRefused, attach_files
from ..deadlines import latest_reply
from ..forms import TEXT_MAX_LENGTH, IntakeForm, validate_desk_date
from ..models import Attachment, Complaint, ComplaintEvent, Status, Unit, WebsiteScan
from ..selectors import earlier_complaints
from ..timeleft import complaint_deadlines
from ..workcalendar import WorkCalendar
from ..workflow import IntakeRefused, intake_refusals, log_repeat_call, record_complaint
from .browse import missing_part_labels


def _id(value: str) -> int | None:
    """An id from a query string, or None. Plain ASCII digits only: `"²".isdigit()` is true
    and `int("²")` a ValueError, which would be a 500 (docs/security.md, hostile input)."""
    return int(value) if value.isascii() and value.isdigit() else None


def _intake_offices(user):
    """Office staff record at their own desks; the branch quality department records
    complaints that reached the branch, for any office of the branch (R-QD-1).
    Returns (offices, branch_intake)."""
    worked = offices_worked_in(user)
    if worked.exists() or not user.has_role(Role.QUALITY_DEPARTMENT):
        return worked, False
    return visible_offices(user), True


def _proposed_reply(office, received_at):
    """R-REPLY-2: the form proposes the latest agreed reply the procedure allows."""
    return timezone.localtime(
        latest_reply(received_at, WorkCalendar.for_office(office), office.zone)
    )


def _initial(request, offices, branch_intake):
    office = offices[0]
    now = timezone.localtime().replace(second=0, microsecond=0)
    initial = {
        "office": office,
        "channel": "branch" if branch_intake else "phone",
        "received_at": now,
        "received_by": request.user,
        "reply_due": _proposed_reply(office, now),
    }
    scan_id = _id(request.GET.get("scan", ""))
    if scan_id is not None:  # R-CHAN-2: a finding of the website scan, one click away
        scan = get_object_or_404(WebsiteScan.objects.visible_to(request.user), pk=scan_id)
        initial.update(
            office=scan.office, channel="website", website_scan=scan, description=scan.findings
        )
    return initial


@login_required
def intake(request):
    form_options = _form_options(request)
    if request.method == "POST":
        form = IntakeForm(request.POST, request.FILES, **form_options)
        if form.is_valid():
            try:
                with transaction.atomic():  # the record and its photos, or neither
                    complaint = record_complaint(form.save(commit=False), by=request.user)
                    files, step = form.cleaned_data["files"], Attachment.Step.INTAKE
                    attach_files(complaint, by=request.user, files=files, step=step)
            except IntakeRefused as refused:
                _add_refusals(form, refused.reasons)
            except AttachmentRefused as refused:
                form.add_error("files", refused.reasons)
            else:
                return redirect("complaints:recorded", pk=complaint.pk)
        else:  # every refusal in one round: the rules too, for the parts typed correctly
            _add_refusals(form, intake_refusals(form.instance, by=request.user))
        status = 400
    else:
        initial = _initial(request, form_options["offices"], form_options["branch_intake"])
        form = IntakeForm(initial=initial, **form_options)
        status = 200
    return _render_intake(request, form, status=status)


def _add_refusals(form, reasons: dict[str, str]) -> None:
    for field, reason in reasons.items():
        if field not in form.errors:  # a field's own error says it first
            form.add_error(field if field in form.fields else None, reason)


def _form_options(request) -> dict:
    offices, branch_intake = _intake_offices(request.user)
    if not offices.exists():
        raise PermissionDenied(_("Only office staff record complaints."))
    return {"offices": offices, "user": request.user, "branch_intake": branch_intake}


def _render_intake(request, form, *, status):
    context = {"form": form, "branch_intake": form.fields.get("handler") is not None}
    return render(request, "complaints/intake.html", context, status=status)


@login_required
@require_GET
def lookup(request):
    """htmx: the customer's earlier complaints, open ones first, as the phone or room is typed."""
    complaints = earlier_complaints(
        request.user,
        phone=request.GET.get("phone", ""),
        building_id=_id(request.GET.get("building", "")),
        room=request.GET.get("room", ""),
    )
    linked = request.GET.get("linked_to") or request.GET.get("linked_initial") or ""
    return render(
        request,
        "complaints/partials/earlier_complaints.html",
        {"earlier": complaints, "linked": _id(linked)},
    )


@login_required
@require_GET
def units(request):
    """htmx: the unit options of the chosen building."""
    building = _id(request.GET.get("building", ""))
    units = Unit.objects.none()
    if building is not None:
        units = Unit.objects.filter(
            building_id=building, building__office__in=_intake_offices(request.user)[0]
        )
    return render(request, "complaints/partials/unit_options.html", {"units": units})


@login_required
@require_GET
def reply_latest(request):
    """htmx: the proposed agreed reply when the time of receipt or the office changes."""
    offices, branch_intake = _intake_offices(request.user)
    office = offices.filter(pk=_id(request.GET.get("office", "")) or 0).first() or offices.first()
    try:
        received_at = parse_datetime(request.GET.get("received_at", ""))
        if received_at is not None:
            validate_desk_date(received_at)
    except (ValueError, ValidationError):  # 2026-02-30T10:00 parses as a shape, not a time
        received_at = None
    if office is None or received_at is None:
        return HttpResponseBadRequest(_("Give the office and the time of receipt."))
    if timezone.is_naive(received_at):
        received_at = timezone.make_aware(received_at, office.zone)
    form = IntakeForm(
        initial={"reply_due": _proposed_reply(office, received_at)},
        offices=offices,
        user=request.user,
        branch_intake=branch_intake,
    )
    return render(request, "complaints/partials/reply_due.html", {"form": form})


@login_required
@require_POST
def guide(request):
    """htmx: while the form is typed, what the record still lacks (R-REC-3), the answer script
    of the chosen class (R-CLS-5) and the deadlines it will get (R-REC-2, R-URG-1, R-REPLY-2,
    R-URG-2) — before saving. Reads the typed form; writes nothing."""
    form = IntakeForm(request.POST, **_form_options(request))
    form.is_valid()
    complaint = form.instance
    reasons = intake_refusals(complaint, by=request.user)
    typed_wrong = [  # a value typed but refused (a phone with letters), not one still empty
        form.fields[name].label
        for name in form.errors
        if name in form.fields and request.POST.get(name, "").strip()
    ]
    context = {
        "complaint": complaint,
        "missing": missing_part_labels(complaint),
        "typed_wrong": typed_wrong,
        "reasons": [reason for name, reason in reasons.items() if name not in form.errors],
        "deadlines_known": bool(complaint.office_id and complaint.received_at),
    }
    return render(request, "complaints/partials/intake_guide.html", context)


@login_required
def recorded(request, pk):
    """After saving: the number, the class-specific answer script (R-CLS-5), and for a major
    complaint the word that the office manager has been told (R-SEV-1). After a repeat call
    (`?call=<event>`): that the call was added, and the promises as they stand now."""
    complaint = get_object_or_404(
        Complaint.objects.visible_to(request.user).select_related("office", "category"), pk=pk
    )
    call = None
    call_id = _id(request.GET.get("call", ""))
    if call_id is not None:
        call = complaint.events.filter(pk=call_id, kind=ComplaintEvent.Kind.REPEAT_CALL).first()
    now = timezone.now()
    pending = [d for d in complaint_deadlines(complaint, now=now) if d.left.is_pending]
    context = {
        "complaint": complaint,
        "call": call,
        "pending": pending,
        "waiting_for_closure": complaint.status == Status.REVISITED,
        "now": now,
    }
    return render(request, "complaints/recorded.html", context)


@login_required
@require_POST
def repeat_call(request, pk):
    """A repeat call about an open complaint is added to it, not recorded twice."""
    complaint = get_object_or_404(Complaint.objects.visible_to(request.user), pk=pk)
    note_field = forms.CharField(
        max_length=TEXT_MAX_LENGTH,
        error_messages={"required": _("Say what the customer said on this call.")},
    )
    try:  # NUL characters, megabytes: a message, never a 500 (docs/security.md)
        note = note_field.clean(request.POST.get("description") or request.POST.get("note"))
    except ValidationError as invalid:
        # Everything typed comes back with the reason, nothing is lost.
        form = IntakeForm(request.POST, **_form_options(request))
        if not form.has_error("description"):
            form.add_error("description", invalid)
        return _render_intake(request, form, status=400)
    try:
        event = log_repeat_call(complaint, by=request.user, note=note)
    except IntakeRefused as refused:
        raise PermissionDenied(" ".join(refused.reasons.values())) from refused
    # One message, on the page itself: the call was added (nothing new was recorded).
    url = reverse("complaints:recorded", args=[complaint.pk])
    return redirect(f"{url}?call={event.pk}")
