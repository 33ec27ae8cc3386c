"""The step forms of a complaint's page: each POST runs one workflow step for the right role and
is refused with a message, never a server error, for the wrong one."""

from datetime import timedelta

import pytest
import time_machine
from django.contrib.messages import get_messages
from django.urls import reverse

from accounts.roles import Role
from complaints.models import Complaint
from followups.clocks import escalation_scan
from followups.models import Contact, CorrectiveAction, Dispatch, Escalation, Notification, Revisit
from tests.factories import ComplaintFactory, OfficeFactory, staff

from .conftest import T0
from .states import handled, revisited

NOW = T0 + timedelta(days=2)  # Wednesday 2026-11-18 09:00, Shanghai
pytestmark = [pytest.mark.django_db, pytest.mark.frozen_at(NOW), pytest.mark.usefixtures("english")]
STEPS = [
    "contact",
    "dispatch",
    "corrective_action",
    "resolve",
    "revisit",
    "approve",
    "reject",
    "escalation_report",
]


def post(client, name, complaint, data=None):
    return client.post(reverse(f"followups:{name}", args=[complaint.pk]), data or {})


def said(response, level=None) -> list[str]:
    return [
        str(m) for m in get_messages(response.wsgi_request) if level is None or m.level_tag == level
    ]


def detail_url(complaint):
    return reverse("complaints:detail", args=[complaint.pk])


# Contacts, dispatch, handling


def test_an_assistant_records_the_agreed_reply(client_as, complaint, assistant):
    response = post(
        client_as(assistant),
        "contact",
        complaint,
        {"contact-kind": "reply", "contact-method": "phone", "contact-summary": "已答复处理方案"},
    )
    assert response.status_code == 302 and response.url == detail_url(complaint)
    assert said(response, "success")
    complaint.refresh_from_db()
    assert complaint.replied_at == NOW  # R-REPLY-3
    assert Contact.objects.get(complaint=complaint).by == assistant


def test_a_contact_without_what_was_said_is_refused_with_a_message(client_as, complaint, assistant):
    response = post(
        client_as(assistant),
        "contact",
        complaint,
        {"contact-kind": "reply", "contact-method": "phone", "contact-summary": ""},
    )
    assert response.status_code == 302 and response.url == detail_url(complaint)
    assert "What was said" in said(response, "error")[0]
    assert not Contact.objects.exists()


def test_an_assistant_may_not_explain_an_invalid_complaint(client_as, office, assistant):
    invalid = ComplaintFactory(office=office, classification="invalid", received_at=T0)
    response = post(
        client_as(assistant),
        "contact",
        invalid,
        {"contact-kind": "explanation", "contact-method": "visit", "contact-summary": "上门说明"},
    )
    assert "You may not record this contact" in said(response, "error")[0]  # R-HND-2
    assert not Contact.objects.exists()


def test_an_assistant_dispatches_an_urgent_matter(client_as, office, assistant):
    urgent = ComplaintFactory(
        office=office, urgent_kind="facility", facility_kind="lift", received_at=NOW
    )
    response = post(
        client_as(assistant),
        "dispatch",
        urgent,
        {
            "dispatch-department": "engineering",
            "dispatch-instructions": "电梯困人，立即处理",
            "dispatch-due_at": "2026-11-18T11:00",
        },
    )
    assert said(response, "success")
    urgent.refresh_from_db()
    assert urgent.dispatched_at == NOW  # R-URG-1
    assert Dispatch.objects.get().due_at == NOW + timedelta(hours=2)  # read in Shanghai time


def test_a_work_order_due_in_the_past_is_refused_with_the_reason(client_as, complaint, assistant):
    response = post(
        client_as(assistant),
        "dispatch",
        complaint,
        {
            "dispatch-department": "engineering",
            "dispatch-instructions": "维修",
            "dispatch-due_at": "2026-11-17T09:00",
        },
    )
    assert said(response, "error") and "cannot be due in the past" in said(response, "error")[0]
    assert not Dispatch.objects.exists()


