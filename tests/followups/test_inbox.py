"""The inbox: each user reads their own notifications, unread first, and the navigation shows
how many are unread."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from followups.context_processors import unread_notifications
from followups.models import Notification
from tests.factories import staff

URL = reverse("followups:inbox")
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def note(recipient, title, *, read=False, minutes_ago=0, complaint=None):
    now = timezone.now()
    return Notification.objects.create(
        recipient=recipient,
        kind=Notification.Kind.REPLY_OVERDUE,
        key=f"test:{title}",
        title=title,
        complaint=complaint,
        created_at=now - timedelta(minutes=minutes_ago),
        read_at=now if read else None,
    )


def test_the_inbox_lists_only_the_users_own_notifications(client_as, assistant, supervisor):
    note(assistant, "HY-1: the agreed reply is overdue")
    note(supervisor, "HY-2: the revisit is overdue")
    response = client_as(assistant).get(URL)
    assert "HY-1: the agreed reply is overdue" in response.text
    assert "HY-2" not in response.text


def test_unread_notifications_come_first(client_as, assistant):
    note(assistant, "older unread", minutes_ago=60)
    note(assistant, "newer but read", read=True)
    response = client_as(assistant).get(URL)
    assert response.text.index("older unread") < response.text.index("newer but read")


def test_the_inbox_links_the_complaint(client_as, assistant, complaint):
    note(assistant, "about a complaint", complaint=complaint)
    response = client_as(assistant).get(URL)
    assert reverse("complaints:detail", args=[complaint.pk]) in response.text


def test_the_inbox_is_paginated(client_as, assistant):
    for n in range(25):
        note(assistant, f"notice {n:02d}", minutes_ago=n)
    response = client_as(assistant).get(URL, {"page": 2})
    assert response.text.count('data-testid="notification"') == 5


def test_the_navigation_badge_counts_unread_notifications(client_as, assistant):
    note(assistant, "one")
    note(assistant, "two")
    note(assistant, "seen", read=True)
    response = client_as(assistant).get(reverse("home"))
    assert response.context["unread_count"] == 2
    badge = response.text.split('data-testid="unread-badge"')[0].rsplit("<span", 1)[1]
    assert "d-none" not in badge
    assert 'data-testid="unread-badge">2<' in response.text


def test_the_badge_is_hidden_without_unread_notifications(client_as, assistant):
    response = client_as(assistant).get(reverse("home"))
    assert response.context["unread_count"] == 0
    badge = response.text.split('data-testid="unread-badge"')[0].rsplit("<span", 1)[1]
    assert "d-none" in badge


def test_an_anonymous_visitor_has_no_unread_count_and_costs_no_query(
    django_assert_num_queries,
):
    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    with django_assert_num_queries(0):
        assert unread_notifications(request) == {"unread_count": 0}


def test_marking_a_notification_read(client_as, assistant):
    notification = note(assistant, "read me")
    response = client_as(assistant).post(reverse("followups:inbox_read", args=[notification.pk]))
    assert response.status_code == 302
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_marking_read_with_htmx_returns_the_row_and_the_new_badge(client_as, assistant):
    notification = note(assistant, "read me")
    note(assistant, "still unread")
    response = client_as(assistant).post(
        reverse("followups:inbox_read", args=[notification.pk]), headers={"HX-Request": "true"}
    )
    assert 'data-read="yes"' in response.text and "<html" not in response.text
    assert 'hx-swap-oob="true"' in response.text and ">1<" in response.text


def test_another_users_notification_cannot_be_marked_read(client_as, assistant, supervisor):
    theirs = note(supervisor, "not yours")
    response = client_as(assistant).post(reverse("followups:inbox_read", args=[theirs.pk]))
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_marking_all_read_leaves_other_users_alone(client_as, assistant, supervisor):
    mine = [note(assistant, "a"), note(assistant, "b")]
    theirs = note(supervisor, "c")
    response = client_as(assistant).post(reverse("followups:inbox_read_all"))
    assert response.status_code == 302
    assert all(Notification.objects.get(pk=n.pk).read_at for n in mine)
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_the_inbox_needs_a_login(client):
    response = client.get(URL)
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_a_branch_gm_has_an_inbox_too(client_as, office):
    gm = staff(Role.BRANCH_GM, branch=office.branch)
    note(gm, "HY-3 has been open for 15 days")
    response = client_as(gm).get(URL)
    assert "HY-3 has been open for 15 days" in response.text
