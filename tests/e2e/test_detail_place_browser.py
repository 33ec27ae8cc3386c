"""The complaint's page keeps your place (issue 14, item 5), at a desk and on a phone: after a
step the page returns to that step with its panel open; a rejected closure's reason stands
where the next step is chosen; rule codes leave the deadline headings."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.roles import Role
from complaints.models import ComplaintEvent
from tests.factories import ComplaintFactory, OfficeFactory, staff

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]

DESK, PHONE = {"width": 1280, "height": 900}, {"width": 390, "height": 844}


@pytest.mark.parametrize("size", [DESK, PHONE], ids=["desk", "phone"])
def test_after_a_contact_the_page_comes_back_to_that_step_open(page, login, size):
    page.set_viewport_size(size)
    office = OfficeFactory()
    assistant = staff(Role.CLIENT_ASSISTANT, office=office)
    manager = staff(Role.OFFICE_MANAGER, office=office)
    complaint = ComplaintFactory(office=office, received_by=assistant, status="in_progress")
    ComplaintEvent.objects.create(  # R-CLO-3: sent back by the manager
        complaint=complaint,
        kind=ComplaintEvent.Kind.CLOSURE_REJECTED,
        actor=manager,
        at=timezone.now() - timedelta(hours=1),
        note="纠正措施不具体",
    )
    login(assistant)
    page.goto(f"/complaints/{complaint.pk}/")

    expect(page.get_by_test_id("rejection-reason")).to_contain_text("纠正措施不具体")
    expect(page.get_by_test_id("deadline-contact")).not_to_contain_text("R-URG-2")
    step = page.get_by_test_id("step-contact")
    step.locator(".accordion-button").click()
    step.locator("[name=contact-summary]").fill("已告知处理进度")
    with page.expect_navigation():  # the POST and its redirect, not the page already loaded
        step.get_by_role("button", name="保存沟通记录").click()

    expect(page.get_by_test_id("step-contact").locator(".accordion-collapse")).to_have_class(
        "accordion-collapse collapse show"
    )
    expect(page.get_by_test_id("step-contact")).to_be_in_viewport()
    assert complaint.contacts.filter(summary="已告知处理进度").exists()
