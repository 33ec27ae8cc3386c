"""The follow-up blocks of a complaint's page: the step forms a user may use in the complaint's
status, and the history of contacts, work orders, actions, revisits and escalations."""

from datetime import timedelta

import pytest
from django.template import Context, Template
from django.test import RequestFactory

from accounts.roles import Role
from followups.workflow import record_contact
from tests.factories import OfficeFactory, staff

from .conftest import T0
from .states import handled, revisited

NOW = T0 + timedelta(days=2)
pytestmark = [pytest.mark.django_db, pytest.mark.frozen_at(NOW), pytest.mark.usefixtures("english")]


def actions(complaint, user) -> str:
    request = RequestFactory().get("/")
    request.user = user
    template = Template("{% load followups_tags %}{% complaint_actions complaint %}")
    return template.render(Context({"complaint": complaint, "request": request}))


def history(complaint) -> str:
    template = Template("{% load followups_tags %}{% complaint_followups complaint %}")
    return template.render(Context({"complaint": complaint}))


def test_an_assistant_handling_a_complaint_sees_the_handling_steps(complaint, assistant):
    html = actions(complaint, assistant)
    for step in ("contact", "dispatch", "corrective_action", "resolve"):
        assert f'data-testid="step-{step}"' in html
    assert f'action="/complaints/{complaint.pk}/contact/"' in html
    assert 'data-testid="step-approve"' not in html
    assert 'data-testid="step-revisit"' not in html


def test_an_assistant_is_not_offered_the_explanation_of_an_invalid_complaint(
    office, assistant, supervisor
):
    from tests.factories import ComplaintFactory

    invalid = ComplaintFactory(office=office, classification="invalid", received_at=T0)
    assert 'value="explanation"' not in actions(invalid, assistant)
    assert 'value="explanation"' in actions(invalid, supervisor)  # R-HND-2


def test_a_resolved_complaint_offers_the_revisit(complaint, assistant):
    handled(complaint, assistant, T0 + timedelta(days=1))
    html = actions(complaint, assistant)
    assert 'data-testid="step-revisit"' in html  # R-REV-1
    assert 'data-testid="step-dispatch"' not in html


def test_an_assistant_waits_for_the_manager_on_a_revisited_complaint(complaint, assistant):
    html = actions(revisited(complaint, assistant, T0 + timedelta(days=1)), assistant)
    assert 'data-testid="waiting-for-approval"' in html
    assert 'data-testid="step-approve"' not in html  # R-CLO-3


def test_the_manager_sees_approve_and_reject_on_a_revisited_complaint(
    complaint, assistant, manager
):
    html = actions(revisited(complaint, assistant, T0 + timedelta(days=1)), manager)
    assert f'action="/complaints/{complaint.pk}/approve/"' in html
    assert f'action="/complaints/{complaint.pk}/reject/"' in html
    assert 'data-testid="closure-missing"' not in html


def test_the_manager_sees_why_a_valid_complaint_cannot_close_on_understanding(
    complaint, assistant, manager
):
    complaint = revisited(complaint, assistant, T0 + timedelta(days=1), outcome="understands")
    html = actions(complaint, manager)
    assert 'data-testid="closure-missing"' in html
    assert "a revisit where the customer is satisfied" in html  # R-CLO-1


def test_a_manager_of_another_office_is_offered_nothing(complaint, assistant):
    outsider = staff(Role.OFFICE_MANAGER, office=OfficeFactory(code="CH"))
    html = actions(revisited(complaint, assistant, T0 + timedelta(days=1)), outsider)
    assert "<form" not in html


def test_the_branch_gm_is_offered_no_step(complaint):
    gm = staff(Role.BRANCH_GM, branch=complaint.office.branch)
    html = actions(complaint, gm)
    assert "<form" not in html and 'data-testid="no-steps"' in html


def test_the_history_shows_contacts_actions_and_revisits(complaint, assistant):
    record_contact(complaint, by=assistant, kind="reply", method="phone", summary="已答复", now=T0)
    revisited(complaint, assistant, T0 + timedelta(days=1))
    html = history(complaint)
    assert "已答复" in html and "加强装修巡查" in html
    assert 'data-testid="history-revisits"' in html and "Satisfied" in html


def test_the_history_of_a_new_complaint_says_nothing_is_recorded(complaint):
    assert "No follow-up step recorded yet." in history(complaint)
