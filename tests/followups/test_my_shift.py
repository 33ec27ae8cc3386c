"""My shift: the shift-start review with its ticks (R-FUP-1), what is overdue now, and today's
revisits (R-REV-1)."""

from datetime import datetime, time, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.roles import Role
from followups.clocks import open_shift_reviews
from followups.models import ShiftReviewItem
from followups.workflow import record_contact
from tests.factories import ComplaintFactory, OfficeFactory, ShiftFactory, staff

from .conftest import SHANGHAI, T0
from .states import handled

SHIFT_START = datetime(2026, 11, 20, 8, 0, tzinfo=SHANGHAI)  # Friday
NOW = SHIFT_START + timedelta(minutes=10)
pytestmark = [pytest.mark.django_db, pytest.mark.frozen_at(NOW), pytest.mark.usefixtures("english")]
URL = reverse("followups:my_shift")


@pytest.fixture
def shift(office):
    return ShiftFactory(office=office, starts_at=time(8, 0))


def old_complaints(office, assistant, count):
    """Open complaints received more than 3 days before the shift: each is reviewed."""
    return [
        ComplaintFactory(office=office, received_by=assistant, received_at=T0) for _ in range(count)
    ]


def tick(client, item, note, htmx=True):
    headers = {"HX-Request": "true"} if htmx else {}
    return client.post(
        reverse("followups:review_tick", args=[item.pk]), {"note": note}, headers=headers
    )


def test_the_page_lists_the_complaints_of_the_current_shift_review(
    client_as, office, assistant, shift
):
    complaints = old_complaints(office, assistant, 2)
    open_shift_reviews(now=NOW)
    response = client_as(assistant).get(URL)
    assert response.status_code == 200
    for complaint in complaints:
        assert complaint.number in response.text  # R-FUP-1
    assert response.text.count('data-testid="review-item"') == 2
    assert "Open, received over 3 days ago" in response.text
    assert 'data-testid="review-due">08:30<' in response.text


def test_ticking_an_item_records_the_note_and_returns_the_row(client_as, office, assistant, shift):
    old_complaints(office, assistant, 1)
    open_shift_reviews(now=NOW)
    item = ShiftReviewItem.objects.get()
    response = tick(client_as(assistant), item, "已联系业主，维修明日完成")
    assert response.status_code == 200
    assert 'data-ticked="yes"' in response.text and "<html" not in response.text
    item.refresh_from_db()
    assert item.note == "已联系业主，维修明日完成"  # R-FUP-1
    assert item.reviewed_by == assistant and item.reviewed_at == NOW


def test_ticking_without_a_note_shows_the_reason_in_the_row(client_as, office, assistant, shift):
    old_complaints(office, assistant, 1)
    open_shift_reviews(now=NOW)
    item = ShiftReviewItem.objects.get()
    response = tick(client_as(assistant), item, "  ")
    assert response.status_code == 200
    assert 'data-testid="tick-error"' in response.text and 'data-ticked="no"' in response.text
    item.refresh_from_db()
    assert item.reviewed_at is None


def test_ticking_without_htmx_goes_back_to_the_page_with_a_message(
    client_as, office, assistant, shift
):
    old_complaints(office, assistant, 1)
    open_shift_reviews(now=NOW)
    item = ShiftReviewItem.objects.get()
    response = tick(client_as(assistant), item, "已告知进展", htmx=False)
    assert response.status_code == 302 and response.url == URL
    item.refresh_from_db()
    assert item.reviewed_at == NOW


def test_an_item_of_another_office_is_not_found(client_as, office, assistant, shift):
    old_complaints(office, assistant, 1)
    open_shift_reviews(now=NOW)
    outsider = staff(Role.CLIENT_ASSISTANT, office=OfficeFactory(code="CH"))
    response = tick(client_as(outsider), ShiftReviewItem.objects.get(), "x")
    assert response.status_code == 404


def test_an_item_not_ticked_in_the_first_30_minutes_shows_late(
    client_as, office, assistant, shift, frozen
):
    old_complaints(office, assistant, 1)
    open_shift_reviews(now=NOW)
    frozen.move_to(SHIFT_START + timedelta(minutes=45))
    response = client_as(assistant).get(URL)
    assert 'data-testid="item-late"' in response.text  # R-FUP-1: due in the first 30 minutes
    assert "30 minutes are over" in response.text


