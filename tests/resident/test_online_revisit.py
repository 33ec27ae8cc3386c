"""The resident's own revisit on the tracking page (#17 item 3): R-REV-1, R-REV-2, R-CLO-1..3."""

from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse

from complaints.models import Complaint, ComplaintEvent
from followups.models import Revisit
from followups.workflow import approve_closure, closure_missing
from resident.links import issue_link
from tests.followups.states import handled

NOW = datetime(2026, 11, 10, 2, 0, tzinfo=UTC)
pytestmark = [pytest.mark.django_db, pytest.mark.frozen_at(NOW)]


@pytest.fixture
def resolved(record, supervisor):
    complaint = handled(record(), supervisor, NOW - timedelta(hours=3))
    _link, token = issue_link(complaint)
    return complaint, token


def answer(client, token, **fields):
    return client.post(reverse("resident:revisit", args=[token]), fields)


def test_satisfied_online_is_a_revisit_waiting_for_the_managers_approval(client, resolved, manager):
    """R-REV-1, R-CLO-1: the resident's "satisfied" counts as the revisit and allows closure."""
    complaint, token = resolved
    response = answer(client, token, outcome="satisfied", courteous="yes")
    assert response.status_code == 302
    complaint.refresh_from_db()
    assert complaint.status == "revisited" and complaint.revisited_at == NOW
    assert complaint.revisited_at <= complaint.revisit_due  # R-REV-1: on time
    revisit = complaint.revisits.get()
    assert (revisit.method, revisit.by, revisit.courteous) == ("online", None, True)
    assert closure_missing(complaint) == []
    approve_closure(complaint, by=manager)
    complaint.refresh_from_db()
    assert complaint.status == "closed"


def test_the_timeline_says_the_resident_answered_online(client, resolved, supervisor_client):
    complaint, token = resolved
    answer(client, token, outcome="satisfied", courteous="no")
    event = complaint.events.get(kind=ComplaintEvent.Kind.REVISITED)
    assert event.actor is None and event.data["via"] == {"resident": "tracking_page"}
    page = supervisor_client.get(reverse("complaints:detail", args=[complaint.pk]))
    assert "住户（网上）" in page.content.decode()
    assert complaint.revisits.get().courteous is False  # counts against work standard 1


def test_not_satisfied_records_a_new_linked_complaint_as_at_the_desk(client, resolved, supervisor):
    """R-REV-2: the resident's words become a new complaint linked to this one."""
    complaint, token = resolved
    answer(client, token, outcome="unsatisfied", courteous="yes", remarks="漏水还没修好")
    complaint.refresh_from_db()
    assert complaint.status == "superseded"
    successor = Complaint.objects.get(linked_to=complaint)
    assert successor.description == "漏水还没修好"
    assert successor.received_by == supervisor  # the receiver, who would have revisited
    assert successor.channel == "website"
    assert (successor.alert_due, successor.report_due) == (
        complaint.alert_due,
        complaint.report_due,
    )
    recorded = successor.events.get(kind=ComplaintEvent.Kind.RECORDED)
    assert recorded.data["via"] == {"resident": "tracking_page"}
    page = client.get(reverse("resident:track", args=[token])).content.decode()
    assert successor.number in page


def test_not_satisfied_without_words_is_refused_and_keeps_what_was_chosen(client, resolved):
    """R-REV-2: the customer's opinion is recorded, so it must be written."""
    complaint, token = resolved
    response = answer(client, token, outcome="unsatisfied", courteous="no", remarks="   ")
    assert response.status_code == 400
    assert "请告诉我们您不满意的地方" in response.content.decode()
    assert "checked" in response.content.decode()  # the choice is kept
    complaint.refresh_from_db()
    assert complaint.status == "resolved" and not complaint.revisits.exists()


def test_an_answer_before_handling_is_finished_is_refused(client, record):
    """R-REV-1: only a resolved complaint is revisited."""
    complaint = record()
    _link, token = issue_link(complaint)
    response = answer(client, token, outcome="satisfied")
    assert response.status_code == 409
    assert not Revisit.objects.exists()


def test_a_second_answer_changes_nothing(client, resolved):
    complaint, token = resolved
    answer(client, token, outcome="satisfied", courteous="yes")
    again = answer(client, token, outcome="unsatisfied", remarks="改主意了")
    assert again.status_code in (400, 409)
    assert complaint.revisits.count() == 1
    assert not Complaint.objects.filter(linked_to=complaint).exists()


@pytest.mark.parametrize(
    "fields",
    [
        {"outcome": "closed"},
        {"outcome": "satisfied", "courteous": "maybe"},
        {"outcome": "unsatisfied", "remarks": "x\x00y"},
        {"outcome": "unsatisfied", "remarks": "长" * 5000},
        {"outcome": ["satisfied", "unsatisfied"]},
        {},
    ],
)
def test_hostile_answers_get_a_clear_refusal_never_a_500(client, resolved, fields):
    """Threat: a crafted post on the public form records a revisit the resident did not give."""
    complaint, token = resolved
    response = answer(client, token, **fields)
    assert response.status_code == 400
    complaint.refresh_from_db()
    assert complaint.status == "resolved" and not complaint.revisits.exists()


def test_the_understanding_answer_is_offered_only_where_it_closes(client, record, supervisor):
    """R-CLO-1/2: a valid complaint closes only on "satisfied"."""
    valid = handled(record(), supervisor, NOW - timedelta(hours=3))
    _link, token = issue_link(valid)
    assert (
        'value="understands"'
        not in client.get(reverse("resident:track", args=[token])).content.decode()
    )
    assert answer(client, token, outcome="understands").status_code == 400
    to_improve = handled(
        record(classification="to_improve", responsible_party="开发商"),
        supervisor,
        NOW - timedelta(hours=3),
    )
    _link, token = issue_link(to_improve)
    assert (
        'value="understands"'
        in client.get(reverse("resident:track", args=[token])).content.decode()
    )


def test_the_online_answer_counts_in_the_months_standards(client, resolved, office):
    """R-REV-1 (standard 6) and the courtesy standard (1) count the resident's own answer."""
    from datetime import date

    from reports.kpis import monthly_kpis

    complaint, token = resolved
    answer(client, token, outcome="satisfied", courteous="no")
    kpis = monthly_kpis(
        Complaint.objects.filter(pk=complaint.pk),
        month=date(2026, 11, 1),
        zone=office.zone,
        now=NOW + timedelta(hours=1),
    )
    assert (kpis.revisited_on_time.met, kpis.revisited_on_time.of) == (1, 1)
    assert (kpis.courteous.met, kpis.courteous.of) == (0, 1)
    assert (kpis.satisfied.met, kpis.satisfied.of) == (1, 1)
