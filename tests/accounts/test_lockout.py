"""Login lockout with django-axes: repeated wrong passwords lock the desk and admin login.

Threat: someone guesses a desk's or a manager's password (residents' names and phones behind
it, and the manager's approval of closures, R-CLO-3), on the desk's login page or the admin's.
"""

import pytest
from django.urls import reverse

from accounts.roles import Role
from tests.factories import PASSWORD, staff

pytestmark = pytest.mark.django_db


def attempt(client, url, user, password):
    return client.post(url, {"username": user.username, "password": password})


@pytest.mark.parametrize("url_name", ["login", "admin:login"])
def test_five_wrong_passwords_lock_the_account_even_against_the_right_one(client, url_name):
    user = staff(Role.OFFICE_MANAGER)
    url = reverse(url_name)
    for _ in range(5):
        attempt(client, url, user, "wrong-password")
    response = attempt(client, url, user, PASSWORD)
    assert response.status_code == 429
    assert "登录失败次数过多" in response.text and "15" in response.text
    assert "_auth_user_id" not in client.session


def test_a_successful_login_resets_the_count(client):
    user = staff(Role.CLIENT_ASSISTANT)
    url = reverse("login")
    for _ in range(4):
        attempt(client, url, user, "wrong-password")
    assert attempt(client, url, user, PASSWORD).status_code == 302
    client.logout()
    for _ in range(4):
        attempt(client, url, user, "wrong-password")
    assert attempt(client, url, user, PASSWORD).status_code == 302


def test_another_users_failures_do_not_lock_me(client):
    victim, me = staff(Role.CLIENT_ASSISTANT), staff(Role.CLIENT_ASSISTANT)
    url = reverse("login")
    for _ in range(6):
        attempt(client, url, victim, "wrong-password")
    assert attempt(client, url, me, PASSWORD).status_code == 302
