"""The resident's pages (docs/resident.md): no login, in Chinese, no script; a token opens
exactly its complaint, and a guessed or revoked one the same "not found" page."""

import logging
from functools import wraps

from axes.helpers import get_client_ip_address
from django.conf import settings
from django.core.cache import caches
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import translation
from django.views.decorators.http import require_http_methods, require_POST

from complaints.models import Attachment
from complaints.views.attachments import _stream
from followups.models import Revisit
from followups.workflow import StepRefused, record_revisit

from .forms import AnswerForm, CodeForm
from .links import link_for_code, link_for_token, token_of
from .selectors import may_understand, tracking_view

log = logging.getLogger(__name__)
LANGUAGE = "zh-hans"
VIA = {"resident": "tracking_page"}  # the timeline's "by" for the resident's own answer
CODE_WINDOW = 3600  # seconds: the short code's allowance is per address and hour


def in_chinese(view):
    """The resident's page reads Chinese whatever cookie the browser carries (a desk PC's)."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        with translation.override(LANGUAGE):
            request.LANGUAGE_CODE = LANGUAGE
            response = view(request, *args, **kwargs)
            if hasattr(response, "render") and not response.is_rendered:
                response.render()
        response["Content-Language"] = LANGUAGE
        return response

    return wrapper


def _not_found(request):
    return render(request, "resident/not_found.html", status=404)


def _over_allowance(request) -> bool:
    """Count this attempt for the address; True once past the hour's allowance, and while the
    shared cache cannot count (a code is a credential: no guessing unlimited during an outage;
    the link itself still opens)."""
    cache = caches["shared"]
    key = f"resident:code:{get_client_ip_address(request) or 'unknown'}"
    try:
        cache.add(key, 0, timeout=CODE_WINDOW)
        try:
            attempts = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, timeout=CODE_WINDOW)
            attempts = 1
    except Exception:  # noqa: BLE001 — any cache failure
        log.warning("shared cache unavailable: the short-code lookup is refused", exc_info=True)
        return True
    return attempts > settings.RESIDENT_CODE_ATTEMPTS


@in_chinese
@require_http_methods(["GET", "POST"])
def find(request):
    form = CodeForm(request.POST or None)
    if request.method != "POST":
        return render(request, "resident/find.html", {"form": form})
    if _over_allowance(request):
        context = {"form": CodeForm(), "limited": True}
        return render(request, "resident/find.html", context, status=429)
    link = link_for_code(request.POST.get("code", "")) if form.is_valid() else None
    token = token_of(link) if link else None
    if token is None:  # unknown, malformed, revoked: one answer, which never echoes the code
        return render(request, "resident/find.html", {"form": CodeForm(), "unknown": True})
    return redirect("resident:track", token=token)


def _page(request, link, token, form=None, status=200):
    view = tracking_view(link)
    if form is None and view.asks_revisit:
        form = AnswerForm(may_understand=view.may_understand)
    context = {"view": view, "complaint": view.complaint, "token": token, "form": form}
    return render(request, "resident/track.html", context, status=status)


@in_chinese
@require_http_methods(["GET", "HEAD"])
def track(request, token):
    link = link_for_token(token)
    if link is None:
        return _not_found(request)
    return _page(request, link, token)


@in_chinese
@require_POST
def revisit(request, token):
    """R-REV-1/2: the resident's answer is a revisit (method online), through the desk's own
    workflow: satisfied → waiting for approval, not satisfied → a new linked complaint."""
    link = link_for_token(token)
    if link is None:
        return _not_found(request)
    complaint = link.complaint
    form = AnswerForm(request.POST, may_understand=may_understand(complaint))
    if not form.is_valid():
        return _page(request, link, token, form=form, status=400)
    try:
        record_revisit(
            complaint,
            by=None,
            method=Revisit.Method.ONLINE,
            outcome=form.cleaned_data["outcome"],
            courteous=form.courteous_answer,
            remarks=form.cleaned_data["remarks"].strip(),
            via=VIA,
        )
    except StepRefused as refused:
        for reason in refused.reasons:
            form.add_error(None, reason)
        return _page(request, link, token, form=form, status=409)
    return redirect("resident:track", token=token)


@require_http_methods(["GET", "HEAD"])
def photo(request, token, key):
    """A photo the resident brought with the complaint, streamed after the token's check."""
    link = link_for_token(token)
    if link is None:
        raise Http404
    attachment = (
        Attachment.objects.shown()
        .filter(complaint=link.complaint, key=key, step=Attachment.Step.INTAKE)
        .filter(kind=Attachment.Kind.PHOTO)
        .first()
    )
    if attachment is None:
        raise Http404
    name = attachment.thumbnail.name if attachment.thumbnail else attachment.file.name
    return _stream(
        attachment,
        name,
        content_type="image/jpeg" if attachment.thumbnail else attachment.content_type,
    )
