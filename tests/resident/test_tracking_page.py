"""The tracking page (#17 item 2): no login, in Chinese, only what the resident may read."""

from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse

from followups.workflow import dispatch, record_contact, record_corrective_action
from resident.links import issue_link, revoke_link
from tests.followups.states import handled

NOW = datetime(2026, 11, 10, 2, 0, tzinfo=UTC)
pytestmark = [pytest.mark.django_db, pytest.mark.frozen_at(NOW)]


def track_url(token):
    return reverse("resident:track", args=[token])


def test_the_page_shows_the_number_the_state_and_the_promised_reply_in_chinese(client, record):
    complaint = record()
    _link, token = issue_link(complaint)
    client.cookies["django_language"] = "en"  # a desk PC's cookie: the resident still reads Chinese
    response = client.get(track_url(token))
    page = response.content.decode()
    assert response.status_code == 200
    assert complaint.number in page
    assert "我们已收到您的投诉" in page
    assert response["Content-Language"] == "zh-hans"
    local_due = complaint.reply_due.astimezone(complaint.office.zone)
    assert f"{local_due:%Y-%m-%d %H:%M}" in page


def page_after_a_contact(client, complaint, by, summary) -> str:
    """The tracking page of `complaint` once `by` told the customer `summary`."""
    record_contact(complaint, by=by, kind="progress", method="phone", summary=summary, now=NOW)
    _link, token = issue_link(complaint)
    return client.get(track_url(token)).content.decode()


def test_contacts_show_their_date_summary_and_the_role_never_the_name(client, record, assistant):
    page = page_after_a_contact(client, record(), assistant, "维修师傅周三上门")
    assert "维修师傅周三上门" in page
    assert "客户助理" in page  # the role
    assert str(assistant) not in page and assistant.username not in page


def test_internal_notes_and_staff_names_never_reach_the_page(client, record, supervisor, assistant):
    """Threat: the public page leaks what the desk writes for itself."""
    complaint = record(customer_request="要求赔偿")
    dispatch(
        complaint,
        by=assistant,
        department="engineering",
        instructions="INTERNAL-DISPATCH-MARKER",
        due_at=NOW + timedelta(hours=4),
        now=NOW,
    )
    record_corrective_action(
        complaint,
        by=supervisor,
        cause="INTERNAL-CAUSE-MARKER",
        correction="INTERNAL-CORRECTION-MARKER",
        prevention="INTERNAL-PREVENTION-MARKER",
        now=NOW,
    )
    _link, token = issue_link(complaint, by=supervisor)
    page = client.get(track_url(token)).content.decode()
    for marker in ("INTERNAL-DISPATCH", "INTERNAL-CAUSE", "INTERNAL-CORRECTION", "INTERNAL-PREV"):
        assert marker not in page
    for person in (supervisor, assistant, complaint.received_by):
        assert person.username not in page and str(person) not in page
    assert complaint.phone not in page


def test_the_page_is_stored_by_no_browser_and_keeps_the_strict_policy(client, record):
    """Threat: a shared phone or PC keeps the resident's page in its cache."""
    _link, token = issue_link(record())
    response = client.get(track_url(token))
    assert "no-store" in response["Cache-Control"]
    policy = response["Content-Security-Policy"]
    assert "'unsafe-inline'" not in policy and "frame-ancestors 'none'" in policy
    assert b"<script" not in response.content


def test_a_revoked_and_a_guessed_token_get_the_same_not_found_page(client, record):
    """Threat: a token guessed, or kept after the desk revoked it, opens a complaint."""
    link, token = issue_link(record())
    revoke_link(link)
    revoked = client.get(track_url(token))
    guessed = client.get(track_url("A" * 43))
    assert revoked.status_code == guessed.status_code == 404
    assert revoked.content == guessed.content


def test_the_page_needs_no_login(client, record):
    _link, token = issue_link(record())
    response = client.get(track_url(token))
    assert response.status_code == 200 and "login" not in response.get("Location", "")


def test_once_handled_the_page_asks_whether_the_resident_is_satisfied(client, record, supervisor):
    complaint = handled(record(), supervisor, NOW)
    _link, token = issue_link(complaint)
    page = client.get(track_url(token)).content.decode()
    assert "您对处理结果满意吗" in page
    assert "工作人员是否礼貌" in page


def test_the_page_reads_a_fixed_number_of_queries(
    client, record, assistant, django_assert_max_num_queries
):
    complaint = record()
    for day in range(5):
        record_contact(
            complaint, by=assistant, kind="progress", method="phone", summary=f"进展{day}", now=NOW
        )
    _link, token = issue_link(complaint)
    with django_assert_max_num_queries(8):
        assert client.get(track_url(token)).status_code == 200


def test_hostile_text_in_a_contact_is_shown_as_text(client, record, assistant):
    """Threat: what the desk typed (or pasted from a resident's message) runs on the public page."""
    hostile = '<script>alert(1)</script><img src=x onerror="alert(2)">'
    page = page_after_a_contact(client, record(), assistant, hostile)
    assert "<script>alert(1)" not in page and "<img src=x" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
