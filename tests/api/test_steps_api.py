"""The REST API's steps (issue #18): `POST /api/v1/complaints/<id>/<step>/` for every step of
the table (followups.steps), through the page's form and the page's workflow function; a
refusal is a 400 with every reason in the caller's language; the event names the token.

Threat: the API is a second door to the same workflow; it must refuse exactly what the pages
refuse (roles, status, class — R-HND-1/2, R-CLO-1..3) and never act on another office's
complaint."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from complaints.models import ComplaintEvent, Status
from followups.models import Contact, Revisit
from followups.steps import STEPS
from integrations.models import IntegrationToken
from tests.followups.states import handled, revisited

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 11, 16, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


def step_url(complaint, name: str) -> str:
    return f"/api/v1/complaints/{complaint.pk}/{name.replace('_', '-')}/"


def post(client, url, body=None, **headers):
    return client.post(url, body or {}, content_type="application/json", **headers)


def test_every_step_of_the_table_has_its_route():
    for name in STEPS:
        assert reverse(f"api:complaint-{name}", args=[7]) == (
            f"/api/v1/complaints/7/{name.replace('_', '-')}/"
        )


@pytest.mark.frozen_at(NOW)
def test_a_contact_through_a_token_is_recorded_and_names_the_token(client, assistant, record):
    """R-REPLY-3: the reply is recorded as on the page, and the timeline names the token."""
    complaint = record()
    token = IntegrationToken(name="CRM", user=assistant, expires_at=NOW + timedelta(days=1))
    secret = token.new_secret()
    token.save()
    body = {"kind": "reply", "method": "phone", "summary": "已致电业主", "signed": True}
    response = post(
        client, step_url(complaint, "contact"), body, HTTP_AUTHORIZATION=f"Token {secret}"
    )
    assert response.status_code == 200, response.content
    assert response.json()["status"] == Status.IN_PROGRESS
    event = complaint.events.get(kind=ComplaintEvent.Kind.CONTACT)
    assert event.actor == assistant
    assert event.data["via"] == {"api": "token", "token": "CRM", "token_id": token.pk}
    assert complaint.contacts.get().kind == Contact.Kind.REPLY


@pytest.mark.frozen_at(NOW)
def test_a_refused_step_is_a_400_with_every_reason(assistant_client, record, english):
    """R-HND-1: resolving without the corrective actions names what is missing."""
    complaint = record(classification="valid")
    response = post(assistant_client, step_url(complaint, "resolve"))
    assert response.status_code == 400
    assert response.json() == {
        "__all__": ["Missing: the cause and the corrective and preventive actions."]
    }
    complaint.refresh_from_db()
    assert complaint.status != Status.RESOLVED


@pytest.mark.frozen_at(NOW)
def test_a_body_the_form_refuses_names_every_field_in_the_callers_language(
    assistant_client, record
):
    complaint = record()
    response = post(assistant_client, step_url(complaint, "dispatch"), {"due_at": 12})
    assert response.status_code == 400
    errors = response.json()
    assert {"department", "instructions", "due_at"} <= set(errors)
    assert errors["instructions"] == ["请填写此项。"]


@pytest.mark.frozen_at(NOW)
def test_an_assistant_may_not_approve_a_closure(assistant_client, record, assistant, english):
    """R-CLO-3: only the office manager approves, through the API as on the page."""
    complaint = revisited(record(), assistant, NOW - timedelta(hours=5))
    response = post(assistant_client, step_url(complaint, "approve"))
    assert response.status_code == 400
    assert response.json()["__all__"] == [
        "Only the office manager of this office approves closures."
    ]


@pytest.mark.frozen_at(NOW)
def test_the_manager_closes_through_the_api(manager_client, record, assistant):
    """R-CLO-1..3: a satisfied revisit, approved by the manager: closed."""
    complaint = revisited(record(), assistant, NOW - timedelta(hours=5))
    response = post(manager_client, step_url(complaint, "approve"))
    assert response.status_code == 200, response.content
    assert response.json()["status"] == Status.CLOSED
    closed = complaint.events.get(kind=ComplaintEvent.Kind.CLOSED)
    assert closed.data["via"] == {"api": "session"}


@pytest.mark.frozen_at(NOW)
def test_an_unsatisfied_revisit_records_the_successor(assistant_client, record, assistant):
    """R-REV-2: the answer's timeline names the new complaint."""
    complaint = handled(record(), assistant, NOW - timedelta(hours=3))
    body = {"method": "phone", "outcome": Revisit.Outcome.UNSATISFIED, "remarks": "仍有噪音"}
    response = post(assistant_client, step_url(complaint, "revisit"), body)
    assert response.status_code == 200, response.content
    assert response.json()["status"] == Status.SUPERSEDED
    superseded = [e for e in response.json()["events"] if e["kind"] == "superseded"]
    assert superseded[0]["data"]["successor"] == complaint.linked_complaints.get().number


