"""`manage.py seed_demo`: demo staff for every role, safe to run twice."""

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command

from accounts.demo import DEMO_PASSWORD
from accounts.models import Branch, Membership, Office, User
from accounts.roles import Role
from complaints.models import Building, Unit

pytestmark = pytest.mark.django_db


def counts():
    return [m.objects.count() for m in (Branch, Office, Building, Unit, User, Membership)]


def test_seed_demo_creates_one_branch_three_offices_and_every_role(capsys):
    call_command("seed_demo")
    assert Branch.objects.count() == 1
    assert Office.objects.count() == 3
    assert Building.objects.filter(office__code="HY").exists()
    assert set(Membership.objects.values_list("role", flat=True)) == set(Role.values)
    printed = capsys.readouterr().out
    assert DEMO_PASSWORD in printed and "hy-assistant" in printed


def test_seed_demo_twice_creates_no_duplicates():
    call_command("seed_demo")
    first = counts()
    call_command("seed_demo")
    assert counts() == first


def test_demo_logins_work_with_the_printed_password(rf):
    call_command("seed_demo")
    request = rf.post("/login/")
    assert authenticate(request, username="hy-assistant", password=DEMO_PASSWORD) is not None
    assert authenticate(request, username="quality", password=DEMO_PASSWORD) is not None
