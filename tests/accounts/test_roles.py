"""Roles, their groups and the constraints on memberships."""

import pytest
from django.contrib.auth.models import Group
from django.db import IntegrityError

from accounts.models import Membership
from accounts.roles import Role
from tests.factories import BranchFactory, OfficeFactory, UserFactory, staff

pytestmark = pytest.mark.django_db


def test_every_role_has_a_group_created_by_migration():
    assert set(Group.objects.values_list("name", flat=True)) >= set(Role.values)


def test_office_manager_group_may_edit_shifts_but_assistants_get_no_admin_rights():
    assert (
        Group.objects.get(name=Role.OFFICE_MANAGER)
        .permissions.filter(codename="change_shift")
        .exists()
    )
    assert not Group.objects.get(name=Role.CLIENT_ASSISTANT).permissions.exists()


def test_a_membership_puts_the_user_in_the_role_group_and_the_admin():
    manager = staff(Role.OFFICE_MANAGER)
    assert manager.groups.filter(name=Role.OFFICE_MANAGER).exists()
    assert manager.is_staff


def test_client_assistants_work_at_the_desk_not_in_the_admin():
    assistant = staff(Role.CLIENT_ASSISTANT)
    assert assistant.groups.filter(name=Role.CLIENT_ASSISTANT).exists()
    assert not assistant.is_staff


def test_removing_the_last_staff_role_removes_admin_access():
    manager = staff(Role.OFFICE_MANAGER)
    manager.memberships.get().delete()
    manager.refresh_from_db()
    assert not manager.is_staff
    assert not manager.groups.exists()


def test_database_refuses_an_office_role_without_an_office():
    with pytest.raises(IntegrityError):
        Membership.objects.create(
            user=UserFactory(), role=Role.CLIENT_ASSISTANT, branch=BranchFactory()
        )


def test_database_refuses_a_branch_role_tied_to_an_office():
    with pytest.raises(IntegrityError):
        Membership.objects.create(user=UserFactory(), role=Role.BRANCH_GM, office=OfficeFactory())


def test_database_refuses_the_same_role_twice_in_one_office():
    office = OfficeFactory()
    user = staff(Role.CLIENT_ASSISTANT, office=office)
    with pytest.raises(IntegrityError):
        Membership.objects.create(user=user, role=Role.CLIENT_ASSISTANT, office=office)


@pytest.mark.django_db(transaction=True)
def test_role_groups_are_whole_again_after_the_database_is_flushed():
    from django.core.management import call_command

    call_command("flush", interactive=False, verbosity=0)
    manager_group = Group.objects.get(name=Role.OFFICE_MANAGER)
    assert manager_group.permissions.filter(codename="change_closurerequest").exists()
    assert manager_group.permissions.filter(codename="change_shift").exists()
