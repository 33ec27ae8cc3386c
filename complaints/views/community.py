"""The desk's check of a complaint a resident sent from the community's page
(complaints.community, docs/resident.md)."""

from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from accounts.staffing import works_in

from ..community import CheckRefused, check_community_complaint
from ..forms import CheckForm
from ..models import Complaint
from . import refusals


@login_required
def check(request, pk):
    complaint = get_object_or_404(
        Complaint.objects.visible_to(request.user).select_related("office", "building"), pk=pk
    )
    if not works_in(request.user, complaint.office):
        raise Http404  # the office's own desk checks it; the branch reads the complaint's page
    if not complaint.awaiting_check:
        return redirect("complaints:detail", pk=pk)
    status = 200
    form = CheckForm(request.POST or None, instance=complaint)
    if request.method == "POST":
        status = 400
        check = partial(check_community_complaint, complaint, by=request.user)
        if refusals.written(form, check, CheckRefused):
            messages.success(
                request,
                _("%(number)s is checked and in the duty log.") % {"number": complaint.number},
            )
            return redirect("complaints:detail", pk=pk)
    context = {"complaint": complaint, "form": form}
    return render(request, "complaints/check.html", context, status=status)
