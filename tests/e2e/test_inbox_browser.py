"""The office manager opens the inbox: a closure approved elsewhere has left the unread list by
itself and reads in the history with why; the closure queue in the navigation counts what
waits (R-CLO-3)."""

import os
import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.roles import Role
from followups.models import Notification
from followups.notify import notify
from followups.workflow import approve_closure
from tests.factories import ComplaintFactory, OfficeFactory, staff
from tests.followups.states import revisited

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]
DESK, PHONE = {"width": 1280, "height": 900}, {"width": 390, "height": 844}


@pytest.mark.parametrize("size", [DESK, PHONE], ids=["desk", "phone"])
def test_the_manager_reads_what_is_still_to_do_and_what_was_done(page, login, size):
    page.set_viewport_size(size)
    office = OfficeFactory(code="HY", name="华苑管理处")
    assistant = staff(Role.CLIENT_ASSISTANT, office=office, full_name="李娜")
    manager = staff(Role.OFFICE_MANAGER, office=office, full_name="张经理")
    manager.is_staff = True
    manager.save()
    at = timezone.now() - timedelta(hours=6)
    done = ComplaintFactory(office=office, received_by=assistant, complainant_name="王女士",
                            received_at=at, entered_at=at)  # fmt: skip
    waiting = ComplaintFactory(office=office, received_by=assistant, complainant_name="孙先生",
                               received_at=at, entered_at=at)  # fmt: skip
    revisited(done, assistant, at)
    revisited(waiting, assistant, at)
    approve_closure(done, by=manager, now=at + timedelta(hours=3))
    notify(manager, Notification.Kind.MAJOR, key="major", complaint=waiting, number=waiting.number,
           office=office.name, name="孙先生", description="电梯故障")  # fmt: skip
    login(manager)

    expect(page.get_by_test_id("unread-badge")).to_have_text("2 未读")
    expect(page.get_by_test_id("closure-queue")).to_contain_text("1")

    page.goto("/inbox/?show=unread")
    rows = page.get_by_test_id("notification")
    expect(rows).to_have_count(2)
    expect(page.get_by_text(done.number)).to_have_count(0)
    expect(rows.first.get_by_test_id("notification-matter")).to_contain_text("孙先生")

    page.select_option("#id_show", "history")
    page.get_by_test_id("inbox-filter-apply").click()
    expect(rows).to_have_count(1)
    expect(rows.first.get_by_test_id("notification-matter")).to_contain_text(done.number)
    expect(rows.first.get_by_test_id("notification-done")).to_be_visible()
    if os.environ.get("SCREENSHOTS"):
        name = f"inbox-history-{size['width']}.png"
        page.screenshot(path=os.path.join(os.environ["SCREENSHOTS"], name), full_page=True)

    if size is PHONE:  # the navigation folds behind its button at a phone's width
        page.locator(".navbar-toggler").click()
    page.get_by_test_id("closure-queue").click()
    expect(page).to_have_url(re.compile("closurerequest"))
