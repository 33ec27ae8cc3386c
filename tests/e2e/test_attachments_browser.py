"""A client assistant attaches a photo at intake, sees it in the timeline — the photo itself,
then the worker's thumbnail — and opens it; another office's staff cannot reach it
(docs/security.md, Attachments)."""

import os

import pytest
from django.urls import reverse

from accounts.roles import Role
from complaints.attachments import make_thumbnail
from complaints.models import Attachment, Complaint
from tests.attachment_files import photo_bytes
from tests.factories import PASSWORD, BuildingFactory, CategoryFactory, OfficeFactory, staff

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]
SCREENSHOTS = os.environ.get("ATTACHMENT_SCREENSHOTS")  # a folder to look at the pages in


def shot(page, name):
    if SCREENSHOTS:
        page.screenshot(path=os.path.join(SCREENSHOTS, f"{name}.png"), full_page=True)


def natural_width(image) -> int:
    image.scroll_into_view_if_needed()
    return image.evaluate("img => img.complete ? img.naturalWidth : 0")


def test_a_photo_attached_at_intake_shows_in_the_timeline_and_opens(page, login, tmp_path):
    office = OfficeFactory(code="HY", name="华苑管理处")
    BuildingFactory(office=office, name="3栋")
    CategoryFactory(name="公共设施")
    login(staff(Role.CLIENT_ASSISTANT, office=office, full_name="李娜"))
    photo = tmp_path / "天花板漏水.jpg"
    photo.write_bytes(photo_bytes("JPEG", size=(1600, 1200)))

    page.goto("/complaints/new/")
    page.fill("#id_phone", "138 0013 8000")
    page.fill("#id_complainant_name", "王先生")
    page.select_option("#id_building", label="3栋")
    page.fill("#id_room", "1502")
    page.fill("#id_description", "天花板漏水")
    page.fill("#id_customer_request", "尽快维修")
    page.select_option("#id_category", label="公共设施")
    files = page.locator("#id_files")
    assert files.get_attribute("accept") == "image/*,application/pdf"
    assert files.get_attribute("multiple") is not None
    files.set_input_files(str(photo))
    shot(page, "intake-with-photo")
    page.get_by_test_id("save-complaint").click()
    page.get_by_test_id("recorded").wait_for()

    complaint = Complaint.objects.get()
    attachment = Attachment.objects.get(complaint=complaint)
    assert attachment.original_name == "天花板漏水.jpg"
    page.goto(reverse("complaints:detail", args=[complaint.pk]))
    in_timeline = page.get_by_test_id("event-attachments").get_by_test_id("attachment-thumb")
    assert in_timeline.get_attribute("data-thumbnail") == "pending"
    assert natural_width(in_timeline) == 1600  # the photo itself, until the thumbnail exists

    make_thumbnail(attachment)  # the worker's job (tests/e2e/test_attachment_worker.py)
    page.reload()
    in_timeline = page.get_by_test_id("event-attachments").get_by_test_id("attachment-thumb")
    assert in_timeline.get_attribute("data-thumbnail") == "ready"
    assert natural_width(in_timeline) == 480
    gallery = page.get_by_test_id("gallery").get_by_test_id("attachment-thumb")
    assert natural_width(gallery) == 480
    shot(page, "detail-with-photo")

    with page.context.expect_page() as opened:
        in_timeline.click()
    photo_page = opened.value
    photo_page.wait_for_load_state()
    assert photo_page.url.endswith(reverse("complaints:attachment", args=[attachment.pk]))
    assert photo_page.evaluate("document.contentType") == "image/jpeg"
    shot(photo_page, "photo-opened")


def test_another_offices_user_cannot_reach_the_photo(page, login, tmp_path, browser, live_server):
    office, other = OfficeFactory(code="HY"), OfficeFactory(code="OT")
    assistant = staff(Role.CLIENT_ASSISTANT, office=office)
    login(assistant)
    page.goto("/complaints/new/")  # an honest complaint, with its photo
    page.fill("#id_phone", "138 0013 8000")
    page.fill("#id_complainant_name", "王先生")
    page.fill("#id_address_note", "北门岗亭")
    page.fill("#id_description", "岗亭玻璃碎了")
    (tmp_path / "glass.jpg").write_bytes(photo_bytes("JPEG"))
    page.locator("#id_files").set_input_files(str(tmp_path / "glass.jpg"))
    page.get_by_test_id("save-complaint").click()
    page.get_by_test_id("recorded").wait_for()
    attachment = Attachment.objects.get()

    outsider = browser.new_context(locale="zh-CN", base_url=live_server.url)
    try:
        stranger = outsider.new_page()
        user = staff(Role.OFFICE_MANAGER, office=other)
        stranger.goto("/login/")
        stranger.fill("input[name=username]", user.username)
        stranger.fill("input[name=password]", PASSWORD)
        stranger.click("button[type=submit]")
        stranger.wait_for_load_state()
        for name in ("complaints:attachment", "complaints:attachment_thumbnail"):
            response = stranger.goto(reverse(name, args=[attachment.pk]))
            assert response.status == 404
            assert response.headers["content-type"].startswith("text/html")
        response = stranger.goto(reverse("complaints:detail", args=[attachment.complaint_id]))
        assert response.status == 404
        shot(stranger, "outsider-404")
    finally:
        outsider.close()
