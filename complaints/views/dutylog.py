"""The duty log page (R-LOG-1), the shift handover (R-LOG-2) and the website scans (R-CHAN-2)."""

from datetime import date, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.scoping import visible_offices
from accounts.staffing import offices_worked_in, works_in

from ..dutylog import (
    DutyLogRefused,
    add_duty_log_line,
    countersign_handover,
    hand_over_shift,
    record_website_scan,
    update_duty_log_line,
)
from ..forms import EARLIEST_DATE, LATEST_DATE
from ..forms_dutylog import (
    DutyLogDayForm,
    DutyLogLineForm,
    DutyLogUpdateForm,
    HandoverForm,
    ScanOfficeForm,
    WebsiteScanForm,
)
from ..models import DutyLogEntry, ShiftHandover
from ..selectors_dutylog import (
    handovers_of_day,
    last_scanned_site,
    lines_of_day,
    office_today,
    recent_scans,
    scans_today,
    unfinished_lines,
)

LINES_PER_PAGE = 50
SCANS_PER_PAGE = 20
SCANS_PER_DAY = 2  # R-CHAN-2: at least twice a day


def _default_office(user):
    """The office shown first: the user's own, else the first they may read."""
    office = offices_worked_in(user).first() or visible_offices(user).first()
    if office is None:
        raise PermissionDenied(_("Only office and branch staff read the duty log."))
    return office


def _page_url(name: str, office, day: date | None = None, anchor: str = "") -> str:
    query = {"office": office.pk, **({"day": day.isoformat()} if day else {})}
    return f"{reverse(name)}?{urlencode(query)}{anchor}"


def _posted_day(request, office) -> date:
    """The day the page showed when a form was posted; today when it is missing, malformed
    or out of the desk's years (a year 1 would overflow the previous-day link)."""
    try:
        day = parse_date(request.POST.get("day", ""))
    except ValueError:
        day = None
    if day is None or not EARLIEST_DATE <= day <= LATEST_DATE:
        return office_today(office)
    return day


def _add_reasons(form, refused: DutyLogRefused) -> None:
    for field, reason in refused.reasons.items():
        form.add_error(field if field in form.fields else None, reason)


def _write(request, form_class, write):
    """Parse the posted form of a record the user writes at an office they work in, and write
    it (`write(by=user, **data)`): (the record, the form, its office), or (None, the bound form
    with every refusal on its fields, the office to show it at)."""
    default = _default_office(request.user)  # no office at all: refused before anything
    form = form_class(request.POST, offices=offices_worked_in(request.user))
    if form.is_valid():
        try:
            record = write(by=request.user, **form.cleaned_data)
        except DutyLogRefused as refused:
            _add_reasons(form, refused)
        else:
            return record, form, record.office
    return None, form, form.cleaned_data.get("office") or default


def _render_dutylog(
    request,
    office,
    day,
    *,
    status=200,
    day_form=None,
    line_form=None,
    handover_form=None,
    update_form=None,
    refusals=(),
):
    """The page of one office's day; bound forms passed in are shown with their errors."""
    user = request.user
    can_act = works_in(user, office)
    page = Paginator(lines_of_day(user, office, day), LINES_PER_PAGE).get_page(
        request.GET.get("page")
    )
    bound_pk, bound_form = update_form or (None, None)
    rows = [
        (line, bound_form if line.pk == bound_pk else DutyLogUpdateForm.for_line(line))
        for line in page
    ]
    own = offices_worked_in(user)
    if can_act and line_form is None:
        now = timezone.localtime(timezone.now(), office.zone).replace(second=0, microsecond=0)
        line_form = DutyLogLineForm(initial={"office": office, "occurred_at": now}, offices=own)
    if can_act and handover_form is None:
        handover_form = HandoverForm(
            initial={"office": office, "items": _pending_items(user, office, day)}, offices=own
        )
    context = {
        "office": office,
        "offices": visible_offices(user),
        "day": day,
        "previous_day": day - timedelta(days=1),
        "next_day": day + timedelta(days=1),
        "is_today": day == office_today(office),
        "page_query": urlencode({"office": office.pk, "day": day.isoformat()}),
        "day_form": day_form,
        "page": page,
        "rows": rows,
        "handovers": handovers_of_day(user, office, day),
        "can_act": can_act,
        "line_form": line_form,
        "handover_form": handover_form,
        "refusals": refusals,
    }
    return render(request, "complaints/dutylog.html", context, status=status)


def _pending_items(user, office, day) -> str:
    """The handover proposed to the outgoing assistant: the day's lines not done (R-LOG-2)."""
    return "\n".join(
        " ".join(
            part
            for part in (
                f"{timezone.localtime(line.occurred_at, office.zone):%H:%M}",
                line.customer_name,
                line.matter,
                line.handover_note,
            )
            if part
        )
        for line in unfinished_lines(user, office, day)
    )


@login_required
@require_GET
def dutylog(request):
    """The duty log of one office's day (R-LOG-1), default: the user's office, today."""
    offices, default = visible_offices(request.user), _default_office(request.user)
    form = DutyLogDayForm(request.GET, offices=offices)
    form.is_valid()  # fields that parsed are used, the others fall back to the defaults
    office = form.cleaned_data.get("office") or default
    day = form.cleaned_data.get("day") or office_today(office)
    status = 400 if form.errors else 200
    return _render_dutylog(request, office, day, day_form=form, status=status)