def test_the_page_says_so_when_the_current_shift_has_no_review_yet(
    client_as, office, assistant, shift, frozen
):
    old_complaints(office, assistant, 1)
    open_shift_reviews(now=NOW)
    frozen.move_to(SHIFT_START + timedelta(days=1, minutes=1))  # the next shift, not opened yet
    response = client_as(assistant).get(URL)
    assert 'data-testid="no-current-review"' in response.text
    assert "11-21 08:00" in response.text


def test_an_office_without_shifts_is_told_to_set_them_up(client_as, office, assistant):
    response = client_as(assistant).get(URL)
    assert 'data-testid="no-shifts"' in response.text


def test_overdue_replies_and_contacts_are_listed(client_as, office, assistant, shift):
    late = ComplaintFactory(office=office, received_by=assistant, received_at=T0)
    fresh = ComplaintFactory(office=office, received_by=assistant, received_at=NOW)
    response = client_as(assistant).get(URL)
    reply_block = response.text.split('data-testid="due-reply"')[1].split("</section>")[0]
    contact_block = response.text.split('data-testid="due-contact"')[1].split("</section>")[0]
    assert late.number in reply_block and fresh.number not in reply_block  # R-REPLY-3
    assert late.number in contact_block  # R-URG-2


def test_an_overdue_revisit_is_listed_and_todays_revisits_are_shown(
    client_as, office, assistant, shift
):
    overdue = handled(
        ComplaintFactory(office=office, received_by=assistant, received_at=T0),
        assistant,
        NOW - timedelta(days=2),
    )
    today = handled(
        ComplaintFactory(office=office, received_by=assistant, received_at=T0),
        assistant,
        NOW - timedelta(hours=2),  # revisit due tomorrow 06:11
    )
    due_today = handled(
        ComplaintFactory(office=office, received_by=assistant, received_at=T0),
        assistant,
        NOW - timedelta(hours=20),  # revisit due today 12:11
    )
    response = client_as(assistant).get(URL)
    revisit_block = response.text.split('data-testid="due-revisit"')[1].split("</section>")[0]
    today_block = response.text.split('data-testid="todays-revisits"')[1].split("</section>")[0]
    assert overdue.number in revisit_block  # R-REV-1
    assert due_today.number in today_block and today.number not in today_block


def test_a_branch_role_has_no_shift(client_as, office):
    gm = staff(Role.BRANCH_GM, branch=office.branch)
    assert client_as(gm).get(URL).status_code == 403


def test_the_page_costs_the_same_queries_for_3_and_20_review_items(
    client, client_as, office, assistant, shift, frozen, django_assert_max_num_queries
):
    old_complaints(office, assistant, 3)
    open_shift_reviews(now=NOW)
    client_as(assistant)
    with CaptureQueriesContext(connection) as three:
        response = client.get(URL)
    assert response.text.count('data-testid="review-item"') == 3

    old_complaints(office, assistant, 17)
    frozen.move_to(SHIFT_START + timedelta(days=1, minutes=10))
    open_shift_reviews(now=SHIFT_START + timedelta(days=1, minutes=5))
    client_as(assistant)  # the first session lasted one shift
    with django_assert_max_num_queries(len(three)):
        response = client.get(URL)
    assert response.text.count('data-testid="review-item"') == 20


def test_a_review_row_shows_matter_customer_last_contact_and_next_deadline(
    client_as, office, assistant, shift, django_assert_max_num_queries
):
    # R-FUP-1 without opening each complaint (issue 14): what it is, who, last told, next due
    complaints = old_complaints(office, assistant, 3)
    record_contact(
        complaints[0],
        by=assistant,
        kind="progress",
        method="phone",
        summary="已告知维修进度",
        now=T0 + timedelta(hours=5),
    )
    open_shift_reviews(now=NOW)
    client = client_as(assistant)
    client.get(URL)
    with django_assert_max_num_queries(30) as three:
        response = client.get(URL)

    row = response.text.split(f">{complaints[0].number}<")[1].split("</tr>")[0]
    assert complaints[0].description[:10] in row
    assert "已告知维修进度" in row
    assert 'data-testid="review-next-deadline"' in row
    old_complaints(office, assistant, 5)
    open_shift_reviews(now=NOW + timedelta(days=1))
    with django_assert_max_num_queries(len(three.captured_queries)):
        response = client.get(URL)  # the rows' details cost no query per row
    assert response.text.count('data-testid="review-item"') == 8
