"""The caller's earlier complaints by phone (issue #18): `GET /api/v1/callers/<phone>/complaints/`,
the selector intake shows as the phone is typed (open ones first), in the user's scope.

Threat: a phone number is a key across offices; the API must not tell one office about another
office's complaints from the same caller."""

from datetime import timedelta

import pytest
from django.utils import timezone

from complaints.models import Status

pytestmark = pytest.mark.django_db


def url(phone: str) -> str:
    return f"/api/v1/callers/{phone}/complaints/"


def test_the_callers_complaints_open_first_however_the_phone_is_typed(assistant_client, record):
    open_ = record(phone="+8613800138000", received_at=timezone.now() - timedelta(days=3))
    done = record(phone="+8613800138000", status=Status.SUPERSEDED)  # newer, but done
    record(phone="+8613900139000")
    response = assistant_client.get(url("138-0013-8000"))
    assert response.status_code == 200
    assert [row["id"] for row in response.json()] == [open_.pk, done.pk]


def test_another_offices_complaints_of_the_caller_are_not_listed(
    assistant_client, record, other_office
):
    mine = record(phone="+8613800138000")
    record(phone="+8613800138000", office=other_office, complainant_name="外人")
    response = assistant_client.get(url("13800138000"))
    assert [row["id"] for row in response.json()] == [mine.pk]
    assert "外人" not in response.content.decode()


def test_a_phone_that_is_not_one_is_a_400_with_the_reason(assistant_client, english):
    response = assistant_client.get(url("139abc45678"))
    assert response.status_code == 400
    assert response.json()["phone"][0].startswith("“139abc45678” is not a valid phone number.")


def test_the_limit_is_bounded(assistant_client):
    assert assistant_client.get(url("13800138000"), {"limit": 1000}).status_code == 400


def test_the_history_costs_the_same_queries_for_1_and_for_10_complaints(
    assistant_client, record, django_assert_max_num_queries
):
    record(phone="+8613800138000")
    with django_assert_max_num_queries(12) as few:
        assert assistant_client.get(url("13800138000")).status_code == 200
    for _ in range(9):
        record(phone="+8613800138000")
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(assistant_client.get(url("13800138000")).json()) == 10
