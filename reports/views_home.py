"""The home page: the work queue of the user's main role (issue 14)."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from accounts.scoping import visible_offices

from .home import work_queue


@login_required
@require_GET
def home(request):
    now = timezone.now()
    context = {
        "home_role": request.user.home_role,
        "queue": work_queue(request.user, now=now),
        "offices": visible_offices(request.user).select_related("branch"),
        "now": now,
    }
    return render(request, "accounts/home.html", context)
