"""Sessions (issue #7, authentication): the session cookie cannot be read by a script or sent
over plain HTTP in production, and a session the desk ended — by logging out, by deactivating
the user, by changing their password, or by the end of a shift — never authenticates again.

Threat: a stolen or left-behind session cookie (a shared front-desk PC, a former employee)
keeps giving access to residents' names, phones and addresses."""

import json
import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import LoginSession, User
from accounts.roles import Role
from tests.factories import PASSWORD, staff

ROOT = Path(__file__).resolve().parents[2]
NEW_PASSWORD = "N3w-desk-passw0rd!"

pytestmark = pytest.mark.django_db

# A real login in a fresh interpreter with the production settings (DEBUG off), on an
# in-memory database: prints the Set-Cookie headers of the response.
PRODUCTION_LOGIN = """
import json, django
django.setup()
from django.core.management import call_command
from django.test import Client
call_command("migrate", verbosity=0)
from accounts.models import User
User.objects.create_user("desk", password="s3cret-Passw0rd-for-the-probe")
client = Client(HTTP_HOST="desk.example.com")
response = client.post(
    "/login/", {"username": "desk", "password": "s3cret-Passw0rd-for-the-probe"}, secure=True
)
print(json.dumps({
    "status": response.status_code,
    "cookies": {name: morsel.OutputString() for name, morsel in response.cookies.items()},
}))
"""
PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": "k7#Qz!p2R9vLx@4mN8wT0bY6cJ1hF5dS3gA-prod-like-secret-for-the-cookie-test",
    "ALLOWED_HOSTS": "desk.example.com",
    "DATABASE_URL": "sqlite://:memory:",
}


