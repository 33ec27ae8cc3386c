"""The token user's notifications (issue #18): `GET /api/v1/notifications/` (the inbox's
filters), one of them, and marking them read — the caller's own only.

Threat: one user reads, or marks read, another user's notices (another office's matters)."""

import pytest

from followups.models import Notification

pytestmark = pytest.mark.django_db

LIST = "/api/v1/notifications/"


def notice(recipient, complaint, **fields):
    fields.setdefault("kind", Notification.Kind.CLOSURE)
    return Notification.objects.create(
        recipient=recipient,
        complaint=complaint,
        office=complaint.office,
        key=f"k{Notification.objects.count()}",
        title=fields.pop("title", "等待结案审批"),
        **fields,
    )


def test_the_list_is_the_callers_own_unread_first(manager_client, manager, supervisor, record):
    complaint = record()
    read = notice(manager, complaint, read_at=complaint.received_at)
    unread = notice(manager, complaint)
    notice(supervisor, complaint, title="别人的通知")
    response = manager_client.get(LIST)
    assert response.status_code == 200
    rows = response.json()["results"]
    assert [(row["id"], row["unread"]) for row in rows] == [(unread.pk, True), (read.pk, False)]
    assert rows[0]["complaint"] == complaint.number
    assert "别人的通知" not in response.content.decode()


def test_the_inbox_filters_apply_and_a_bad_one_is_a_400(manager_client, manager, record):
    complaint = record()
    notice(manager, complaint, read_at=complaint.received_at)
    unread = notice(manager, complaint)
    rows = manager_client.get(LIST, {"show": "unread"}).json()["results"]
    assert [row["id"] for row in rows] == [unread.pk]
    assert manager_client.get(LIST, {"show": "everything"}).status_code == 400


def test_marking_one_read(manager_client, manager, record):
    unread = notice(manager, record())
    response = manager_client.post(f"{LIST}{unread.pk}/read/")
    assert response.status_code == 200
    assert response.json()["unread"] is False
    unread.refresh_from_db()
    assert unread.read_at is not None


def test_marking_all_read_says_how_many(manager_client, manager, supervisor, record):
    complaint = record()
    notice(manager, complaint)
    notice(manager, complaint)
    others = notice(supervisor, complaint)
    assert manager_client.post(f"{LIST}read-all/").json() == {"count": 2}
    others.refresh_from_db()
    assert others.read_at is None


def test_another_users_notification_is_a_404(manager_client, supervisor, record):
    theirs = notice(supervisor, record())
    assert manager_client.get(f"{LIST}{theirs.pk}/").status_code == 404
    assert manager_client.post(f"{LIST}{theirs.pk}/read/").status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_the_list_costs_the_same_queries_for_2_and_for_20(
    manager_client, manager, record, django_assert_max_num_queries
):
    complaint = record()
    for _ in range(2):
        notice(manager, complaint)
    with django_assert_max_num_queries(12) as few:
        assert manager_client.get(LIST).status_code == 200
    for _ in range(18):
        notice(manager, record())
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(manager_client.get(LIST).json()["results"]) == 20