@login_required
@require_POST
def dutylog_add(request):
    """Add an inquiry, a repair request or another matter to the duty log."""
    line, form, office = _write(request, DutyLogLineForm, add_duty_log_line)
    if line:
        messages.success(request, _("The line was added to the duty log."))
        day = office_today(line.office, line.occurred_at)
        return redirect(_page_url("complaints:dutylog", line.office, day, f"#line-{line.pk}"))
    day = _posted_day(request, office)
    return _render_dutylog(request, office, day, line_form=form, status=400)


@login_required
@require_POST
def dutylog_update(request, pk):
    """Handler, handling status, done and handover items of one line; htmx swaps the line."""
    lines = DutyLogEntry.objects.visible_to(request.user).select_related(
        "office", "recorder", "complaint"
    )
    line = get_object_or_404(lines, pk=pk)
    form = DutyLogUpdateForm.for_line(line, request.POST)
    if form.is_valid():
        try:
            update_duty_log_line(line, by=request.user, **form.cleaned_data)
        except DutyLogRefused as refused:
            raise PermissionDenied(" ".join(refused.reasons.values())) from refused
        if request.htmx:
            line = lines.get(pk=pk)
            form = DutyLogUpdateForm.for_line(line)
            context = {"line": line, "form": form, "can_act": True, "saved": True}
            return render(request, "complaints/partials/dutylog_line.html", context)
        messages.success(request, _("The line was updated."))
        day = office_today(line.office, line.occurred_at)
        return redirect(_page_url("complaints:dutylog", line.office, day, f"#line-{line.pk}"))
    if request.htmx:
        context = {"line": line, "form": form, "can_act": True}
        return render(request, "complaints/partials/dutylog_line.html", context, status=400)
    day = office_today(line.office, line.occurred_at)
    return _render_dutylog(request, line.office, day, update_form=(line.pk, form), status=400)


@login_required
@require_POST
def handover_new(request):
    """The outgoing assistant writes the handover items and signs (R-LOG-2)."""
    handover, form, office = _write(request, HandoverForm, hand_over_shift)
    if handover:
        messages.success(
            request, _("The handover is signed; the incoming assistant countersigns it.")
        )
        day = office_today(handover.office, handover.handed_over_at)
        anchor = f"#handover-{handover.pk}"
        return redirect(_page_url("complaints:dutylog", handover.office, day, anchor))
    day = _posted_day(request, office)
    return _render_dutylog(request, office, day, handover_form=form, status=400)


@login_required
@require_POST
def handover_sign(request, pk):
    """The incoming assistant countersigns the handover, once (R-LOG-2)."""
    handover = get_object_or_404(
        ShiftHandover.objects.visible_to(request.user).select_related("office"), pk=pk
    )
    day = office_today(handover.office, handover.handed_over_at)
    try:
        countersign_handover(handover, by=request.user)
    except DutyLogRefused as refused:
        if "office" in refused.reasons:
            raise PermissionDenied(refused.reasons["office"]) from refused
        return _render_dutylog(
            request, handover.office, day, refusals=list(refused.reasons.values()), status=400
        )
    messages.success(request, _("You countersigned the handover."))
    anchor = f"#handover-{handover.pk}"
    return redirect(_page_url("complaints:dutylog", handover.office, day, anchor))


def _render_scans(request, office, *, status=200, office_form=None, scan_form=None):
    user = request.user
    can_act = works_in(user, office)
    if can_act and scan_form is None:
        scan_form = WebsiteScanForm(
            initial={"office": office, "site": last_scanned_site(user, office)},
            offices=offices_worked_in(user),
        )
    today = scans_today(user, office)
    page = Paginator(recent_scans(user, office), SCANS_PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "office": office,
        "offices": visible_offices(user),
        "office_form": office_form,
        "page": page,
        "page_query": urlencode({"office": office.pk}),
        "today_count": today,
        "too_few_today": today < SCANS_PER_DAY,
        "scans_per_day": SCANS_PER_DAY,
        "can_act": can_act,
        "scan_form": scan_form,
    }
    return render(request, "complaints/scans.html", context, status=status)


@login_required
@require_GET
def scans(request):
    """The website scans of one office (R-CHAN-2): today's count, the list, the form."""
    offices, default = visible_offices(request.user), _default_office(request.user)
    form = ScanOfficeForm(request.GET, offices=offices)
    form.is_valid()
    office = form.cleaned_data.get("office") or default
    return _render_scans(request, office, office_form=form, status=400 if form.errors else 200)


@login_required
@require_POST
def scan_add(request):
    """Record a website scan: who (the user), when (now), what was found (R-CHAN-2)."""
    scan, form, office = _write(request, WebsiteScanForm, record_website_scan)
    if scan:
        if scan.findings:
            messages.success(
                request, _("The scan is recorded. Record each finding as a complaint.")
            )
        else:
            messages.success(request, _("The scan is recorded."))
        return redirect(_page_url("complaints:scans", scan.office))
    return _render_scans(request, office, scan_form=form, status=400)
