"""The desk's steps on a complaint's tracking link: issue a new one (revoking the live one),
or revoke it. Only the office's own staff; a complaint outside that is a 404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.staffing import works_in
from complaints.models import Complaint

from .links import issue_link, revoke_link
from .models import TrackingLink


def _office_complaint(request, pk) -> Complaint:
    complaint = get_object_or_404(Complaint.objects.visible_to(request.user), pk=pk)
    if not works_in(request.user, complaint.office):  # the branch sees it, the office acts
        raise Http404
    return complaint


def _back(complaint):
    return redirect(reverse("complaints:detail", args=[complaint.pk]) + "#tracking-link")


@login_required
@require_POST
def reissue(request, pk):
    complaint = _office_complaint(request, pk)
    issue_link(complaint, by=request.user)
    messages.success(
        request, _("A new tracking link was issued; the earlier one no longer opens anything.")
    )
    return _back(complaint)


@login_required
@require_POST
def revoke(request, pk):
    complaint = _office_complaint(request, pk)
    for link in TrackingLink.objects.live().filter(complaint=complaint):
        revoke_link(link, by=request.user)
    messages.success(request, _("The tracking link was revoked: it opens nothing any more."))
    return _back(complaint)
