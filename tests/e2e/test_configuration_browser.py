"""A branch's quality department configures its categories in the admin (security.md,
configuration by branch): it adds one for its own branch, hides an every-branch one, and sees
the every-branch categories read-only; the intake page of its offices follows."""

import pytest

from accounts.roles import Role
from complaints.models import Category, HiddenCategory
from tests.factories import OfficeFactory, staff

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def test_the_quality_department_adds_and_hides_categories_for_its_branch(page, login):
    office = OfficeFactory(name="华苑管理处")
    every = Category.objects.create(name="停车管理", position=1)
    quality = staff(Role.QUALITY_DEPARTMENT, branch=office.branch, full_name="品质部")
    login(quality)

    page.goto("/admin/complaints/category/add/")
    page.fill("input[name=name]", "装修押金")
    branch_options = page.locator("select[name=branch] option").all_inner_texts()
    assert branch_options == [office.branch.name]  # its own branch only, never "every branch"
    page.click("input[name=_save]")
    assert Category.objects.get(name="装修押金").branch == office.branch

    page.goto(f"/admin/complaints/category/{every.pk}/change/")
    assert page.locator("input[name=name]").count() == 0  # read-only for a branch

    page.goto("/admin/complaints/hiddencategory/add/")
    page.select_option("select[name=category]", str(every.pk))
    page.click("input[name=_save]")
    assert HiddenCategory.objects.filter(branch=office.branch, category=every).exists()

    assistant = staff(Role.CLIENT_ASSISTANT, office=office)
    page.context.clear_cookies()
    login(assistant)
    page.goto("/complaints/new/")
    categories = page.locator("select[name=category] option").all_inner_texts()
    assert "装修押金" in categories and "停车管理" not in categories
