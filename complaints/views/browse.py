"""The complaint list (filters, search, pages) and a complaint's page with its clocks."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import QueryDict
from django.shortcuts import render
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from accounts.scoping import visible_offices

from .. import searchtext, selectors
from ..filters import PAGE_SIZES, ComplaintFilterForm
from ..forms import RecordForm
from ..models import Complaint, ComplaintEvent, Status, confirmed_years
from ..selectors import OPEN
from ..timeleft import complaint_deadlines, next_deadline, waiting_for
from ..workflow import may_complete_record

# What a search matched, by segment of the search text (complaints/searchtext.py).
MATCHED_LABELS = {
    "number": _("number"),
    "phone": _("phone"),
    "complainant": _("complainant"),
    "address": _("address"),
    "category": _("category"),
    "description": _("what happened"),
    "request": _("what the customer asks for"),
}


def _matched(complaint: Complaint, query: searchtext.Query) -> list[str]:
    if query.empty:
        return []
    return [MATCHED_LABELS[name] for name in searchtext.matched(complaint.search_segments(), query)]


class SearchPaginator(Paginator):
    """A search's pages, counted up to `cap`: a common word ("噪音") matches thousands, and
    counting them all reads every matching row, while the first page needs 25
    (docs/performance.md). The list then says "more than 1,000"."""

    cap = 1000

    @cached_property
    def count(self) -> int:
        return self.object_list[: self.cap + 1].count()

    @property
    def capped(self) -> bool:
        return self.count > self.cap


def missing_part_labels(complaint: Complaint) -> list[str]:
    """R-REC-3: the names of the parts the record still lacks, for the user."""
    return complaint.missing_record_labels()


@login_required
@require_GET
def complaint_list(request):
    # The list opens on the open complaints; every other choice (all of them too) is a link.
    data = request.GET if request.GET else QueryDict(f"status={OPEN}")
    form = ComplaintFilterForm(data, offices=visible_offices(request.user))
    form.is_valid()  # an invalid value is left out and explained, never a server error
    complaints = selectors.complaint_list(request.user, form.applied)
    query = searchtext.parse(form.applied.get("q") or "")
    pages = Paginator if query.empty else SearchPaginator
    page = pages(complaints, form.applied.get("per_page") or PAGE_SIZES[0]).get_page(
        request.GET.get("page")
    )
    now = timezone.now()
    for complaint in page:
        complaint.search_matched = _matched(complaint, query)
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
    return render_detail(request, complaint)


def _standing_rejection(complaint: Complaint):
    """The manager's last closure rejection while the complaint is back in handling (R-CLO-3),
    read from the prefetched timeline."""
    if complaint.status not in (Status.RECORDED, Status.IN_PROGRESS):
        return None
    rejections = [
        e for e in complaint.events.all() if e.kind == ComplaintEvent.Kind.CLOSURE_REJECTED
    ]
    return rejections[-1] if rejections else None


def render_detail(request, complaint, *, record_form=None, status=200):
    """The complaint's page; `record_form` is a refused correction of the record, shown with
    its reasons (and opened) instead of a fresh one."""
    now = timezone.now()
    may_complete = may_complete_record(request.user, complaint, now=now)
    if may_complete and record_form is None:
        record_form = RecordForm(instance=complaint)
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
            "missing_parts": missing_part_labels(complaint),
            "now": now,
            "record_form": record_form if may_complete else None,
            "record_refused": status != 200,
            "rejection": _standing_rejection(complaint),
        },
        status=status,
    )
