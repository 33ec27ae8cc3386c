"""The community's complaint form (docs/resident.md): a per-office page without a login, for the
notice board's QR code and the community website; and the office staff's page with that link
and its printable QR code.

Whatever is typed, a sent form gets the same thank-you page: nothing here looks a phone or a
number up, so nothing tells whether one exists."""

from io import BytesIO

import segno
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from accounts.models import Office
from accounts.scoping import visible_offices
from complaints.attachments import AttachmentRefused
from complaints.community import record_from_community
from complaints.workflow import IntakeRefused

from . import community_limits
from .community_forms import CommunityComplaintForm
from .links import issue_link, link_for_token, token_of, tracking_url
from .models import TrackingLink

SENT_COOKIE = "community_sent"  # the tracking token, signed, for the thank-you page only
SENT_MAX_AGE = 15 * 60


def _office(code: str) -> Office:
    return get_object_or_404(Office, code=code)


@require_http_methods(["GET", "POST"])
def complain(request, code):
    office = _office(code)
    if request.method != "POST":
        return _render_form(request, CommunityComplaintForm(office=office), office, status=200)
    form = CommunityComplaintForm(request.POST, request.FILES, office=office)
    if not community_limits.address_allowed(request):
        return _render_form(request, form, office, status=429, refused=_too_many())
    if not form.is_valid():
        return _render_form(request, form, office, status=400)
    if form.is_trap:  # a robot: the same answer, nothing recorded
        return redirect("resident:community_sent", code=office.code)
    if not community_limits.phone_allowed(form.cleaned_data["phone"]):
        return _render_form(request, form, office, status=429, refused=_too_many())
    try:
        with transaction.atomic():  # the complaint, its photos and its link, or nothing
            complaint = record_from_community(form.complaint(), files=form.cleaned_data["photos"])
            token = _token_for(complaint)
    except AttachmentRefused as refused:
        form.add_error("photos", refused.reasons)
    except IntakeRefused as refused:
        for field, reason in refused.reasons.items():
            form.add_error(field if field in form.fields else None, reason)
    else:
        response = redirect("resident:community_sent", code=office.code)
        response.set_signed_cookie(
            SENT_COOKIE,
            token,
            salt=SENT_COOKIE,
            max_age=SENT_MAX_AGE,
            path=reverse("resident:community_sent", args=[office.code]),
            secure=request.is_secure(),
            httponly=True,
            samesite="Lax",
        )
        return response
    return _render_form(request, form, office, status=400)


def _token_for(complaint) -> str:
    """The token of the complaint's live link: the one every recorded complaint gets
    (`complaint_recorded`), or a new one where none was issued."""
    link = TrackingLink.objects.live().filter(complaint=complaint).first()
    token = token_of(link) if link else None
    return token or issue_link(complaint)[1]


def _too_many() -> str:
    return _(
        "This form was sent too often from here or for this phone. Please try again later, "
        "or call the office."
    )


def _render_form(request, form, office, *, status, refused=""):
    context = {"form": form, "office": office, "refused": refused}
    return render(request, "resident/community/form.html", context, status=status)


@require_GET
def sent(request, code):
    office = _office(code)
    try:
        token = request.get_signed_cookie(SENT_COOKIE, salt=SENT_COOKIE, max_age=SENT_MAX_AGE)
    except (KeyError, signing.BadSignature):
        token = None
    link = link_for_token(token) if token else None
    if link and link.complaint.office_id != office.pk:  # a cookie carried to another office's page
        link = None
    context = {
        "office": office,
        "link": link,
        "url": tracking_url(request, token) if link else "",
    }
    return render(request, "resident/community/sent.html", context)


def _staff_office(request, code) -> Office:
    """The poster is the office's: its staff and the branch above it print it."""
    return get_object_or_404(visible_offices(request.user), code=code)


def form_url(request, office: Office) -> str:
    return request.build_absolute_uri(reverse("resident:community", args=[office.code]))


@login_required
@require_GET
def poster(request, code):
    office = _staff_office(request, code)
    context = {"office": office, "url": form_url(request, office)}
    return render(request, "resident/community/poster.html", context)


@login_required
@require_GET
def qr_code(request, code):
    """The form's link as an SVG QR code, drawn by segno; error correction "Q" so that a
    notice board's scratches and a phone's poor camera still read it."""
    office = _staff_office(request, code)
    svg = BytesIO()
    segno.make(form_url(request, office), error="q").save(svg, kind="svg", scale=10, border=2)
    return HttpResponse(svg.getvalue(), content_type="image/svg+xml")
