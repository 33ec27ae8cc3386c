"""Intake guides while the call goes on (issue 14), at a desk and on a phone: the checklist,
the answer script and the deadlines change as the form is typed; one round of refusals."""

import pytest
from playwright.sync_api import expect

from accounts.roles import Role
from complaints.models import Complaint
from tests.factories import BuildingFactory, CategoryFactory, OfficeFactory, UnitFactory, staff

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]

DESK, PHONE = {"width": 1280, "height": 900}, {"width": 390, "height": 844}


@pytest.mark.parametrize("size", [DESK, PHONE], ids=["desk", "phone"])
def test_the_guide_follows_the_typing_and_refusals_come_in_one_round(page, login, size):
    page.set_viewport_size(size)
    office = OfficeFactory(code="HY", name="华苑管理处")
    UnitFactory(building=BuildingFactory(office=office, name="3栋"), name="2单元")
    UnitFactory(building=BuildingFactory(office=office, name="9栋"), name="5单元")
    CategoryFactory(name="装修噪音")
    login(staff(Role.CLIENT_ASSISTANT, office=office))
    page.goto("/complaints/new/")

    checklist = page.get_by_test_id("missing-parts")
    expect(checklist).to_contain_text("客户要求")  # R-REC-3: what is missing, before saving
    page.fill("#id_customer_request", "停止夜间施工")
    expect(checklist).not_to_contain_text("客户要求")
    expect(page.get_by_test_id("count-customer_request")).to_contain_text("6 / 10000")

    page.select_option("#id_classification", "invalid")  # R-CLS-5: the script of the class
    expect(page.get_by_test_id("answer-script")).to_contain_text("说明事实真相")
    page.select_option("#id_urgent_kind", "safety")  # R-URG-1: the dispatch deadline shows
    expect(page.get_by_test_id("guide-dispatch")).to_be_visible()

    page.fill("#id_phone", "139abc45678")
    page.select_option("#id_building", label="3栋")
    expect(page.locator("#id_unit option")).to_have_count(2)  # the empty choice and 2单元
    page.get_by_test_id("save-complaint").click()
    page.wait_for_load_state()

    # One round: the phone with letters and the missing name and description together.
    for field in ("phone", "complainant_name", "description"):
        expect(page.get_by_test_id(f"error-{field}")).to_be_visible()
    expect(page.locator("#id_phone")).to_have_value("139abc45678")
    expect(page.locator("#id_unit option")).to_have_count(2)  # still only 3栋's units
    assert not Complaint.objects.exists()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
