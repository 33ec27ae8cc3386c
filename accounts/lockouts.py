"""Who unlocks a login that django-axes locked, and the unlocking itself.

The office manager unlocks the staff of their office (another manager of the office
included); the branch general manager unlocks the staff of every office of the branch and the
branch's own roles; a superuser anyone. The lockout page names these people by role only:
it is shown to whoever typed the username, so it does not say whose account that is.
"""

from __future__ import annotations

import logging

from axes.models import AccessAttempt
from axes.utils import reset
from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone

from .models import User
from .roles import Role
from .staffing import current_memberships

log = logging.getLogger(__name__)


def unlockable_users(user: User) -> QuerySet[User]:
    """The accounts `user` may unlock."""
    if user.is_superuser:
        return User.objects.all()
    mine = current_memberships().filter(user=user)
    managed = mine.filter(role=Role.OFFICE_MANAGER).values("office")
    led = mine.filter(role=Role.BRANCH_GM).values("branch")
    return User.objects.filter(
        Q(memberships__office__in=managed)
        | Q(memberships__office__branch__in=led)
        | Q(memberships__branch__in=led)
    ).distinct()


def may_unlock_anyone(user: User) -> bool:
    return user.is_superuser or user.has_role(Role.OFFICE_MANAGER, Role.BRANCH_GM)


def locked_attempts(user: User, *, now=None) -> QuerySet[AccessAttempt]:
    """The locked logins (username and address) of the accounts `user` may unlock."""
    now = now or timezone.now()
    usernames = unlockable_users(user).values("username")
    return AccessAttempt.objects.filter(
        username__in=usernames,
        failures_since_start__gte=settings.AXES_FAILURE_LIMIT,
        attempt_time__gte=now - settings.AXES_COOLOFF_TIME,
    ).order_by("-attempt_time")


def unlock(username: str, *, by: User) -> bool:
    """Lift the lock of `username` if `by` may; True when something was unlocked."""
    if not unlockable_users(by).filter(username=username).exists():
        return False
    removed = reset(username=username)
    log.info("login of %s unlocked by %s (%d attempts removed)", username, by.username, removed)
    return removed > 0
