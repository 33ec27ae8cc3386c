"""A phone in the hand (issue 14, item 8): the list (status and deadline visible), a complaint's
page and "my shift" fit 390 px, and the shift review rows say enough to review from (item 6)."""

from datetime import time, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.roles import Role
from followups.clocks import open_shift_reviews
from tests.factories import ComplaintFactory, OfficeFactory, ShiftFactory, staff

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]

DESK, PHONE = {"width": 1280, "height": 900}, {"width": 390, "height": 844}


def fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


@pytest.mark.parametrize("size", [DESK, PHONE], ids=["desk", "phone"])
def test_list_detail_and_my_shift_are_usable_at_desk_and_phone_size(page, login, size):
    page.set_viewport_size(size)
    office = OfficeFactory()
    ShiftFactory(office=office, starts_at=time(0, 0))
    assistant = staff(Role.CLIENT_ASSISTANT, office=office)
    old = ComplaintFactory(
        office=office, received_by=assistant, received_at=timezone.now() - timedelta(days=4)
    )
    open_shift_reviews(now=timezone.now())
    login(assistant)

    page.goto("/complaints/")
    row = page.get_by_test_id("complaint-row").first
    expect(row.get_by_test_id("status")).to_be_visible()
    expect(row.get_by_test_id("next-deadline")).to_be_visible()
    assert fits(page)

    page.goto(f"/complaints/{old.pk}/")
    expect(page.get_by_test_id("complaint-number")).to_have_text(old.number)
    if size is PHONE:  # the next step is one tap away, not below the whole record
        page.get_by_test_id("jump-links").get_by_role("link", name="下一步").click()
        expect(page.locator("#next-step")).to_be_in_viewport()
    assert fits(page)

    page.goto("/my-shift/")
    item = page.get_by_test_id("review-item").first
    expect(item.get_by_test_id("review-matter")).to_contain_text(old.description[:8])
    expect(item.get_by_test_id("review-next-deadline")).to_be_visible()
    assert fits(page)
