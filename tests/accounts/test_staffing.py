"""Who holds which role where (accounts.staffing): the one answer for guards and recipients.

Threat covered throughout: a person who left an office, moved to another branch or was
deactivated is still chosen as a recipient, handler or approver of the old office's work."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import Membership
from accounts.roles import Role
from accounts.staffing import (
    branches_led,
    holds,
    holds_a_role_at,
    is_branch_quality,
    offices_worked_in,
    roles_of,
    staff,
    staff_ids_by_branch,
    staff_ids_by_office,
    works_in,
)
from complaints.models import Complaint
from complaints.workflow import IntakeRefused, record_complaint
from tests.factories import BranchFactory, BuildingFactory, CategoryFactory, OfficeFactory
from tests.factories import staff as make_staff

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


def move(user, *, to):
    """The user leaves every office and starts at `to`, as the admin records a transfer."""
    role = user.memberships.first().role
    user.memberships.all().delete()
    Membership.objects.create(user=user, role=role, office=to)


def deactivate(user):
    user.is_active = False
    user.save()


def test_an_office_role_is_held_at_its_office_only(world):
    manager = make_staff(Role.OFFICE_MANAGER, office=world["a"])
    assert roles_of(manager, world["a"]) == {Role.OFFICE_MANAGER}
    assert roles_of(manager, world["b"]) == frozenset()
    assert works_in(manager, world["a"]) and not works_in(manager, world["b"])


def test_a_branch_role_is_held_at_every_office_of_its_branch_and_no_other(world):
    quality = make_staff(Role.QUALITY_DEPARTMENT, branch=world["north"])
    assert is_branch_quality(quality, world["a"]) and is_branch_quality(quality, world["b"])
    assert not is_branch_quality(quality, world["c"])
    assert holds(quality, Role.QUALITY_DEPARTMENT, world["north"])
    assert not works_in(quality, world["a"])  # no desk work: that is the office's
    assert holds_a_role_at(quality, world["a"])
    assert set(branches_led(quality)) == {world["north"]}


def test_a_deactivated_user_holds_no_role_anywhere(world):
    """Threat: a deactivated account's private address keeps receiving the office's notices."""
    manager = make_staff(Role.OFFICE_MANAGER, office=world["a"])
    gm = make_staff(Role.BRANCH_GM, branch=world["north"])
    deactivate(manager)
    deactivate(gm)
    assert roles_of(manager, world["a"]) == frozenset()
    assert not holds_a_role_at(manager, world["a"])
    assert list(staff(world["a"], Role.OFFICE_MANAGER)) == []
    assert list(staff(world["a"], Role.BRANCH_GM)) == []
    assert staff_ids_by_office([world["a"].pk], Role.OFFICE_MANAGER) == {}
    assert staff_ids_by_branch([world["north"].pk], Role.BRANCH_GM) == {}
    assert list(offices_worked_in(manager)) == []
    assert list(branches_led(gm)) == []


def test_an_assistant_moved_to_another_branch_is_staff_of_the_new_office_only(world):
    """Threat: an assistant moved to another branch keeps receiving the old office's work."""
    assistant = make_staff(Role.CLIENT_ASSISTANT, office=world["a"])
    move(assistant, to=world["c"])
    assert assistant not in staff(world["a"])
    assert list(staff(world["c"], Role.CLIENT_ASSISTANT)) == [assistant]
    assert staff_ids_by_office([world["a"].pk, world["c"].pk], Role.CLIENT_ASSISTANT) == {
        world["c"].pk: [assistant.pk]
    }
    assert list(offices_worked_in(assistant)) == [world["c"]]


def test_staff_of_an_office_includes_its_branchs_holders_of_a_branch_role(world):
    gm_north = make_staff(Role.BRANCH_GM, branch=world["north"])
    make_staff(Role.BRANCH_GM, branch=world["south"])
    make_staff(Role.OFFICE_MANAGER, office=world["a"])
    assert list(staff(world["a"], Role.BRANCH_GM)) == [gm_north]
    offices = type(world["a"]).objects.filter(pk__in=[world["a"].pk, world["b"].pk])
    assert list(staff(offices, Role.BRANCH_GM)) == [gm_north]


def test_the_quality_department_cannot_name_a_deactivated_manager_handler(world):
    """R-QD-1 — threat: a branch complaint handed to a manager who no longer works there."""
    quality = make_staff(Role.QUALITY_DEPARTMENT, branch=world["north"])
    manager = make_staff(Role.OFFICE_MANAGER, office=world["a"])
    deactivate(manager)
    now = timezone.now()
    complaint = Complaint(
        office=world["a"],
        complainant_name="王女士",
        phone="+8613800000001",
        building=BuildingFactory(office=world["a"]),
        room="1502",
        received_at=now - timedelta(minutes=5),
        channel="branch",
        category=CategoryFactory(),
        classification="valid",
        severity="general",
        description="电梯故障",
        customer_request="尽快修复",
        handler=manager,
    )
    with pytest.raises(IntakeRefused) as refused:
        record_complaint(complaint, by=quality, now=now)
    assert "handler" in refused.value.reasons