def log_in(client, user) -> str:
    """Log in through the real login form; return the session key the browser got."""
    response = client.post(reverse("login"), {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302, "the login itself must work"
    return client.cookies["sessionid"].value


def is_logged_in(client) -> bool:
    response = client.get(reverse("home"))
    if response.status_code == 302:
        assert response["Location"].startswith(reverse("login"))
        return False
    assert response.status_code == 200
    return True


def browser_with(session_key: str) -> Client:
    """Another browser that presents `session_key`, e.g. a copy of a stolen cookie."""
    client = Client()
    client.cookies["sessionid"] = session_key
    return client


@pytest.fixture
def admin_browser(superuser):
    """The administrator's own browser, logged in as the superuser."""
    admin = Client()
    admin.force_login(superuser)
    return admin


def test_the_production_session_cookie_is_secure_httponly_and_lax_for_one_shift():
    """Threat: a script injected in a page, or a plain-HTTP request, reads the session cookie;
    a cookie sent along with another site's form post (CSRF)."""
    base = {key: os.environ[key] for key in ("PATH", "HOME", "LANG") if key in os.environ}
    env = {**base, **PRODUCTION, "DJANGO_SETTINGS_MODULE": "config.settings"}
    result = subprocess.run(
        [sys.executable, "-c", PRODUCTION_LOGIN], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    login = json.loads(result.stdout.strip().splitlines()[-1])
    assert login["status"] == 302  # logged in
    session = login["cookies"]["sessionid"]
    assert "Secure" in session and "HttpOnly" in session and "SameSite=Lax" in session
    assert "Max-Age=43200" in session  # one long front-desk shift, 12 hours
    assert "Secure" in login["cookies"]["csrftoken"]


def test_logout_only_answers_a_post():
    """Threat: a link or an image on another page (GET) logs the desk out."""
    client = Client()
    log_in(client, staff(Role.CLIENT_ASSISTANT))
    assert client.get(reverse("logout")).status_code == 405
    assert is_logged_in(client)


def test_the_cookie_of_a_logged_out_session_no_longer_authenticates():
    """Threat: someone copies the cookie from a shared front-desk PC and replays it after the
    assistant logged out."""
    assistant = staff(Role.CLIENT_ASSISTANT)
    client = Client()
    session_key = log_in(client, assistant)
    assert is_logged_in(browser_with(session_key))  # the copy works while logged in
    client.post(reverse("logout"))
    assert not LoginSession.objects.filter(session_key=session_key).exists()
    assert not is_logged_in(browser_with(session_key))


def user_change_data(user: User, **changes) -> dict:
    """What the admin's user change form posts for `user` (no memberships), with `changes`."""
    data = {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "is_active": "on",
        "is_staff": "on" if user.is_staff else "",
        "groups": [str(pk) for pk in user.groups.values_list("pk", flat=True)],
        "last_login_0": "",
        "last_login_1": "",
        "date_joined_0": timezone.localtime(user.date_joined).strftime("%Y-%m-%d"),
        "date_joined_1": timezone.localtime(user.date_joined).strftime("%H:%M:%S"),
        "full_name": user.full_name,
        "phone": user.phone,
        "memberships-TOTAL_FORMS": "0",
        "memberships-INITIAL_FORMS": "0",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def test_deactivating_a_user_in_the_admin_ends_all_their_sessions(admin_browser):
    """Threat: a former employee, deactivated by the administrator, keeps working in a session
    still open on another PC."""
    assistant = User.objects.create_user("leaver", password=PASSWORD)
    at_desk, at_home = Client(), Client()
    log_in(at_desk, assistant)
    log_in(at_home, assistant)
    colleague = staff(Role.CLIENT_ASSISTANT)
    elsewhere = Client()
    log_in(elsewhere, colleague)
    assert assistant.login_sessions.count() == 2

    response = admin_browser.post(
        reverse("admin:accounts_user_change", args=[assistant.pk]),
        user_change_data(assistant, is_active=None),
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    assistant.refresh_from_db()
    assert not assistant.is_active
    assert not assistant.login_sessions.exists()  # gone from the server, not only refused
    assert not is_logged_in(at_desk) and not is_logged_in(at_home)
    assert is_logged_in(elsewhere)  # nobody else is logged out


def test_deactivating_a_user_anywhere_ends_their_sessions():
    """Threat as above; the rule holds for any code that saves the user, not only the admin."""
    assistant = staff(Role.CLIENT_ASSISTANT)
    client = Client()
    log_in(client, assistant)
    assistant.is_active = False
    assistant.save(update_fields=["is_active"])
    assert not assistant.login_sessions.exists()
    assert not is_logged_in(client)


def test_a_password_changed_in_the_admin_ends_the_users_other_sessions(admin_browser):
    """Threat: the password leaked and was reset by the administrator; whoever logged in with
    the old one must be out."""
    assistant = staff(Role.CLIENT_ASSISTANT)
    client = Client()
    log_in(client, assistant)
    response = admin_browser.post(
        reverse("admin:auth_user_password_change", args=[assistant.pk]),
        {"usable_password": "true", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    assert not is_logged_in(client)
    assert (
        client.post(
            reverse("login"), {"username": assistant.username, "password": NEW_PASSWORD}
        ).status_code
        == 302
    )  # the new password works


def test_a_session_ends_after_one_shift():
    """Threat: a desk PC left logged in overnight. SESSION_COOKIE_AGE is 12 hours."""
    client = Client()
    with time_machine.travel(timezone.now(), tick=False) as clock:
        log_in(client, staff(Role.CLIENT_ASSISTANT))
        clock.shift(timedelta(hours=11, minutes=59))
        assert is_logged_in(client)
        clock.shift(timedelta(minutes=2))
        assert not is_logged_in(client)


def test_the_session_records_whose_it_is_from_the_login_on():
    """The index that lets deactivation find a user's sessions: written at login, and kept
    when the key is cycled (login, password change)."""
    assistant = staff(Role.CLIENT_ASSISTANT)
    client = Client()
    client.get(reverse("login"))  # an anonymous session may exist before
    session_key = log_in(client, assistant)
    assert LoginSession.objects.get(session_key=session_key).user == assistant
