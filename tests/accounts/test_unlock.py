"""The lockout page names who can unlock, and that person can (issue 14).

Threat: a locked desk waits 15 minutes at the counter — or a manager unlocks someone else's
office; only the office's own manager (or the branch GM) lifts a lock."""

import pytest
from django.urls import reverse

from accounts.roles import Role
from tests.factories import PASSWORD, OfficeFactory, staff

pytestmark = pytest.mark.django_db


def lock(client, user):
    for _ in range(5):
        client.post(reverse("login"), {"username": user.username, "password": "wrong"})
    response = client.post(reverse("login"), {"username": user.username, "password": PASSWORD})
    assert response.status_code == 429
    return response


def test_the_lockout_page_says_who_can_unlock(client):
    response = lock(client, staff(Role.CLIENT_ASSISTANT))
    assert "管理处经理" in response.text and "已锁定的登录" in response.text


def test_the_office_manager_unlocks_their_assistant(client):
    office = OfficeFactory()
    assistant = staff(Role.CLIENT_ASSISTANT, office=office)
    manager = staff(Role.OFFICE_MANAGER, office=office)
    lock(client, assistant)

    client.force_login(manager)
    assert assistant.username in client.get(reverse("locked_logins")).text
    home = client.get(reverse("home")).context["queue"]
    assert {t.name: t.count for t in home.tiles}["locked_logins"] == 1
    client.post(reverse("locked_logins"), {"username": assistant.username})
    client.logout()

    response = client.post(reverse("login"), {"username": assistant.username, "password": PASSWORD})
    assert response.status_code == 302  # the desk is open again


def test_a_manager_of_another_office_cannot_unlock(client):
    assistant = staff(Role.CLIENT_ASSISTANT)
    lock(client, assistant)
    client.force_login(staff(Role.OFFICE_MANAGER))  # of another office

    assert assistant.username not in client.get(reverse("locked_logins")).text
    client.post(reverse("locked_logins"), {"username": assistant.username})
    client.logout()

    assert lock(client, assistant).status_code == 429  # still locked


def test_an_assistant_has_no_unlock_page(client):
    client.force_login(staff(Role.CLIENT_ASSISTANT))
    assert client.get(reverse("locked_logins")).status_code == 403
