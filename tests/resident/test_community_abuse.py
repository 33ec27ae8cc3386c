"""Abuse of the community's form (#17 item 5): rate limits per address and per phone on the
shared cache, the honeypot, size limits, the same answer whatever is typed, and the headers of
every public page (docs/resident.md, docs/security.md)."""

import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.cache import caches
from django.test import Client
from django.urls import reverse

from complaints.models import Complaint
from tests.attachment_files import camera_sized_jpeg, jpeg, upload
from tests.factories import ComplaintFactory
from tests.resident.community import fresh_limits, submission  # noqa: F401

SHANGHAI = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 12, 2, 9, 0, tzinfo=SHANGHAI)
pytestmark = [pytest.mark.django_db, pytest.mark.frozen_at(NOW)]


def form_url(office):
    return reverse("resident:community", args=[office.code])


def test_one_address_is_limited_per_hour_on_the_shared_cache(client, office, settings):
    """Threat: a script floods the desk with complaints from one machine."""
    settings.COMMUNITY_SUBMISSIONS_PER_ADDRESS = 2
    for n in range(2):
        data = submission(office, phone=f"1390013900{n}")
        assert client.post(form_url(office), data).status_code == 302
    response = client.post(form_url(office), submission(office, phone="13900139009"))
    assert response.status_code == 429
    assert "提交的次数太多" in response.text
    assert "电梯停了一上午" in response.text  # what was typed stays on the page
    assert Complaint.objects.count() == 2
    # The count lives on the shared cache, which every web worker reads.
    assert any(key.startswith(":1:community:address:") for key in _shared_keys())


def test_one_phone_is_limited_per_day_from_any_address(office, settings):
    """Threat: someone floods the desk in a neighbour's name, from many addresses."""
    settings.COMMUNITY_SUBMISSIONS_PER_PHONE = 2
    for n in range(3):
        client = Client(REMOTE_ADDR=f"10.0.0.{n + 1}")
        status = client.post(form_url(office), submission(office)).status_code
        assert status == (302 if n < 2 else 429)
    assert Complaint.objects.count() == 2


def test_the_honeypot_records_nothing_and_answers_the_same(client, office):
    """Threat: a form-filling robot; it fills the field people never see."""
    response = client.post(form_url(office), submission(office, website="http://spam.example"))
    assert response.status_code == 302
    assert response["Location"] == reverse("resident:community_sent", args=[office.code])
    assert not Complaint.objects.exists()


def test_an_oversized_text_is_refused_in_chinese_and_the_rest_is_kept(client, office):
    """Threat: megabytes of text in the database through a public form."""
    data = submission(office, description="漏" * 2001)
    response = client.post(form_url(office), data)
    assert response.status_code == 400
    assert "最多可写 2000 个字" in response.text
    assert "尽快修好电梯" in response.text and "1单元1502" in response.text
    assert not Complaint.objects.exists()


def test_an_oversized_photo_is_refused_in_chinese_and_the_text_is_kept(client, office, settings):
    """Threat: a huge upload through a public form fills the disk."""
    settings.ATTACHMENT_MAX_FILE_BYTES = 1024 * 1024
    big = upload("big.jpg", camera_sized_jpeg(), "image/jpeg")
    response = client.post(form_url(office), submission(office, photos=[big]))
    assert response.status_code == 400
    assert "big.jpg" in response.text and "照片需要重新选择" in response.text
    assert "电梯停了一上午" in response.text
    assert not Complaint.objects.exists()


def test_too_many_photos_are_refused(client, office, settings):
    """Threat: many files at once through a public form."""
    settings.COMMUNITY_MAX_PHOTOS = 2
    photos = [jpeg(f"p{n}.jpg") for n in range(3)]
    response = client.post(form_url(office), submission(office, photos=photos))
    assert response.status_code == 400
    assert "最多只能发送 2 张照片" in response.text


def _answer(client, office, **overrides) -> str:
    """The thank-you page as the resident reads it, without what differs by nature (the
    tracking link and its code, the CSRF token)."""
    response = client.post(form_url(office), submission(office, **overrides), follow=True)
    text = response.text
    link = response.context["link"]
    text = text.replace(response.context["url"], "URL").replace(link.display_code, "CODE")
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", text)


def test_the_answer_is_the_same_for_a_known_and_an_unknown_phone(client, office):
    """Threat: learning from the form whether a phone has complained before (who lives
    where, who complains)."""
    ComplaintFactory(office=office, phone="+8613900139000")  # an open complaint of this phone
    known = _answer(client, office, phone="13900139000")
    unknown = _answer(client, office, phone="13700137000")
    assert known == unknown
    # Both were recorded: no repeat-call lookup on the public side.
    assert Complaint.objects.filter(channel="website").count() == 2


def test_hostile_text_is_stored_as_typed_and_shown_as_text(client, office, assistant_client):
    """Threat: markup typed into the public form runs on the desk's pages."""
    script = '<script>alert(1)</script>=HYPERLINK("http://x")'
    assert client.post(form_url(office), submission(office, description=script)).status_code == 302
    complaint = Complaint.objects.get()
    assert complaint.description == script
    page = assistant_client.get(reverse("complaints:check", args=[complaint.pk])).text
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_a_nul_character_is_refused_not_a_500(client, office):
    """Threat: a NUL byte PostgreSQL cannot store turns a public form into a 500."""
    response = client.post(form_url(office), submission(office, complainant_name="王\x00"))
    assert response.status_code == 400


def test_the_form_keeps_csrf(office):
    """Threat: another site posts complaints through a visitor's browser."""
    client = Client(enforce_csrf_checks=True)
    assert client.post(form_url(office), submission(office)).status_code == 403
    assert not Complaint.objects.exists()


@pytest.mark.parametrize("name", ["community", "community_sent"])
def test_every_public_page_says_no_store_and_carries_the_policy(client, office, name):
    """Threat: a shared phone or a proxy keeps a resident's page; injected script runs."""
    response = client.get(reverse(f"resident:{name}", args=[office.code]))
    assert "no-store" in response["Cache-Control"]
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "frame-ancestors 'none'" in policy


def test_a_refused_submission_says_no_store_too(client, office):
    """Threat: a refused form, with what was typed, kept by a shared phone's cache."""
    response = client.post(form_url(office), submission(office, phone="1"))
    assert "no-store" in response["Cache-Control"]


def _shared_keys():
    cache = caches["shared"]
    client = cache._cache.get_client()
    return [key.decode() for key in client.keys("*")]
