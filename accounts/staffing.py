"""Who holds which role where: the one answer, for guards (may this user take this step?) and
for recipients (whom does this notice reach?).

A role is held through a `Membership`: office roles at one office, branch roles at one branch,
and a branch role counts at every office of its branch. Memberships have no end date: a person
who leaves an office loses the row, so a row that exists is current. A deactivated account
holds no role anywhere, so nobody who left or was deactivated is ever chosen as a recipient,
handler or approver. What a user may *see* is `accounts.scoping`'s question; it is built on
the same memberships.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from django.db.models import Q, QuerySet

from .models import Branch, Membership, Office, User
from .roles import BRANCH_ROLES, OFFICE_ROLES, Role

Place = Office | Branch


def current_memberships() -> QuerySet[Membership]:
    """Every membership that counts now: the account is active."""
    return Membership.objects.filter(user__is_active=True)


def _at(place: Place | QuerySet[Office], prefix: str = "") -> Q:
    """The memberships that hold a role at `place`: an office's own roles and its branch's;
    a branch's roles only. `prefix` reaches memberships through a relation ("memberships__")."""
    if isinstance(place, Branch):
        return Q(**{f"{prefix}branch": place})
    if isinstance(place, Office):
        return Q(**{f"{prefix}office": place}) | Q(**{f"{prefix}branch_id": place.branch_id})
    return Q(**{f"{prefix}office__in": place}) | Q(
        **{f"{prefix}branch__in": place.values("branch")}
    )


def roles_of(user: User, place: Place) -> frozenset[str]:
    """The roles `user` holds at `place` now (empty for an inactive or anonymous user)."""
    if not user.is_authenticated or not user.is_active:
        return frozenset()
    return frozenset(
        current_memberships().filter(_at(place), user=user).values_list("role", flat=True)
    )


def holds(user: User, role: str, place: Place) -> bool:
    return role in roles_of(user, place)


def holds_any(user: User, roles: Iterable[str], place: Place) -> bool:
    return bool(roles_of(user, place) & set(roles))


def works_in(user: User, office: Office) -> bool:
    """Holds an office role (assistant, supervisor, manager) here: may work this office's desk."""
    return holds_any(user, OFFICE_ROLES, office)


def holds_a_role_at(user: User, office: Office) -> bool:
    """Holds any role in this office or its branch: may be named on its records."""
    return bool(roles_of(user, office))


def is_branch_quality(user: User, office: Office) -> bool:
    """The quality department of the office's branch (R-QD-1)."""
    return holds(user, Role.QUALITY_DEPARTMENT, office)


def staff(place: Place | QuerySet[Office], *roles: str) -> QuerySet[User]:
    """Active users holding one of `roles` (every role when none is given) at `place`: an
    office, the offices of a queryset, or a branch. A branch role asked of an office means
    its branch's holder (the branch GM of the office)."""
    memberships = _at(place, "memberships__")
    if roles:
        memberships &= Q(memberships__role__in=roles)
    return User.objects.filter(memberships, is_active=True).distinct()


def staff_ids_by_office(office_ids: Iterable[int], *roles: str) -> dict[int, list[int]]:
    """{office id: [user id, …]} of the office roles `roles`, for many offices in one query."""
    assert OFFICE_ROLES.issuperset(roles), roles
    found = defaultdict(list)
    for office_id, user_id in (
        current_memberships()
        .filter(office_id__in=list(office_ids), role__in=roles)
        .values_list("office_id", "user_id")
    ):
        found[office_id].append(user_id)
    return found


def staff_ids_by_branch(branch_ids: Iterable[int] | None, *roles: str) -> dict[int, list[int]]:
    """{branch id: [user id, …]} of the branch roles `roles`; every branch when `branch_ids`
    is None."""
    assert BRANCH_ROLES.issuperset(roles), roles
    memberships = current_memberships().filter(branch__isnull=False, role__in=roles)
    if branch_ids is not None:
        memberships = memberships.filter(branch_id__in=list(branch_ids))
    found = defaultdict(list)
    for branch_id, user_id in memberships.values_list("branch_id", "user_id"):
        found[branch_id].append(user_id)
    return found


def offices_worked_in(user: User) -> QuerySet[Office]:
    """The offices whose desk the user works (reading is wider: see scoping.visible_offices)."""
    if not user.is_authenticated or not user.is_active:
        return Office.objects.none()
    return Office.objects.filter(
        pk__in=current_memberships().filter(user=user, role__in=OFFICE_ROLES).values("office")
    )


def branches_led(user: User) -> QuerySet[Branch]:
    """The branches where the user holds a branch role (general manager, quality department):
    what branch-wide documents, such as the branch's monthly report, are for. Superusers: all."""
    if not user.is_authenticated or not user.is_active:
        return Branch.objects.none()
    if user.is_superuser:
        return Branch.objects.all()
    return Branch.objects.filter(
        pk__in=current_memberships().filter(user=user, branch__isnull=False).values("branch")
    )
