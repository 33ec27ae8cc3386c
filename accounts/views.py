"""Login and logout are Django's own views (accounts/urls.py); the home page lives in the top
app (reports/views_home.py). Here: unlocking a login locked after wrong passwords."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from .lockouts import locked_attempts, may_unlock_anyone, unlock


@login_required
@require_http_methods(["GET", "POST"])
def locked_logins(request):
    if not may_unlock_anyone(request.user):
        raise PermissionDenied(_("Office managers unlock the logins of their office's staff."))
    if request.method == "POST":
        username = request.POST.get("username", "")[:150]
        if unlock(username, by=request.user):
            messages.success(request, _("%(name)s can log in again.") % {"name": username})
        else:
            messages.error(request, _("There is no locked login of yours to unlock by that name."))
        return redirect("locked_logins")
    return render(
        request, "accounts/locked_logins.html", {"attempts": locked_attempts(request.user)}
    )
