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
        assert unread_notifications(request) == {"unread_count": 0, "closure_queue_count": 0}


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


# --- notices that resolve themselves (issue 14 item 2) -----------------------------------------


def done(recipient, title, **kwargs):
    notification = note(recipient, title, **kwargs)
    notification.resolved_at = timezone.now()
    notification.resolved_reason = Notification.Resolved.REPLIED
    notification.save()
    return notification


def test_a_done_notice_is_not_unread_and_the_history_says_why(client_as, assistant):
    # R-REPLY-3: the reply was made, so the overdue notice no longer waits in the unread list
    note(assistant, "still due")
    done(assistant, "replied since")
    client = client_as(assistant)
    assert client.get(reverse("home")).context["unread_count"] == 1
    unread = client.get(URL, {"show": "unread"})
    assert "still due" in unread.text and "replied since" not in unread.text
    history = client.get(URL, {"show": "history"})
    assert "replied since" in history.text and "still due" not in history.text
    assert "The customer was replied to" in history.text


def test_the_inbox_names_the_complaint_its_customer_and_matter(client_as, assistant, record):
    complaint = record(complainant_name="王女士", customer_request="修好电梯并说明原因")
    note(assistant, "overdue", complaint=complaint)
    matter = client_as(assistant).get(URL).text.split('data-testid="notification-matter"')[1]
    matter = matter.split("</div>")[0]
    assert complaint.number in matter and "王女士" in matter and "修好电梯" in matter


def test_the_inbox_filters_by_kind_and_by_complaint(client_as, assistant, record):
    first, second = record(), record()
    note(assistant, "about the first", complaint=first)
    note(assistant, "about the second", complaint=second)
    Notification.objects.create(
        recipient=assistant, kind=Notification.Kind.MAJOR, key="major", title="a major one"
    )
    client = client_as(assistant)
    by_complaint = client.get(URL, {"complaint": first.number}).text
    assert "about the first" in by_complaint and "about the second" not in by_complaint
    by_kind = client.get(URL, {"kind": Notification.Kind.MAJOR}).text
    assert "a major one" in by_kind and "about the first" not in by_kind


def test_a_filter_that_does_not_parse_shows_everything_not_an_error(client_as, assistant):
    note(assistant, "one")
    response = client_as(assistant).get(URL, {"show": "nonsense", "kind": "<x>"})
    assert response.status_code == 200 and "one" in response.text


def test_the_inbox_takes_the_same_queries_for_forty_notices_as_for_one(
    client_as, assistant, record, django_assert_max_num_queries
):
    client = client_as(assistant)
    note(assistant, "the first", complaint=record())
    client.get(URL)
    for n in range(40):
        note(assistant, f"n{n}", complaint=record(), minutes_ago=n)
    with django_assert_max_num_queries(12):
        response = client.get(URL)
    assert response.text.count('data-testid="notification"') == 20


def test_the_manager_sees_the_closure_queue_with_its_count(client_as, manager, assistant, record):
    # R-CLO-3: complaints waiting for the manager's approval, one click from every page
    for status in ("revisited", "revisited", "in_progress"):
        at = timezone.now()
        record(status=status, resolved_at=at, revisit_due=at, revisited_at=at)
    page = client_as(manager).get(reverse("home")).text
    link = page.split('data-testid="closure-queue"')[1].split("</a>")[0]
    assert ">2<" in link
    assert reverse("admin:followups_closurerequest_changelist") in page
    assert 'data-testid="closure-queue"' not in client_as(assistant).get(reverse("home")).text
