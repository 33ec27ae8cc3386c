"""Who sees which office (SOP.md, People: branch roles see every office of their branch)."""

import pytest

from accounts.roles import Role
from accounts.scoping import scope, visible_branches, visible_offices
from complaints.models import Building
from tests.factories import BranchFactory, BuildingFactory, OfficeFactory, UserFactory, staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
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
def test_office_staff_see_only_their_own_office(world, role):
    user = staff(role, office=world["a"])
    assert set(visible_offices(user)) == {world["a"]}


@pytest.mark.parametrize("role", [Role.BRANCH_GM, Role.QUALITY_DEPARTMENT])
def test_branch_roles_see_every_office_of_their_branch_and_no_other(world, role):
    user = staff(role, branch=world["north"])
    assert set(visible_offices(user)) == {world["a"], world["b"]}
    assert set(visible_branches(user)) == {world["north"]}


def test_someone_working_in_two_offices_sees_both(world):
    user = staff(Role.CLIENT_ASSISTANT, office=world["a"])
    staff_membership = staff(Role.CLIENT_ASSISTANT, office=world["c"]).memberships.get()
    staff_membership.user = user
    staff_membership.save()
    assert set(visible_offices(user)) == {world["a"], world["c"]}


def test_a_user_without_a_role_sees_nothing(world):
    assert not visible_offices(UserFactory()).exists()


def test_a_deactivated_user_sees_nothing(world):
    user = staff(Role.OFFICE_MANAGER, office=world["a"], is_active=False)
    assert not visible_offices(user).exists()


def test_superuser_sees_every_office(world):
    assert visible_offices(UserFactory(is_superuser=True)).count() == 3


def test_scope_narrows_office_owned_rows(world):
    mine, theirs = BuildingFactory(office=world["a"]), BuildingFactory(office=world["b"])
    user = staff(Role.CLIENT_ASSISTANT, office=world["a"])
    visible = scope(Building.objects.all(), user)
    assert mine in visible and theirs not in visible


def test_scoping_is_one_query(world, django_assert_num_queries):
    user = staff(Role.QUALITY_DEPARTMENT, branch=world["north"])
    with django_assert_num_queries(1):
        list(visible_offices(user))