def test_an_assistant_records_corrective_actions(client_as, complaint, assistant):
    response = post(
        client_as(assistant),
        "corrective_action",
        complaint,
        {"action-cause": "未巡查", "action-correction": "已制止", "action-prevention": "每日巡查"},
    )
    assert said(response, "success")
    assert CorrectiveAction.objects.filter(complaint=complaint).exists()  # R-HND-1


def test_resolving_without_corrective_actions_is_refused_with_the_reason(
    client_as, complaint, assistant
):
    response = post(client_as(assistant), "resolve", complaint)
    assert "corrective and preventive actions" in said(response, "error")[0]  # R-HND-1
    complaint.refresh_from_db()
    assert complaint.status == "recorded"


def test_resolving_a_handled_complaint_starts_the_24_hour_revisit_clock(
    client_as, complaint, assistant
):
    CorrectiveAction.objects.create(
        complaint=complaint, cause="c", correction="c", prevention="p", by=assistant, at=T0
    )
    response = post(client_as(assistant), "resolve", complaint)
    assert said(response, "success")
    complaint.refresh_from_db()
    assert complaint.status == "resolved"
    assert complaint.revisit_due == NOW + timedelta(hours=24)  # R-REV-1


# Revisit


def test_a_satisfied_revisit_waits_for_the_managers_approval(
    client_as, complaint, assistant, manager
):
    handled(complaint, assistant, T0 + timedelta(days=1))
    response = post(
        client_as(assistant),
        "revisit",
        complaint,
        {"revisit-method": "phone", "revisit-outcome": "satisfied", "revisit-courteous": "true"},
    )
    assert "approve the closure" in said(response, "success")[0]
    complaint.refresh_from_db()
    assert complaint.status == "revisited"  # R-REV-1
    assert Revisit.objects.get().courteous is True


def test_an_unsatisfied_revisit_names_the_new_linked_complaint(client_as, complaint, assistant):
    handled(complaint, assistant, T0 + timedelta(days=1))
    response = post(
        client_as(assistant),
        "revisit",
        complaint,
        {
            "revisit-method": "phone",
            "revisit-outcome": "unsatisfied",
            "revisit-remarks": "仍有噪音",
        },
    )
    successor = Complaint.objects.get(linked_to=complaint)  # R-REV-2
    assert successor.number in said(response, "success")[0]


def test_an_unsatisfied_revisit_without_the_customers_words_is_refused(
    client_as, complaint, assistant
):
    handled(complaint, assistant, T0 + timedelta(days=1))
    response = post(
        client_as(assistant),
        "revisit",
        complaint,
        {"revisit-method": "phone", "revisit-outcome": "unsatisfied", "revisit-remarks": ""},
    )
    assert "not satisfied with" in said(response, "error")[0]  # R-REV-2
    assert not Complaint.objects.filter(linked_to=complaint).exists()


# Closure


def test_the_office_manager_approves_the_closure(client_as, complaint, assistant, manager):
    revisited(complaint, assistant, T0 + timedelta(days=1))
    response = post(client_as(manager), "approve", complaint)
    assert said(response, "success") == ["The complaint is closed."]
    complaint.refresh_from_db()
    assert complaint.status == "closed" and complaint.closed_by == manager  # R-CLO-3


def test_an_assistant_posting_approve_gets_an_error_and_the_complaint_stays_unclosed(
    client_as, complaint, assistant
):
    revisited(complaint, assistant, T0 + timedelta(days=1))
    response = post(client_as(assistant), "approve", complaint)
    assert response.status_code == 302
    assert "Only the office manager" in said(response, "error")[0]  # R-CLO-3
    complaint.refresh_from_db()
    assert complaint.status == "revisited"


