"""Logging in and out, and the home page of each role."""

import pytest
from django.urls import reverse

from accounts.roles import Role
from tests.factories import PASSWORD, UserFactory, staff

pytestmark = pytest.mark.django_db


def test_anonymous_visitors_are_sent_to_the_login_page(client):
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_login_page_is_in_chinese_by_default_whatever_the_browser_says(client):
    response = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response.status_code == 200
    assert "登录" in response.text
    assert response["Content-Language"] == "zh-hans"


def test_english_is_available_from_the_language_switch(client):
    client.post(reverse("set_language"), {"language": "en", "next": "/login/"})
    response = client.get(reverse("login"))
    assert "Log in" in response.text


def test_login_with_the_right_password_lands_on_the_home_page(client):
    assistant = staff(Role.CLIENT_ASSISTANT)
    response = client.post(
        reverse("login"), {"username": assistant.username, "password": PASSWORD}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("home")
    assert response.context["user"] == assistant
    assert 'data-testid="home-client_assistant"' in response.text


def test_a_wrong_password_is_refused_with_a_chinese_message(client):
    assistant = staff(Role.CLIENT_ASSISTANT)
    response = client.post(reverse("login"), {"username": assistant.username, "password": "nope"})
    assert response.status_code == 200
    assert "请输入一个正确的" in response.text
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize("role", list(Role))
def test_each_role_has_its_own_home_page(client, role):
    client.force_login(staff(role))
    response = client.get(reverse("home"))
    assert f'data-testid="home-{role}"' in response.text


def test_a_user_without_a_role_is_told_to_ask_for_one(client):
    client.force_login(UserFactory())
    assert 'data-testid="no-role"' in client.get(reverse("home")).text


def test_only_admin_roles_see_the_administration_link(client):
    client.force_login(staff(Role.CLIENT_ASSISTANT))
    assert reverse("admin:index") not in client.get(reverse("home")).text
    client.force_login(staff(Role.OFFICE_MANAGER))
    assert reverse("admin:index") in client.get(reverse("home")).text


def test_logout_ends_the_session_on_the_server(client):
    client.force_login(staff(Role.CLIENT_ASSISTANT))
    session_key = client.session.session_key
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    from accounts.models import LoginSession

    assert not LoginSession.objects.filter(session_key=session_key).exists()
    assert client.get(reverse("home")).status_code == 302


def test_home_page_query_count_is_small(client, django_assert_max_num_queries):
    # The manager's home is their work queue (issue 14): five queues in one aggregate, the
    # oldest closure waiting, the day-15 reports owed, the locked logins of their staff, the
    # nav's inbox and closure counts.
    client.force_login(staff(Role.OFFICE_MANAGER))
    with django_assert_max_num_queries(14):
        client.get(reverse("home"))


def test_choosing_english_does_not_leave_the_server_thread_in_english(client):
    from django.utils import translation

    client.post(reverse("set_language"), {"language": "en", "next": "/login/"})
    assert "Log in" in client.get(reverse("login")).text
    assert translation.get_language() == "zh-hans"
