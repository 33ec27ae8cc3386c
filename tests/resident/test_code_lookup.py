"""The short-code entry page (#17 items 1, 5): the code read out on the phone opens the page;
any miss gets one answer, and each address has its allowance on the shared cache."""

import re

import pytest
from django.core.cache import caches
from django.urls import reverse

from resident.links import issue_link, revoke_link

pytestmark = pytest.mark.django_db


ADDRESSES = ("203.0.113.7", "198.51.100.9")


@pytest.fixture(autouse=True)
def fresh_allowance():
    """Each test starts with the addresses' whole allowance (on the shared cache)."""
    caches["shared"].delete_many([f"resident:code:{address}" for address in ADDRESSES])


def look_up(client, code, address=ADDRESSES[0]):
    return client.post(reverse("resident:find"), {"code": code}, REMOTE_ADDR=address)


def test_the_code_opens_the_tracking_page(client, record):
    link, token = issue_link(record())
    response = look_up(client, link.display_code.lower())
    assert response.status_code == 302 and response["Location"] == f"/t/{token}/"


def test_every_miss_gets_the_same_answer(client, record):
    """Threat: the answer tells a revoked code from an unknown or malformed one."""
    revoked, _token = issue_link(record())
    revoke_link(revoked)
    answers = {
        re.sub(rb'name="csrfmiddlewaretoken" value="[^"]+"', b"", look_up(client, typed).content)
        for typed in (revoked.code, "ZZZZZZZZ", "1", "", "<script>", "長" * 30)
    }
    assert len(answers) == 1


def test_the_lookup_is_limited_per_address(client, record, settings):
    """Threat: the short code is guessed by trying codes in bulk from one address."""
    settings.RESIDENT_CODE_ATTEMPTS = 3
    link, _token = issue_link(record())
    for _ in range(3):
        assert look_up(client, "ZZZZZZZZ").status_code == 200
    limited = look_up(client, link.code)  # even the right code, once past the allowance
    assert limited.status_code == 429 and "尝试次数过多" in limited.content.decode()
    assert look_up(client, link.code, address=ADDRESSES[1]).status_code == 302


def test_the_entry_page_needs_no_login_and_reads_chinese(client):
    response = client.get(reverse("resident:find"))
    assert response.status_code == 200 and "查询投诉进度" in response.content.decode()


def test_without_the_shared_cache_the_lookup_is_refused_not_unlimited(client, record, settings):
    """Threat: a cache outage lifts the allowance, and codes are guessed without a limit."""
    link, token = issue_link(record())
    settings.CACHES = {
        **settings.CACHES,
        "shared": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens there
        },
    }
    response = look_up(client, link.code)
    assert response.status_code == 429
    assert client.get(reverse("resident:track", args=[token])).status_code == 200
