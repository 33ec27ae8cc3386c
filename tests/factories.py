"""Factories: each test builds exactly the world it needs (STYLE 11)."""

import factory

from accounts.models import Branch, Membership, Office, Shift, User
from accounts.roles import BRANCH_ROLES, Role
from complaints.models import Building, Unit

PASSWORD = "correct-horse-battery"


class BranchFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Branch
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"B{n:02d}")
    name = factory.Sequence(lambda n: f"第{n}分公司")


class OfficeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Office
        django_get_or_create = ("code",)

    branch = factory.SubFactory(BranchFactory)
    code = factory.Sequence(lambda n: f"O{n:03d}")
    name = factory.Sequence(lambda n: f"第{n}管理处")


class ShiftFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Shift

    office = factory.SubFactory(OfficeFactory)
    name = "早班"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Sequence(lambda n: f"员工{n}")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    role = Role.CLIENT_ASSISTANT
    office = factory.SubFactory(OfficeFactory)


class BuildingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Building

    office = factory.SubFactory(OfficeFactory)
    name = factory.Sequence(lambda n: f"{n}栋")


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit

    building = factory.SubFactory(BuildingFactory)
    name = factory.Sequence(lambda n: f"{n}单元")


def staff(role: str, *, office: Office | None = None, branch: Branch | None = None, **fields):
    """A user holding `role` in `office` (office roles) or `branch` (branch roles)."""
    user = UserFactory(**fields)
    if role in BRANCH_ROLES:
        MembershipFactory(user=user, role=role, office=None, branch=branch or BranchFactory())
    else:
        MembershipFactory(user=user, role=role, office=office or OfficeFactory())
    return user
