"""The community's complaint form (#17 item 4): one complaint on the website channel (R-CHAN-1),
its entry clock from the submission (R-REC-2), waiting for the desk's check, and the tracking
link at once."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from complaints.models import Attachment, Complaint, ComplaintEvent, DutyLogEntry
from complaints.models.attachment import attachment_storage
from resident.models import TrackingLink
from tests.attachment_files import jpeg, pdf
from tests.resident.community import fresh_limits, submission  # noqa: F401

SHANGHAI = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 12, 2, 21, 15, tzinfo=SHANGHAI)  # Wednesday evening
pytestmark = [pytest.mark.django_db, pytest.mark.frozen_at(NOW)]


def form_url(office):
    return reverse("resident:community", args=[office.code])


def test_the_form_opens_without_a_login_in_chinese(client, office):
    response = client.get(form_url(office))
    assert response.status_code == 200
    assert "投诉" in response.text and office.name in response.text
    assert response["Content-Language"] == "zh-hans"


def test_an_unknown_office_code_is_not_found(client, office):
    assert client.get(reverse("resident:community", args=["XX"])).status_code == 404


def test_sending_records_one_complaint_on_the_website_channel_with_the_clock_from_submission(
    client, office
):
    """R-CHAN-1, R-REC-2: received and entry due are counted from the submission."""
    response = client.post(form_url(office), submission(office))
    assert response.status_code == 302
    complaint = Complaint.objects.get()
    assert complaint.channel == "website"
    assert complaint.office == office
    assert complaint.received_at == NOW
    assert complaint.entry_due == NOW + timedelta(hours=2)
    assert complaint.awaiting_check and not complaint.entered_late
    assert complaint.received_by is None  # nobody at the desk has received it yet
    assert complaint.address == "3栋 1单元1502"
    assert complaint.phone == "+8613900139000"
    assert not complaint.is_complete  # R-REC-3: class, category, severity still to check
    assert "category" in complaint.missing_record_fields()
    # R-REPLY-2: nobody agreed a time: the latest the procedure allows.
    assert complaint.reply_due == complaint.reply_latest
    event = complaint.events.get()
    assert event.kind == ComplaintEvent.Kind.RECORDED and event.actor is None
    assert event.data["via"] == {"kind": "community_page"}
    assert not DutyLogEntry.objects.exists()  # R-REC-1: written by the assistant's check


def test_the_thank_you_page_shows_the_tracking_link_and_its_code(client, office):
    response = client.post(form_url(office), submission(office), follow=True)
    link = TrackingLink.objects.get(complaint=Complaint.objects.get())
    assert response.redirect_chain[-1][0] == reverse("resident:community_sent", args=["HY"])
    page = response.text
    assert link.display_code in page
    assert "/t/" in response.context["url"]
    assert response.context["url"].startswith("http://testserver/t/")


def test_the_thank_you_page_alone_shows_no_link(client, office):
    response = client.get(reverse("resident:community_sent", args=[office.code]))
    assert response.status_code == 200
    assert response.context["link"] is None
    assert "/t/" not in response.text


def test_photos_are_kept_without_their_location(client, office):
    data = submission(office, photos=[jpeg("lift.jpg")])
    assert client.post(form_url(office), data).status_code == 302
    attachment = Attachment.objects.get()
    assert attachment.uploaded_by is None and attachment.step == "intake"
    with attachment_storage().open(attachment.file.name, "rb") as file:
        stored = file.read()
    assert b"PhoneMaker" not in stored  # the camera's EXIF (and its GPS) went


def test_a_document_is_refused_in_chinese_and_the_text_stays(client, office):
    response = client.post(form_url(office), submission(office, photos=[pdf()]))
    assert response.status_code == 400
    assert "只能发送照片" in response.text
    assert "电梯停了一上午" in response.text  # nothing typed is lost
    assert not Complaint.objects.exists()


def test_a_bad_phone_is_refused_in_chinese_and_the_text_stays(client, office):
    response = client.post(form_url(office), submission(office, phone="13900"))
    assert response.status_code == 400
    assert "不是我们能拨打的电话号码" in response.text
    assert "尽快修好电梯" in response.text
    assert not Complaint.objects.exists()


def test_a_building_of_another_office_is_refused(client, office, other_office):
    from tests.factories import BuildingFactory

    theirs = BuildingFactory(office=other_office, name="9栋")
    response = client.post(form_url(office), submission(office, building=theirs.pk))
    assert response.status_code == 400
    assert not Complaint.objects.exists()


def test_a_phone_is_required(client, office):
    """R-REC-3: a way to reach the resident; the form asks no e-mail."""
    response = client.post(form_url(office), submission(office, phone=""))
    assert response.status_code == 400
    assert response.context["form"].errors["phone"]
    assert not Complaint.objects.exists()


def test_the_form_reads_a_fixed_number_of_queries(client, office, django_assert_max_num_queries):
    from tests.factories import BuildingFactory

    for n in range(5):
        BuildingFactory(office=office, name=f"{n + 1}栋")
    with django_assert_max_num_queries(3):  # the office, its buildings (any?) and their options
        assert client.get(form_url(office)).status_code == 200
