"""Configuration is scoped by branch: categories (R-CAT-1) and the categories a branch hides.

Threat: one branch's quality department renames or deactivates the categories every branch
uses, or its own categories show up at another branch's desks; an office records a complaint
under a category its branch hid or another branch's own. (Who may edit which row in the admin
is swept for every model by test_isolation_writes.py; this file proves what a desk offers.)
"""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from complaints.models import Category, Complaint, HiddenCategory
from complaints.workflow import IntakeRefused, record_complaint
from tests.factories import BranchFactory, BuildingFactory, OfficeFactory, staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def desks():
    """Two branches with an office each; each branch has a category of its own, and the
    first hides one of the every-branch categories."""
    here, there = BranchFactory(code="HERE"), BranchFactory(code="THERE")
    office, far = OfficeFactory(branch=here), OfficeFactory(branch=there)
    every = Category.objects.create(name="停车管理", position=1)
    hidden = Category.objects.create(name="邮件包裹收发", position=2)
    HiddenCategory.objects.create(branch=here, category=hidden)
    own = Category.objects.create(name="本分公司：装修押金", branch=here)
    theirs = Category.objects.create(name="别的分公司：会所", branch=there)
    return {
        "office": office,
        "far": far,
        "every": every,
        "hidden": hidden,
        "own": own,
        "theirs": theirs,
    }


def offered(office):
    return set(Category.objects.offered_in([office.branch_id]))


def test_an_office_is_offered_its_branchs_categories_only(desks):
    """Threat: another branch's own category, or one the branch hid, offered at its desks."""
    here = offered(desks["office"])
    assert {desks["every"], desks["own"]} <= here
    assert desks["hidden"] not in here and desks["theirs"] not in here
    there = offered(desks["far"])
    assert {desks["every"], desks["hidden"], desks["theirs"]} <= there
    assert desks["own"] not in there


def test_the_intake_page_lists_the_offices_categories(client, desks):
    """Threat as above, on the intake page an assistant uses."""
    client.force_login(staff(Role.CLIENT_ASSISTANT, office=desks["office"]))
    page = client.get(reverse("complaints:intake")).content.decode()
    assert desks["own"].name in page and desks["every"].name in page
    assert desks["hidden"].name not in page and desks["theirs"].name not in page


@pytest.mark.parametrize("which", ["hidden", "theirs"])
def test_intake_refuses_a_category_the_branch_does_not_use(desks, which):
    """Threat: a forged post records a complaint under a category the branch hid or another
    branch's own, skewing the month's breakdown by category."""
    office = desks["office"]
    complaint = Complaint(
        office=office,
        complainant_name="王先生",
        phone="+8613800138000",
        building=BuildingFactory(office=office),
        room="1502",
        received_at=timezone.now() - timedelta(minutes=5),
        channel="phone",
        category=desks[which],
        description="x",
        customer_request="y",
        reply_due=timezone.now() + timedelta(hours=2),
    )
    with pytest.raises(IntakeRefused) as refused:
        record_complaint(complaint, by=staff(Role.CLIENT_ASSISTANT, office=office))
    assert "category" in refused.value.reasons


def test_the_quality_department_adds_a_category_for_its_own_branch_only(client, desks):
    """Threat: a quality department adds a category for every branch, or for another one;
    its own branch's category it may add (the sanity case)."""
    here = desks["office"].branch
    client.force_login(staff(Role.QUALITY_DEPARTMENT, branch=here))
    url = reverse("admin:complaints_category_add")
    for branch in ("", desks["far"].branch_id):
        response = client.post(
            url, {"name": "伪造", "position": 5, "active": "on", "branch": branch}
        )
        assert response.status_code == 200  # the form again, with the branch refused
    assert not Category.objects.filter(name="伪造").exists()
    response = client.post(
        url, {"name": "本分公司新类", "position": 5, "active": "on", "branch": here.pk}
    )
    assert response.status_code == 302
    assert Category.objects.get(name="本分公司新类").branch == here


def test_the_quality_department_hides_an_every_branch_category_for_its_offices(client, desks):
    """The way a branch drops a category it does not use, without touching every branch's row."""
    here = desks["office"].branch
    client.force_login(staff(Role.QUALITY_DEPARTMENT, branch=here))
    response = client.post(
        reverse("admin:complaints_hiddencategory_add"),
        {"branch": here.pk, "category": desks["every"].pk},
    )
    assert response.status_code == 302
    assert desks["every"] not in offered(desks["office"])
    assert desks["every"] in offered(desks["far"])  # every other branch still has it