@pytest.mark.frozen_at(NOW)
def test_the_explanation_route_records_an_explanation(client_as, supervisor, record, english):
    """R-HND-2: an invalid complaint is explained by the supervisor, in person."""
    complaint = record(classification="invalid")
    body = {"method": "visit", "summary": "当面解释", "kind": "reply"}  # the route fixes the kind
    response = post(client_as(supervisor), step_url(complaint, "explain"), body)
    assert response.status_code == 200, response.content
    assert complaint.contacts.get().kind == Contact.Kind.EXPLANATION


@pytest.mark.frozen_at(NOW)
def test_no_day_15_report_is_owed_yet(manager_client, record, english):
    complaint = record()
    response = post(manager_client, step_url(complaint, "escalation_report"), {"report": "进展"})
    assert response.status_code == 400
    assert response.json()["__all__"] == ["No day-15 report is owed for this complaint."]


@pytest.mark.parametrize("name", list(STEPS))
def test_a_step_on_another_offices_complaint_is_a_404(manager_client, record, other_office, name):
    complaint = record(office=other_office)
    before = complaint.events.count()
    assert post(manager_client, step_url(complaint, name)).status_code == 404
    assert complaint.events.count() == before


@pytest.mark.frozen_at(NOW)
def test_a_step_costs_the_same_queries_with_a_long_timeline(
    assistant_client, record, assistant, django_assert_max_num_queries
):
    complaint = record()
    body = {"kind": "progress", "method": "phone", "summary": "进展"}
    with django_assert_max_num_queries(60) as few:
        assert post(assistant_client, step_url(complaint, "contact"), body).status_code == 200
    for _ in range(20):
        ComplaintEvent.objects.create(complaint=complaint, kind="contact", actor=assistant)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert post(assistant_client, step_url(complaint, "contact"), body).status_code == 200


@pytest.mark.frozen_at(NOW)
def test_every_step_through_a_token_names_the_token_in_its_events(client, manager, record):
    """#18.2: a complaint's whole life through the API — each step's event names the token
    (R-URG-1, R-HND-1, R-SEV-1, R-FUP-3, R-REV-1, R-CLO-3)."""
    from followups.models import Escalation

    token = IntegrationToken(name="CRM", user=manager, expires_at=NOW + timedelta(days=1))
    headers = {"HTTP_AUTHORIZATION": f"Token {token.new_secret()}"}
    token.save()
    complaint = record(is_major=True)
    Escalation.objects.create(complaint=complaint, level=Escalation.Level.DAY_15, at=NOW)
    later = (NOW + timedelta(days=1)).isoformat()
    life = [
        ("contact", {"kind": "reply", "method": "phone", "summary": "已致电"}),
        ("dispatch", {"department": "engineering", "instructions": "换管", "due_at": later}),
        ("major_report", {"report": "已上报", "answer_expected_at": later}),
        ("escalation_report", {"report": "进展"}),
        ("corrective_action", {"cause": "旧管", "correction": "已换", "prevention": "年检"}),
        ("resolve", {}),
        ("revisit", {"method": "phone", "outcome": "satisfied"}),
        ("reject", {"reason": "回访记录不全"}),
        ("resolve", {}),
        ("revisit", {"method": "phone", "outcome": "satisfied"}),
        ("approve", {}),
    ]
    for name, body in life:
        response = post(client, step_url(complaint, name), body, **headers)
        assert response.status_code == 200, (name, response.content)
    assert response.json()["status"] == Status.CLOSED
    via = {"api": "token", "token": "CRM", "token_id": token.pk}
    written = complaint.events.exclude(kind=ComplaintEvent.Kind.RECORDED)
    assert len(written) >= len(life)
    assert all(event.data.get("via") == via for event in written), [
        (event.kind, event.data) for event in written
    ]
