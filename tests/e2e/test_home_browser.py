"""Home is the work queue (issue 14), at a desk and on a phone: a number opens its list."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.roles import Role
from tests.factories import ComplaintFactory, OfficeFactory, staff

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]

DESK, PHONE = {"width": 1280, "height": 900}, {"width": 390, "height": 844}


def fits_the_width(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


@pytest.mark.parametrize("size", [DESK, PHONE], ids=["desk", "phone"])
def test_assistant_opens_the_list_behind_a_number_and_intake_by_one_key(page, login, size):
    # R-URG-2: the 3-day contact is due; the number on the home page leads to those complaints
    page.set_viewport_size(size)
    office = OfficeFactory()
    assistant = staff(Role.CLIENT_ASSISTANT, office=office)
    late = ComplaintFactory(
        office=office, complainant_name="彭先生", received_at=timezone.now() - timedelta(days=5)
    )
    fresh = ComplaintFactory(office=office, complainant_name="新女士")
    login(assistant)

    tile = page.locator("[data-queue=due_contact]")
    expect(tile.get_by_test_id("tile-count")).to_have_text("1")
    expect(page.get_by_test_id("nearest-due")).to_contain_text(late.number)
    assert fits_the_width(page)
    tile.click()
    expect(page.get_by_test_id("complaint-row")).to_have_count(1)
    expect(page.get_by_test_id("complaint-row").first).to_contain_text(late.number)
    expect(page.get_by_text(fresh.number)).to_have_count(0)

    page.goto("/")
    page.keyboard.press("n")
    expect(page).to_have_url(re.compile(r"/complaints/new/$"))


@pytest.mark.parametrize("size", [DESK, PHONE], ids=["desk", "phone"])
def test_manager_sees_closures_waiting_in_the_navigation_and_on_home(page, login, size):
    # R-CLO-3: the manager's closure queue, counted where they look first
    page.set_viewport_size(size)
    office = OfficeFactory()
    manager = staff(Role.OFFICE_MANAGER, office=office)
    ComplaintFactory(office=office, status="in_progress")
    login(manager)

    expect(page.locator("[data-queue=waiting_closure]").get_by_test_id("tile-count")).to_have_text(
        "0"
    )
    expect(page.get_by_test_id("closure-queue")).to_be_attached()
    assert fits_the_width(page)
