"""The complaint list (filters, search, pages) and a complaint's page with its clocks."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from accounts.scoping import visible_offices

from .. import selectors
from ..filters import PAGE_SIZES, ComplaintFilterForm
from ..models import Complaint, confirmed_years
from ..timeleft import complaint_deadlines, next_deadline, waiting_for

# R-REC-3: the names of the parts `Complaint.missing_record_fields()` reports.
MISSING_PART_LABELS = {
    "contact": _("contact (phone or e-mail)"),
    "address": _("address (building and room, or another address)"),
}


def _missing_parts(complaint: Complaint) -> list[str]:
    return [
        MISSING_PART_LABELS.get(name) or Complaint._meta.get_field(name).verbose_name
        for name in complaint.missing_record_fields()
    ]


@login_required
@require_GET
def complaint_list(request):
    form = ComplaintFilterForm(request.GET, offices=visible_offices(request.user))
    form.is_valid()  # an invalid value is left out and explained, never a server error
    complaints = selectors.complaint_list(request.user, form.applied)
    page = Paginator(complaints, form.applied.get("per_page") or PAGE_SIZES[0]).get_page(
        request.GET.get("page")
    )
    now = timezone.now()
    context = {
        "form": form,
        "page": page,
        "page_range": page.paginator.get_elided_page_range(page.number, on_each_side=2),
        "rows": [(c, next_deadline(complaint_deadlines(c, now=now)), waiting_for(c)) for c in page],
        "filtered": any(
            value for name, value in form.applied.items() if name not in ("sort", "per_page")
        ),
        "several_offices": form.several_offices,
    }
    partial = request.htmx and not request.htmx.history_restore_request
    template = "complaints/partials/list_results.html" if partial else "complaints/list.html"
    response = render(request, template, context)
    patch_vary_headers(response, ("HX-Request",))
    return response


@login_required
@require_GET
def complaint_detail(request, pk):
    complaint = selectors.complaint_detail(request.user, pk)
    now = timezone.now()
    deadlines = complaint_deadlines(complaint, now=now)
    confirmed = confirmed_years(complaint.office.branch_id)  # the quality department's
    zone = complaint.office.zone
    return render(
        request,
        "complaints/detail.html",
        {
            "complaint": complaint,
            "deadlines": deadlines,
            "provisional": {
                d.key for d in deadlines if d.due.astimezone(zone).year not in confirmed
            },
            "waiting_for": waiting_for(complaint),
            "missing_parts": _missing_parts(complaint),
            "now": now,
        },
    )
