"""My shift: the review of old open complaints due in the shift's first 30 minutes (R-FUP-1),
what is overdue now, and today's revisits (R-REV-1)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from complaints.views.refusals import refuse

from .. import selectors
from ..forms import ReviewTickForm, form_reasons
from ..models import ShiftReviewItem
from ..workflow import StepRefused, tick_review_item

TYPED_REVIEW_KEY = "followups:typed-review"


@login_required
@require_GET
def my_shift(request):
    offices = selectors.shift_offices(request.user)
    if not offices:
        raise PermissionDenied(_("My shift is for the staff of a property office."))
    now = timezone.now()
    context = {
        "shifts": selectors.office_shifts(offices, now=now),
        "due_lists": selectors.due_lists(request.user, offices, now=now),
        "todays_revisits": selectors.todays_revisits(request.user, offices, now=now),
        "several_offices": len(offices) > 1,
        "now": now,
        # A tick refused without htmx comes back with its note in the box, once.
        "typed_review": request.session.pop(TYPED_REVIEW_KEY, None),
    }
    return render(request, "followups/my_shift.html", context)


def _item(request, pk) -> ShiftReviewItem:
    items = selectors.review_items().filter(
        pk__in=ShiftReviewItem.objects.visible_to(request.user).values("pk")
    )
    return get_object_or_404(items.select_related("review"), pk=pk)


@login_required
@require_POST
def review_tick(request, pk):
    """R-FUP-1: tick one complaint of the review with what was found and told. htmx gets the
    row back; a plain form post goes back to the page."""
    item = _item(request, pk)
    form = ReviewTickForm(request.POST)
    reasons = [] if form.is_valid() else form_reasons(form)
    if not reasons:
        try:
            tick_review_item(
                item,
                by=request.user,
                note=form.cleaned_data["note"],
                customer_updated=form.cleaned_data["customer_updated"],
                method=form.cleaned_data["method"] or "phone",
            )
        except StepRefused as refused:
            reasons = refused.reasons
        else:
            item = _item(request, pk)
    if request.htmx:
        context = {"item": item, "review": item.review, "reasons": reasons, "now": timezone.now()}
        if reasons:  # the refused note comes back in the box: bad input loses nothing
            context["typed"] = request.POST.get("note", "")
        return render(request, "followups/partials/review_item.html", context)
    if reasons:
        refuse(request, _("%(number)s: not ticked.") % {"number": item.complaint.number}, reasons)
        request.session[TYPED_REVIEW_KEY] = {"item": item.pk, "note": request.POST.get("note", "")}
    else:
        messages.success(request, _("%(number)s: reviewed.") % {"number": item.complaint.number})
    return redirect("followups:my_shift")