def test_approving_a_valid_complaint_the_customer_only_understands_lists_the_reason(
    client_as, complaint, assistant, manager
):
    revisited(complaint, assistant, T0 + timedelta(days=1), outcome="understands")
    response = post(client_as(manager), "approve", complaint)
    assert "a revisit where the customer is satisfied" in said(response, "error")[0]  # R-CLO-1
    complaint.refresh_from_db()
    assert complaint.status == "revisited"


def test_the_manager_rejects_the_closure_and_the_recorder_is_told_why(
    client_as, complaint, assistant, manager
):
    revisited(complaint, assistant, T0 + timedelta(days=1))
    response = post(client_as(manager), "reject", complaint, {"reject-reason": "措施不具体"})
    assert said(response, "success")
    complaint.refresh_from_db()
    assert complaint.status == "in_progress"  # R-CLO-3
    assert Notification.objects.filter(recipient=assistant, kind="rejected").exists()


def test_rejecting_without_a_reason_is_refused_with_a_message(
    client_as, complaint, assistant, manager
):
    revisited(complaint, assistant, T0 + timedelta(days=1))
    response = post(client_as(manager), "reject", complaint, {"reject-reason": ""})
    assert said(response, "error")
    complaint.refresh_from_db()
    assert complaint.status == "revisited"


def test_an_assistant_cannot_reject_a_closure(client_as, complaint, assistant):
    revisited(complaint, assistant, T0 + timedelta(days=1))
    response = post(client_as(assistant), "reject", complaint, {"reject-reason": "不行"})
    assert "Only the office manager" in said(response, "error")[0]
    complaint.refresh_from_db()
    assert complaint.status == "revisited"


# Day-15 report


def test_the_manager_reports_a_day_15_complaint_to_the_branch_gm(client_as, complaint, manager):
    gm = staff(Role.BRANCH_GM, branch=complaint.office.branch)
    escalation_scan(now=T0 + timedelta(days=15))
    with time_machine.travel(T0 + timedelta(days=15, hours=1), tick=False):
        response = post(
            client_as(manager), "escalation_report", complaint, {"report-report": "已协调"}
        )
    assert said(response, "success")
    assert Escalation.objects.get(level=15).reported_by == manager  # R-FUP-3
    assert Notification.objects.filter(recipient=gm, kind="gm_report", body="已协调").exists()


def test_a_day_15_report_is_refused_when_none_is_owed(client_as, complaint, manager):
    response = post(client_as(manager), "escalation_report", complaint, {"report-report": "报告"})
    assert "No day-15 report is owed" in said(response, "error")[0]


def test_an_assistant_cannot_send_the_day_15_report(client_as, complaint, assistant):
    escalation_scan(now=T0 + timedelta(days=15))
    response = post(client_as(assistant), "escalation_report", complaint, {"report-report": "报告"})
    assert "Only the office manager" in said(response, "error")[0]  # R-FUP-3
    assert Escalation.objects.get(level=15).reported_at is None


# Scope, login, method


@pytest.mark.parametrize("name", STEPS)
def test_another_offices_complaint_is_not_found(client_as, complaint, name):
    outsider = staff(Role.OFFICE_MANAGER, office=OfficeFactory(code="CH"))
    response = post(client_as(outsider), name, complaint)
    assert response.status_code == 404


@pytest.mark.parametrize("name", STEPS)
def test_an_anonymous_post_is_sent_to_the_login_page(client, complaint, name):
    response = post(client, name, complaint)
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


@pytest.mark.parametrize("name", STEPS)
def test_a_step_url_does_not_answer_get(client_as, complaint, manager, name):
    response = client_as(manager).get(reverse(f"followups:{name}", args=[complaint.pk]))
    assert response.status_code == 405


@pytest.mark.parametrize("name", STEPS)
def test_an_empty_post_to_any_step_is_a_message_not_a_server_error(
    client_as, complaint, assistant, name
):
    response = post(client_as(assistant), name, complaint)
    assert response.status_code == 302 and response.url == detail_url(complaint)
    assert said(response, "error")
