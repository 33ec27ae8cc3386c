"""The supervisor completes an incomplete record from the complaint's page (issue 14, R-REC-3),
at a desk and on a phone; the timeline shows the change with before and after."""

import pytest
from playwright.sync_api import expect

from accounts.roles import Role
from tests.factories import ComplaintFactory, OfficeFactory, staff

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]

DESK, PHONE = {"width": 1280, "height": 900}, {"width": 390, "height": 844}


@pytest.mark.parametrize("size", [DESK, PHONE], ids=["desk", "phone"])
def test_supervisor_completes_the_record_from_the_detail_page(page, login, size):
    page.set_viewport_size(size)
    office = OfficeFactory()
    complaint = ComplaintFactory(office=office, customer_request="")
    login(staff(Role.CUSTOMER_SUPERVISOR, office=office))
    page.goto(f"/complaints/{complaint.pk}/")

    expect(page.get_by_test_id("badge-incomplete")).to_be_visible()
    page.get_by_test_id("complete-link").click()
    form = page.get_by_test_id("record-form")
    expect(form).to_be_visible()
    form.locator("[name=customer_request]").fill("停止夜间施工")
    page.get_by_test_id("save-record").click()
    page.wait_for_load_state()

    expect(page.get_by_test_id("badge-incomplete")).to_have_count(0)
    edited = page.locator("[data-testid=event][data-kind=edited]")
    expect(edited).to_contain_text("“” → “停止夜间施工”")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
