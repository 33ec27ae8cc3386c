"""The office's poster of its community page (#17 item 4): the link and a printable QR code for
the notice board, for the office's staff."""

import pytest
import segno
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_the_poster_shows_the_link_and_the_qr_code(assistant_client, office):
    response = assistant_client.get(reverse("resident:community_poster", args=[office.code]))
    assert response.status_code == 200
    assert response.context["url"] == "http://testserver/c/HY/"
    assert reverse("resident:community_qr", args=[office.code]) in response.text
    assert "data-print" in response.text


def test_the_qr_code_is_an_svg_of_the_forms_link(assistant_client, office):
    response = assistant_client.get(reverse("resident:community_qr", args=[office.code]))
    assert response["Content-Type"] == "image/svg+xml"
    svg = response.content.decode()
    assert svg.lstrip().startswith("<?xml") and "<svg" in svg
    expected = segno.make("http://testserver/c/HY/", error="q")
    width, _height = expected.symbol_size(scale=10, border=2)
    assert f'width="{width}"' in svg


def test_the_home_page_links_each_office_to_its_poster(assistant_client, office):
    response = assistant_client.get(reverse("home"))
    assert reverse("resident:community_poster", args=[office.code]) in response.text


def test_the_poster_needs_a_login(client, office):
    response = client.get(reverse("resident:community_poster", args=[office.code]))
    assert response.status_code == 302 and "/login/" in response["Location"]
