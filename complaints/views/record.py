"""Completing or correcting the record from the complaint's page (R-REC-3, issue 14)."""

from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import selectors
from ..forms import RecordForm
from ..workflow import RecordRefused, complete_record, may_complete_record
from . import refusals
from .browse import render_detail


@login_required
@require_POST
def record(request, pk):
    complaint = selectors.complaint_detail(request.user, pk)
    if not may_complete_record(request.user, complaint):
        raise PermissionDenied(
            _(
                "Only the customer supervisor or the office manager, or the assistant "
                "who recorded it during the same shift, completes this record."
            )
        )
    form = RecordForm(request.POST, instance=complaint)
    if refusals.written(form, partial(complete_record, complaint, by=request.user), RecordRefused):
        messages.success(
            request, _("%(number)s: the record is saved.") % {"number": complaint.number}
        )
        return redirect(reverse("complaints:detail", args=[pk]) + "#record")
    return render_detail(request, complaint, record_form=form, status=400)
