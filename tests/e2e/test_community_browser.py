"""A resident sends a complaint from the community's page on a phone (#17 items 4 and 7): the
form at 390×844 in a WeChat-like browser, a photo chosen, the thank-you page with the tracking
link and its code; then the assistant checks it from the home page's queue."""

import os

import pytest
from playwright.sync_api import expect

from accounts.roles import Role
from complaints.models import Complaint
from tests.attachment_files import photo_bytes
from tests.factories import BuildingFactory, CategoryFactory, OfficeFactory, staff
from tests.resident.community import sent_from_community

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]

PHONE = {"width": 390, "height": 844}
SCREENSHOTS = os.environ.get("COMMUNITY_SCREENSHOTS")  # a folder to look at the pages in


def shot(page, name):
    if SCREENSHOTS:
        page.screenshot(path=os.path.join(SCREENSHOTS, f"{name}.png"), full_page=True)


def fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_a_resident_sends_a_complaint_with_a_photo_from_a_phone(page, login, tmp_path):
    """R-CHAN-1, R-REC-2: it reaches the desk on the website channel, waiting for its check."""
    from django.core.cache import caches

    caches["shared"].clear()
    office = OfficeFactory(code="HY", name="华苑管理处")
    BuildingFactory(office=office, name="3栋")
    photo = tmp_path / "lift.jpg"
    photo.write_bytes(photo_bytes())
    page.set_viewport_size(PHONE)
    refused = []  # what the CSP refused: the public pages need no inline script or style
    page.on("console", lambda m: refused.append(m.text) if "Content Security" in m.text else None)

    page.goto("/c/HY/")
    expect(page.get_by_role("heading", name="投诉与反映问题")).to_be_visible()
    page.get_by_label("您的称呼").fill("王女士")
    page.get_by_label("您的电话").fill("13900139000")
    page.get_by_label("楼栋").select_option(label="3栋")
    page.get_by_label("地址（单元和房号）").fill("1单元1502")
    page.get_by_label("发生了什么").fill("电梯停了一上午，老人上不了楼")
    page.get_by_label("您希望我们怎么处理").fill("尽快修好电梯")
    page.get_by_label("照片（可选）").set_input_files(str(photo))
    expect(page.locator(".community-trap input")).not_to_be_in_viewport()
    assert fits(page)
    shot(page, "community-form-phone")
    page.get_by_test_id("community-submit").click()

    expect(page.get_by_test_id("sent")).to_contain_text("已送达")
    link = page.get_by_test_id("tracking-link")
    expect(link).to_contain_text("/t/")
    expect(page.get_by_test_id("tracking-code")).to_have_text(
        Complaint.objects.get().tracking_links.get().display_code
    )
    assert fits(page)
    shot(page, "community-sent-phone")
    complaint = Complaint.objects.get()
    assert complaint.channel == "website" and complaint.awaiting_check
    assert complaint.attachments.count() == 1
    assert refused == []


def test_a_refused_form_keeps_what_was_typed_on_a_phone(page):
    from django.core.cache import caches

    caches["shared"].clear()
    OfficeFactory(code="HY", name="华苑管理处")
    page.set_viewport_size(PHONE)
    page.goto("/c/HY/")
    page.get_by_label("您的称呼").fill("王女士")
    page.get_by_label("您的电话").fill("139")
    page.get_by_label("地址（单元和房号）").fill("3栋1单元1502")
    page.get_by_label("发生了什么").fill("楼道灯坏了")
    page.get_by_label("您希望我们怎么处理").fill("修灯")
    page.get_by_test_id("community-submit").click()
    expect(page.get_by_test_id("error-phone")).to_contain_text("不是我们能拨打的电话号码")
    expect(page.get_by_label("发生了什么")).to_have_value("楼道灯坏了")
    assert fits(page)
    shot(page, "community-refused-phone")
    assert not Complaint.objects.exists()


def test_the_assistant_checks_it_from_the_home_queue(page, login):
    office = OfficeFactory(code="HY", name="华苑管理处")
    CategoryFactory(name="公共设施故障")
    assistant = staff(Role.CLIENT_ASSISTANT, office=office)
    complaint = sent_from_community(office, address_note="3栋1单元1502")
    login(assistant)
    page.locator("[data-queue=to_check]").click()
    page.get_by_role("link", name=complaint.number).first.click()
    page.get_by_test_id("check-link").click()
    page.get_by_label("类别").select_option(label="公共设施故障")
    page.get_by_label("严重程度").select_option(label="严重")
    shot(page, "community-check-desk")
    page.get_by_test_id("check-submit").click()
    expect(page.get_by_test_id("complaint-number")).to_have_text(complaint.number)
    expect(page.get_by_test_id("awaiting-check")).to_have_count(0)
    complaint.refresh_from_db()
    assert not complaint.awaiting_check and complaint.received_by == assistant


def test_the_office_prints_its_poster_with_the_qr_code(page, login):
    """The notice board's poster: the page's link and a QR code the browser draws (CSP holds)."""
    office = OfficeFactory(code="HY", name="华苑管理处")
    login(staff(Role.CUSTOMER_SUPERVISOR, office=office))
    page.get_by_test_id("community-poster-link").first.click()
    expect(page.get_by_test_id("community-url")).to_contain_text("/c/HY/")
    qr = page.get_by_test_id("qr")
    expect(qr).to_be_visible()
    assert page.evaluate("document.querySelector('[data-testid=qr]').naturalWidth") > 100
    shot(page, "community-poster-desk")
