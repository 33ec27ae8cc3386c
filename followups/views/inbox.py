"""The inbox: the user's own notifications, unread first."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from .. import selectors
from ..forms import InboxFilter
from ..models import Notification
from ..notify import mark_all_read, mark_read

PER_PAGE = 20


def _inbox_page(request):
    page = request.POST.get("page", "")
    url = reverse("followups:inbox")
    return redirect(f"{url}?page={page}" if page.isdigit() else url)


@login_required
@require_GET
def inbox(request):
    form = InboxFilter(request.GET)
    notifications = selectors.inbox(request.user, **form.filters())
    page = Paginator(notifications, PER_PAGE).get_page(request.GET.get("page"))
    page_range = page.paginator.get_elided_page_range(page.number, on_each_side=2)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "followups/inbox.html",
        {"page": page, "page_range": page_range, "form": form, "query": query.urlencode()},
    )


@login_required
@require_POST
def inbox_read(request, pk):
    notification = get_object_or_404(Notification.objects.addressed_to(request.user), pk=pk)
    mark_read(notification)
    if request.htmx:
        return render(
            request, "followups/partials/notification.html", {"notification": notification}
        )
    return _inbox_page(request)


@login_required
@require_POST
def inbox_read_all(request):
    count = mark_all_read(request.user)
    messages.success(
        request,
        ngettext(
            "%(count)d notification marked read.", "%(count)d notifications marked read.", count
        )
        % {"count": count},
    )
    return _inbox_page(request)
