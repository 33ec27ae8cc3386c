"""Integration tokens (issue #18.2): issued by a superuser in the admin, stored hashed, shown
once, expiring, revocable, each acting as one user with that user's roles and scope; the desk's
session works too, held to CSRF; calls are throttled per token.

Threats: a leaked database row yields a usable secret; a revoked or expired token still reads;
a token of one office reads another's complaint; a page on another site posts with the desk's
session cookie (CSRF); one integration exhausts the desk for the others."""

import uuid
from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from integrations.models import IntegrationToken, hash_secret
from integrations.throttling import PerTokenThrottle

pytestmark = pytest.mark.django_db

LIST = "/api/v1/complaints/"


def issue(user, *, days=30, name="CRM"):
    token = IntegrationToken(name=name, user=user, expires_at=timezone.now() + timedelta(days=days))
    secret = token.new_secret()
    token.save()
    return token, secret


def bearer(secret: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Token {secret}"}


def test_a_token_acts_as_its_user_within_that_users_office(client, assistant, record):
    complaint = record()
    _token, secret = issue(assistant)
    response = client.get(LIST, **bearer(secret))
    assert response.status_code == 200
    assert [row["id"] for row in response.json()["results"]] == [complaint.pk]


def test_only_the_secrets_hash_is_stored(assistant):
    token, secret = issue(assistant)
    stored = IntegrationToken.objects.values().get(pk=token.pk)
    assert secret not in str(stored)
    assert stored["key_hash"] == hash_secret(secret)
    assert len(secret) >= 43  # 32 random bytes, URL-safe base64


def test_an_office_a_token_gets_404_for_office_bs_complaint(
    client, assistant, record, other_office
):
    theirs = record(office=other_office)
    _token, secret = issue(assistant)
    response = client.get(f"/api/v1/complaints/{theirs.pk}/", **bearer(secret))
    assert response.status_code == 404
    assert theirs.number not in client.get(LIST, **bearer(secret)).content.decode()


def test_a_revoked_token_gets_401(client, assistant):
    token, secret = issue(assistant)
    assert client.get(LIST, **bearer(secret)).status_code == 200
    token.revoke()
    response = client.get(LIST, **bearer(secret))
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"


def test_an_expired_token_gets_401(client, assistant):
    _token, secret = issue(assistant, days=1)
    assert client.get(LIST, **bearer(secret)).status_code == 200
    with time_machine.travel(timezone.now() + timedelta(days=1, seconds=1), tick=False):
        assert client.get(LIST, **bearer(secret)).status_code == 401


def test_an_unknown_token_gets_401_even_with_a_session(assistant_client):
    assert assistant_client.get(LIST, **bearer("not-a-token")).status_code == 401


def test_a_deactivated_users_token_gets_401(client, assistant):
    _token, secret = issue(assistant)
    assistant.is_active = False
    assistant.save()
    assert client.get(LIST, **bearer(secret)).status_code == 401


def test_the_desks_session_works_and_a_post_without_csrf_is_refused(assistant):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(assistant)
    assert browser.get(LIST).status_code == 200
    response = browser.post(LIST, {}, content_type="application/json")
    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]


def test_calls_are_throttled_per_token(client, assistant, colleague, monkeypatch):
    monkeypatch.setattr(PerTokenThrottle, "THROTTLE_RATES", {"api": "3/minute"})
    # A key of this run only: the shared cache outlives the test database and its ids.
    monkeypatch.setattr(PerTokenThrottle, "cache_format", f"test-{uuid.uuid4()}-%(ident)s")
    _crm, crm = issue(assistant, name="CRM")
    _phone, phone = issue(colleague, name="call centre")
    answers = [client.get(LIST, **bearer(crm)).status_code for _ in range(4)]
    assert answers == [200, 200, 200, 429]
    assert client.get(LIST, **bearer(phone)).status_code == 200  # its own budget


def test_the_admin_issues_a_token_and_shows_its_secret_once(superuser_client, assistant):
    response = superuser_client.post(
        "/admin/integrations/integrationtoken/add/",
        {
            "name": "WeChat mini-program",
            "user": assistant.pk,
            "expires_at_0": "2027-06-30",
            "expires_at_1": "00:00:00",
        },
        follow=True,
    )
    assert response.status_code == 200
    token = IntegrationToken.objects.get(name="WeChat mini-program")
    shown = [str(m) for m in response.context["messages"]]
    secret = shown[0].rsplit(" ", 1)[-1]
    assert hash_secret(secret) == token.key_hash
    assert token.created_by.is_superuser
    again = superuser_client.get(f"/admin/integrations/integrationtoken/{token.pk}/change/")
    assert secret not in again.content.decode()


def test_only_a_superuser_reaches_the_tokens_in_the_admin(client_as, manager):
    manager.is_staff = True
    manager.save()
    response = client_as(manager).get("/admin/integrations/integrationtoken/")
    assert response.status_code == 403
