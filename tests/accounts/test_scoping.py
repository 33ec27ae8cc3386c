"""Who sees which office (docs/procedure.md, People: branch roles see every office of their
branch)."""

import pytest

from accounts.roles import Role
from accounts.scoping import scope, visible_branches, visible_offices, who_sees
from complaints.models import Building
from tests.factories import BranchFactory, BuildingFactory, OfficeFactory, UserFactory, staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def branches():
    north, south = BranchFactory(code="N"), BranchFactory(code="S")
    return {
        "north": north,
        "south": south,
        "a": OfficeFactory(code="A", branch=north),
        "b": OfficeFactory(code="B", branch=north),
        "c": OfficeFactory(code="C", branch=south),
    }


@pytest.mark.parametrize(
    "role", [Role.CLIENT_ASSISTANT, Role.CUSTOMER_SUPERVISOR, Role.OFFICE_MANAGER]
)
def test_office_staff_see_only_their_own_office(branches, role):
    user = staff(role, office=branches["a"])
    assert set(visible_offices(user)) == {branches["a"]}


@pytest.mark.parametrize("role", [Role.BRANCH_GM, Role.QUALITY_DEPARTMENT])
def test_branch_roles_see_every_office_of_their_branch_and_no_other(branches, role):
    user = staff(role, branch=branches["north"])
    assert set(visible_offices(user)) == {branches["a"], branches["b"]}
    assert set(visible_branches(user)) == {branches["north"]}


def test_someone_working_in_two_offices_sees_both(branches):
    user = staff(Role.CLIENT_ASSISTANT, office=branches["a"])
    staff_membership = staff(Role.CLIENT_ASSISTANT, office=branches["c"]).memberships.get()
    staff_membership.user = user
    staff_membership.save()
    assert set(visible_offices(user)) == {branches["a"], branches["c"]}


def test_a_user_without_a_role_sees_nothing(branches):
    assert not visible_offices(UserFactory()).exists()


def test_a_deactivated_user_sees_nothing(branches):
    user = staff(Role.OFFICE_MANAGER, office=branches["a"], is_active=False)
    assert not visible_offices(user).exists()


def test_superuser_sees_every_office(branches):
    assert visible_offices(UserFactory(is_superuser=True)).count() == 3


def test_scope_narrows_office_owned_rows(branches):
    mine, theirs = BuildingFactory(office=branches["a"]), BuildingFactory(office=branches["b"])
    user = staff(Role.CLIENT_ASSISTANT, office=branches["a"])
    visible = scope(Building.objects.all(), user)
    assert mine in visible and theirs not in visible


def test_scoping_is_one_query(branches, django_assert_num_queries):
    user = staff(Role.QUALITY_DEPARTMENT, branch=branches["north"])
    with django_assert_num_queries(1):
        list(visible_offices(user))


def test_who_sees_an_office_gives_visible_offices_answer_for_many_users_at_once(branches):
    people = [
        staff(Role.CLIENT_ASSISTANT, office=branches["a"]),
        staff(Role.OFFICE_MANAGER, office=branches["b"]),
        staff(Role.BRANCH_GM, branch=branches["north"]),
        staff(Role.QUALITY_DEPARTMENT, branch=branches["south"]),
        staff(Role.CLIENT_ASSISTANT, office=branches["a"], is_active=False),
        UserFactory(is_superuser=True),
        UserFactory(),  # no role anywhere
    ]
    for office in (branches["a"], branches["b"], branches["c"]):
        expected = {u.pk for u in people if visible_offices(u).filter(pk=office.pk).exists()}
        assert who_sees(office, [u.pk for u in people]) == expected
