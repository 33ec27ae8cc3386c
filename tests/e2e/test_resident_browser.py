"""The resident at a phone's size (#17 item 7, 390×844): follow a complaint by its code, answer
the revisit — satisfied, and not satisfied with their words (R-REV-1, R-REV-2) — no login."""

import os
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from complaints.models import Complaint
from followups.workflow import record_contact
from resident.links import issue_link
from tests.factories import ComplaintFactory
from tests.followups.states import handled

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]

PHONE = {"width": 390, "height": 844}
SCREENSHOTS = os.environ.get("SCREENSHOTS")


def shoot(page, name):
    if SCREENSHOTS:
        page.screenshot(path=os.path.join(SCREENSHOTS, f"resident-{name}.png"), full_page=True)


def fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


@pytest.fixture
def resolved(office, supervisor, assistant):
    complaint = ComplaintFactory(
        office=office, received_by=supervisor, received_at=timezone.now() - timedelta(hours=5)
    )
    record_contact(
        complaint, by=assistant, kind="progress", method="phone", summary="维修师傅已上门更换水管"
    )
    return handled(complaint, supervisor, timezone.now() - timedelta(hours=1))


def test_follow_by_code_and_answer_satisfied(page, resolved):
    page.set_viewport_size(PHONE)
    link, _token = issue_link(resolved)
    page.goto("/t/")
    shoot(page, "find")
    page.get_by_label("查询码").fill(link.display_code.lower())
    page.get_by_role("button", name="查看我的投诉").click()
    expect(page.get_by_test_id("number")).to_have_text(resolved.number)
    expect(page.get_by_test_id("contact")).to_contain_text("维修师傅已上门更换水管")
    assert fits(page)
    shoot(page, "resolved")
    page.get_by_label("满意", exact=True).check()
    page.get_by_test_id("revisit").get_by_label("是").check()
    page.get_by_role("button", name="提交回访意见").click()
    expect(page.get_by_test_id("state")).to_contain_text("感谢您的答复")
    expect(page.get_by_test_id("revisit")).to_have_count(0)
    shoot(page, "satisfied")
    resolved.refresh_from_db()
    assert resolved.status == "revisited"  # R-REV-1


def test_answer_not_satisfied_with_words(page, resolved):
    page.set_viewport_size(PHONE)
    _link, token = issue_link(resolved)
    page.goto(f"/t/{token}/")
    page.get_by_label("不满意").check()
    page.get_by_role("button", name="提交回访意见").click()
    expect(page.get_by_test_id("error-remarks")).to_contain_text("请告诉我们您不满意的地方")
    shoot(page, "unsatisfied-refused")
    page.get_by_label("您的意见").fill("水管还在漏，地板泡坏了")
    page.get_by_role("button", name="提交回访意见").click()
    expect(page.get_by_test_id("state")).to_contain_text("已将您的意见登记为新投诉")
    successor = Complaint.objects.get(linked_to=resolved)  # R-REV-2
    expect(page.get_by_test_id("successor")).to_contain_text(successor.number)
    assert fits(page)
    shoot(page, "unsatisfied")
    page.get_by_role("link", name="查看新投诉的进度").click()
    expect(page.get_by_test_id("number")).to_have_text(successor.number)
    shoot(page, "successor")


@pytest.mark.parametrize("size", [{"width": 1280, "height": 900}, PHONE], ids=["desk", "phone"])
def test_the_desk_shows_prints_and_reissues_the_link(page, login, office, supervisor, size):
    page.set_viewport_size(size)
    complaint = ComplaintFactory(office=office, received_by=supervisor, email="wang@example.cn")
    link, token = issue_link(complaint)
    login(supervisor)
    page.goto(f"/complaints/{complaint.pk}/recorded/")
    card = page.get_by_test_id("tracking-link")
    expect(card.get_by_test_id("tracking-code")).to_have_text(link.display_code)
    expect(card.get_by_test_id("tracking-qr")).to_be_visible()
    shoot(page, f"recorded-{size['width']}")
    page.goto(f"/complaints/{complaint.pk}/")
    page.get_by_test_id("tracking-reissue").click()
    expect(page.get_by_test_id("tracking-code")).not_to_have_text(link.display_code)
    assert fits(page)
    shoot(page, f"detail-{size['width']}")
    page.goto(f"/t/{token}/")
    expect(page.get_by_test_id("not-found")).to_be_visible()
