"""The community's public pages (resident.community) read no complaint: what the isolation
sweep exempts them for, proved (docs/resident.md)."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core import signing
from django.urls import reverse

from resident.community import SENT_COOKIE
from resident.links import issue_link
from tests.factories import ComplaintFactory
from tests.resident.community import fresh_limits, submission  # noqa: F401

SHANGHAI = ZoneInfo("Asia/Shanghai")
pytestmark = [
    pytest.mark.django_db,
    pytest.mark.frozen_at(datetime(2026, 12, 2, 9, 0, tzinfo=SHANGHAI)),
]
SECRET_TEXT = "zzsecret 三楼漏水"


def test_the_form_shows_no_complaint_of_the_office(client, office):
    """Threat: a stranger reads the office's complaints off its public page."""
    ComplaintFactory(office=office, description=SECRET_TEXT, complainant_name="zzsecret")
    for name in ("community", "community_sent"):
        text = client.get(reverse(f"resident:{name}", args=[office.code])).text
        assert "zzsecret" not in text


def test_the_thank_you_page_ignores_a_forged_cookie(client, office):
    """Threat: someone who learned a token (or guesses one) puts it in the cookie unsigned, or
    signed for another purpose, to make the thank-you page show a complaint."""
    complaint = ComplaintFactory(office=office, description=SECRET_TEXT)
    _link, token = issue_link(complaint)
    url = reverse("resident:community_sent", args=[office.code])
    for forged in (token, signing.dumps(token), signing.get_cookie_signer(salt="x").sign(token)):
        client.cookies[SENT_COOKIE] = forged
        response = client.get(url)
        assert response.context["link"] is None
        assert token not in response.text


def test_the_thank_you_cookie_stays_on_its_page(client, office):
    """Threat: the tracking token travels with every request to the site (and its logs)."""
    response = client.post(reverse("resident:community", args=[office.code]), submission(office))
    cookie = response.cookies[SENT_COOKIE]
    assert cookie["path"] == reverse("resident:community_sent", args=[office.code])
    assert cookie["httponly"] and cookie["samesite"] == "Lax"


def test_another_offices_staff_get_no_poster(client_as, office, other_office):
    """Threat: another office's staff print (and learn the address of) this office's page."""
    from accounts.roles import Role
    from tests.factories import staff

    client = client_as(staff(Role.CLIENT_ASSISTANT, office=other_office))
    for name in ("community_poster", "community_qr"):
        assert client.get(reverse(f"resident:{name}", args=[office.code])).status_code == 404


def test_the_thank_you_page_of_another_office_shows_no_link(client, office, other_office):
    """Threat: a thank-you cookie carried to another office's page shows a link under the
    wrong office's name (a phishing page's look)."""
    response = client.post(reverse("resident:community", args=[office.code]), submission(office))
    signed = response.cookies[SENT_COOKIE].value
    client.cookies[SENT_COOKIE] = signed
    elsewhere = client.get(reverse("resident:community_sent", args=[other_office.code]))
    assert elsewhere.context["link"] is None
    own = client.get(reverse("resident:community_sent", args=[office.code]))
    assert own.context["link"] is not None
