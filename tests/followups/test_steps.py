"""The step table (followups.steps) walked over every role, status and class: the complaint's
page offers a step exactly when the workflow accepts it from that user.

Threat covered: the page and the workflow disagree — a form that is always refused (a user
stuck), or a step the workflow lets through that the page never shows (a rule only the page
enforced, e.g. corrective actions on an invalid complaint, R-HND-1/2)."""

from datetime import timedelta

import pytest
import time_machine
from django.db import transaction
from django.template import Context, Template
from django.test import RequestFactory
from django.utils import translation

from accounts.roles import BRANCH_ROLES, Role
from complaints.models import Classification, Complaint, Status
from followups import workflow
from followups.models import Contact, CorrectiveAction, Escalation, Revisit
from followups.steps import STEPS
from tests.factories import ComplaintFactory, OfficeFactory, staff

from .conftest import T0

pytestmark = pytest.mark.django_db
NOW = T0 + timedelta(days=16)


class Rollback(Exception):
    """Undo an accepted step, so every attempt starts from the same complaint."""


# One call per step with well-formed input: what is left to refuse is who, when and which class.
ATTEMPTS = {
    "contact": lambda c, u: workflow.record_contact(
        c, by=u, kind="progress", method="phone", summary="告知维修进度"
    ),
    "explain": lambda c, u: workflow.record_contact(
        c, by=u, kind="explanation", method="visit", summary="上门说明原因"
    ),
    "dispatch": lambda c, u: workflow.dispatch(
        c, by=u, department="engineering", instructions="派人处理", due_at=NOW + timedelta(hours=2)
    ),
    "corrective_action": lambda c, u: workflow.record_corrective_action(
        c, by=u, cause="施工队未遵守时间", correction="已制止", prevention="加强巡查"
    ),
    "resolve": lambda c, u: workflow.resolve(c, by=u),
    "revisit": lambda c, u: workflow.record_revisit(c, by=u, method="phone", outcome="satisfied"),
    "approve": lambda c, u: workflow.approve_closure(c, by=u),
    "reject": lambda c, u: workflow.reject_closure(c, by=u, reason="回访记录不全"),
    "major_report": lambda c, u: workflow.report_major(
        c, by=u, report="已上报分公司", answer_expected_at=NOW + timedelta(days=1)
    ),
    "escalation_report": lambda c, u: workflow.report_to_branch_gm(
        c.escalations.get(level=Escalation.Level.DAY_15), by=u, report="已上门处理两次"
    ),
}

# How the page shows each step as takeable (resolve and approve show a disabled button, with
# what is missing, when the handling or the revisit is not there yet).
MISSING_MARK = {"resolve": "handling-missing", "approve": "closure-missing"}


def offered(name: str, html: str) -> bool:
    if name == "explain":
        return 'value="explanation"' in html
    shown = f'data-testid="step-{name}"' in html
    return shown and (name not in MISSING_MARK or f'data-testid="{MISSING_MARK[name]}"' not in html)


def accepted(name: str, complaint: Complaint, user) -> bool:
    try:
        with transaction.atomic():
            ATTEMPTS[name](complaint, user)
            raise Rollback
    except Rollback:
        return True
    except workflow.StepRefused:
        return False


def page(complaint, user) -> str:
    request = RequestFactory().get("/")
    request.user = user
    template = Template("{% load followups_tags %}{% complaint_actions complaint %}")
    return template.render(Context({"complaint": complaint, "request": request}))


@pytest.fixture
def people():
    office = OfficeFactory(code="HY")
    return office, {
        role: staff(role, branch=office.branch)
        if role in BRANCH_ROLES
        else staff(role, office=office)
        for role in Role
    }


def complaint_in(status: str, classification: str, office, people) -> Complaint:
    """A complete complaint in `status` whose handling and satisfied revisit are on record
    where the status has them, with a day-15 report owed: only status, class and role decide."""
    assistant, supervisor = people[Role.CLIENT_ASSISTANT], people[Role.CUSTOMER_SUPERVISOR]
    complaint = ComplaintFactory(
        office=office,
        received_at=T0,
        received_by=assistant,
        classification=classification,
        responsible_party="开发商" if classification == Classification.TO_IMPROVE else "",
    )
    at = T0 + timedelta(hours=1)
    if classification == Classification.INVALID:
        Contact.objects.create(
            complaint=complaint, kind="explanation", method="visit", at=at, by=supervisor,
            summary="上门说明",
        )  # fmt: skip
    else:
        CorrectiveAction.objects.create(
            complaint=complaint, cause="原因", correction="纠正", prevention="预防", at=at,
            by=assistant,
        )  # fmt: skip
    fields = {"status": status}
    if status not in (Status.RECORDED, Status.IN_PROGRESS):
        fields |= {"resolved_at": T0 + timedelta(days=1), "revisit_due": T0 + timedelta(days=2)}
    if status in (Status.REVISITED, Status.CLOSED, Status.SUPERSEDED):
        revisited_at = T0 + timedelta(days=1, hours=2)
        Revisit.objects.create(
            complaint=complaint, method="phone", outcome="satisfied", at=revisited_at,
            by=assistant,
        )  # fmt: skip
        fields["revisited_at"] = revisited_at
    if status == Status.CLOSED:
        fields |= {"closed_at": T0 + timedelta(days=2), "closed_by": people[Role.OFFICE_MANAGER]}
    Complaint.objects.filter(pk=complaint.pk).update(**fields)
    Escalation.objects.create(
        complaint=complaint, level=Escalation.Level.DAY_15, at=T0 + timedelta(days=15)
    )
    return Complaint.objects.select_related("office").get(pk=complaint.pk)


def test_the_walk_tries_every_step_of_the_table():
    assert set(ATTEMPTS) == set(STEPS)


@pytest.mark.parametrize("status", Status.values)
def test_the_page_offers_exactly_the_steps_the_workflow_accepts(people, status):
    office, holders = people
    disagreements = []
    with time_machine.travel(NOW, tick=False), translation.override("en"):
        for classification in Classification.values:
            complaint = complaint_in(status, classification, office, holders)
            for role, user in holders.items():
                html = page(complaint, user)
                for name in STEPS:
                    shown, taken = offered(name, html), accepted(name, complaint, user)
                    if shown != taken:
                        disagreements.append((classification, role, name, shown, taken))
    assert disagreements == []


def test_the_table_lets_nobody_correct_an_invalid_complaint(people):
    """R-HND-1/2: an invalid complaint is explained by the manager or supervisor, not corrected;
    the workflow refuses corrective actions on it as the page never offers them."""
    office, holders = people
    with time_machine.travel(NOW, tick=False), translation.override("en"):
        invalid = complaint_in(Status.IN_PROGRESS, Classification.INVALID, office, holders)
        with pytest.raises(workflow.StepRefused) as refused:
            ATTEMPTS["corrective_action"](invalid, holders[Role.OFFICE_MANAGER])
    assert refused.value.reasons == [
        "An invalid complaint is explained to the customer, not corrected (R-HND-2)."
    ]
