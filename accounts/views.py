from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from .scoping import visible_offices


@login_required
def home(request):
    """The home page of the user's main role (HOME_PRIORITY); later issues fill each one."""
    role = request.user.home_role
    offices = visible_offices(request.user).select_related("branch")
    return render(request, "accounts/home.html", {"home_role": role, "offices": offices})
