"""What a user may see. Every view, admin page and export starts from here (docs/architecture.md,
Roles and scoping).

Office roles see their offices; branch roles (general manager, quality department) see every
office of their branch; superusers see everything; anyone else sees nothing. Who holds which
role where — for guards and recipients — is `accounts.staffing`.
"""

from django.db import models
from django.db.models import Q, QuerySet

from .models import Branch, Office, User
from .staffing import current_memberships

VISIBLE_IDS = "_visible_office_ids"


def visible_offices(user: User) -> QuerySet[Office]:
    if not user.is_authenticated or not user.is_active:
        return Office.objects.none()
    if user.is_superuser:
        return Office.objects.all()
    own = current_memberships().filter(user=user)
    return Office.objects.filter(
        Q(pk__in=own.filter(office__isnull=False).values("office"))
        | Q(branch__in=own.filter(branch__isnull=False).values("branch"))
    )


def who_sees(office: Office, user_ids) -> set[int]:
    """Of `user_ids`, those who may see `office` — `visible_offices`' answer for many users
    in one query (the webhooks ask it for every subscribed integration at each event)."""
    own = current_memberships().filter(Q(office=office) | Q(branch_id=office.branch_id))
    seeing = User.objects.filter(pk__in=list(user_ids), is_active=True).filter(
        Q(is_superuser=True) | Q(pk__in=own.values("user"))
    )
    return set(seeing.values_list("pk", flat=True))


def visible_branches(user: User) -> QuerySet[Branch]:
    return Branch.objects.filter(pk__in=visible_offices(user).values("branch"))


def visible_staff(user: User) -> QuerySet[User]:
    """Staff the user may see named: a role in one of their visible offices or in the branch
    of one. Superusers see everyone."""
    if user.is_authenticated and user.is_active and user.is_superuser:
        return User.objects.all()
    offices = visible_offices(user)
    return User.objects.filter(
        Q(memberships__office__in=offices) | Q(memberships__branch__in=offices.values("branch"))
    ).distinct()


def scope(queryset: QuerySet, user: User, *, office_field: str = "office") -> QuerySet:
    """Narrow any queryset whose rows belong to an office to what `user` may see.

    The office ids are read first (one small indexed query) and passed as a list: behind a
    subquery PostgreSQL cannot tell that a user sees 1 office out of 200, and scans every
    complaint instead of using the (office, received_at) index (docs/performance.md)."""
    if user.is_authenticated and user.is_active and user.is_superuser:
        return queryset.all()
    return queryset.filter(**{f"{office_field}__in": visible_office_ids(user)})


def visible_office_ids(user: User) -> list[int]:
    """The ids of `visible_offices(user)`, read once per user object (a request's user).

    The membership signals forget them when the user's memberships change."""
    if not user.is_authenticated:
        return []
    cached = user.__dict__.get(VISIBLE_IDS)
    if cached is None:
        cached = user.__dict__[VISIBLE_IDS] = list(
            visible_offices(user).values_list("pk", flat=True)
        )
    return cached


class OfficeScopedQuerySet(models.QuerySet):
    """`Model.objects.visible_to(user)` for rows that belong to an office through
    `office_field` (override it in a subclass, e.g. "complaint__office")."""

    office_field = "office"

    def visible_to(self, user):
        return scope(self, user, office_field=self.office_field)
