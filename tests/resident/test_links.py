"""The tracking link (#17 item 1): an unguessable token, a short code, one live link each."""

import pytest
from django.db import IntegrityError

from resident.links import (
    CODE_ALPHABET,
    issue_link,
    link_for_code,
    link_for_token,
    token_of,
    tracking_url,
)
from resident.models import TrackingLink

pytestmark = pytest.mark.django_db


def test_a_token_carries_at_least_128_bits_and_only_its_hash_is_looked_up(record):
    link, token = issue_link(record())
    assert len(token) >= 43  # 32 bytes, base64: 256 bits
    assert token not in (link.seed, link.token_hash)
    assert link_for_token(token) == link


def test_the_desk_can_derive_the_token_again(record):
    link, token = issue_link(record())
    assert token_of(link) == token


def test_a_changed_secret_key_keeps_the_link_working_but_no_longer_shown(record, settings):
    link, token = issue_link(record())
    settings.SECRET_KEY = "another-" + settings.SECRET_KEY
    assert link_for_token(token) == link
    assert token_of(TrackingLink.objects.get(pk=link.pk)) is None


def test_issuing_again_revokes_the_earlier_link(record, supervisor):
    complaint = record()
    first, first_token = issue_link(complaint)
    second, second_token = issue_link(complaint, by=supervisor)
    first.refresh_from_db()
    assert first.revoked_at is not None and first.revoked_by == supervisor
    assert link_for_token(first_token) is None
    assert link_for_code(first.code) is None
    assert link_for_token(second_token) == second


def test_the_short_code_is_read_back_however_it_is_typed(record):
    link, _token = issue_link(record())
    assert set(link.code) <= set(CODE_ALPHABET)
    typed = f" {link.code[:4].lower()} - {link.code[4:]} "
    assert link_for_code(typed) == link
    full_width = "".join(chr(ord(ch) + 0xFEE0) for ch in link.code)
    assert link_for_code(full_width) == link


@pytest.mark.parametrize("typed", ["", "0000OOOO", "x" * 500, "\x00", "ＡＢ"])
def test_a_malformed_code_finds_nothing(record, typed):
    issue_link(record())
    assert link_for_code(typed) is None


def test_the_database_holds_one_live_link_per_complaint(record):
    link, _token = issue_link(record())
    with pytest.raises(IntegrityError):
        TrackingLink.objects.create(
            complaint=link.complaint, seed="x", token_hash="y" * 64, code="23456789"
        )


def test_the_url_of_a_mail_starts_with_the_configured_address(record, settings):
    settings.RESIDENT_BASE_URL = "https://desk.example.cn/"
    _link, token = issue_link(record())
    assert tracking_url(None, token) == f"https://desk.example.cn/t/{token}/"


def test_the_live_link_is_found_with_its_token_and_none_once_revoked(record):
    from resident.links import live_link, revoke_link

    complaint = record()
    assert live_link(complaint) == (None, None)
    link, token = issue_link(complaint)
    assert live_link(complaint) == (link, token)
    revoke_link(link)
    assert live_link(complaint) == (None, None)
