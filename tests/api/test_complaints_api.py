"""The REST API's complaints (issue #18): the list with the desk's filters and search, and one
complaint with its timeline and deadlines, scoped exactly as the desk's pages (R-REC-3 clocks,
docs/api.md).

Threat: the API is a second door to the same records; it must be exactly as strict as the desk
(another office's complaint is a 404, never listed)."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from complaints.models import Category, ComplaintEvent
from integrations.models import IntegrationToken
from tests.factories import BuildingFactory, CategoryFactory

pytestmark = pytest.mark.django_db

LIST = "/api/v1/complaints/"


def detail_url(pk: int) -> str:
    return f"/api/v1/complaints/{pk}/"


def test_the_routes_are_under_api_v1():
    assert reverse("api:complaint-list") == LIST
    assert reverse("api:complaint-detail", args=[7]) == detail_url(7)


def test_the_list_shows_the_users_office_only(assistant_client, record, other_office):
    mine = record(complainant_name="王先生")
    record(office=other_office, complainant_name="外人")
    response = assistant_client.get(LIST)
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1
    assert [row["number"] for row in body["results"]] == [mine.number]
    assert "外人" not in response.content.decode()


def test_the_list_takes_the_desks_filters_and_search(assistant_client, record):
    noisy = record(description="楼上夜间装修噪音", classification="valid")
    record(description="电梯故障", classification="valid")
    found = assistant_client.get(LIST, {"q": "噪音"}).json()
    assert [row["id"] for row in found["results"]] == [noisy.pk]
    by_class = assistant_client.get(LIST, {"classification": "valid"}).json()
    assert by_class["count"] == 2


def test_an_invalid_filter_is_a_400_with_every_reason(assistant_client, english):
    response = assistant_client.get(
        LIST, {"status": "nonsense", "received_from": "2026-11-30", "received_to": "2026-11-01"}
    )
    assert response.status_code == 400
    errors = response.json()
    assert "status" in errors
    assert errors["received_to"] == ["The end date is before the start date."]


def test_an_invalid_filter_is_explained_in_the_callers_language(assistant_client):
    response = assistant_client.get(
        LIST, {"received_from": "2026-11-30", "received_to": "2026-11-01"}
    )
    assert response.status_code == 400
    assert response.json()["received_to"] == ["结束日期早于开始日期。"]


def test_the_detail_carries_the_timeline_and_the_deadlines(assistant_client, record, assistant):
    complaint = record()
    ComplaintEvent.objects.create(
        complaint=complaint, kind=ComplaintEvent.Kind.CONTACT, actor=assistant, note="已致电"
    )
    response = assistant_client.get(detail_url(complaint.pk))
    assert response.status_code == 200
    body = response.json()
    assert body["number"] == complaint.number
    assert [(e["kind"], e["note"]) for e in body["events"]][-1] == ("contact", "已致电")
    keys = {deadline["key"] for deadline in body["deadlines"]}
    assert {"entry", "contact"} <= keys
    entry = next(d for d in body["deadlines"] if d["key"] == "entry")
    assert entry["rule"] == "R-REC-2"


def test_another_offices_complaint_is_a_404(assistant_client, record, other_office):
    theirs = record(office=other_office)
    response = assistant_client.get(detail_url(theirs.pk))
    assert response.status_code == 404
    assert theirs.number not in response.content.decode()


def test_the_branch_quality_department_sees_every_office_of_its_branch(
    client_as, quality, record, other_office
):
    record()
    record(office=other_office)
    assert client_as(quality).get(LIST).json()["count"] == 2


def test_anonymous_gets_401(client, record):
    complaint = record()
    assert client.get(LIST).status_code == 401
    assert client.get(detail_url(complaint.pk)).status_code == 401


def test_the_list_costs_the_same_queries_for_3_and_for_30_complaints(
    assistant_client, record, django_assert_max_num_queries
):
    for _ in range(3):
        record()
    with django_assert_max_num_queries(12) as few:
        assert assistant_client.get(LIST).status_code == 200
    for _ in range(27):
        record()
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(assistant_client.get(LIST, {"per_page": 50}).json()["results"]) == 30


def test_the_detail_costs_the_same_queries_with_a_long_timeline(
    assistant_client, record, assistant, django_assert_max_num_queries
):
    complaint = record()
    ComplaintEvent.objects.create(complaint=complaint, kind="contact", actor=assistant)
    with django_assert_max_num_queries(20) as few:
        assert assistant_client.get(detail_url(complaint.pk)).status_code == 200
    for _ in range(20):
        ComplaintEvent.objects.create(complaint=complaint, kind="contact", actor=assistant)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(assistant_client.get(detail_url(complaint.pk)).json()["events"]) >= 21


# --- intake (R-REC-1..3) ---------------------------------------------------------------------

NOW = datetime(2026, 11, 16, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


def intake_body(office, **fields) -> dict:
    building = BuildingFactory(office=office)
    category = Category.objects.first() or CategoryFactory()
    return {
        "office": office.pk,
        "channel": "phone",
        "complainant_name": "王先生",
        "phone": "13800138000",
        "building": building.pk,
        "room": "1502",
        "received_at": "2026-11-16T09:30",
        "category": category.pk,
        "classification": "valid",
        "severity": "general",
        "description": "楼上夜间装修",
        "customer_request": "停止夜间施工",
        "answered_at_once": True,
        **fields,
    }


@pytest.mark.frozen_at(NOW)
def test_intake_records_through_the_desks_workflow_and_names_the_token(client, assistant, office):
    token = IntegrationToken(name="CRM", user=assistant, expires_at=NOW + timedelta(days=1))
    secret = token.new_secret()
    token.save()
    response = client.post(
        LIST,
        intake_body(office),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Token {secret}",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["number"].startswith("HY-202611-")
    recorded = body["events"][0]
    assert recorded["kind"] == "recorded" and recorded["actor"] == assistant.username
    assert recorded["data"]["via"] == {"api": "token", "token": "CRM", "token_id": token.pk}
    assert {d["key"] for d in body["deadlines"]} >= {"entry", "contact"}


@pytest.mark.frozen_at(NOW)
def test_a_refused_intake_is_a_400_with_every_reason(assistant_client, office):
    body = intake_body(office, complainant_name="", description="", received_at="tomorrow")
    response = assistant_client.post(LIST, body, content_type="application/json")
    assert response.status_code == 400
    assert {"complainant_name", "description", "received_at"} <= set(response.json())
    assert not office.complaints.exists()


@pytest.mark.frozen_at(NOW)
def test_intake_for_another_office_is_refused(assistant_client, other_office):
    body = intake_body(other_office)
    response = assistant_client.post(LIST, body, content_type="application/json")
    assert response.status_code == 400
    assert "office" in response.json()
    assert not other_office.complaints.exists()
