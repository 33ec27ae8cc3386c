"""Closure approval that prevents mistakes (issue 14, R-CLO-3), and the unlock of a locked
desk by its office manager, in Chromium."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.roles import Role
from tests.factories import PASSWORD, ComplaintFactory, OfficeFactory, staff
from tests.followups.states import revisited

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def test_bulk_approval_shows_what_closes_and_what_is_refused_before_closing(page, login):
    office = OfficeFactory()
    assistant = staff(Role.CLIENT_ASSISTANT, office=office)
    manager = staff(Role.OFFICE_MANAGER, office=office)
    start = timezone.now() - timedelta(days=3)
    closable = revisited(ComplaintFactory(office=office, received_at=start), assistant, start)
    incomplete = revisited(
        ComplaintFactory(office=office, received_at=start, customer_request=""), assistant, start
    )
    login(manager)
    page.goto("/admin/followups/closurerequest/")
    page.locator("#action-toggle").check()
    page.select_option("select[name=action]", "approve")
    page.locator("button[name=index]").click()

    expect(page.get_by_test_id("will-close")).to_contain_text(closable.number)
    refused = page.get_by_test_id("will-be-refused")
    expect(refused).to_contain_text(incomplete.number)
    expect(refused).to_contain_text("客户要求")  # the reason in words, not a field name
    page.get_by_test_id("confirm-approve").click()
    page.wait_for_load_state()

    closable.refresh_from_db()
    incomplete.refresh_from_db()
    assert (closable.status, incomplete.status) == ("closed", "revisited")


def test_the_decision_stands_apart_from_djangos_buttons(page, login):
    office = OfficeFactory()
    assistant = staff(Role.CLIENT_ASSISTANT, office=office)
    start = timezone.now() - timedelta(days=3)
    complaint = revisited(ComplaintFactory(office=office, received_at=start), assistant, start)
    login(staff(Role.OFFICE_MANAGER, office=office))
    page.goto(f"/admin/followups/closurerequest/{complaint.pk}/change/")

    decision = page.get_by_test_id("closure-decision").bounding_box()
    bottom = page.get_by_test_id("back-to-queue").bounding_box()
    assert decision["y"] + decision["height"] < bottom["y"] - 200  # far apart, at the top
    expect(page.get_by_test_id("back-to-queue")).to_have_text("返回待确认关闭列表")


def test_a_locked_assistant_is_unlocked_by_the_office_manager(page, login):
    office = OfficeFactory()
    assistant = staff(Role.CLIENT_ASSISTANT, office=office)
    manager = staff(Role.OFFICE_MANAGER, office=office)
    for _ in range(6):
        login(assistant, password="wrong")
    expect(page.get_by_test_id("who-unlocks")).to_contain_text("管理处经理")

    login(manager)
    page.locator("[data-queue=locked_logins]").click()
    expect(page.get_by_test_id("locked-login")).to_contain_text(assistant.username)
    page.get_by_test_id("unlock").click()
    expect(page.get_by_test_id("locked-login")).to_have_count(0)
    page.get_by_role("button", name="退出").click()

    login(assistant, password=PASSWORD)
    expect(page.get_by_test_id("home-client_assistant")).to_be_visible()
